package inlet

import (
	"regexp"
	"strings"
	"time"
)

// WriteMode says how an ingest lands in its table.
type WriteMode string

const (
	ModeCreate    WriteMode = "create"    // a new table; fails if it exists
	ModeAppend    WriteMode = "append"    // add rows; new columns are added to the schema
	ModeOverwrite WriteMode = "overwrite" // replace all rows in one snapshot
)

// ParseWriteMode parses create, append or overwrite.
func ParseWriteMode(s string) (WriteMode, error) {
	switch m := WriteMode(s); m {
	case ModeCreate, ModeAppend, ModeOverwrite:
		return m, nil
	}
	return "", Errorf(EINVALID, "unknown write mode %q: use create, append or overwrite", s)
}

// TableRef names a table within a tenant: database.table.
type TableRef struct {
	Database string `json:"database"`
	Name     string `json:"name"`
}

func (r TableRef) String() string { return r.Database + "." + r.Name }

// Glue names: lowercase letters, digits and underscores, at most 255 characters.
var glueNameRE = regexp.MustCompile(`^[a-z0-9_]{1,255}$`)

// ValidateName checks a database, table or column name against Glue's rules.
func ValidateName(kind, name string) error {
	if !glueNameRE.MatchString(name) {
		return Errorf(EINVALID, "invalid %s name %q: use 1-255 characters of a-z, 0-9 and _", kind, name)
	}
	return nil
}

// ParseTableRef parses "database.table", both parts Glue-valid names.
func ParseTableRef(s string) (TableRef, error) {
	db, name, ok := strings.Cut(s, ".")
	if !ok {
		return TableRef{}, Errorf(EINVALID, "invalid table %q: write it as database.table", s)
	}
	ref := TableRef{Database: db, Name: name}
	if err := ValidateName("database", db); err != nil {
		return ref, err
	}
	if err := ValidateName("table", name); err != nil {
		return ref, err
	}
	return ref, nil
}

// Column is one column of a table as the catalog holds it.
type Column struct {
	FieldID    int        `json:"field_id,omitempty"` // the Iceberg field id, once in a table
	Name       string     `json:"name"`
	SourceName string     `json:"source_name,omitempty"`
	Type       Type       `json:"type"`
	Comment    string     `json:"comment,omitempty"`
	PII        *ColumnPII `json:"pii"`
}

// ColumnPII records what was decided about a column that holds personal data.
type ColumnPII struct {
	Entity Entity `json:"entity"`
	Action Action `json:"action"`
	KeyID  string `json:"key_id,omitempty"` // set when Action is hash or redact
	Reason string `json:"reason,omitempty"` // why a detected column was kept raw
	Level  string `json:"level,omitempty"`  // how a generalised column was generalised
}

// Table is a catalogued lake table with its history.
type Table struct {
	Tenant           string            `json:"tenant"`
	Ref              TableRef          `json:"ref"`
	Description      string            `json:"description"`
	Owner            string            `json:"owner"`
	Location         string            `json:"location"`
	MetadataLocation string            `json:"metadata_location"`
	Columns          []Column          `json:"columns"`
	Properties       map[string]string `json:"properties"`
	Snapshots        []Snapshot        `json:"snapshots"`
	CurrentSnapshot  *int64            `json:"current_snapshot_id,string"`
	Rows             int64             `json:"rows"`
	DataFiles        []string          `json:"data_files,omitempty"`
	UpdatedAt        time.Time         `json:"updated_at"`
}

// TableSummary is one line of a table listing.
type TableSummary struct {
	Ref         TableRef  `json:"ref"`
	Description string    `json:"description,omitempty"`
	ColumnNames []string  `json:"column_names"` // for search
	PIIColumns  int       `json:"pii_columns"`
	Columns     int       `json:"columns"`
	Rows        int64     `json:"rows"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// TableInfo is what people say about a table; nil fields stay as they are.
type TableInfo struct {
	Description *string `json:"description,omitempty"`
	Owner       *string `json:"owner,omitempty"`
}

// Snapshot is one committed version of a table.
type Snapshot struct {
	// Snapshot ids are 64-bit: JSON carries them as strings, which
	// JavaScript reads without rounding.
	ID        int64     `json:"id,string"`
	ParentID  *int64    `json:"parent_id,string,omitempty"`
	Time      time.Time `json:"time"`
	Operation string    `json:"operation"`
	Lineage   *Lineage  `json:"lineage,omitempty"`
}

// Lineage says where a snapshot's rows came from. It is stored in the
// snapshot summary, so any Iceberg reader can see it.
type Lineage struct {
	JobID        string        `json:"job_id"`
	SourceFile   string        `json:"source_file"`
	SourceSHA256 string        `json:"source_sha256"`
	Sheet        string        `json:"sheet,omitempty"`
	Uploader     string        `json:"uploader"`
	Time         time.Time     `json:"time"`
	Rows         int64         `json:"rows"`
	Mode         WriteMode     `json:"mode"`
	PII          []PIIDecision `json:"pii"`
}

// PIIDecision is the action taken on one column at ingest.
type PIIDecision struct {
	Column     string  `json:"column"`
	Entity     Entity  `json:"entity,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	Action     Action  `json:"action"`
	KeyID      string  `json:"key_id,omitempty"`
	Reason     string  `json:"reason,omitempty"`
	Level      string  `json:"level,omitempty"` // how far a generalised column was generalised
}

// Rows is a small result set for people to look at: column names and
// values as text (nil for NULL).
type Rows struct {
	Columns []string    `json:"columns"`
	Rows    [][]*string `json:"rows"`
}
