package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
)

func (s *Server) registerJobRoutes(r *gin.RouterGroup) {
	r.GET("/jobs", s.need(inlet.RoleViewer, s.listJobs))
	r.GET("/jobs/:id", s.need(inlet.RoleViewer, s.getJob))
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
