package server

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/query"
)

func (s *Server) registerTemplateRoutes(r *gin.RouterGroup) {
	r.GET("/templates", s.need(inlet.RoleViewer, s.listTemplates))
	r.POST("/templates", s.need(inlet.RoleAnalyst, s.createTemplate))
	r.GET("/templates/:id", s.need(inlet.RoleViewer, s.getTemplate))
	r.PUT("/templates/:id", s.need(inlet.RoleAnalyst, s.updateTemplate))
	r.DELETE("/templates/:id", s.need(inlet.RoleAnalyst, s.deleteTemplate))
	r.GET("/templates/:id/versions", s.need(inlet.RoleViewer, s.templateVersions))
	r.GET("/templates/:id/choices/:param", s.need(inlet.RoleViewer, s.templateChoices))
	r.POST("/templates/:id/run", s.need(inlet.RoleViewer, s.runTemplate))
}

// templateRequest creates or edits a template.
type templateRequest struct {
	Name        string                `json:"name"`
	Description string                `json:"description"`
	SQL         string                `json:"sql"`
	Params      []inlet.TemplateParam `json:"params"`
	Version     int                   `json:"version"` // on edit: the version the edit started from
	Note        string                `json:"note"`    // on edit: what changed
}

// validate checks what can be checked without running: names, types, and
// that the SQL renders with the defaults. It does not run the query.
func (req *templateRequest) validate() error {
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" || len(req.Name) > 200 {
		return &inlet.Error{Code: inlet.EINVALID, Message: "name the template (1-200 characters)", Fields: map[string]string{"name": "required"}}
	}
	if strings.TrimSpace(req.SQL) == "" {
		return &inlet.Error{Code: inlet.EINVALID, Message: "the template has no SQL", Fields: map[string]string{"sql": "required"}}
	}
	if req.Params == nil {
		req.Params = []inlet.TemplateParam{}
	}
	seen := map[string]bool{}
	for _, p := range req.Params {
		if seen[p.Name] {
			return inlet.Errorf(inlet.EINVALID, "two parameters are named %q", p.Name)
		}
		seen[p.Name] = true
		if (p.Type == inlet.ParamChoice || p.Type == inlet.ParamMulti) && len(p.Choices) == 0 && p.ChoicesSQL == "" {
			// Free lists are allowed for multi (typed by the user), not for choice.
			if p.Type == inlet.ParamChoice {
				return inlet.Errorf(inlet.EINVALID, "parameter %s is a single choice: give it choices or a query that lists them", p.Name)
			}
		}
	}
	if err := query.Check(req.SQL, req.Params); err != nil {
		return err
	}
	return nil
}

func (s *Server) listTemplates(c *gin.Context) error {
	list, err := s.Templates.Templates(c.Request.Context(), identity(c).Tenant)
	if err != nil {
		return err
	}
	if list == nil {
		list = []inlet.Template{}
	}
	c.JSON(http.StatusOK, gin.H{"templates": list})
	return nil
}

// checkTemplate runs the template's SQL, with every optional clause, and
// each choices query past the engine's guard, so a template is refused
// when it is saved, on the field at fault, not when someone runs it.
func (s *Server) checkTemplate(c *gin.Context, req *templateRequest) error {
	id := identity(c)
	skeleton, err := query.Skeleton(req.SQL)
	if err != nil {
		return err
	}
	onField := func(field string, err error) error {
		if inlet.ErrorCode(err) == inlet.EINTERNAL {
			return err
		}
		return &inlet.Error{Code: inlet.ErrorCode(err), Message: inlet.ErrorMessage(err), Fields: map[string]string{field: inlet.ErrorMessage(err)}}
	}
	if err := s.Engine.Check(c.Request.Context(), inlet.Query{Tenant: id.Tenant, User: id.User, SQL: skeleton.SQL}); err != nil {
		return onField("sql", skeleton.Locate(err))
	}
	for _, p := range req.Params {
		if p.ChoicesSQL == "" {
			continue
		}
		if err := s.Engine.Check(c.Request.Context(), inlet.Query{Tenant: id.Tenant, User: id.User, SQL: p.ChoicesSQL}); err != nil {
			return onField("params."+p.Name+".choices_sql", err)
		}
	}
	return nil
}

func (s *Server) createTemplate(c *gin.Context) error {
	var req templateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.validate(); err != nil {
		return err
	}
	if err := s.checkTemplate(c, &req); err != nil {
		return err
	}
	id := identity(c)
	t := &inlet.Template{ID: uuid.NewString(), Tenant: id.Tenant, Name: req.Name, Description: req.Description,
		Owner: id.User, OwnerEmail: id.Email, SQL: req.SQL, Params: req.Params}
	if err := s.Templates.CreateTemplate(c.Request.Context(), t); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, t)
	return nil
}

func (s *Server) getTemplate(c *gin.Context) error {
	t, err := s.Templates.Template(c.Request.Context(), identity(c).Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

func (s *Server) updateTemplate(c *gin.Context) error {
	var req templateRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.validate(); err != nil {
		return err
	}
	if err := s.checkTemplate(c, &req); err != nil {
		return err
	}
	if req.Version < 1 {
		return inlet.Errorf(inlet.EINVALID, "version: send the version your edit started from")
	}
	id := identity(c)
	t, err := s.Templates.Template(c.Request.Context(), id.Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	t.Name, t.Description, t.SQL, t.Params, t.Version = req.Name, req.Description, req.SQL, req.Params, req.Version
	if err := s.Templates.UpdateTemplate(c.Request.Context(), t, id.User, strings.TrimSpace(req.Note)); err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

func (s *Server) deleteTemplate(c *gin.Context) error {
	if err := s.Templates.DeleteTemplate(c.Request.Context(), identity(c).Tenant, c.Param("id")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) templateVersions(c *gin.Context) error {
	vs, err := s.Templates.TemplateVersions(c.Request.Context(), identity(c).Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"versions": vs})
	return nil
}

// templateChoices runs a parameter's choices query (through the engine and
// its guard, like any query) and returns the first column's values.
func (s *Server) templateChoices(c *gin.Context) error {
	id := identity(c)
	t, err := s.Templates.Template(c.Request.Context(), id.Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	var p *inlet.TemplateParam
	for i := range t.Params {
		if t.Params[i].Name == c.Param("param") {
			p = &t.Params[i]
		}
	}
	if p == nil {
		return inlet.Errorf(inlet.ENOTFOUND, "template %q has no parameter %q", t.Name, c.Param("param"))
	}
	choices, err := query.Choices(c.Request.Context(), s.Engine, id.Tenant, id.User, *p)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"choices": choices})
	return nil
}

// runRequest runs a template with values for its parameters.
type runRequest struct {
	Values map[string][]string `json:"values"`
	Format string              `json:"format"`
	Limit  int64               `json:"limit"`
}

func (s *Server) runTemplate(c *gin.Context) error {
	var req runRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	id := identity(c)
	t, err := s.Templates.Template(c.Request.Context(), id.Tenant, c.Param("id"))
	if err != nil {
		return err
	}
	// The template's parameters given values: names, never the values,
	// which may be a customer's name.
	names := []string{}
	for _, p := range t.Params {
		if _, ok := req.Values[p.Name]; ok {
			names = append(names, p.Name)
		}
	}
	ev := runAudit{action: "template.run", object: "template:" + t.ID, detail: map[string]any{"version": t.Version, "params": names}}
	params, err := query.ResolveChoices(c.Request.Context(), s.Engine, id.Tenant, id.User, t.Params, req.Values)
	if err != nil {
		return err
	}
	r, err := query.Render(t.SQL, params, req.Values, s.now())
	if err != nil {
		ev.detail["error"] = inlet.ErrorCode(err)
		s.logAudit(c, ev.action, ev.object, "failed", ev.detail)
		return err
	}
	return r.Locate(s.runQuery(c, inlet.Query{Tenant: id.Tenant, User: id.User, SQL: r.SQL, Args: r.Args}, req.Format, req.Limit, ev))
}
