package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	// Iceberg's S3 file IO, for table metadata and manifests on s3://.
	_ "github.com/apache/iceberg-go/io/gocloud/s3"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/export"
	"github.com/inlet-data/inlet/ingest"
	"github.com/inlet-data/inlet/lake/local"
	"github.com/inlet-data/inlet/lake/s3"
	"github.com/inlet-data/inlet/server"
)

// s3Settings say how to reach an s3:// lake beyond what the standard AWS
// configuration (AWS_* variables, ~/.aws, the instance role) says.
type s3Settings struct {
	Endpoint  string
	PathStyle bool
	Region    string
	KMSKey    string
	// ExportLinks is "inlet" (Inlet's own signed /d/ links) or
	// "presigned" (the bucket's presigned GETs).
	ExportLinks string
}

// lakeFlags registers the lake's settings beyond --lake.
func lakeFlags(fs *flagSet, cfg *config) {
	fs.str(&cfg.S3.Endpoint, "s3-endpoint", "S3_ENDPOINT", "", "URL of an S3-compatible server (default: AWS S3)")
	fs.setting((*boolValue)(&cfg.S3.PathStyle), "s3-path-style", "S3_PATH_STYLE", "address buckets in the path, not the host name (most S3-compatible servers)")
	fs.str(&cfg.S3.Region, "s3-region", "S3_REGION", "", "the bucket's region (default: AWS_REGION or the AWS configuration's)")
	fs.str(&cfg.S3.KMSKey, "s3-kms-key", "S3_KMS_KEY", "", "encrypt new lake objects with SSE-KMS under this key id, ARN or alias")
	fs.str(&cfg.S3.ExportLinks, "export-links", "EXPORT_LINKS", "inlet", "export download links: inlet (signed by Inlet, revocable, audited per download) or presigned (the bucket's presigned URLs; needs an s3:// lake)")
}

// openedLake is the lake --lake names, with what the rest of the wiring
// needs to know about it.
type openedLake struct {
	lake inlet.Lake
	url  string // the root location
	// dir is the local lake's directory; "" for an object store.
	dir string
	// ioProps configure Iceberg's file IO for the lake's scheme.
	ioProps map[string]string
}

// openLake opens file://PATH (default def, a directory) or
// s3://bucket/prefix.
func openLake(ctx context.Context, cfg *config, def string) (*openedLake, error) {
	u := cfg.Lake
	scheme, _, _ := strings.Cut(u, "://")
	if u == "" {
		scheme = "file"
	}
	if cfg.S3.ExportLinks != "inlet" && cfg.S3.ExportLinks != "presigned" {
		return nil, inlet.Errorf(inlet.EINVALID, "--export-links %q: use inlet or presigned", cfg.S3.ExportLinks)
	}
	if scheme != "s3" && cfg.S3.ExportLinks == "presigned" {
		return nil, inlet.Errorf(inlet.EINVALID, "--export-links presigned needs an s3:// lake")
	}
	switch scheme {
	case "file":
		dir := def
		if u != "" {
			p, err := url.Parse(u)
			if err != nil || p.Path == "" || (p.Host != "" && p.Host != "localhost") {
				return nil, inlet.Errorf(inlet.EINVALID, "--lake %s: write file:///ABSOLUTE/PATH", u)
			}
			dir = p.Path
		}
		l, err := local.New(dir)
		if err != nil {
			return nil, err
		}
		return &openedLake{lake: l, url: l.URL(), dir: l.Root}, nil
	case "s3":
		l, err := s3.Open(ctx, s3.Config{URL: u, Endpoint: cfg.S3.Endpoint, PathStyle: cfg.S3.PathStyle, Region: cfg.S3.Region, KMSKey: cfg.S3.KMSKey})
		if err != nil {
			return nil, inlet.Errorf(inlet.EINVALID, "--lake: %v", err)
		}
		if err := l.Check(ctx); err != nil {
			return nil, fmt.Errorf("--lake %s: %w", u, err)
		}
		props := map[string]string{
			// Virtual-host addressing unless told otherwise, as the lake.
			"s3.force-virtual-addressing": strconv.FormatBool(!cfg.S3.PathStyle),
		}
		if cfg.S3.Endpoint != "" {
			props["s3.endpoint"] = cfg.S3.Endpoint
		}
		// The region the lake resolved (flag, AWS configuration, or the
		// default for an S3-compatible endpoint), so both clients agree.
		props["s3.region"] = l.Region()
		return &openedLake{lake: l, url: l.URL(), ioProps: props}, nil
	}
	return nil, inlet.Errorf(inlet.EINVALID, "--lake %s: use file://PATH or s3://BUCKET/PREFIX", u)
}

// exportLinks is the export link signer --export-links chooses.
func (a *app) exportLinks() (server.ExportLinks, error) {
	if a.cfg.S3.ExportLinks != "presigned" {
		return a.links, nil
	}
	signer, ok := a.lake.(inlet.LakeSigner)
	if !ok {
		return nil, inlet.Errorf(inlet.EINVALID, "--export-links presigned: the %s lake cannot presign", a.lakeURL)
	}
	return export.PresignedLinks{Signer: signer, Area: a.exports}, nil
}

// staging is where raw uploads wait: a local directory beside a local
// lake, the lake itself (ROOT/_staging) on an object store, so every
// replica reads what any one received.
type staging interface {
	inlet.Staging
	Sweep(olderThan func(os.FileInfo) bool) error
}

func openStaging(a *app, l *openedLake, dir string) (staging, error) {
	if l.dir != "" {
		return ingest.NewStaging(dir, a.cfg.MaxUploadBytes)
	}
	// Readers that need a file get a spooled copy in dir/.spool.
	return ingest.NewLakeStaging(l.lake, l.url, filepath.Join(dir, ".spool"), a.cfg.MaxUploadBytes)
}

// tusPrefix is where resumable uploads' pieces live in an object-store
// lake: outside every tenant's tables, like staging.
const tusPrefix = "/_tus/"

// tusS3 keeps resumable uploads in the S3 lake's bucket, so any replica
// can resume one; nil on a local lake (they stay in DATA_DIR/staging/.tus).
func (a *app) tusS3() (*server.TusS3, error) {
	l, ok := a.lake.(*s3.Lake)
	if !ok {
		return nil, nil
	}
	key, err := l.Key(a.lakeURL + tusPrefix)
	if err != nil {
		return nil, err
	}
	return &server.TusS3{Client: l.SSEClient(a.lakeURL + tusPrefix), Bucket: l.Bucket(), Prefix: key}, nil
}

// sweepTusS3 removes resumable uploads abandoned half way in the S3 lake
// once their .info is older than the upload TTL: the .info, the short
// last part and the multipart upload with its parts (raw PII must not
// linger).
func (a *app) sweepTusS3(ctx context.Context) {
	if _, ok := a.lake.(*s3.Lake); !ok {
		return
	}
	objs, err := a.lake.List(ctx, a.lakeURL+tusPrefix)
	if err != nil {
		if ctx.Err() == nil {
			a.logger.Error("list resumable uploads", "err", err)
		}
		return
	}
	for _, o := range objs {
		upload, ok := strings.CutSuffix(o.Location, ".info")
		if !ok || time.Since(o.Modified) < a.cfg.UploadTTL {
			continue
		}
		if err := a.lake.DeletePrefix(ctx, upload); err != nil {
			a.logger.Error("delete abandoned resumable upload", "err", err)
			continue
		}
		a.logger.Info("abandoned resumable upload deleted", "upload", strings.TrimPrefix(upload, a.lakeURL+tusPrefix))
	}
}
