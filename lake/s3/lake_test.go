package s3_test

import (
	"context"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/internal/testkit"
	"github.com/inlet-data/inlet/lake/laketest"
	"github.com/inlet-data/inlet/lake/s3"
)

func open(t *testing.T, srv *testkit.S3Server, cfg s3.Config) *s3.Lake {
	t.Helper()
	srv.Env(t)
	cfg.Endpoint, cfg.PathStyle = srv.Endpoint, true
	if cfg.URL == "" {
		cfg.URL = "s3://" + srv.Bucket + "/lake"
	}
	l, err := s3.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestContract(t *testing.T) {
	laketest.Run(t, func(t *testing.T) (inlet.Lake, string) {
		l := open(t, testkit.S3(t), s3.Config{PartSize: s3.MinPartSize})
		return l, l.URL()
	}, laketest.Options{Large: 2*s3.MinPartSize + 123_457})
}

// The whole bucket as the lake works too.
func TestContractBucketRoot(t *testing.T) {
	laketest.Run(t, func(t *testing.T) (inlet.Lake, string) {
		srv := testkit.S3(t)
		l := open(t, srv, s3.Config{URL: "s3://" + srv.Bucket, PartSize: s3.MinPartSize})
		return l, l.URL()
	}, laketest.Options{Large: s3.MinPartSize + 1})
}
