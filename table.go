package inlet

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// WriteMode says how an ingest lands in its table.
type WriteMode string

const (
	ModeCreate    WriteMode = "create"    // a new table; fails if it exists
	ModeAppend    WriteMode = "append"    // add rows; new columns are added to the schema
	ModeOverwrite WriteMode = "overwrite" // replace all rows in one snapshot
	// ModeUpsert merges on key columns: rows whose key is in the table
	// replace the rows there, the others are added, in one snapshot.
	ModeUpsert WriteMode = "upsert"
)

// ParseWriteMode parses create, append, overwrite or upsert.
func ParseWriteMode(s string) (WriteMode, error) {
	switch m := WriteMode(s); m {
	case ModeCreate, ModeAppend, ModeOverwrite, ModeUpsert:
		return m, nil
	}
	return "", Errorf(EINVALID, "unknown write mode %q: use create, append, overwrite or upsert", s)
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
	// Profile describes the column's values at the snapshot read (nil for
	// tables written before profiles, or a profile file gone missing).
	Profile *ColumnProfile `json:"profile,omitempty"`
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
	Expectations     []Expectation     `json:"expectations"`
	// AsOf is the snapshot the columns, rows and profiles describe when it
	// is not the current one (time travel); nil for the current one.
	AsOf *int64 `json:"as_of_snapshot_id,string,omitempty"`
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
	// Expectations replace the table's expectations when set.
	Expectations *[]Expectation `json:"expectations,omitempty"`
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
	// Keys are the merge keys of an upsert.
	Keys []string `json:"keys,omitempty"`
	// Updated and Inserted count an upsert's rows (Rows = Updated + Inserted).
	Updated  int64 `json:"updated,omitempty"`
	Inserted int64 `json:"inserted,omitempty"`
	// Profile is the location of the table's column profiles as of this
	// snapshot ("" for snapshots written before profiles).
	Profile string `json:"profile,omitempty"`
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

// ColumnProfile summarises a column's values at one snapshot. It is
// computed while the file is written (no extra pass) and merged on append.
// Values that could be personal data (min, max, top values, histogram) are
// never kept for a column with a PII decision.
type ColumnProfile struct {
	Nulls int64 `json:"nulls"`
	// Distinct is estimated (HyperLogLog, about 1 % error).
	Distinct  int64        `json:"distinct"`
	Min       *string      `json:"min,omitempty"`
	Max       *string      `json:"max,omitempty"`
	Top       []ValueCount `json:"top,omitempty"`       // columns of at most 64 distinct values
	Histogram []Bin        `json:"histogram,omitempty"` // numbers and dates, from a sample
	// Approximate says counts may include values an upsert replaced.
	Approximate bool `json:"approximate,omitempty"`
}

// ValueCount is one of a column's most frequent values.
type ValueCount struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// Bin is one equal-width bucket of a histogram: values from Low up to High
// (High included in the last bin, and in every bin of whole numbers and
// dates, whose bins do not overlap).
type Bin struct {
	Low   string `json:"low"`
	High  string `json:"high"`
	Count int64  `json:"count"` // estimated from a sample of the values
}

// Expectation is a rule an owner sets on a table; a write that breaks it is
// refused with the failing rows' lines.
type Expectation struct {
	Kind   ExpectationKind `json:"kind"`
	Column string          `json:"column,omitempty"`
	Min    *float64        `json:"min,omitempty"`    // range
	Max    *float64        `json:"max,omitempty"`    // range
	Values []string        `json:"values,omitempty"` // allowed
	// Percent bounds the change of an upload's row count against the last
	// upload's (row_count).
	Percent float64 `json:"percent,omitempty"`
}

// ExpectationKind names what an expectation checks.
type ExpectationKind string

const (
	ExpectNotNull  ExpectationKind = "not_null"
	ExpectUnique   ExpectationKind = "unique"
	ExpectRange    ExpectationKind = "range"
	ExpectAllowed  ExpectationKind = "allowed"
	ExpectRowCount ExpectationKind = "row_count"
)

// ValidateExpectations checks a table's expectations against its columns.
func ValidateExpectations(ex []Expectation, cols []Column) error {
	types := map[string]Column{}
	for _, c := range cols {
		types[c.Name] = c
	}
	for i, e := range ex {
		field := "expectations." + strconv.Itoa(i)
		fail := func(format string, args ...any) error {
			msg := fmt.Sprintf(format, args...)
			return &Error{Code: EINVALID, Message: msg, Fields: map[string]string{field: msg}}
		}
		if e.Kind == ExpectRowCount {
			if e.Percent <= 0 || e.Percent > 1000 {
				return fail("a row count expectation needs a percent between 0 and 1000, not %v", e.Percent)
			}
			continue
		}
		col, ok := types[e.Column]
		if !ok {
			return fail("expectation %s names column %q, which the table does not have", e.Kind, e.Column)
		}
		switch e.Kind {
		case ExpectNotNull, ExpectUnique:
		case ExpectRange:
			if !col.Type.Numeric() {
				return fail("a range needs a number column; %s is %s", e.Column, col.Type)
			}
			if e.Min == nil && e.Max == nil || e.Min != nil && e.Max != nil && *e.Min > *e.Max {
				return fail("a range on %s needs a minimum, a maximum, or both, the minimum not above the maximum", e.Column)
			}
		case ExpectAllowed:
			if col.PII != nil {
				return fail("allowed values cannot be set on %s: it holds personal data", e.Column)
			}
			if col.Type != TypeString && col.Type != TypeBigint && col.Type != TypeBoolean {
				return fail("allowed values need a string, bigint or boolean column; %s is %s", e.Column, col.Type)
			}
			if len(e.Values) == 0 || len(e.Values) > 1000 {
				return fail("allowed values on %s: give between 1 and 1000 values", e.Column)
			}
		default:
			return fail("unknown expectation %q: use not_null, unique, range, allowed or row_count", e.Kind)
		}
	}
	return nil
}

// SnapshotDiff compares two snapshots of a table. Rows are counted by data
// file: a file an overwrite, an upsert or a rewrite replaced counts all its
// rows as removed, and its replacement's as added; RowsAfter - RowsBefore
// is the exact net change.
type SnapshotDiff struct {
	From               int64          `json:"from_snapshot_id,string"`
	To                 int64          `json:"to_snapshot_id,string"`
	RowsBefore         int64          `json:"rows_before"`
	RowsAfter          int64          `json:"rows_after"`
	RowsInAddedFiles   int64          `json:"rows_in_added_files"`
	RowsInRemovedFiles int64          `json:"rows_in_removed_files"`
	FilesAdded         int            `json:"files_added"`
	FilesRemoved       int            `json:"files_removed"`
	ColumnsAdded       []Column       `json:"columns_added"`
	ColumnsRemoved     []Column       `json:"columns_removed"`
	ColumnsChanged     []ColumnChange `json:"columns_changed"`
	// Between are the snapshots after From up to To, with their lineage,
	// when To descends from From.
	Between []Snapshot `json:"between"`
}

// ColumnChange is a column whose type differs between two snapshots.
type ColumnChange struct {
	Name string `json:"name"`
	From Type   `json:"from"`
	To   Type   `json:"to"`
}
