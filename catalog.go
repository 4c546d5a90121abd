package inlet

import "context"

// Catalog keeps the tables of every tenant: their schemas, snapshots and
// lineage. Writes happen in two steps so that nothing partial is ever
// visible: PlanWrite says where data files go, Commit publishes them in one
// atomic snapshot.
type Catalog interface {
	Tables(ctx context.Context, tenant string) ([]TableSummary, error)
	Table(ctx context.Context, tenant string, ref TableRef) (*Table, error)
	// TableAt is Table as of a snapshot (time travel): that snapshot's
	// schema, rows and profiles, with the whole history.
	TableAt(ctx context.Context, tenant string, ref TableRef, at SnapshotSelector) (*Table, error)
	// Diff compares two snapshots of a table.
	Diff(ctx context.Context, tenant string, ref TableRef, from, to int64) (*SnapshotDiff, error)
	PlanWrite(ctx context.Context, req WriteRequest) (*WritePlan, error)
	Commit(ctx context.Context, plan *WritePlan, files []DataFile, lineage Lineage) (*Snapshot, error)
	// Abort removes what a plan may have left behind after a failed write;
	// it never removes files a committed snapshot uses.
	Abort(ctx context.Context, plan *WritePlan) error
	// SetTableInfo changes a table's description or owner (a metadata
	// commit: no new snapshot).
	SetTableInfo(ctx context.Context, tenant string, ref TableRef, info TableInfo) error
	// Sample returns the first rows of a table as stored (hashed where
	// hashed), at a snapshot (the zero selector: the current one).
	Sample(ctx context.Context, tenant string, ref TableRef, at SnapshotSelector, limit int) (*Rows, error)
	// JobSnapshot finds the snapshot a job committed, or returns nil: a job
	// retried after a crash must not write twice.
	JobSnapshot(ctx context.Context, tenant string, ref TableRef, jobID string) (*Snapshot, error)
	// DropTable removes a table and its files, returning it as it was.
	DropTable(ctx context.Context, tenant string, ref TableRef) (*Table, error)
	// Rollback makes an earlier snapshot the table's current one again.
	Rollback(ctx context.Context, tenant string, ref TableRef, snapshotID int64) error
	// ScanKeys calls fn with the key of each row of the table's current
	// snapshot: the columns' values in the key encoding below. Rows with a
	// NULL in one of the columns are left out.
	//
	// The key encoding is each value as stored, back to back: 8 bytes
	// little-endian for a bigint, a timestamp (microseconds) or a double
	// (its IEEE 754 bits); 4 for a date (days); 1 for a boolean; 16
	// big-endian for a decimal (two's complement, unscaled); a string's
	// length as 4 bytes little-endian, then its bytes. Values that were
	// hashed are compared as their hashes.
	ScanKeys(ctx context.Context, tenant string, ref TableRef, columns []string, fn func(key []byte)) error
}

// WriteRequest asks to write columns into a table.
type WriteRequest struct {
	Tenant  string
	Ref     TableRef
	Mode    WriteMode
	JobID   string
	Columns []Column // what the file will write, PII decisions included
	// Keys are the merge key columns of an upsert.
	Keys []string
}

// WritePlan is the catalog's answer to a WriteRequest: where to write, and
// the columns as the data files must type them (on append, the table's
// existing types win where the file's fit into them).
type WritePlan struct {
	Tenant   string    `json:"tenant"`
	Ref      TableRef  `json:"ref"`
	Mode     WriteMode `json:"mode"`
	JobID    string    `json:"job_id"`
	Location string    `json:"location"` // the table's root location
	DataDir  string    `json:"data_dir"` // where this write's data files go
	Columns  []Column  `json:"columns"`
	FieldIDs []int     `json:"field_ids"` // per column, the Iceberg field id
	// AddedColumns are new to an existing table (append adds them).
	AddedColumns []string `json:"added_columns,omitempty"`
	// MissingColumns are in the table but not in the file; they read as NULL.
	MissingColumns []string `json:"missing_columns,omitempty"`
	Exists         bool     `json:"exists"`
	// Keys are the merge key columns of an upsert.
	Keys []string `json:"keys,omitempty"`
	// Profile is where this write stores the table's column profiles.
	Profile string `json:"profile"`
}
