package server

import (
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query"
)

// Templates shared with customers: staff share a template with one
// customer, pinning the values of some parameters (the customer's own id,
// say) and allowing some formats; the customer runs it with values for the
// other parameters only, and the export is theirs. A customer never sees a
// template's SQL, and anything not shared with that very customer is not
// found.
func (s *Server) registerTemplateShareRoutes(r *gin.RouterGroup) {
	r.GET("/templates/:id/shares", s.need(inlet.RoleAnalyst, s.listTemplateShares))
	r.POST("/templates/:id/shares", s.need(inlet.RoleAnalyst, s.createTemplateShare))
	r.DELETE("/templates/:id/shares/:share", s.need(inlet.RoleAnalyst, s.deleteTemplateShare))
	r.GET("/my/templates", s.need(inlet.RoleCustomer, s.myTemplates))
	r.POST("/my/templates/:id/exports", s.need(inlet.RoleCustomer, s.runMyTemplate))
}

func (s *Server) listTemplateShares(c *gin.Context) error {
	id := identity(c)
	t, err := s.Templates.Template(c.Request.Context(), id.Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	list, err := s.TemplateShares.TemplateShares(c.Request.Context(), id.Tenant, t.ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []inlet.TemplateShare{}
	}
	c.JSON(http.StatusOK, gin.H{"shares": list})
	return nil
}

// templateShareRequest shares a template with one customer.
type templateShareRequest struct {
	Customer string              `json:"customer"`
	Pinned   map[string][]string `json:"pinned"`
	Formats  []string            `json:"formats"`
}

func (s *Server) createTemplateShare(c *gin.Context) error {
	id := identity(c)
	var req templateShareRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request.Context()
	t, err := s.Templates.Template(ctx, id.Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	if req.Customer == "" {
		return withField(inlet.Errorf(inlet.EINVALID, "choose the customer to share the template with"), "customer")
	}
	if _, err := s.exportQueue().Customers(ctx, id.Tenant, []string{req.Customer}); err != nil {
		if inlet.ErrorCode(err) != inlet.EINVALID {
			return err
		}
		return &inlet.Error{Code: inlet.EINVALID, Message: inlet.ErrorMessage(err), Fields: map[string]string{"customer": inlet.ErrorMessage(err)}}
	}
	// Formats: at least one, each known, none twice.
	formats := []string{}
	for _, f := range req.Formats {
		f, err := inlet.ParseExportFormat(f)
		if err != nil {
			return withField(err, "formats")
		}
		if !slices.Contains(formats, f) {
			formats = append(formats, f)
		}
	}
	if len(formats) == 0 {
		return withField(inlet.Errorf(inlet.EINVALID, "allow at least one format"), "formats")
	}
	// Pinned values: of the template's parameters, each a valid value of
	// its type (bound here as a run will bind it).
	pinned := map[string][]string{}
	var params []inlet.TemplateParam
	for name, vals := range req.Pinned {
		i := slices.IndexFunc(t.Params, func(p inlet.TemplateParam) bool { return p.Name == name })
		if i < 0 {
			return withField(inlet.Errorf(inlet.EINVALID, "template %q has no parameter %q", t.Name, name), "pinned."+name)
		}
		vals = slices.DeleteFunc(slices.Clone(vals), func(v string) bool { return strings.TrimSpace(v) == "" })
		if len(vals) == 0 {
			return withField(inlet.Errorf(inlet.EINVALID, "give %s a value to pin, or leave it to the customer", name), "pinned."+name)
		}
		p := t.Params[i]
		p.Required, p.Default = true, nil
		params = append(params, p)
		pinned[name] = vals
	}
	if _, err := query.Render("SELECT 1", params, pinned, s.now()); err != nil {
		var e *inlet.Error
		if errors.As(err, &e) && len(e.Fields) > 0 {
			fields := map[string]string{}
			for k, v := range e.Fields {
				fields["pinned."+k] = v
			}
			return &inlet.Error{Code: e.Code, Message: e.Message, Fields: fields}
		}
		return withField(err, "pinned")
	}
	sh := &inlet.TemplateShare{ID: "tsh-" + uuid.Must(uuid.NewV7()).String(), Tenant: id.Tenant, TemplateID: t.ID, Customer: req.Customer,
		Pinned: pinned, Formats: formats, CreatedBy: id.User}
	if err := s.TemplateShares.CreateTemplateShare(ctx, sh); err != nil {
		return err
	}
	if err := s.audit(c, "template.share", "template:"+t.ID, "ok", map[string]any{"share": sh.ID, "customer": sh.Customer, "pinned": sortedKeys(pinned), "formats": formats}); err != nil {
		return err
	}
	// Read back for the customer's e-mail.
	if got, err := s.TemplateShares.CustomerTemplateShare(ctx, id.Tenant, sh.Customer, t.ID); err == nil {
		sh = got
	}
	c.JSON(http.StatusCreated, sh)
	return nil
}

func (s *Server) deleteTemplateShare(c *gin.Context) error {
	id := identity(c)
	if err := s.TemplateShares.DeleteTemplateShare(c.Request.Context(), id.Tenant, c.Param("id"), c.Param("share")); err != nil {
		return err
	}
	if err := s.audit(c, "template.unshare", "template:"+c.Param("id"), "ok", map[string]any{"share": c.Param("share")}); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// customerTemplate is what a customer sees of a template shared with them:
// its name, description, the parameters they may set (not the pinned ones,
// and no choices query: SQL is the tenant's business) and the formats
// allowed.
type customerTemplate struct {
	ID          string                `json:"id"`
	Name        string                `json:"name"`
	Description string                `json:"description"`
	Params      []inlet.TemplateParam `json:"params"`
	Formats     []string              `json:"formats"`
}

func customerTemplateView(t *inlet.Template, sh *inlet.TemplateShare) customerTemplate {
	out := customerTemplate{ID: t.ID, Name: t.Name, Description: t.Description, Params: []inlet.TemplateParam{}, Formats: sh.Formats}
	for _, p := range t.Params {
		if _, pinned := sh.Pinned[p.Name]; pinned {
			continue
		}
		p.ChoicesSQL = ""
		p.Choices = slices.Clone(p.Choices)
		out.Params = append(out.Params, p)
	}
	return out
}

func (s *Server) myTemplates(c *gin.Context) error {
	id := identity(c)
	ctx := c.Request.Context()
	out := []customerTemplate{}
	if id.Role != inlet.RoleCustomer {
		// Staff run templates on the templates page; nothing is shared with them.
		c.JSON(http.StatusOK, gin.H{"templates": out})
		return nil
	}
	shares, err := s.TemplateShares.CustomerTemplateShares(ctx, id.Tenant, id.User)
	if err != nil {
		return err
	}
	for i := range shares {
		t, err := s.Templates.Template(ctx, id.Tenant, shares[i].TemplateID)
		if inlet.ErrorCode(err) == inlet.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		out = append(out, customerTemplateView(t, &shares[i]))
	}
	c.JSON(http.StatusOK, gin.H{"templates": out})
	return nil
}

// myTemplateRun is a customer's run of a template shared with them.
type myTemplateRun struct {
	Values  map[string][]string `json:"values"`
	Format  string              `json:"format"`
	Options inlet.ExportOptions `json:"options"`
}

// runMyTemplate makes an export of a template shared with the caller, with
// their values for the parameters left to them and the pinned values for
// the rest (whatever they sent for those), through the same queue as every
// export, shared with them alone.
func (s *Server) runMyTemplate(c *gin.Context) error {
	id := identity(c)
	ctx := c.Request.Context()
	notFound := inlet.Errorf(inlet.ENOTFOUND, "template %s not found", c.Param("id"))
	if id.Role != inlet.RoleCustomer {
		return notFound
	}
	sh, err := s.TemplateShares.CustomerTemplateShare(ctx, id.Tenant, id.User, c.Param("id"))
	if inlet.ErrorCode(err) == inlet.ENOTFOUND {
		return notFound
	} else if err != nil {
		return err
	}
	t, err := s.Templates.Template(ctx, id.Tenant, sh.TemplateID)
	if inlet.ErrorCode(err) == inlet.ENOTFOUND {
		return notFound
	} else if err != nil {
		return err
	}
	// A pin the template no longer has (renamed or removed since the
	// share) cannot hold the customer to their rows: nothing runs until
	// the share is made again.
	for name := range sh.Pinned {
		if !slices.ContainsFunc(t.Params, func(p inlet.TemplateParam) bool { return p.Name == name }) {
			s.Logger.Warn("template share pins a parameter the template no longer has", "template", t.ID, "share", sh.ID, "param", name)
			return inlet.Errorf(inlet.ECONFLICT, "this template changed since it was shared with you: ask the person who shared it to share it again")
		}
	}
	var req myTemplateRun
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	// A customer shapes the file (delimiter, BOM) but not how many there
	// are: parts and zips are the staff's to choose.
	req.Options = inlet.ExportOptions{Delimiter: req.Options.Delimiter, BOM: req.Options.BOM}
	// The least-trusted users share the job queue with every tenant: a
	// customer has a few runs under way at most.
	mine, err := s.Exports.Exports(ctx, id.Tenant, inlet.ExportFilter{SharedWith: id.User, Limit: 200})
	if err != nil {
		return err
	}
	running := 0
	for _, e := range mine {
		if e.CreatedBy == id.User && (e.State == inlet.ExportQueued || e.State == inlet.ExportRunning) {
			running++
		}
	}
	if running >= customerRunsAtOnce {
		return inlet.Errorf(inlet.ETOOMANY, "%d of your exports are still being made: wait until one is ready, then run again", running)
	}
	format, err := inlet.ParseExportFormat(req.Format)
	if err != nil {
		return withField(err, "format")
	}
	if !slices.Contains(sh.Formats, format) {
		return withField(inlet.Errorf(inlet.EINVALID, "format %s is not allowed for this template: use %s", format, strings.Join(sh.Formats, ", ")), "format")
	}
	values := map[string][]string{}
	for name, vals := range req.Values {
		if !slices.ContainsFunc(t.Params, func(p inlet.TemplateParam) bool { return p.Name == name }) {
			return withField(inlet.Errorf(inlet.EINVALID, "template %q has no parameter %q", t.Name, name), name)
		}
		values[name] = vals
	}
	for name, vals := range sh.Pinned {
		values[name] = slices.Clone(vals) // the share's, never the customer's
	}
	names := []string{}
	for name := range req.Values {
		if _, pinned := sh.Pinned[name]; !pinned {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	detail := map[string]any{"version": t.Version, "params": names, "pinned": sortedKeys(sh.Pinned), "format": format, "share": sh.ID}
	e, err := s.exportQueue().Create(ctx, id.Tenant, id.User, inlet.ExportRequest{
		Source: inlet.ExportSource{TemplateID: t.ID, Values: values}, Format: format, Options: req.Options, ShareWith: []string{id.User}}, s.now())
	if err != nil {
		detail["error"] = inlet.ErrorCode(err)
		_ = s.audit(c, "template.run", "template:"+t.ID, "failed", detail)
		return customerError(err, sh.Pinned)
	}
	detail["export"] = e.ID
	if err := s.audit(c, "template.run", "template:"+t.ID, "ok", detail); err != nil {
		return err
	}
	if err := s.audit(c, "export.create", "export:"+e.ID, "ok", exportDetail(e)); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, customerView(e))
	return nil
}

// customerRunsAtOnce is how many exports a customer may have queued or
// running at once.
const customerRunsAtOnce = 3

// customerError keeps a failed run's message about the customer's own
// values; anything else (the engine's words about the template's SQL) is
// not theirs to read.
func customerError(err error, pinned map[string][]string) error {
	var e *inlet.Error
	if !errors.As(err, &e) {
		return err
	}
	ownFields := len(e.Fields) > 0 && !hasField(e.Fields, "source")
	for k := range e.Fields {
		if _, ok := pinned[k]; ok {
			ownFields = false // about a pinned value: not the customer's to read
		}
	}
	if e.Code == inlet.EINVALID && ownFields {
		return e
	}
	if e.Code == inlet.EINTERNAL {
		return err
	}
	return &inlet.Error{Code: e.Code, Message: "this template cannot run with these values: ask the person who shared it"}
}

func hasField(fields map[string]string, name string) bool {
	_, ok := fields[name]
	return ok
}

func sortedKeys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
