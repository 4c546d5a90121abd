package server

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/pii"
)

// The tenant's PII rules: everyone may read them (they explain why a column
// was flagged), only an admin may change them.
func (s *Server) registerSettingsRoutes(r *gin.RouterGroup) {
	r.GET("/settings/pii", s.need(inlet.RoleViewer, s.getPIIRules))
	r.PUT("/settings/pii", s.need(inlet.RoleAdmin, s.putPIIRules))
	r.GET("/settings/pii/versions", s.need(inlet.RoleViewer, s.piiRulesVersions))
}

func (s *Server) getPIIRules(c *gin.Context) error {
	r, err := s.Rules.PIIRules(c.Request.Context(), identity(c).Tenant)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}

// putPIIRules saves the next version of the rules; "version" is the one the
// edit started from, so two admins editing at once do not overwrite each
// other.
func (s *Server) putPIIRules(c *gin.Context) error {
	var r inlet.PIIRules
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	if err := pii.ValidateRules(&r); err != nil {
		return err
	}
	id := identity(c)
	if err := s.Rules.SavePIIRules(c.Request.Context(), id.Tenant, &r, id.uploader()); err != nil {
		return err
	}
	// The values themselves (an allow list may hold an address) stay out of
	// the audit log: the version says where to find them.
	if err := s.audit(c, "pii_rules.save", "pii_rules", "ok", map[string]any{"version": r.Version}); err != nil {
		return err
	}
	c.JSON(http.StatusOK, r)
	return nil
}

func (s *Server) piiRulesVersions(c *gin.Context) error {
	vs, err := s.Rules.PIIRulesVersions(c.Request.Context(), identity(c).Tenant)
	if err != nil {
		return err
	}
	if vs == nil {
		vs = []inlet.PIIRules{}
	}
	c.JSON(http.StatusOK, gin.H{"versions": vs})
	return nil
}

// phoneRegions lists the regions an upload's phone numbers can be read in.
func phoneRegions() []string {
	var out []string
	for r := range pii.SupportedRegions() {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}
