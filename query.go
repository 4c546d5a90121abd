package inlet

import (
	"context"
	"time"
)

// Engine runs read-only SQL over a tenant's tables: DuckDB in process in
// the embedded default, Athena in production. Both obey the same contract
// (query/querytest): tables are addressed as database.table, only the
// caller's tenant is visible, and anything but a single SELECT is refused
// with an EFORBIDDEN error that says why.
type Engine interface {
	// Query starts a statement. Rows stream; the caller must Close them,
	// which also cancels the statement if it is still running.
	Query(ctx context.Context, q Query) (ResultRows, error)
	// Check refuses what Query would refuse, without running anything:
	// the statement, its tables and, when Args is set, its parameters.
	Check(ctx context.Context, q Query) error
}

// Query is one statement to run for a tenant.
type Query struct {
	Tenant string
	// User is who runs it: engines bound how many statements one user
	// runs at once.
	User string
	SQL  string
	Args []any // bound to ? placeholders, never spliced into SQL
	// AsOf reads every table as it was at this time (time travel).
	AsOf time.Time
	// Snapshots pins tables ("database.table") to a snapshot id; it wins
	// over AsOf for the tables it names.
	Snapshots map[string]int64
	// OnQueued, if set, hears that the statement waits for its turn, with
	// how many statements are ahead of it.
	OnQueued func(ahead int)
}

// UnloadOptions says how an engine that writes a result to a file itself
// (DuckDB's COPY, Athena's UNLOAD) writes it.
type UnloadOptions struct {
	// Format is "parquet" or "csv".
	Format string
	// Compress writes Parquet with zstd; a scratch file read back at once
	// is better left uncompressed (decoding would cost more than bytes).
	Compress bool
	// Delimiter separates CSV fields (',' when 0); rows end in CRLF.
	Delimiter byte
	// Header writes the column names as the CSV's first row.
	Header bool
	// Text, when set, is an SQL expression over "{}" that every text value
	// and CSV header name is passed through: the export's formula
	// neutralisation, whose rule is the export's, not the engine's. In a
	// CSV, every value of a type that can carry text is text: blobs, lists,
	// unions, JSON and intervals too; numbers, dates, booleans and UUIDs
	// are not.
	Text string
	// Plain writes a Parquet file's columns of types a reader of plain
	// values would not know (blobs, lists, structs, unions, JSON, UUIDs,
	// intervals...) as their text, for an export's writers to take as text.
	Plain bool
}

// Statement is a statement an engine runs or holds in its queue.
type Statement struct {
	ID    uint64    `json:"id"`
	User  string    `json:"user"`
	State string    `json:"state"` // queued or running
	Since time.Time `json:"since"`
	Ahead int       `json:"ahead,omitempty"` // statements before it in the queue
}

// ResultColumn is one column of a result, typed with the Glue/Hive names
// tables use; types outside them (lists, structs, intervals) read as string.
type ResultColumn struct {
	Name string `json:"name"`
	Type Type   `json:"type"`
}

// ResultRows streams a result. Values are int64 (bigint), float64 (double),
// string (decimal, exact; string), bool, time.Time (date: midnight UTC;
// timestamp) or nil.
type ResultRows interface {
	Columns() []ResultColumn
	Next() bool
	// Values is the current row; it is reused by the next call to Next.
	Values() []any
	Err() error
	Close() error
}

// SnapshotSelector picks the snapshot of a table to read: an id, else the
// one current at AsOf, else the current one.
type SnapshotSelector struct {
	ID   int64
	AsOf time.Time
}

// TableSnapshot is what an engine needs to read a table at one snapshot.
type TableSnapshot struct {
	Ref        TableRef
	SnapshotID int64
	Columns    []Column // the schema as of the snapshot
	Files      []string // data file locations (file:// or s3://)
	// SchemaEvolved says that data files may differ in columns (an append
	// added some): readers must match columns by name and fill NULLs.
	SchemaEvolved bool
}

// SnapshotReader resolves tables for engines; the catalog implements it.
type SnapshotReader interface {
	Tables(ctx context.Context, tenant string) ([]TableSummary, error)
	ReadSnapshot(ctx context.Context, tenant string, ref TableRef, at SnapshotSelector) (*TableSnapshot, error)
}
