package ingest

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// rejects writes the rows an ingest skipped as CSV, so a person can fix
// them and append them: line, column and reason, then the row as the table
// would have it, with every PII action applied (a hashed column is hashed
// here too). A row whose fields do not match the columns keeps no cells:
// which of them is personal data cannot be told.
type rejects struct {
	mu   sync.Mutex
	w    *csv.Writer
	rows int64
	err  error
}

func newRejects(w io.Writer, targets []target) *rejects {
	r := &rejects{w: csv.NewWriter(w)}
	header := []string{"line", "column", "reason"}
	for i := range targets {
		header = append(header, targets[i].name)
	}
	r.err = r.w.Write(header)
	return r
}

// row records a skipped row; rec is nil for a row of the wrong width.
func (r *rejects) row(conv *converter, line int, column, reason string, rec [][]byte) {
	if r == nil {
		return
	}
	out := []string{strconv.Itoa(line), column, reason}
	if rec != nil {
		for i := range conv.targets {
			t := &conv.targets[i]
			v := rec[t.src]
			trimmed := bytes.TrimSpace(v)
			switch {
			case conv.nulls.has(trimmed):
				out = append(out, "")
			case t.kind.transforms():
				cell, ok := conv.transform(i, t, v, trimmed, rec)
				if !ok {
					cell = nil // a value generalising refused: not shown raw
				}
				out = append(out, string(cell))
			default:
				out = append(out, string(v))
			}
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rows++
	if r.err == nil {
		r.err = r.w.Write(out)
	}
}

// close flushes the file and reports how many rows it holds.
func (r *rejects) close() (int64, error) {
	if r == nil {
		return 0, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.w.Flush()
	if r.err == nil {
		r.err = r.w.Error()
	}
	return r.rows, r.err
}

// RejectsDir keeps the rejects files of ingest jobs, one per job, readable
// by the owner only. They live as long as uploads do (the janitor sweeps
// them after the upload TTL), so the uploader can fix and append them.
type RejectsDir struct{ Dir string }

// Path is a job's rejects file; tenant and job id are checked first.
func (d RejectsDir) Path(tenant, jobID string) (string, error) {
	if err := inlet.ValidateTenant(tenant); err != nil {
		return "", err
	}
	if !uploadID.MatchString(jobID) {
		return "", inlet.Errorf(inlet.EINVALID, "invalid job id %q", jobID)
	}
	return filepath.Join(d.Dir, tenant, jobID+".csv"), nil
}

// Create starts a job's rejects file, replacing an earlier attempt's.
func (d RejectsDir) Create(tenant, jobID string) (*os.File, error) {
	p, err := d.Path(tenant, jobID)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, err
	}
	return os.OpenFile(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
}

// Open opens a job's rejects file.
func (d RejectsDir) Open(tenant, jobID string) (*os.File, error) {
	p, err := d.Path(tenant, jobID)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if os.IsNotExist(err) {
		return nil, inlet.Errorf(inlet.ENOTFOUND, "job %s has no rejected rows (or they expired with its upload)", jobID)
	}
	return f, err
}

// Remove deletes a job's rejects file, if any.
func (d RejectsDir) Remove(tenant, jobID string) error {
	p, err := d.Path(tenant, jobID)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

// Sweep removes rejects files older than age.
func (d RejectsDir) Sweep(age time.Duration) {
	tenants, _ := os.ReadDir(d.Dir)
	for _, t := range tenants {
		dir := filepath.Join(d.Dir, t.Name())
		files, _ := os.ReadDir(dir)
		for _, f := range files {
			if fi, err := f.Info(); err == nil && time.Since(fi.ModTime()) > age {
				os.Remove(filepath.Join(dir, f.Name()))
			}
		}
	}
}
