package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	inlet "github.com/inlet-data/inlet"
)

var _ inlet.ExportStore = (*DB)(nil)

const exportColumns = `id, tenant, name, source, format, options, state, progress, files, error, job_id, created_by, created_at, expires_at, links_not_before, finished_at, schedule`

// CreateExport stores a new export and its shares in one transaction.
func (s *DB) CreateExport(ctx context.Context, e *inlet.Export) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	source, _ := json.Marshal(e.Source)
	options, _ := json.Marshal(e.Options)
	progress, _ := json.Marshal(e.Progress)
	files, _ := json.Marshal(nonNil(e.Files))
	if _, err := tx.ExecContext(ctx, `INSERT INTO exports (`+exportColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.Tenant, e.Name, string(source), e.Format, string(options), e.State, string(progress), string(files), errorJSON(e.Error),
		e.JobID, e.CreatedBy, formatTime(e.CreatedAt), formatTime(e.ExpiresAt), timePtr(e.LinksNotBefore), timePtr(e.FinishedAt), e.Schedule); err != nil {
		return translate(err, "export "+e.ID)
	}
	if err := setShares(ctx, tx, e); err != nil {
		return err
	}
	return tx.Commit()
}

func setShares(ctx context.Context, tx *tx, e *inlet.Export) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM export_shares WHERE export_id = ?`, e.ID); err != nil {
		return err
	}
	for _, u := range e.SharedWith {
		if _, err := tx.ExecContext(ctx, `INSERT INTO export_shares (tenant, export_id, user_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, e.Tenant, e.ID, u); err != nil {
			return err
		}
	}
	return nil
}

func scanExport(r scanner) (*inlet.Export, error) {
	var e inlet.Export
	var source, options, progress, files, created, expires string
	var errJSON, notBefore, finished sql.NullString
	if err := r.Scan(&e.ID, &e.Tenant, &e.Name, &source, &e.Format, &options, &e.State, &progress, &files, &errJSON,
		&e.JobID, &e.CreatedBy, &created, &expires, &notBefore, &finished, &e.Schedule); err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(source), &e.Source)
	_ = json.Unmarshal([]byte(options), &e.Options)
	_ = json.Unmarshal([]byte(progress), &e.Progress)
	_ = json.Unmarshal([]byte(files), &e.Files)
	if errJSON.Valid && errJSON.String != "" {
		e.Error = &inlet.Error{}
		_ = json.Unmarshal([]byte(errJSON.String), e.Error)
	}
	e.CreatedAt, e.ExpiresAt = parseTime(created), parseTime(expires)
	e.LinksNotBefore, e.FinishedAt = parseTimePtr(notBefore), parseTimePtr(finished)
	e.Files = nonNil(e.Files)
	return &e, nil
}

// Export returns one export of a tenant, with who it is shared with.
func (s *DB) Export(ctx context.Context, tenant, id string) (*inlet.Export, error) {
	e, err := scanExport(s.db.QueryRowContext(ctx, `SELECT `+exportColumns+` FROM exports WHERE tenant = ? AND id = ?`, tenant, id))
	if err != nil {
		return nil, translate(err, "export "+id)
	}
	return e, s.loadShares(ctx, []*inlet.Export{e})
}

// Exports lists a tenant's exports, newest first; with SharedWith, only
// those shared with that user.
func (s *DB) Exports(ctx context.Context, tenant string, f inlet.ExportFilter) ([]*inlet.Export, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 200
	}
	var out []*inlet.Export
	var err error
	switch {
	case f.Schedule != "":
		out, err = queryAll(ctx, s, scanExport, `SELECT `+exportColumns+` FROM exports WHERE tenant = ? AND schedule = ? ORDER BY created_at DESC, id DESC LIMIT ?`, tenant, f.Schedule, limit)
	case f.SharedWith != "":
		out, err = queryAll(ctx, s, scanExport, `SELECT `+prefixed("e.", exportColumns)+` FROM exports e JOIN export_shares x ON x.export_id = e.id
			WHERE e.tenant = ? AND x.tenant = ? AND x.user_id = ? ORDER BY e.created_at DESC LIMIT ?`, tenant, tenant, f.SharedWith, limit)
	default:
		out, err = queryAll(ctx, s, scanExport, `SELECT `+exportColumns+` FROM exports WHERE tenant = ? ORDER BY created_at DESC LIMIT ?`, tenant, limit)
	}
	if err != nil {
		return nil, err
	}
	return out, s.loadShares(ctx, out)
}

func (s *DB) loadShares(ctx context.Context, es []*inlet.Export) error {
	for _, e := range es {
		rows, err := s.db.QueryContext(ctx, `SELECT user_id FROM export_shares WHERE export_id = ? AND tenant = ? ORDER BY user_id`, e.ID, e.Tenant)
		if err != nil {
			return err
		}
		e.SharedWith = []string{}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return err
			}
			e.SharedWith = append(e.SharedWith, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// TransitionExport saves a state change if the export is still in one of
// the from states.
func (s *DB) TransitionExport(ctx context.Context, e *inlet.Export, from ...string) error {
	source, _ := json.Marshal(e.Source)
	progress, _ := json.Marshal(e.Progress)
	files, _ := json.Marshal(nonNil(e.Files))
	args := []any{string(source), e.State, string(progress), string(files), errorJSON(e.Error), timePtr(e.FinishedAt), e.Tenant, e.ID}
	marks := make([]string, len(from))
	for i, f := range from {
		marks[i] = "?"
		args = append(args, f)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE exports SET source = ?, state = ?, progress = ?, files = ?, error = ?, finished_at = ?
		WHERE tenant = ? AND id = ? AND state IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		cur, err := s.Export(ctx, e.Tenant, e.ID)
		if err != nil {
			return err
		}
		return inlet.Errorf(inlet.ECONFLICT, "export %s is %s now", e.ID, cur.State)
	}
	return nil
}

// SetExportProgress records a running export's progress.
func (s *DB) SetExportProgress(ctx context.Context, tenant, id string, p inlet.ExportProgress) (string, error) {
	b, _ := json.Marshal(p)
	if _, err := s.db.ExecContext(ctx, `UPDATE exports SET progress = ? WHERE tenant = ? AND id = ? AND state = ?`, string(b), tenant, id, inlet.ExportRunning); err != nil {
		return "", err
	}
	var state string
	err := s.db.QueryRowContext(ctx, `SELECT state FROM exports WHERE tenant = ? AND id = ?`, tenant, id).Scan(&state)
	return state, translate(err, "export "+id)
}

// SetExportAccess saves an export's shares and link revocation.
func (s *DB) SetExportAccess(ctx context.Context, e *inlet.Export) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE exports SET links_not_before = ? WHERE tenant = ? AND id = ?`, timePtr(e.LinksNotBefore), e.Tenant, e.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return inlet.Errorf(inlet.ENOTFOUND, "export %s not found", e.ID)
	}
	if err := setShares(ctx, tx, e); err != nil {
		return err
	}
	return tx.Commit()
}

// ExpiredExports lists exports past their expiry, of every tenant.
func (s *DB) ExpiredExports(ctx context.Context, now time.Time) ([]*inlet.Export, error) {
	return queryAll(ctx, s, scanExport, `SELECT `+exportColumns+` FROM exports WHERE expires_at < ? ORDER BY expires_at LIMIT 500`, formatTime(now))
}

// DeleteExport removes an export's row and shares.
func (s *DB) DeleteExport(ctx context.Context, tenant, id string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM exports WHERE tenant = ? AND id = ?`, tenant, id)
	return err
}

func errorJSON(e *inlet.Error) any {
	if e == nil {
		return nil
	}
	b, _ := json.Marshal(e)
	return string(b)
}

func timePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
