package ingest_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sqlcat "github.com/apache/iceberg-go/catalog/sql"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/catalog"
	"github.com/inlet-data/inlet/ingest"
	"github.com/inlet-data/inlet/lake/local"
	"github.com/inlet-data/inlet/pii"
	"github.com/inlet-data/inlet/store"
)

// serviceEnv is an ingest service on the embedded components: SQLite
// metadata, local staging and lake, the SQL catalog, a local keyring.
type serviceEnv struct {
	svc     *ingest.Service
	db      *store.DB
	staging *ingest.Staging
	runner  *ingest.Runner
	now     time.Time
}

func newServiceEnv(t *testing.T) *serviceEnv {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "inlet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.EnsureTenant(ctx, "default", "Default"); err != nil {
		t.Fatal(err)
	}
	lake, err := local.New(filepath.Join(dir, "lake"))
	if err != nil {
		t.Fatal(err)
	}
	catDB, err := sql.Open("sqlite", store.SQLiteDSN(filepath.Join(dir, "catalog.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { catDB.Close() })
	cat := catalog.New(catalog.SQLCatalogs(catDB, sqlcat.SQLite, lake.URL(), nil), lake.URL(), lake, logger)
	keys, err := pii.NewLocalKeyring(filepath.Join(dir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.TenantKey(ctx, "default"); err != nil {
		t.Fatal(err)
	}
	staging, err := ingest.NewStaging(filepath.Join(dir, "staging"), 0)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	insp := ingest.NewInspector(ingest.Config{TmpDir: tmp})
	runner := &ingest.Runner{Jobs: db, Uploads: db, Staging: staging, Rules: db, Audit: db, Logger: logger, Lease: 10 * time.Second,
		Ingester: &ingest.Ingester{Inspector: insp, Keyring: keys, Lake: lake, Catalog: cat, Logger: logger}}
	e := &serviceEnv{db: db, staging: staging, runner: runner, now: time.Now().UTC().Truncate(time.Second)}
	e.svc = &ingest.Service{Uploads: db, Jobs: db, Staging: staging, Inspections: &ingest.Background{Inspector: insp},
		Runner: runner, Catalog: cat, Rules: db, UploadTTL: time.Hour, Logger: logger, Now: func() time.Time { return e.now }}
	return e
}

const peopleCSV = "id,email,city\n1,ann@example.com,Leeds\n2,bob@example.com,York\n3,cy@example.com,Bath\n"

func (e *serviceEnv) stage(t *testing.T, id, name, body string) (*inlet.Upload, *inlet.StagedUpload, error) {
	t.Helper()
	u := &inlet.Upload{ID: id, Tenant: "default", FileName: name, UploadedBy: "ann@example.com", Owner: "user-ann"}
	res, err := e.svc.Stage(context.Background(), u, strings.NewReader(body), 30*time.Second)
	return u, res, err
}

func (e *serviceEnv) staged(t *testing.T, u *inlet.Upload) bool {
	t.Helper()
	p, err := e.staging.Path(u.Tenant, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = os.Stat(p)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return err == nil
}

func (e *serviceEnv) state(t *testing.T, u *inlet.Upload) string {
	t.Helper()
	got, err := e.db.Upload(context.Background(), u.Tenant, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.State
}

// An upload as the server drives it: staged and inspected, checked,
// submitted once, and ingested by the job the runner claims.
func TestServiceUploadLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newServiceEnv(t)
	u, res, err := e.stage(t, "up1", "people.csv", peopleCSV)
	if err != nil {
		t.Fatal(err)
	}
	if res.Upload != u || u.State != inlet.UploadStaged || u.Format != inlet.FormatCSV || u.Size != int64(len(peopleCSV)) || len(u.SHA256) != 64 ||
		!u.ExpiresAt.Equal(e.now.Add(time.Hour)) {
		t.Fatalf("staged upload: %+v", u)
	}
	if res.Inspection == nil || len(res.Inspection.Columns) != 3 {
		t.Fatalf("first inspection: %+v (progress %+v)", res.Inspection, res.Inspecting)
	}
	if st := e.state(t, u); st != inlet.UploadStaged || !e.staged(t, u) {
		t.Fatalf("recorded as %s, staged file there: %v", st, e.staged(t, u))
	}
	semi := ";"
	if ins, _, err := e.svc.Inspect(ctx, u, inlet.InspectOptions{Delimiter: semi}, 30*time.Second); err != nil || len(ins.Columns) != 1 {
		t.Fatalf("re-inspect with ';': %v, %v", ins, err)
	}
	if st := e.state(t, u); st != inlet.UploadStaged {
		t.Fatalf("a failed or odd re-inspection with options changed the upload: %s", st)
	}

	spec := inlet.IngestSpec{Table: inlet.TableRef{Database: "crm", Name: "people"}, Mode: inlet.ModeCreate}
	if err := e.svc.Check(ctx, u, inlet.IngestSpec{Table: inlet.TableRef{Database: "crm", Name: "people"}, Mode: inlet.ModeAppend}); inlet.ErrorCode(err) == "" {
		t.Errorf("append to a table that does not exist passed the check")
	}
	if err := e.svc.Check(ctx, u, spec); err != nil {
		t.Fatalf("check: %v", err)
	}
	stale := *u // as another request read it, before the submit
	j, err := e.svc.Submit(ctx, u, spec, "bob@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if j.State != inlet.JobQueued || j.Kind != inlet.JobIngest || j.CreatedBy != "bob@example.com" || !strings.HasPrefix(j.ID, "job-") {
		t.Fatalf("job: %+v", j)
	}
	var js inlet.IngestJobSpec
	if err := json.Unmarshal(j.Spec, &js); err != nil || js.UploadID != u.ID || js.FileName != "people.csv" || js.SHA256 != u.SHA256 || js.SourcePath != "" || js.Table != spec.Table {
		t.Fatalf("job spec: %+v, %v", js, err)
	}
	if st := e.state(t, u); st != inlet.UploadIngesting {
		t.Fatalf("after submit: %s", st)
	}
	if _, err := e.svc.Submit(ctx, &stale, spec, "ann@example.com"); inlet.ErrorCode(err) != inlet.ECONFLICT {
		t.Fatalf("second submit of one upload: %v, want ECONFLICT", err)
	}
	if _, _, err := e.svc.Inspect(ctx, u, inlet.InspectOptions{}, time.Second); inlet.ErrorCode(err) != inlet.ECONFLICT {
		t.Fatalf("inspect an upload being ingested: %v, want ECONFLICT", err)
	}

	claimed, err := e.db.ClaimJob(ctx, time.Minute)
	if err != nil || claimed == nil || claimed.ID != j.ID {
		t.Fatalf("claim: %+v, %v", claimed, err)
	}
	out, err := e.runner.RunJob(ctx, claimed)
	if err != nil || out.Rows != 3 {
		t.Fatalf("ingest: %+v, %v", out, err)
	}
	if st := e.state(t, u); st != inlet.UploadIngested || e.staged(t, u) {
		t.Fatalf("after the ingest: %s, raw file still staged: %v", st, e.staged(t, u))
	}
}

// A file Inlet does not read is refused at once, and nothing of it stays.
func TestServiceRefusesUnreadable(t *testing.T) {
	e := newServiceEnv(t)
	u, _, err := e.stage(t, "up2", "scan.pdf", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
	if err == nil {
		t.Fatal("a PDF was staged")
	}
	if e.staged(t, u) {
		t.Error("the refused file is still staged")
	}
	if _, err := e.db.Upload(context.Background(), "default", u.ID); inlet.ErrorCode(err) != inlet.ENOTFOUND {
		t.Errorf("the refused file was recorded: %v", err)
	}
}

// A file ingested in place, as the command line does: read, never deleted,
// under a job this process runs.
func TestServiceIngestFile(t *testing.T) {
	ctx := context.Background()
	e := newServiceEnv(t)
	src := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(src, []byte(peopleCSV), 0o600); err != nil {
		t.Fatal(err)
	}
	u := &inlet.Upload{Tenant: "default", UploadedBy: "ann", Owner: "cli:ann"}
	j, res, err := e.svc.IngestFile(ctx, u, inlet.IngestSpec{Table: inlet.TableRef{Database: "crm", Name: "people"}, Mode: inlet.ModeCreate}, src)
	if err != nil || res.Rows != 3 {
		t.Fatalf("ingest file: %+v, %v", res, err)
	}
	if u.ID == "" || u.FileName != "people.csv" || u.Format != inlet.FormatCSV || e.state(t, u) != inlet.UploadIngested {
		t.Fatalf("upload: %+v", u)
	}
	got, err := e.db.Job(ctx, "default", j.ID)
	if err != nil || got.State != inlet.JobSucceeded || got.Attempts != 1 || got.CreatedBy != "ann" {
		t.Fatalf("job: %+v, %v", got, err)
	}
	var js inlet.IngestJobSpec
	if err := json.Unmarshal(got.Spec, &js); err != nil || js.SourcePath != src || js.UploadID != u.ID {
		t.Fatalf("job spec: %+v, %v", js, err)
	}
	if _, err := os.Stat(src); err != nil {
		t.Fatalf("the user's own file went: %v", err)
	}
}

// raceStore is the metadata database as one replica's janitor sees it
// while another replica starts ingests: between the janitor's listing of
// expired uploads and its next step, the upload named in ingestID is
// submitted elsewhere.
type raceStore struct {
	*store.DB
	ingestID string
}

func (r *raceStore) ExpiredUploads(ctx context.Context, t time.Time) ([]*inlet.Upload, error) {
	ups, err := r.DB.ExpiredUploads(ctx, t)
	if err == nil && r.ingestID != "" {
		err = r.DB.TransitionUpload(ctx, "default", r.ingestID, inlet.UploadStaged, inlet.UploadIngesting)
	}
	return ups, err
}

// Expiry marks an upload expired before it deletes its raw file, and only
// an upload still staged: one whose ingest began on another replica after
// the listing keeps its file.
func TestServiceExpire(t *testing.T) {
	ctx := context.Background()
	e := newServiceEnv(t)
	t0 := e.now
	old, _, err := e.stage(t, "old", "a.csv", peopleCSV)
	if err != nil {
		t.Fatal(err)
	}
	raced, _, err := e.stage(t, "raced", "b.csv", peopleCSV)
	if err != nil {
		t.Fatal(err)
	}
	e.now = t0.Add(2 * time.Hour)
	fresh, _, err := e.stage(t, "fresh", "c.csv", peopleCSV)
	if err != nil {
		t.Fatal(err)
	}
	rs := &raceStore{DB: e.db, ingestID: raced.ID}
	e.svc.Uploads = rs
	if err := e.svc.Expire(ctx, t0.Add(90*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if st := e.state(t, old); st != inlet.UploadExpired || e.staged(t, old) {
		t.Errorf("expired upload: %s, raw file still staged: %v", st, e.staged(t, old))
	}
	if st := e.state(t, raced); st != inlet.UploadIngesting || !e.staged(t, raced) {
		t.Errorf("upload whose ingest began meanwhile: %s, raw file staged: %v (want ingesting, kept)", st, e.staged(t, raced))
	}
	if st := e.state(t, fresh); st != inlet.UploadStaged || !e.staged(t, fresh) {
		t.Errorf("upload not yet expired: %s, raw file staged: %v", st, e.staged(t, fresh))
	}
}

// failingStaging cannot delete.
type failingStaging struct{ *ingest.Staging }

func (failingStaging) Delete(ctx context.Context, tenant, id string) error {
	return errors.New("disk on fire")
}

// An expired upload whose raw file cannot be deleted is given back, so the
// next sweep tries again (an expired upload is never listed again).
func TestServiceExpireRetriesDelete(t *testing.T) {
	ctx := context.Background()
	e := newServiceEnv(t)
	u, _, err := e.stage(t, "old", "a.csv", peopleCSV)
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Staging = failingStaging{e.staging}
	later := e.now.Add(2 * time.Hour)
	if err := e.svc.Expire(ctx, later); err != nil {
		t.Fatal(err)
	}
	if st := e.state(t, u); st != inlet.UploadStaged || !e.staged(t, u) {
		t.Fatalf("after a failed delete: %s, staged %v; want staged, for the next sweep", st, e.staged(t, u))
	}
	// Staged again, it still cannot be ingested: it is past its expiry.
	e.now = later
	if err := e.svc.Check(ctx, u, inlet.IngestSpec{Table: inlet.TableRef{Database: "crm", Name: "people"}, Mode: inlet.ModeCreate}); inlet.ErrorCode(err) != inlet.ECONFLICT {
		t.Errorf("check of an upload past its expiry: %v, want ECONFLICT", err)
	}
	e.svc.Staging = e.staging
	if err := e.svc.Expire(ctx, later); err != nil {
		t.Fatal(err)
	}
	if st := e.state(t, u); st != inlet.UploadExpired || e.staged(t, u) {
		t.Fatalf("the next sweep: %s, staged %v", st, e.staged(t, u))
	}
}
