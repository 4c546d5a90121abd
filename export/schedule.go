package export

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Scheduler runs due export schedules: it claims each (so of two replicas
// only one runs it), queues its export through the same Queue as POST
// /exports, as the schedule's creator and at the run's time (relative
// presets such as last_7_days resolve against it), keeps the schedule's
// last Keep exports, and tells its webhook how each run ended.
type Scheduler struct {
	Schedules inlet.ExportScheduleStore
	Exports   inlet.ExportStore
	Queue     *Queue
	// Files removes the files of exports beyond a schedule's keep (Area).
	Files interface {
		Delete(ctx context.Context, e *inlet.Export) error
	}
	Audit    inlet.AuditLog
	Webhooks *Webhooks // nil: no webhooks are called
	Logger   *slog.Logger
	Now      func() time.Time
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now().UTC()
}

// RunDue runs every schedule due now, once each.
func (s *Scheduler) RunDue(ctx context.Context) {
	now := s.now()
	due, err := s.Schedules.DueSchedules(ctx, now)
	if err != nil {
		if ctx.Err() == nil {
			s.Logger.Error("list due schedules", "err", err)
		}
		return
	}
	for _, sch := range due {
		// The next run counts from now, not from the missed one: a server
		// that was down for a week runs a daily schedule once, not seven times.
		next, err := sch.Next(now)
		if err != nil {
			s.Logger.Error("schedule's next run", "schedule", sch.ID, "err", err)
			continue
		}
		ok, err := s.Schedules.ClaimSchedule(ctx, sch.Tenant, sch.ID, sch.NextRunAt, next, now)
		if err != nil {
			s.Logger.Error("claim schedule", "schedule", sch.ID, "err", err)
			continue
		}
		if !ok {
			continue // another replica has it
		}
		sch.NextRunAt, sch.LastRunAt = next, &now
		if _, err := s.Run(ctx, sch, now, "scheduler"); err != nil {
			s.Logger.Warn("scheduled export refused", "schedule", sch.ID, "tenant", sch.Tenant, "err", err)
		}
	}
}

// Run makes one export of a schedule at a moment (a due run, or "run now"
// by actor, whom the audit log names), then deletes the schedule's exports beyond its keep. A run
// that is refused (its template gone, a customer no longer one) is
// audited and reported to the webhook as failed.
func (s *Scheduler) Run(ctx context.Context, sch *inlet.ExportSchedule, at time.Time, actor string) (*inlet.Export, error) {
	req := sch.Export
	loc, err := time.LoadLocation(sch.Zone)
	if err != nil {
		loc = time.UTC
	}
	req.Source.TimeZone = loc.String()
	// Each run's files are told apart by their local date and time.
	req.Name = fmt.Sprintf("%s_%s", cleanName(firstNonEmpty(req.Name, sch.Name)), at.In(loc).Format("2006-01-02_1504"))
	e, err := s.Queue.Build(ctx, sch.Tenant, sch.CreatedBy, req, at)
	if err == nil {
		e.Schedule = sch.ID
		err = s.Queue.Enqueue(ctx, e)
	}
	detail := map[string]any{"schedule": sch.ID}
	if err != nil {
		detail["error"] = inlet.ErrorCode(err)
		s.audit(ctx, sch, actor, "schedule.run", "schedule:"+sch.ID, "failed", detail)
		if s.Webhooks != nil && sch.WebhookURL != "" {
			s.Webhooks.Send(ctx, sch, &inlet.Export{Name: req.Name, Schedule: sch.ID, Files: []inlet.ExportFile{}})
		}
		return nil, err
	}
	detail["export"] = e.ID
	s.audit(ctx, sch, actor, "schedule.run", "schedule:"+sch.ID, "ok", detail)
	s.audit(ctx, sch, actor, "export.create", "export:"+e.ID, "ok", map[string]any{"format": e.Format, "expires_at": e.ExpiresAt, "customers": len(e.SharedWith), "schedule": sch.ID})
	sch.LastExport, sch.LastRunAt = e.ID, &at
	if err := s.Schedules.UpdateSchedule(ctx, sch); err != nil {
		s.Logger.Error("record schedule's run", "schedule", sch.ID, "err", err)
	}
	s.Prune(ctx, sch)
	return e, nil
}

// Prune deletes a schedule's exports beyond the newest Keep: files first,
// then the row, so a failure leaves the row to try again. An export still
// queued or running is left to finish and goes at a later run.
func (s *Scheduler) Prune(ctx context.Context, sch *inlet.ExportSchedule) {
	es, err := s.Exports.Exports(ctx, sch.Tenant, inlet.ExportFilter{Schedule: sch.ID, Limit: 10000})
	if err != nil {
		s.Logger.Error("list a schedule's exports", "schedule", sch.ID, "err", err)
		return
	}
	if len(es) <= sch.Keep {
		return
	}
	for _, e := range es[sch.Keep:] {
		if e.State == inlet.ExportQueued || e.State == inlet.ExportRunning {
			continue
		}
		if err := s.Files.Delete(ctx, e); err != nil {
			s.Logger.Error("delete files of a pruned export", "export", e.ID, "err", err)
			continue
		}
		if err := s.Exports.DeleteExport(ctx, e.Tenant, e.ID); err != nil {
			s.Logger.Error("delete a pruned export", "export", e.ID, "err", err)
			continue
		}
		s.audit(ctx, sch, "scheduler", "export.prune", "export:"+e.ID, "ok", map[string]any{"schedule": sch.ID, "keep": sch.Keep, "files": len(e.Files)})
	}
}

// Finished is the export Runner's Observe hook: a scheduled export's end
// goes to its schedule's webhook.
func (s *Scheduler) Finished(e *inlet.Export, _ error, _ time.Duration) {
	if e.Schedule == "" || s.Webhooks == nil {
		return
	}
	ctx := context.Background()
	sch, err := s.Schedules.Schedule(ctx, e.Tenant, e.Schedule)
	if err != nil {
		return // deleted meanwhile: nobody to tell
	}
	if sch.WebhookURL != "" && (e.State == inlet.ExportSucceeded || e.State == inlet.ExportFailed) {
		s.Webhooks.Send(ctx, sch, e)
	}
}

func (s *Scheduler) audit(ctx context.Context, sch *inlet.ExportSchedule, actor, action, object, outcome string, detail map[string]any) {
	if s.Audit == nil {
		return
	}
	ev := &inlet.AuditEvent{At: s.now(), Tenant: sch.Tenant, Actor: actor, Action: action, Object: object, Outcome: outcome, Detail: detail}
	if err := s.Audit.RecordAudit(context.WithoutCancel(ctx), ev); err != nil {
		s.Logger.Error("audit", "action", action, "err", err)
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
