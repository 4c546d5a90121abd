package export

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"
	inlet "github.com/inlet-data/inlet"
)

// Webhooks tell a schedule's webhook how each of its exports ended: a JSON
// body naming the export and its files (never their rows), signed with the
// schedule's secret, POSTed in the background and retried with
// exponential backoff and jitter.
type Webhooks struct {
	// Key derives each schedule's secret (OpenWebhookKey).
	Key    []byte
	Client *http.Client // nil: one that reaches public addresses only
	// AllowLoopback lets the default client call this machine where the
	// URL names it (for development); off, such a call is refused.
	AllowLoopback bool
	Audit         inlet.AuditLog
	Logger        *slog.Logger
	Now           func() time.Time
	// Tries and FirstWait shape the retries: 5 tries, the first retry
	// after about 5 s, doubling (about 75 s in all).
	Tries     uint
	FirstWait time.Duration

	wg sync.WaitGroup
}

// WebhookEvent is the body a webhook receives.
type WebhookEvent struct {
	Event     string             `json:"event"` // export.succeeded or export.failed
	Schedule  string             `json:"schedule"`
	Export    string             `json:"export"`
	Name      string             `json:"name"`
	Rows      int64              `json:"rows"`
	Files     []inlet.ExportFile `json:"files"`
	ExpiresAt *time.Time         `json:"expires_at,omitempty"`
	Error     string             `json:"error,omitempty"` // a code, never a message (it may quote values)
}

// SignatureHeader carries sha256=HEX, the HMAC-SHA256 of the body with the
// schedule's secret; TimestampHeader the time it was sent, in Unix seconds.
const (
	SignatureHeader = "X-Inlet-Signature"
	TimestampHeader = "X-Inlet-Timestamp"
)

// Secret is a schedule's webhook secret: derived from the server key and
// the schedule's salt, so the database alone does not hold it.
func (w *Webhooks) Secret(sch *inlet.ExportSchedule) string {
	m := hmac.New(sha256.New, w.Key)
	fmt.Fprintf(m, "inlet webhook\x00%s\x00%s\x00%s", sch.Tenant, sch.ID, sch.WebhookSalt)
	return "whsec_" + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Sign is the signature header's value for a body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// NewSalt is a fresh schedule's salt.
func NewSalt() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Send posts an export's end to a schedule's webhook in the background.
func (w *Webhooks) Send(ctx context.Context, sch *inlet.ExportSchedule, e *inlet.Export) {
	ev := WebhookEvent{Event: "export.succeeded", Schedule: sch.ID, Export: e.ID, Name: e.Name, Rows: e.Rows(), Files: e.Files}
	if e.Files == nil {
		ev.Files = []inlet.ExportFile{}
	}
	if !e.ExpiresAt.IsZero() {
		ev.ExpiresAt = &e.ExpiresAt
	}
	if e.State != inlet.ExportSucceeded {
		ev.Event, ev.Files, ev.Rows = "export.failed", []inlet.ExportFile{}, 0
		ev.Error = inlet.EINTERNAL
		if e.Error != nil {
			ev.Error = e.Error.Code
		}
	}
	body, _ := json.Marshal(ev)
	secret := w.Secret(sch)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		w.deliver(context.WithoutCancel(ctx), sch, e, body, secret)
	}()
}

// Wait waits for the webhooks under way.
func (w *Webhooks) Wait() { w.wg.Wait() }

func (w *Webhooks) deliver(ctx context.Context, sch *inlet.ExportSchedule, e *inlet.Export, body []byte, secret string) {
	client := w.Client
	if client == nil {
		client = webhookClient(w.AllowLoopback)
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval, b.Multiplier, b.RandomizationFactor, b.MaxInterval = cmpOr(w.FirstWait, 5*time.Second), 2, 0.5, time.Minute
	tries := w.Tries
	if tries == 0 {
		tries = 5
	}
	attempts := 0
	status, err := backoff.Retry(ctx, func() (int, error) {
		attempts++
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, sch.WebhookURL, bytes.NewReader(body))
		if err != nil {
			return 0, backoff.Permanent(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "Inlet-Webhook/1")
		req.Header.Set(SignatureHeader, Sign(secret, body))
		req.Header.Set(TimestampHeader, strconv.FormatInt(w.now().Unix(), 10))
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		switch {
		case resp.StatusCode < 300:
			return resp.StatusCode, nil
		case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusRequestTimeout:
			return resp.StatusCode, fmt.Errorf("webhook answered %d", resp.StatusCode)
		}
		// Another 4xx will not change by asking again.
		return resp.StatusCode, backoff.Permanent(fmt.Errorf("webhook answered %d", resp.StatusCode))
	}, backoff.WithBackOff(b), backoff.WithMaxTries(tries), backoff.WithMaxElapsedTime(10*time.Minute))
	outcome := "ok"
	if err != nil {
		outcome = "failed"
		w.Logger.Warn("webhook failed", "schedule", sch.ID, "export", e.ID, "status", status, "attempts", attempts, "err", err)
	}
	if w.Audit != nil {
		ev := &inlet.AuditEvent{At: w.now(), Tenant: sch.Tenant, Actor: "scheduler", Action: "export.webhook", Object: "schedule:" + sch.ID, Outcome: outcome,
			Detail: map[string]any{"export": e.ID, "status": status, "attempts": attempts, "event": map[bool]string{true: "export.succeeded", false: "export.failed"}[e.State == inlet.ExportSucceeded]}}
		if aerr := w.Audit.RecordAudit(ctx, ev); aerr != nil {
			w.Logger.Error("audit", "action", ev.Action, "err", aerr)
		}
	}
}

func (w *Webhooks) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now().UTC()
}

func cmpOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// OpenWebhookKey reads the key webhook secrets are derived from, creating
// it (atomically, readable by the owner only) on first use.
func OpenWebhookKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(b) == 32 {
		return b, nil
	}
	if err == nil {
		return nil, fmt.Errorf("webhook key %s: want 32 bytes, have %d", path, len(b))
	}
	if !os.IsNotExist(err) {
		return nil, fmt.Errorf("webhook key: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".webhooks-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(f.Name(), path); err != nil {
		// Another process made it first: use theirs.
		if os.IsExist(err) {
			return OpenWebhookKey(path)
		}
		return nil, err
	}
	return key, nil
}
