package s3_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/export"
	"github.com/inlet-data/inlet/internal/testkit"
	"github.com/inlet-data/inlet/lake/s3"
)

// export.PresignedLinks over the S3 lake: a link to an export's file is
// the bucket's presigned GET, which downloads the file until it expires,
// and nothing else.
func TestExportPresignedLinks(t *testing.T) {
	srv := testkit.S3(t)
	l := open(t, srv, s3.Config{})
	ctx := context.Background()
	area := export.Area{Lake: l, Root: l.URL()}
	e := &inlet.Export{Tenant: "acme", ID: "exp1"}
	w, err := area.Sink(e).Create(ctx, "orders.csv")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("id\n1\n"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var links interface {
		Link(e *inlet.Export, file string, now, expires time.Time) (string, error)
	} = export.PresignedLinks{Signer: l, Area: area}
	now := time.Now()
	u, err := links.Link(e, "orders.csv", now, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, srv.Endpoint+"/"+srv.Bucket+"/lake/_exports/acme/exp1/orders.csv?") || !strings.Contains(u, "X-Amz-Expires=3600") {
		t.Fatalf("link %s", u)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "id\n1\n" {
		t.Fatalf("GET link: %d %q", resp.StatusCode, b)
	}
	// The same signature does not open another tenant's export.
	other := strings.Replace(u, "/_exports/acme/", "/_exports/globex/", 1)
	resp, err = http.Get(other)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("link moved to another tenant: %d, want 403", resp.StatusCode)
	}
	// Inlet's own download route accepts none of them.
	if _, err := (export.PresignedLinks{Signer: l, Area: area}).Verify("acme", "exp1", "orders.csv", nil, now); inlet.ErrorCode(err) != inlet.EFORBIDDEN {
		t.Errorf("Verify: %v", err)
	}
}
