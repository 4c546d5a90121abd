package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	inlet "github.com/inlet-data/inlet"
)

var _ inlet.ExportScheduleStore = (*DB)(nil)

const scheduleColumns = `id, tenant, name, request, cadence, weekday, at, zone, keep, webhook_url, webhook_salt, created_by, created_at, next_run_at, last_run_at, last_export, paused`

// CreateSchedule stores a new schedule.
func (s *DB) CreateSchedule(ctx context.Context, sch *inlet.ExportSchedule) error {
	req, _ := json.Marshal(sch.Export)
	_, err := s.db.ExecContext(ctx, `INSERT INTO export_schedules (`+scheduleColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sch.ID, sch.Tenant, sch.Name, string(req), sch.Cadence, sch.Weekday, sch.At, sch.Zone, sch.Keep, sch.WebhookURL, sch.WebhookSalt,
		sch.CreatedBy, formatTime(sch.CreatedAt), formatTime(sch.NextRunAt), timePtr(sch.LastRunAt), sch.LastExport, boolInt(sch.Paused))
	return translate(err, "schedule "+sch.ID)
}

func scanSchedule(r scanner) (*inlet.ExportSchedule, error) {
	var sch inlet.ExportSchedule
	var req, created, next string
	var last sql.NullString
	if err := r.Scan(&sch.ID, &sch.Tenant, &sch.Name, &req, &sch.Cadence, &sch.Weekday, &sch.At, &sch.Zone, &sch.Keep, &sch.WebhookURL, &sch.WebhookSalt,
		&sch.CreatedBy, &created, &next, &last, &sch.LastExport, &sch.Paused); err != nil {
		return nil, err
	}
	_ = json.Unmarshal([]byte(req), &sch.Export)
	sch.CreatedAt, sch.NextRunAt, sch.LastRunAt = parseTime(created), parseTime(next), parseTimePtr(last)
	return &sch, nil
}

// Schedule returns one schedule of a tenant.
func (s *DB) Schedule(ctx context.Context, tenant, id string) (*inlet.ExportSchedule, error) {
	sch, err := scanSchedule(s.db.QueryRowContext(ctx, `SELECT `+scheduleColumns+` FROM export_schedules WHERE tenant = ? AND id = ?`, tenant, id))
	return sch, translate(err, "schedule "+id)
}

// Schedules lists a tenant's schedules, oldest first.
func (s *DB) Schedules(ctx context.Context, tenant string) ([]*inlet.ExportSchedule, error) {
	return queryAll(ctx, s, scanSchedule, `SELECT `+scheduleColumns+` FROM export_schedules WHERE tenant = ? ORDER BY created_at, id`, tenant)
}

// UpdateSchedule saves a schedule's timing, keep, pause and last run.
func (s *DB) UpdateSchedule(ctx context.Context, sch *inlet.ExportSchedule) error {
	res, err := s.db.ExecContext(ctx, `UPDATE export_schedules SET cadence = ?, weekday = ?, at = ?, zone = ?, keep = ?, paused = ?, next_run_at = ?, last_run_at = ?, last_export = ?
		WHERE tenant = ? AND id = ?`, sch.Cadence, sch.Weekday, sch.At, sch.Zone, sch.Keep, boolInt(sch.Paused), formatTime(sch.NextRunAt), timePtr(sch.LastRunAt), sch.LastExport,
		sch.Tenant, sch.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return inlet.Errorf(inlet.ENOTFOUND, "schedule %s not found", sch.ID)
	}
	return nil
}

// DeleteSchedule removes a schedule; the exports it made stay until they expire.
func (s *DB) DeleteSchedule(ctx context.Context, tenant, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM export_schedules WHERE tenant = ? AND id = ?`, tenant, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return inlet.Errorf(inlet.ENOTFOUND, "schedule %s not found", id)
	}
	return nil
}

// DueSchedules lists the unpaused schedules due at now, of every tenant.
func (s *DB) DueSchedules(ctx context.Context, now time.Time) ([]*inlet.ExportSchedule, error) {
	return queryAll(ctx, s, scanSchedule, `SELECT `+scheduleColumns+` FROM export_schedules WHERE paused = 0 AND next_run_at <= ? ORDER BY next_run_at LIMIT 500`, formatTime(now))
}

// ClaimSchedule is a compare-and-set on next_run_at.
func (s *DB) ClaimSchedule(ctx context.Context, tenant, id string, prev, next, ran time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE export_schedules SET next_run_at = ?, last_run_at = ? WHERE tenant = ? AND id = ? AND next_run_at = ? AND paused = 0`,
		formatTime(next), formatTime(ran), tenant, id, formatTime(prev))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
