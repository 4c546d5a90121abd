// Package corpus runs Inlet on public test files that nobody on the team
// wrote, to see what it makes of them: the CI test checks a committed
// sample against hand-checked expectations, and corpus/compare puts the
// whole corpus (corpus/fetch) side by side with DuckDB and openpyxl.
package corpus

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	sqlcat "github.com/apache/iceberg-go/catalog/sql"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/catalog"
	"github.com/inlet-data/inlet/ingest"
	"github.com/inlet-data/inlet/lake/local"
	"github.com/inlet-data/inlet/pii"
	"github.com/inlet-data/inlet/store"
)

// Result is what Inlet made of one file: its inspection, and the rows an
// ingest with the defaults wrote (or why it refused).
type Result struct {
	Format    inlet.Format `json:"format,omitempty"`
	Sheet     string       `json:"sheet,omitempty"`
	Sheets    []string     `json:"sheets,omitempty"`
	Delimiter string       `json:"delimiter,omitempty"`
	Quote     string       `json:"quote,omitempty"`
	Encoding  string       `json:"encoding,omitempty"`
	Header    bool         `json:"header"`
	SkipRows  int          `json:"skip_rows,omitempty"`
	Columns   []Column     `json:"columns,omitempty"`
	Rows      int64        `json:"rows"`
	Warnings  []string     `json:"warnings,omitempty"`
	// Error is the refusal, as the uploader would read it.
	Error string `json:"error,omitempty"`
}

// Column is one column as Inlet named and typed it.
type Column struct {
	Name string     `json:"name"`
	Type inlet.Type `json:"type"`
}

// Runner ingests files into a scratch lake of its own.
type Runner struct {
	dir      string
	ingester *ingest.Ingester
	db       *sql.DB
	n        int
}

// NewRunner makes a runner whose lake, catalog and keys live under dir.
func NewRunner(dir string) (*Runner, error) {
	lake, err := local.New(filepath.Join(dir, "lake"))
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", store.SQLiteDSN(filepath.Join(dir, "catalog.db")))
	if err != nil {
		return nil, err
	}
	keys, err := pii.NewLocalKeyring(filepath.Join(dir, "keys"))
	if err != nil {
		db.Close()
		return nil, err
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		db.Close()
		return nil, err
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	insp := ingest.NewInspector(ingest.Config{TmpDir: tmp, Workers: 1})
	return &Runner{dir: dir, db: db, ingester: &ingest.Ingester{Inspector: insp, Keyring: keys, Lake: lake,
		Catalog: catalog.New(catalog.SQLCatalogs(db, sqlcat.SQLite, lake.URL(), nil), lake.URL(), lake, logger), Logger: logger}}, nil
}

// Close releases the runner's catalog.
func (r *Runner) Close() error { return r.db.Close() }

// Run inspects the file and ingests it with the defaults, as an uploader
// who accepts every suggestion would.
func (r *Runner) Run(ctx context.Context, path string) Result {
	name := filepath.Base(path)
	ins, err := r.ingester.Inspector.InspectFile(ctx, path, name, inlet.InspectOptions{})
	if err != nil {
		return Result{Error: message(err)}
	}
	res := Result{Format: ins.Format, Sheet: ins.Sheet, Sheets: ins.Sheets, Delimiter: ins.Dialect.Delimiter, Quote: ins.Dialect.Quote,
		Encoding: ins.Dialect.Encoding, Header: ins.Dialect.Header, SkipRows: ins.Dialect.SkipRows, Warnings: ins.Warnings}
	for _, c := range ins.Columns {
		res.Columns = append(res.Columns, Column{Name: c.SourceName, Type: c.Type})
	}
	// Every column is kept as it is: the corpus is about reading files, and
	// hashing would hide the types.
	spec := inlet.IngestSpec{Table: inlet.TableRef{Database: "corpus", Name: fmt.Sprintf("t%d", r.n)}, Mode: inlet.ModeCreate}
	for _, c := range ins.Columns {
		spec.Columns = append(spec.Columns, inlet.ColumnSpec{Source: c.SourceName, Action: inlet.ActionKeep, Reason: "corpus"})
	}
	r.n++
	out, err := r.ingester.Ingest(ctx, ingest.Request{Tenant: inlet.DefaultTenant, JobID: fmt.Sprintf("corpus-%d", r.n), Path: path, FileName: name, Uploader: "corpus", Spec: spec})
	if err != nil {
		res.Error = message(err)
		return res
	}
	res.Rows = out.Rows
	return res
}

// message is the line an uploader sees, with the runner's paths left out.
func message(err error) string {
	return strings.SplitN(inlet.ErrorMessage(err), "\n", 2)[0]
}
