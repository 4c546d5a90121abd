package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
)

func (s *Server) registerTableRoutes(r *gin.RouterGroup) {
	r.GET("/tables", s.need(inlet.RoleViewer, s.listTables))
	r.GET("/tables/:database/:table", s.need(inlet.RoleViewer, s.getTable))
	r.GET("/tables/:database/:table/glue", s.need(inlet.RoleViewer, s.getGlue))
	r.GET("/tables/:database/:table/sample", s.need(inlet.RoleViewer, s.getSample))
	r.PATCH("/tables/:database/:table", s.need(inlet.RoleAnalyst, s.patchTable))
}

func tableRef(c *gin.Context) (inlet.TableRef, error) {
	return inlet.ParseTableRef(c.Param("database") + "." + c.Param("table"))
}

func (s *Server) listTables(c *gin.Context) error {
	tables, err := s.Catalog.Tables(c.Request.Context(), identity(c).Tenant)
	if err != nil {
		return err
	}
	if tables == nil {
		tables = []inlet.TableSummary{}
	}
	c.JSON(http.StatusOK, gin.H{"tables": tables})
	return nil
}

func (s *Server) getTable(c *gin.Context) error {
	ref, err := tableRef(c)
	if err != nil {
		return err
	}
	t, err := s.Catalog.Table(c.Request.Context(), identity(c).Tenant, ref)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

// getGlue returns the Glue TableInput of a table, as `aws glue create-table
// --table-input` takes it.
func (s *Server) getGlue(c *gin.Context) error {
	ref, err := tableRef(c)
	if err != nil {
		return err
	}
	b, err := s.Glue(c.Request.Context(), identity(c).Tenant, ref)
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "application/json", b)
	return nil
}

// getSample returns the first rows as the lake holds them: what notebook
// users will see, hashes and all.
func (s *Server) getSample(c *gin.Context) error {
	ref, err := tableRef(c)
	if err != nil {
		return err
	}
	rows, err := s.Catalog.Sample(c.Request.Context(), identity(c).Tenant, ref, min(limitParam(c, 20), 200))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, rows)
	return nil
}

// patchTable changes what people say about a table: description, owner.
func (s *Server) patchTable(c *gin.Context) error {
	ref, err := tableRef(c)
	if err != nil {
		return err
	}
	var info inlet.TableInfo
	if err := decodeJSON(c, &info); err != nil {
		return err
	}
	if err := s.Catalog.SetTableInfo(c.Request.Context(), identity(c).Tenant, ref, info); err != nil {
		return err
	}
	return s.getTable(c)
}
