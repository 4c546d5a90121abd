package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
)

func (s *Server) registerJobRoutes(r *gin.RouterGroup) {
	r.GET("/jobs", s.need(inlet.RoleViewer, s.listJobs))
	r.GET("/jobs/:id", s.need(inlet.RoleViewer, s.getJob))
	r.GET("/jobs/:id/rejects", s.need(inlet.RoleViewer, s.getRejects))
}

// getRejects downloads the rows a job skipped for errors, as CSV: line,
// column, reason and the row with its PII actions applied, to fix and
// append. They stay until the upload would expire.
func (s *Server) getRejects(c *gin.Context) error {
	id := identity(c)
	j, err := s.Jobs.Job(c.Request.Context(), id.Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	if s.Rejects == nil {
		return inlet.Errorf(inlet.ENOTFOUND, "this server keeps no rejected rows")
	}
	f, err := s.Rejects.Open(id.Tenant, j.ID)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := s.audit(c, "job.rejects.download", "job:"+j.ID, "ok", map[string]any{"bytes": fi.Size()}); err != nil {
		return err
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+j.ID+`-rejected-rows.csv"`)
	http.ServeContent(c.Writer, c.Request, "", fi.ModTime(), f)
	return nil
}

func (s *Server) listJobs(c *gin.Context) error {
	jobs, err := s.Jobs.Jobs(c.Request.Context(), identity(c).Tenant, limitParam(c, 100))
	if err != nil {
		return err
	}
	if jobs == nil {
		jobs = []*inlet.Job{}
	}
	c.JSON(http.StatusOK, gin.H{"jobs": jobs})
	return nil
}

func (s *Server) getJob(c *gin.Context) error {
	j, err := s.Jobs.Job(c.Request.Context(), identity(c).Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, j)
	return nil
}
