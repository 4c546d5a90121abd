package inlet

import "context"

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
)

// Entities lists every entity Inlet detects, in a stable order.
var Entities = []Entity{EntityEmail, EntityPhone, EntityPersonName, EntityStreetAddress,
	EntityIPAddress, EntityCreditCard, EntityNationalID, EntityIBAN, EntityDateOfBirth}

// Action is what ingest does to a column's values.
type Action string

const (
	ActionHash Action = "hash" // keyed HMAC-SHA256 of the normalised value, lowercase hex
	ActionMask Action = "mask" // a safe shape, e.g. j***@e***.com
	ActionDrop Action = "drop" // the column is not written at all
	ActionKeep Action = "keep" // written as is; needs a recorded reason when PII was detected
)

// ParseAction parses hash, mask, drop or keep.
func ParseAction(s string) (Action, error) {
	switch a := Action(s); a {
	case ActionHash, ActionMask, ActionDrop, ActionKeep:
		return a, nil
	}
	return "", Errorf(EINVALID, "unknown PII action %q: use hash, mask, drop or keep", s)
}

// Finding is the PII detector's verdict on one column.
type Finding struct {
	Entity     Entity  `json:"entity"`
	Confidence float64 `json:"confidence"`
	// Reason explains the verdict in words; it never quotes a value.
	Reason string `json:"reason"`
}

// Key is a tenant's secret hashing key.
type Key struct {
	ID     string // safe to record next to hashed data
	Secret []byte // 32 bytes; never logged, never written to the lake
}

// Keyring hands out the hashing key of a tenant, creating it on first use.
// The local implementation keeps keys in the data directory; production
// wraps them with KMS.
type Keyring interface {
	TenantKey(ctx context.Context, tenant string) (Key, error)
}
