package inlet

import (
	"context"
	"time"
)

// ParamType is the kind of value a template parameter takes.
type ParamType string

const (
	ParamText      ParamType = "text"
	ParamNumber    ParamType = "number"
	ParamDate      ParamType = "date"
	ParamDateRange ParamType = "date_range" // {{p.start}} and {{p.end}}; presets like last_7_days
	ParamBoolean   ParamType = "boolean"
	ParamChoice    ParamType = "choice" // one of Choices
	ParamMulti     ParamType = "multi"  // a list for IN (...): {{p}} expands to ?, ?, ...
)

// TemplateParam declares one parameter of a template.
type TemplateParam struct {
	Name     string    `json:"name"`
	Type     ParamType `json:"type"`
	Label    string    `json:"label,omitempty"`
	Required bool      `json:"required,omitempty"`
	Default  any       `json:"default,omitempty"`
	Choices  []string  `json:"choices,omitempty"`
	// ChoicesSQL fills Choices from the first column of a query over the
	// tenant's tables, run through the same engine and guard as any query.
	ChoicesSQL string `json:"choices_sql,omitempty"`
}

// Template is a saved, parameterised query of a tenant. Every save is a new
// version; the template shows the latest.
type Template struct {
	ID          string          `json:"id"`
	Tenant      string          `json:"tenant"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Owner       string          `json:"owner"`       // user id
	OwnerEmail  string          `json:"owner_email"` // for display
	Version     int             `json:"version"`
	SQL         string          `json:"sql"`
	Params      []TemplateParam `json:"params"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// TemplateVersion is one saved state of a template.
type TemplateVersion struct {
	Version     int             `json:"version"`
	SQL         string          `json:"sql"`
	Params      []TemplateParam `json:"params"`
	Author      string          `json:"author"`
	AuthorEmail string          `json:"author_email"`
	Note        string          `json:"note,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
}

// TemplateStore keeps templates per tenant with their history.
type TemplateStore interface {
	CreateTemplate(ctx context.Context, t *Template) error
	// UpdateTemplate saves a new version of t. t.Version is the version the
	// edit started from: if someone saved meanwhile, it fails with ECONFLICT.
	UpdateTemplate(ctx context.Context, t *Template, author, note string) error
	Template(ctx context.Context, tenant, id string) (*Template, error)
	Templates(ctx context.Context, tenant string) ([]Template, error)
	TemplateVersions(ctx context.Context, tenant, id string) ([]TemplateVersion, error)
	DeleteTemplate(ctx context.Context, tenant, id string) error
}

// TemplateShare lets one customer of a tenant run one template: with the
// pinned values fixed (a customer id, say, so they can never ask for
// another customer's rows) and only in the formats allowed. The customer
// sees the template's other parameters, never its SQL.
type TemplateShare struct {
	ID            string              `json:"id"`
	Tenant        string              `json:"tenant"`
	TemplateID    string              `json:"template_id"`
	Customer      string              `json:"customer"`       // user id
	CustomerEmail string              `json:"customer_email"` // for display
	Pinned        map[string][]string `json:"pinned"`         // parameter values the customer cannot change
	Formats       []string            `json:"formats"`        // the export formats allowed
	CreatedBy     string              `json:"created_by"`
	CreatedAt     time.Time           `json:"created_at"`
}

// TemplateShareStore keeps template shares. Every read is of one tenant;
// a share of a deleted template, or of a user who is no longer a customer
// of the tenant, is not found.
type TemplateShareStore interface {
	// CreateTemplateShare fails with ECONFLICT if the template is shared
	// with that customer already.
	CreateTemplateShare(ctx context.Context, s *TemplateShare) error
	// TemplateShares lists a template's shares.
	TemplateShares(ctx context.Context, tenant, templateID string) ([]TemplateShare, error)
	// CustomerTemplateShares lists the shares of one customer.
	CustomerTemplateShares(ctx context.Context, tenant, customer string) ([]TemplateShare, error)
	// CustomerTemplateShare is a customer's share of one template.
	CustomerTemplateShare(ctx context.Context, tenant, customer, templateID string) (*TemplateShare, error)
	DeleteTemplateShare(ctx context.Context, tenant, templateID, id string) error
}
