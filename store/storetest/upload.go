package storetest

import (
	"fmt"
	"time"

	inlet "github.com/inlet-data/inlet"
)

var uploadCases = []testCase{
	{"uploads", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		now := e.now()
		u := &inlet.Upload{ID: "u1", Tenant: "default", FileName: "a.csv", Size: 3 << 30, SHA256: "x", Format: inlet.FormatCSV,
			State: inlet.UploadStaged, UploadedBy: "me", Owner: "me", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateUpload(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUpload(ctx, u); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("same id twice: got %v, want ECONFLICT", err)
		}
		got, err := db.Upload(ctx, "default", "u1")
		if err != nil || got.FileName != "a.csv" || got.Size != 3<<30 || got.Owner != "me" || got.Format != inlet.FormatCSV || !got.ExpiresAt.Equal(u.ExpiresAt) {
			t.Fatalf("upload: %+v, %v", got, err)
		}
		if exp, _ := db.ExpiredUploads(ctx, now.Add(30*time.Minute)); len(exp) != 0 {
			t.Errorf("expired too early: %v", exp)
		}
		if exp, _ := db.ExpiredUploads(ctx, now.Add(2*time.Hour)); len(exp) != 1 {
			t.Errorf("expired: got %d, want 1", len(exp))
		}
		if err := db.SetUploadState(ctx, "default", "u1", inlet.UploadIngested); err != nil {
			t.Fatal(err)
		}
		if exp, _ := db.ExpiredUploads(ctx, now.Add(2*time.Hour)); len(exp) != 0 {
			t.Errorf("an ingested upload expired: %v", exp)
		}
		if _, err := db.Upload(ctx, "other", "u1"); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("other tenant's upload: got %v", err)
		}
		if err := db.SetUploadState(ctx, "other", "u1", inlet.UploadStaged); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("set another tenant's upload: got %v, want ENOTFOUND", err)
		}
		u2 := *u
		u2.ID, u2.CreatedAt = "u2", now.Add(time.Second)
		db.CreateUpload(ctx, &u2)
		if list, err := db.Uploads(ctx, "default", 10); err != nil || len(list) != 2 || list[0].ID != "u2" {
			t.Errorf("uploads: got %v, %v, want u2 first", list, err)
		}
	}},
	{"uploads/one of concurrent transitions wins", func(e *env) {
		t, ctx, db := e.t, e.ctx, e.s
		now := e.now()
		u := &inlet.Upload{ID: "u1", Tenant: "default", FileName: "a.csv", SHA256: "x", Format: inlet.FormatCSV,
			State: inlet.UploadStaged, UploadedBy: "me", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateUpload(ctx, u); err != nil {
			t.Fatal(err)
		}
		const n = 8
		errs := make([]error, n)
		parallel(n, func(i int) {
			errs[i] = db.TransitionUpload(ctx, "default", "u1", inlet.UploadStaged, inlet.UploadIngesting)
		})
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if inlet.ErrorCode(err) != inlet.ECONFLICT {
				t.Errorf("a losing transition: got %v, want ECONFLICT", err)
			}
		}
		if ok != 1 {
			t.Errorf("%d transitions won, want 1", ok)
		}
		if err := db.TransitionUpload(ctx, "other", "u1", inlet.UploadIngesting, inlet.UploadIngested); inlet.ErrorCode(err) != inlet.ENOTFOUND {
			t.Errorf("another tenant's upload: got %v, want ENOTFOUND", err)
		}
	}},
	{"uploads/expiry races an ingest", func(e *env) {
		// The janitor expires an upload by a transition from staged, as an
		// ingest starts by one: whichever comes second fails, so an upload
		// being ingested (on any replica) never loses its raw file.
		t, ctx, db := e.t, e.ctx, e.s
		now := e.now()
		for i := 0; i < 4; i++ {
			id := fmt.Sprintf("race%d", i)
			u := &inlet.Upload{ID: id, Tenant: "default", FileName: "a.csv", SHA256: "x", Format: inlet.FormatCSV,
				State: inlet.UploadStaged, UploadedBy: "me", CreatedAt: now, ExpiresAt: now.Add(-time.Minute)}
			if err := db.CreateUpload(ctx, u); err != nil {
				t.Fatal(err)
			}
			to := []string{inlet.UploadExpired, inlet.UploadIngesting}
			errs := make([]error, 2)
			parallel(2, func(k int) { errs[k] = db.TransitionUpload(ctx, "default", id, inlet.UploadStaged, to[k]) })
			won := ""
			for k, err := range errs {
				if err == nil {
					if won != "" {
						t.Fatalf("%s: both %s and %s won", id, won, to[k])
					}
					won = to[k]
				} else if inlet.ErrorCode(err) != inlet.ECONFLICT {
					t.Errorf("%s: the losing transition to %s: got %v, want ECONFLICT", id, to[k], err)
				}
			}
			if got, err := db.Upload(ctx, "default", id); err != nil || won == "" || got.State != won {
				t.Errorf("%s: state %v (%v), want the winner %q", id, got, err, won)
			}
		}
		if exp, err := db.ExpiredUploads(ctx, now); err != nil || len(exp) != 0 {
			t.Errorf("expired uploads after the races: %v, %v; want none (none is staged)", exp, err)
		}
		if err := db.TransitionUpload(ctx, "default", "race0", inlet.UploadStaged, inlet.UploadExpired); inlet.ErrorCode(err) != inlet.ECONFLICT {
			t.Errorf("expire an upload no longer staged: got %v, want ECONFLICT", err)
		}
	}},
}
