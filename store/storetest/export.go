package storetest

import (
	"time"

	"github.com/google/go-cmp/cmp"
	inlet "github.com/inlet-data/inlet"
)

func (e *env) export(id string, at time.Time, shared ...string) *inlet.Export {
	e.t.Helper()
	x := &inlet.Export{ID: id, Tenant: "default", Name: "orders-" + id,
		Source: inlet.ExportSource{Table: &inlet.TableRef{Database: "sales", Name: "orders"}, SnapshotID: 42, Columns: []string{"id"}, Where: "id > ?"},
		Format: "csv", Options: inlet.ExportOptions{Delimiter: ";", BOM: true}, State: inlet.ExportQueued, JobID: "job-" + id,
		SharedWith: shared, CreatedBy: "u1", CreatedAt: at, ExpiresAt: at.Add(24 * time.Hour)}
	if err := e.s.CreateExport(e.ctx, x); err != nil {
		e.t.Fatal(err)
	}
	return x
}

var exportCases = []testCase{
	{"exports", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		t0 := e.now()
		x := e.export("x1", t0, "c2", "c1", "c1")
		if err := db.CreateExport(ctx, x); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("same id twice: got %v, want ECONFLICT", err)
		}
		e.export("x2", t0.Add(time.Second))
		got, err := db.Export(ctx, "default", "x1")
		if err != nil {
			t.Fatal(err)
		}
		want := *x
		want.SharedWith, want.Files = []string{"c1", "c2"}, []inlet.ExportFile{}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("export (-want +got):\n%s", diff)
		}
		if _, err := db.Export(ctx, "other", "x1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("another tenant's export: got %v, want ENOTFOUND", err)
		}
		if list, err := db.Exports(ctx, "default", inlet.ExportFilter{}); err != nil || len(list) != 2 || list[0].ID != "x2" {
			t.Errorf("exports: got %v, %v, want x2 first", list, err)
		}
		if list, _ := db.Exports(ctx, "default", inlet.ExportFilter{SharedWith: "c1"}); len(list) != 1 || list[0].ID != "x1" {
			t.Errorf("shared with c1: got %v, want x1", list)
		}
		if list, _ := db.Exports(ctx, "other", inlet.ExportFilter{SharedWith: "c1"}); len(list) != 0 {
			t.Errorf("another tenant lists %d exports", len(list))
		}

		// The job runs it; a cancel and the job's end never overwrite each other.
		x.State = inlet.ExportRunning
		if err := db.TransitionExport(ctx, x, inlet.ExportQueued); err != nil {
			t.Fatal(err)
		}
		if st, err := db.SetExportProgress(ctx, "default", "x1", inlet.ExportProgress{Rows: 5, Bytes: 50, Parts: 1}); err != nil || st != inlet.ExportRunning {
			t.Errorf("progress: got %q, %v, want running", st, err)
		}
		cancel := *x
		cancel.State = inlet.ExportCancelled
		if err := db.TransitionExport(ctx, &cancel, inlet.ExportQueued, inlet.ExportRunning); err != nil {
			t.Fatal(err)
		}
		if st, _ := db.SetExportProgress(ctx, "default", "x1", inlet.ExportProgress{Rows: 6}); st != inlet.ExportCancelled {
			t.Errorf("progress of a cancelled export: got %q, want cancelled", st)
		}
		done := *x
		done.State, done.Files = inlet.ExportSucceeded, []inlet.ExportFile{{Name: "a.csv", Rows: 5, Bytes: 50}}
		if err := db.TransitionExport(ctx, &done, inlet.ExportRunning); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("finish a cancelled export: got %v, want ECONFLICT", err)
		}
		fin := e.now()
		x2, _ := db.Export(ctx, "default", "x2")
		x2.State, x2.Files, x2.FinishedAt = inlet.ExportSucceeded, []inlet.ExportFile{{Name: "a.csv", Rows: 5, Bytes: 50}}, &fin
		x2.Error = nil
		if err := db.TransitionExport(ctx, x2, inlet.ExportQueued, inlet.ExportRunning); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Export(ctx, "default", "x2"); got.Rows() != 5 || got.FinishedAt == nil || !got.FinishedAt.Equal(fin) {
			t.Errorf("finished export: got %+v", got)
		}
		failed := *x2
		failed.State, failed.Error = inlet.ExportFailed, inlet.Errorf(inlet.EINTERNAL, "disk full")
		if err := db.TransitionExport(ctx, &failed, inlet.ExportSucceeded); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Export(ctx, "default", "x2"); got.Error == nil || got.Error.Message != "disk full" {
			t.Errorf("failed export: got %+v", got)
		}

		// Access: shares replaced, links revoked.
		revoked := e.now()
		x.SharedWith, x.LinksNotBefore = []string{"c3"}, &revoked
		if err := db.SetExportAccess(ctx, x); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Export(ctx, "default", "x1"); !cmp.Equal(got.SharedWith, []string{"c3"}) || got.LinksNotBefore == nil || !got.LinksNotBefore.Equal(revoked) {
			t.Errorf("access: got %v, %v", got.SharedWith, got.LinksNotBefore)
		}
		other := *x
		other.Tenant = "other"
		if err := db.SetExportAccess(ctx, &other); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("another tenant's export access: got %v, want ENOTFOUND", err)
		}

		// Expiry and deletion.
		if list, _ := db.ExpiredExports(ctx, t0.Add(24*time.Hour+time.Millisecond)); len(list) != 1 || list[0].ID != "x1" {
			t.Errorf("expired: got %v, want x1", list)
		}
		if err := db.DeleteExport(ctx, "default", "x1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Export(ctx, "default", "x1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("deleted: got %v, want ENOTFOUND", err)
		}
		if list, _ := db.Exports(ctx, "default", inlet.ExportFilter{SharedWith: "c3"}); len(list) != 0 {
			t.Errorf("a deleted export's shares: got %v", list)
		}
	}},
}

var scheduleCases = []testCase{
	{"schedules", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		t0 := e.now()
		sch := &inlet.ExportSchedule{ID: "s1", Tenant: "default", Name: "nightly",
			Export:  inlet.ExportRequest{Name: "orders", Format: "csv", Source: inlet.ExportSource{Table: &inlet.TableRef{Database: "sales", Name: "orders"}}, ShareWith: []string{"c1"}},
			Cadence: "weekly", Weekday: "monday", At: "06:30", Zone: "Europe/Paris", Keep: 3, WebhookURL: "https://example.com/hook", WebhookSalt: "salt",
			CreatedBy: "u1", CreatedAt: t0, NextRunAt: t0.Add(time.Hour)}
		if err := db.CreateSchedule(ctx, sch); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSchedule(ctx, sch); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("same id twice: got %v, want ECONFLICT", err)
		}
		got, err := db.Schedule(ctx, "default", "s1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sch, got); diff != "" {
			t.Errorf("schedule (-want +got):\n%s", diff)
		}
		if _, err := db.Schedule(ctx, "other", "s1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("another tenant's schedule: got %v, want ENOTFOUND", err)
		}
		s2 := *sch
		s2.ID, s2.CreatedAt, s2.NextRunAt, s2.Paused = "s2", t0.Add(time.Second), t0, true
		db.CreateSchedule(ctx, &s2)
		if list, err := db.Schedules(ctx, "default"); err != nil || len(list) != 2 || list[0].ID != "s1" || !list[1].Paused {
			t.Errorf("schedules: got %v, %v", list, err)
		}
		if due, _ := db.DueSchedules(ctx, t0.Add(30*time.Minute)); len(due) != 0 {
			t.Errorf("due before its time or paused: got %v", due)
		}
		due, _ := db.DueSchedules(ctx, t0.Add(time.Hour))
		if len(due) != 1 || due[0].ID != "s1" {
			t.Fatalf("due: got %v, want s1", due)
		}
		// Of several replicas that saw it due, one claims the run.
		const n = 6
		wins := make([]bool, n)
		errs := make([]error, n)
		next, ran := t0.Add(7*24*time.Hour), t0.Add(time.Hour)
		parallel(n, func(i int) { wins[i], errs[i] = db.ClaimSchedule(ctx, "default", "s1", due[0].NextRunAt, next, ran) })
		won := 0
		for i := range wins {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if wins[i] {
				won++
			}
		}
		if won != 1 {
			t.Errorf("%d replicas claimed the run, want 1", won)
		}
		got, _ = db.Schedule(ctx, "default", "s1")
		if !got.NextRunAt.Equal(next) || got.LastRunAt == nil || !got.LastRunAt.Equal(ran) {
			t.Errorf("after the claim: next %v, last %v", got.NextRunAt, got.LastRunAt)
		}
		got.Paused, got.Keep, got.LastExport = true, 5, "x9"
		if err := db.UpdateSchedule(ctx, got); err != nil {
			t.Fatal(err)
		}
		if again, _ := db.Schedule(ctx, "default", "s1"); !again.Paused || again.Keep != 5 || again.LastExport != "x9" {
			t.Errorf("updated: got %+v", again)
		}
		if ok, _ := db.ClaimSchedule(ctx, "default", "s1", next, next.Add(time.Hour), next); ok {
			t.Error("a paused schedule was claimed")
		}
		got.Tenant = "other"
		if err := db.UpdateSchedule(ctx, got); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("update another tenant's: got %v, want ENOTFOUND", err)
		}
		if err := db.DeleteSchedule(ctx, "default", "s1"); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSchedule(ctx, "default", "s1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("delete twice: got %v, want ENOTFOUND", err)
		}

		// Exports a schedule made list by schedule.
		x := e.export("x1", t0)
		_ = x
		sx := &inlet.Export{ID: "x2", Tenant: "default", Name: "n", Format: "csv", State: inlet.ExportQueued, JobID: "j", CreatedBy: "u1",
			CreatedAt: t0, ExpiresAt: t0.Add(time.Hour), Schedule: "s2"}
		if err := db.CreateExport(ctx, sx); err != nil {
			t.Fatal(err)
		}
		if list, _ := db.Exports(ctx, "default", inlet.ExportFilter{Schedule: "s2"}); len(list) != 1 || list[0].ID != "x2" {
			t.Errorf("by schedule: got %v, want x2", list)
		}
	}},
}
