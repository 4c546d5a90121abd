package inlet

import "fmt"

// Dialect describes how a delimited text file is written.
type Dialect struct {
	Delimiter string `json:"delimiter"`
	Quote     string `json:"quote"`
	Header    bool   `json:"header"`
	Encoding  string `json:"encoding"`
	SkipRows  int    `json:"skip_rows"`
}

// Inspection is what Inlet learned about a file without changing anything:
// its format and dialect, the sheets of a workbook, and per column the
// inferred type and PII finding. Samples are only ever shown to the uploader.
type Inspection struct {
	FileName string            `json:"file_name"`
	Format   Format            `json:"format"`
	Dialect  Dialect           `json:"dialect"`
	Sheets   []string          `json:"sheets"`
	Sheet    string            `json:"sheet,omitempty"`
	Columns  []InspectedColumn `json:"columns"`
	Sample   [][]string        `json:"sample,omitempty"`
	Rows     int               `json:"sampled_rows"`
	Warnings []string          `json:"warnings,omitempty"`
	// Suggestions are the other readings Inlet weighed where it was not
	// sure (header or not, title rows, encoding) and the fixes for problems
	// it found; each re-inspects in one click.
	Suggestions []Suggestion        `json:"suggestions,omitempty"`
	Options     InspectOptions      `json:"options"`
	Extra       map[string][]string `json:"-"`
}

// Suggestion is one alternative reading of a file: its options, merged over
// the current ones, re-inspect the upload.
type Suggestion struct {
	Label   string         `json:"label"`  // what a button says: "First row is data"
	Reason  string         `json:"reason"` // why it is offered
	Options InspectOptions `json:"options"`
	// OnError, when set, is the ingest's on_error choice the suggestion
	// makes ("skip": skip malformed rows and list them).
	OnError string `json:"on_error,omitempty"`
}

// InspectedColumn is one column as inferred from a sample.
type InspectedColumn struct {
	Name       string   `json:"name"`
	SourceName string   `json:"source_name"`
	Type       Type     `json:"type"`
	PII        *Finding `json:"pii"`
	// DateFormat is the layout chosen for date and timestamp columns, e.g.
	// "DD/MM/YYYY": day-first versus month-first is decided from the data.
	DateFormat string `json:"date_format,omitempty"`
	Nulls      int    `json:"nulls"`
}

// InspectOptions steer inspection; zero values mean "detect".
type InspectOptions struct {
	Sheet     string `json:"sheet,omitempty"`
	Delimiter string `json:"delimiter,omitempty"`
	// Quote is the quote character: ", ' or none (quotes are ordinary
	// characters, as in many TSV exports).
	Quote    string   `json:"quote,omitempty"`
	Encoding string   `json:"encoding,omitempty"`
	Header   *bool    `json:"header,omitempty"`
	SkipRows *int     `json:"skip_rows,omitempty"`
	Nulls    []string `json:"nulls,omitempty"`
	// IgnoreExtraCells drops the cells of a sheet that lie right of its
	// header (a stray note beside the table), as spreadsheet users expect,
	// instead of refusing the sheet.
	IgnoreExtraCells bool `json:"ignore_extra_cells,omitempty"`
	// PreviewRows asks for this many sample rows (default 100, at most the
	// 10 000 rows inference reads).
	PreviewRows int `json:"preview_rows,omitempty"`
	// PhoneRegion is the region of phone numbers written without a country
	// code: the uploader's choice over the tenant's default.
	PhoneRegion string `json:"phone_region,omitempty"`
	// Rules are the tenant's detection rules (the server sets them; they
	// are not the uploader's to send).
	Rules *PIIRules `json:"-"`
	// Progress, if set, hears how far inspection has got.
	Progress func(InspectProgress) `json:"-"`
}

// InspectProgress is how far an inspection has got: its phase, and rows
// sampled of the most it samples.
type InspectProgress struct {
	Phase     string `json:"phase"` // opening, sampling, detecting
	RowsDone  int    `json:"rows_done"`
	RowsTotal int    `json:"rows_total"`
}

// IngestSpec is everything the uploader decided at review: where the rows go
// and what happens to each column. Columns not mentioned keep what inspection
// inferred, and detected PII is hashed.
type IngestSpec struct {
	UploadID string    `json:"upload_id"`
	Table    TableRef  `json:"table"`
	Mode     WriteMode `json:"mode"`
	// Keys are the merge key columns (table names) of an upsert.
	Keys    []string       `json:"keys,omitempty"`
	Options InspectOptions `json:"options"`
	Columns []ColumnSpec   `json:"columns,omitempty"`
	// OnError decides what a value that does not fit its column does:
	// "widen" (default) widens an inferred type where that is safe and
	// otherwise fails; "skip" drops the row and reports it; "fail" stops.
	OnError string `json:"on_error,omitempty"`
}

// ColumnSpec overrides inspection for one column, found by its source name
// or its sanitised name.
type ColumnSpec struct {
	Source string `json:"source"`
	Name   string `json:"name,omitempty"`
	Type   Type   `json:"type,omitempty"`
	Action Action `json:"action,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Entity says what personal data the column holds, when the uploader
	// marks one detection missed or corrects it: the right normaliser runs
	// and the table records the entity.
	Entity Entity `json:"entity,omitempty"`
	// Level is how far generalise goes: year or age_band for birth dates,
	// prefix for postcodes, network for IP addresses.
	Level string `json:"level,omitempty"`
}

// IngestResult is what a successful ingest reports.
type IngestResult struct {
	Table      TableRef `json:"table"`
	SnapshotID int64    `json:"snapshot_id,string"`
	Rows       int64    `json:"rows"`
	// Updated and Inserted split an upsert's rows.
	Updated     int64      `json:"updated,omitempty"`
	Inserted    int64      `json:"inserted,omitempty"`
	SkippedRows int64      `json:"skipped_rows"`
	RowErrors   []RowError `json:"row_errors,omitempty"`
	// RejectsFile says the skipped rows can be downloaded (GET
	// /jobs/{id}/rejects) until the upload expires.
	RejectsFile bool     `json:"rejects_file,omitempty"`
	Files       []string `json:"files"`
	Widened     []string `json:"widened,omitempty"`
	// Uncertain lists columns that may hold personal data and were kept as
	// they are, because nobody decided otherwise: column: why.
	Uncertain []string `json:"uncertain,omitempty"`
	// PII is what was done to each column that may hold personal data (as
	// the snapshot's lineage says).
	PII []PIIDecision `json:"pii,omitempty"`
}

// RowError says where a value did not fit and why. It never carries the
// value itself, which may be personal data.
type RowError struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: line %d, column %s: %s", e.File, e.Line, e.Column, e.Reason)
}
