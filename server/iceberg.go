package server

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
)

// IcebergTables is what the Iceberg REST endpoint reads.
type IcebergTables interface {
	Tables(ctx context.Context, tenant string) ([]inlet.TableSummary, error)
	// IcebergMetadata returns the current metadata location and document.
	IcebergMetadata(ctx context.Context, tenant string, ref inlet.TableRef) (string, []byte, error)
}

// icebergEndpoints are the read-only routes of the Apache Iceberg REST
// catalog spec that Inlet serves; clients learn them from /v1/config.
var icebergEndpoints = []string{
	"GET /v1/{prefix}/namespaces",
	"GET /v1/{prefix}/namespaces/{namespace}",
	"HEAD /v1/{prefix}/namespaces/{namespace}",
	"GET /v1/{prefix}/namespaces/{namespace}/tables",
	"GET /v1/{prefix}/namespaces/{namespace}/tables/{table}",
	"HEAD /v1/{prefix}/namespaces/{namespace}/tables/{table}",
}

// registerIcebergRoutes serves the tenant's tables as a read-only Iceberg
// REST catalog at /api/v1/iceberg, so Spark, Trino, PyIceberg, DuckDB and
// iceberg-go attach to them directly. A token (or session) picks the tenant.
func (s *Server) registerIcebergRoutes(r *gin.RouterGroup) {
	g := r.Group("/iceberg/v1")
	g.GET("/config", s.iceberg(s.icebergConfig))
	g.GET("/namespaces", s.iceberg(s.icebergNamespaces))
	g.GET("/namespaces/:namespace", s.iceberg(s.icebergNamespace))
	g.HEAD("/namespaces/:namespace", s.iceberg(s.icebergNamespace))
	g.GET("/namespaces/:namespace/tables", s.iceberg(s.icebergTables))
	g.GET("/namespaces/:namespace/tables/:table", s.iceberg(s.icebergLoadTable))
	g.HEAD("/namespaces/:namespace/tables/:table", s.iceberg(s.icebergLoadTable))
}

// icebergError is the spec's error model.
type icebergError struct {
	Error struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    int    `json:"code"`
	} `json:"error"`
}

// iceberg wraps a handler: viewers and up may read, and errors take the
// spec's shape rather than Inlet's.
func (s *Server) iceberg(h func(*gin.Context, Identity) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := signedIn(c)
		if err == nil && !id.Role.Allows(inlet.RoleViewer) {
			err = inlet.Errorf(inlet.EFORBIDDEN, "you are %s in tenant %s", roleName(id.Role), id.Tenant)
		}
		if err == nil && s.Iceberg == nil {
			err = inlet.Errorf(inlet.EINTERNAL, "no Iceberg catalog configured")
		}
		if err == nil {
			err = h(c, id)
		}
		if err == nil {
			return
		}
		var body icebergError
		body.Error.Code = statusOf[inlet.ErrorCode(err)]
		if body.Error.Code == 0 {
			body.Error.Code = http.StatusInternalServerError
			s.Logger.Error("iceberg catalog request failed", "route", c.FullPath(), "err", err)
		}
		body.Error.Message = inlet.ErrorMessage(err)
		body.Error.Type = map[int]string{
			http.StatusNotFound:     "NoSuchTableException",
			http.StatusUnauthorized: "NotAuthorizedException",
			http.StatusForbidden:    "ForbiddenException",
			http.StatusBadRequest:   "BadRequestException",
		}[body.Error.Code]
		if body.Error.Type == "" {
			body.Error.Type = "ServiceFailureException"
		}
		if body.Error.Code == http.StatusNotFound && c.Param("table") == "" {
			body.Error.Type = "NoSuchNamespaceException"
		}
		c.AbortWithStatusJSON(body.Error.Code, body)
	}
}

func (s *Server) icebergConfig(c *gin.Context, _ Identity) error {
	c.JSON(http.StatusOK, gin.H{"defaults": gin.H{}, "overrides": gin.H{}, "endpoints": icebergEndpoints})
	return nil
}

// databases groups a tenant's tables by database.
func (s *Server) databases(ctx context.Context, tenant string) (map[string][]string, error) {
	tables, err := s.Iceberg.Tables(ctx, tenant)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, t := range tables {
		out[t.Ref.Database] = append(out[t.Ref.Database], t.Ref.Name)
	}
	return out, nil
}

func (s *Server) icebergNamespaces(c *gin.Context, id Identity) error {
	dbs, err := s.databases(c.Request.Context(), id.Tenant)
	if err != nil {
		return err
	}
	names := make([][]string, 0, len(dbs))
	if c.Query("parent") == "" { // one level of namespaces: nothing below a database
		for db := range dbs {
			names = append(names, []string{db})
		}
	}
	sort.Slice(names, func(i, j int) bool { return names[i][0] < names[j][0] })
	c.JSON(http.StatusOK, gin.H{"namespaces": names})
	return nil
}

// namespaceTables reads the {namespace} path parameter (one level only:
// Inlet's namespaces are its databases) and lists its tables.
func (s *Server) namespaceTables(c *gin.Context, id Identity) (string, []string, error) {
	ns := c.Param("namespace")
	if strings.ContainsAny(ns, "\x1f.") {
		return "", nil, inlet.Errorf(inlet.ENOTFOUND, "namespace %q does not exist: Inlet's namespaces are its databases, one level deep", ns)
	}
	dbs, err := s.databases(c.Request.Context(), id.Tenant)
	if err != nil {
		return "", nil, err
	}
	names, ok := dbs[ns]
	if !ok {
		return "", nil, inlet.Errorf(inlet.ENOTFOUND, "namespace %s does not exist", ns)
	}
	return ns, names, nil
}

func (s *Server) icebergNamespace(c *gin.Context, id Identity) error {
	ns, _, err := s.namespaceTables(c, id)
	if err != nil {
		return err
	}
	if c.Request.Method == http.MethodHead {
		c.Status(http.StatusNoContent)
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"namespace": []string{ns}, "properties": gin.H{}})
	return nil
}

func (s *Server) icebergTables(c *gin.Context, id Identity) error {
	ns, names, err := s.namespaceTables(c, id)
	if err != nil {
		return err
	}
	type ident struct {
		Namespace []string `json:"namespace"`
		Name      string   `json:"name"`
	}
	out := make([]ident, 0, len(names))
	for _, n := range names {
		out = append(out, ident{Namespace: []string{ns}, Name: n})
	}
	c.JSON(http.StatusOK, gin.H{"identifiers": out})
	return nil
}

func (s *Server) icebergLoadTable(c *gin.Context, id Identity) error {
	ns := c.Param("namespace")
	ref, err := inlet.ParseTableRef(ns + "." + c.Param("table"))
	if err != nil {
		return inlet.Errorf(inlet.ENOTFOUND, "table %s.%s does not exist", ns, c.Param("table"))
	}
	loc, meta, err := s.Iceberg.IcebergMetadata(c.Request.Context(), id.Tenant, ref)
	if err != nil {
		return err
	}
	if c.Request.Method == http.MethodHead {
		c.Status(http.StatusNoContent)
		return nil
	}
	c.JSON(http.StatusOK, gin.H{"metadata-location": loc, "metadata": json.RawMessage(meta), "config": gin.H{}})
	return nil
}
