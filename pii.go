package inlet

import (
	"context"
	"strings"
	"time"
)

// Entity is a kind of personal data a column can hold.
type Entity string

const (
	EntityEmail         Entity = "email"
	EntityPhone         Entity = "phone"
	EntityPersonName    Entity = "person_name"
	EntityStreetAddress Entity = "street_address"
	EntityIPAddress     Entity = "ip_address"
	EntityCreditCard    Entity = "credit_card"
	EntityNationalID    Entity = "national_id"
	EntityIBAN          Entity = "iban"
	EntityDateOfBirth   Entity = "date_of_birth"
	EntityPostcode      Entity = "postcode"
	// EntityFreeText is prose that carries other entities inside some of its
	// values (Finding.Contains says which); redact hashes each of them.
	EntityFreeText Entity = "free_text"
	// EntityOther is personal data of no known kind: a column the uploader
	// or a tenant rule marked, hashed as written.
	EntityOther Entity = "personal_data"
)

// Entities lists every entity Inlet detects, in a stable order.
var Entities = []Entity{EntityEmail, EntityPhone, EntityPersonName, EntityStreetAddress,
	EntityIPAddress, EntityCreditCard, EntityNationalID, EntityIBAN, EntityDateOfBirth, EntityPostcode}

// ParseEntity parses an entity name, a built-in one or a tenant's custom
// entity (custom:NAME).
func ParseEntity(s string) (Entity, error) {
	e := Entity(s)
	switch {
	case e == EntityFreeText || e == EntityOther:
		return e, nil
	case strings.HasPrefix(s, "custom:") && len(s) > len("custom:"):
		return e, nil
	}
	for _, known := range Entities {
		if e == known {
			return e, nil
		}
	}
	return "", Errorf(EINVALID, "unknown entity %q: use %s, free_text, personal_data or custom:NAME", s, entityNames())
}

func entityNames() string {
	names := make([]string, len(Entities))
	for i, e := range Entities {
		names[i] = string(e)
	}
	return strings.Join(names, ", ")
}

// Action is what ingest does to a column's values.
type Action string

const (
	ActionHash Action = "hash" // keyed HMAC-SHA256 of the normalised value, lowercase hex
	ActionMask Action = "mask" // a safe shape, e.g. j***@e***.com
	ActionDrop Action = "drop" // the column is not written at all
	ActionKeep Action = "keep" // written as is; needs a recorded reason when PII was detected
	// ActionRedact keeps free text but hashes each piece of personal data
	// found inside it.
	ActionRedact Action = "redact"
	// ActionGeneralise keeps a coarser value: a birth date's year or age
	// band, a postcode's outward part, an IP address's network.
	ActionGeneralise Action = "generalise"
)

// ParseAction parses hash, mask, drop, keep, redact or generalise.
func ParseAction(s string) (Action, error) {
	switch a := Action(s); a {
	case ActionHash, ActionMask, ActionDrop, ActionKeep, ActionRedact, ActionGeneralise:
		return a, nil
	case "generalize":
		return ActionGeneralise, nil
	}
	return "", Errorf(EINVALID, "unknown PII action %q: use hash, mask, drop, keep, redact or generalise", s)
}

// Finding is the PII detector's verdict on one column.
type Finding struct {
	Entity     Entity  `json:"entity"`
	Confidence float64 `json:"confidence"`
	// Reason explains the verdict in words; it never quotes a value.
	Reason string `json:"reason"`
	// Possible marks a column with some evidence of personal data but not
	// enough to act on it unasked: the uploader decides.
	Possible bool `json:"possible,omitempty"`
	// Kind narrows the entity: the id ("BR CPF", "DE Steuer-ID"), or the
	// tenant rule that matched.
	Kind string `json:"kind,omitempty"`
	// Regions are the phone regions that explain a phone column's numbers
	// ("+" for numbers written with a country code).
	Regions []string `json:"regions,omitempty"`
	// Contains lists what free text carries inside its values.
	Contains []Entity `json:"contains,omitempty"`
	// CountryColumn names the column whose country parses each row's phone
	// number, when one does.
	CountryColumn string `json:"country_column,omitempty"`
}

// PIIRules are a tenant's own detection rules, applied to every upload
// (as AWS Glue's custom entities and Macie's allow lists are). Every save is
// a new version.
type PIIRules struct {
	Version int `json:"version"`
	// Region is the tenant's default phone region.
	Region string `json:"region,omitempty"`
	// Countries whose phone numbers and national ids to expect.
	Countries []string       `json:"countries,omitempty"`
	Custom    []CustomEntity `json:"custom,omitempty"`
	// AllowValues are never personal data (the company's support address).
	AllowValues []string `json:"allow_values,omitempty"`
	// AllowColumns are never flagged; DenyColumns always are.
	AllowColumns []string  `json:"allow_columns,omitempty"`
	DenyColumns  []string  `json:"deny_columns,omitempty"`
	UpdatedBy    string    `json:"updated_by,omitempty"`
	UpdatedAt    time.Time `json:"updated_at,omitempty"`
}

// PIIRulesStore keeps each tenant's rules with their history.
type PIIRulesStore interface {
	PIIRules(ctx context.Context, tenant string) (*PIIRules, error)
	// SavePIIRules saves the next version; r.Version is the version the edit
	// started from (ECONFLICT if another was saved since).
	SavePIIRules(ctx context.Context, tenant string, r *PIIRules, by string) error
	PIIRulesVersions(ctx context.Context, tenant string) ([]PIIRules, error)
}

// CustomEntity is a tenant's kind of personal data: a pattern the whole
// value matches, words its header may contain, and an optional check.
type CustomEntity struct {
	Name      string   `json:"name"`
	Pattern   string   `json:"pattern"`
	Context   []string `json:"context,omitempty"`
	Validator string   `json:"validator,omitempty"` // luhn, mod97 or ""
}

// Key is one version of a tenant's secret hashing key.
type Key struct {
	ID      string // safe to record next to hashed data; names this version
	Version int    // 1 for the first key of a tenant, one more per rotation
	Secret  []byte // 32 bytes; never logged, never written to the lake
}

// Keyring hands out the hashing keys of tenants. Every version a tenant
// ever had stays resolvable by its ID, so data hashed before a rotation
// keeps its meaning: a table names the key ID its columns were hashed
// with. The local implementation keeps keys in the data directory;
// production keeps data keys wrapped by KMS in the metadata database.
type Keyring interface {
	// TenantKey returns the tenant's current key, creating version 1 on
	// first use. Concurrent first uses, in one process or several sharing
	// the keyring's storage, agree on one key.
	TenantKey(ctx context.Context, tenant string) (Key, error)
	// KeyByID returns the tenant's key version named id (ENOTFOUND if the
	// tenant has none by that ID).
	KeyByID(ctx context.Context, tenant, id string) (Key, error)
	// RotateKey makes a new key version the tenant's current one and
	// returns it; older versions stay resolvable by ID.
	RotateKey(ctx context.Context, tenant string) (Key, error)
}

// WrappedKey is one version of a tenant's hashing key as stored: its
// secret encrypted under a key-encryption key (a KMS key) that never
// leaves the key service. Nothing in it recovers the secret without that
// key service.
type WrappedKey struct {
	Tenant     string
	Version    int
	ID         string // the Key.ID of the secret
	KEK        string // the key-encryption key it is wrapped under (a KMS key ARN or alias)
	Ciphertext []byte // the wrapped secret
	CreatedAt  time.Time
}

// WrappedKeyStore keeps wrapped tenant keys durably, shared by every
// replica (the metadata database).
type WrappedKeyStore interface {
	// WrappedKeys returns the tenant's key versions, oldest first.
	WrappedKeys(ctx context.Context, tenant string) ([]WrappedKey, error)
	// CreateWrappedKey stores a new version; ECONFLICT if the tenant has
	// that version already (another replica created it first).
	CreateWrappedKey(ctx context.Context, k *WrappedKey) error
}
