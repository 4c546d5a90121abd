package server

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
)

func (s *Server) registerTableRoutes(r *gin.RouterGroup) {
	r.GET("/tables", s.need(inlet.RoleViewer, s.listTables))
	r.GET("/tables/:database/:table", s.need(inlet.RoleViewer, s.getTable))
	r.GET("/tables/:database/:table/glue", s.need(inlet.RoleViewer, s.getGlue))
	r.GET("/tables/:database/:table/sample", s.need(inlet.RoleViewer, s.getSample))
	r.GET("/tables/:database/:table/diff", s.need(inlet.RoleViewer, s.getDiff))
	r.PATCH("/tables/:database/:table", s.need(inlet.RoleAnalyst, s.patchTable))
	r.DELETE("/tables/:database/:table", s.need(inlet.RoleAnalyst, s.dropTable))
	r.POST("/tables/:database/:table/rollback", s.need(inlet.RoleAnalyst, s.rollbackTable))
}

// mayManage loads a table for a destructive action: admins may, and the
// analyst who owns it (its owner property, or who created it while no
// owner is set).
func (s *Server) mayManage(c *gin.Context, ref inlet.TableRef) (*inlet.Table, error) {
	id := identity(c)
	t, err := s.Catalog.Table(c.Request.Context(), id.Tenant, ref)
	if err != nil {
		return nil, err
	}
	if id.Role == inlet.RoleAdmin {
		return t, nil
	}
	me := id.uploader()
	creator := ""
	if len(t.Snapshots) > 0 && t.Snapshots[0].Lineage != nil {
		creator = t.Snapshots[0].Lineage.Uploader
	}
	// The creator owns a table until an owner is set.
	if me != "" && (t.Owner == me || t.Owner == "" && creator == me) {
		return t, nil
	}
	return nil, inlet.Errorf(inlet.EFORBIDDEN, "only an admin or the table's owner (%s) may do this to %s", cmp.Or(t.Owner, creator, "none set"), ref)
}

// dropTable deletes a table and its files. The body confirms it by name,
// {"confirm": "DATABASE.TABLE"}, as the page asks the user to type it. Its
// lineage stays in the audit log.
func (s *Server) dropTable(c *gin.Context) error {
	ref, err := tableRef(c)
	if err != nil {
		return err
	}
	var body struct {
		Confirm string `json:"confirm"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.Confirm != ref.String() {
		msg := fmt.Sprintf("type the table's name, %s, to confirm", ref)
		return &inlet.Error{Code: inlet.EINVALID, Message: msg, Fields: map[string]string{"confirm": msg}}
	}
	if _, err := s.mayManage(c, ref); err != nil {
		return err
	}
	t, err := s.Catalog.DropTable(c.Request.Context(), identity(c).Tenant, ref)
	if t != nil {
		var lineage []inlet.Lineage
		for _, sn := range t.Snapshots {
			if sn.Lineage != nil {
				// The log keeps ids and checksums: not the uploader's
				// email, nor a file name, which may name a person.
				l := *sn.Lineage
				l.Uploader, l.SourceFile = "", ""
				lineage = append(lineage, l)
			}
		}
		outcome := "ok"
		if err != nil {
			outcome = "files left"
		}
		if aerr := s.audit(c, "table.drop", "table:"+ref.String(), outcome, map[string]any{"location": t.Location, "rows": t.Rows, "lineage": lineage}); aerr != nil && err == nil {
			err = aerr
		}
	}
	if err != nil && t == nil {
		return err
	}
	if err != nil {
		// The table is gone from the catalog: the drop happened. The files
		// left are logged and audited with their location for cleanup.
		s.Logger.Error("drop table: files left", "table", ref.String(), "location", t.Location, "err", err)
	}
	c.Status(http.StatusNoContent)
	return nil
}

// rollbackTable makes an earlier snapshot current: {"snapshot_id": N}.
func (s *Server) rollbackTable(c *gin.Context) error {
	ref, err := tableRef(c)
	if err != nil {
		return err
	}
	var body struct {
		SnapshotID json.Number `json:"snapshot_id"` // a string as the API gives ids, or a number
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	id, err := strconv.ParseInt(body.SnapshotID.String(), 10, 64)
	if err != nil {
		return &inlet.Error{Code: inlet.EINVALID, Message: "snapshot_id must be a snapshot id from the table's history", Fields: map[string]string{"snapshot_id": "not a snapshot id"}}
	}
	t, err := s.mayManage(c, ref)
	if err != nil {
		return err
	}
	if err := s.Catalog.Rollback(c.Request.Context(), identity(c).Tenant, ref, id); err != nil {
		return err
	}
	from := int64(0)
	if t.CurrentSnapshot != nil {
		from = *t.CurrentSnapshot
	}
	if err := s.audit(c, "table.rollback", "table:"+ref.String(), "ok", map[string]any{"from_snapshot": from, "to_snapshot": id}); err != nil {
		return err
	}
	return s.getTable(c)
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

// getTable describes a table, as of ?snapshot=ID or ?as_of=TIME (RFC 3339)
// when given: time travel.
func (s *Server) getTable(c *gin.Context) error {
	ref, err := tableRef(c)
	if err != nil {
		return err
	}
	at, err := snapshotSelector(c)
	if err != nil {
		return err
	}
	t, err := s.Catalog.TableAt(c.Request.Context(), identity(c).Tenant, ref, at)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

// snapshotSelector reads ?snapshot=ID or ?as_of=TIME.
func snapshotSelector(c *gin.Context) (inlet.SnapshotSelector, error) {
	var at inlet.SnapshotSelector
	if v := c.Query("snapshot"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return at, &inlet.Error{Code: inlet.EINVALID, Message: "snapshot must be a snapshot id from the table's history", Fields: map[string]string{"snapshot": "not a snapshot id"}}
		}
		at.ID = id
	}
	if v := c.Query("as_of"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return at, &inlet.Error{Code: inlet.EINVALID, Message: "as_of must be a time in RFC 3339, e.g. 2026-11-01T09:00:00Z", Fields: map[string]string{"as_of": "not an RFC 3339 time"}}
		}
		if at.ID != 0 {
			return at, inlet.Errorf(inlet.EINVALID, "give snapshot or as_of, not both")
		}
		at.AsOf = t
	}
	return at, nil
}

// getDiff compares two snapshots: ?from=ID&to=ID (to defaults to the
// current snapshot).
func (s *Server) getDiff(c *gin.Context) error {
	ref, err := tableRef(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	tenant := identity(c).Tenant
	parse := func(name string) (int64, error) {
		id, err := strconv.ParseInt(c.Query(name), 10, 64)
		if err != nil {
			msg := name + " must be a snapshot id from the table's history"
			return 0, &inlet.Error{Code: inlet.EINVALID, Message: msg, Fields: map[string]string{name: msg}}
		}
		return id, nil
	}
	from, err := parse("from")
	if err != nil {
		return err
	}
	var to int64
	if c.Query("to") == "" {
		t, err := s.Catalog.Table(ctx, tenant, ref)
		if err != nil {
			return err
		}
		if t.CurrentSnapshot == nil {
			return inlet.Errorf(inlet.EINVALID, "table %s has no snapshot yet", ref)
		}
		to = *t.CurrentSnapshot
	} else if to, err = parse("to"); err != nil {
		return err
	}
	d, err := s.Catalog.Diff(ctx, tenant, ref, from, to)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, d)
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
	at, err := snapshotSelector(c)
	if err != nil {
		return err
	}
	rows, err := s.Catalog.Sample(c.Request.Context(), identity(c).Tenant, ref, at, min(limitParam(c, 20), 200))
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
	// The owner decides who may drop or roll back the table and what its
	// writes must meet: only an admin or the owner hands it on or sets
	// expectations.
	if info.Owner != nil || info.Expectations != nil {
		if _, err := s.mayManage(c, ref); err != nil {
			return err
		}
	}
	if err := s.Catalog.SetTableInfo(c.Request.Context(), identity(c).Tenant, ref, info); err != nil {
		return err
	}
	if info.Expectations != nil {
		if err := s.audit(c, "table.expectations", "table:"+ref.String(), "ok", map[string]any{"expectations": len(*info.Expectations)}); err != nil {
			return err
		}
	}
	return s.getTable(c)
}
