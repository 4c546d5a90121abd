// Package s3 is the lake on an S3 bucket (AWS or an S3-compatible server):
// locations are s3://bucket/key URLs under one bucket and prefix. An object
// appears only when its PutObject or CompleteMultipartUpload succeeds; a
// create that fails, is cancelled or never closes aborts its multipart
// upload (and DeletePrefix aborts any left behind), so readers never see a
// partial object.
package s3

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	inlet "github.com/inlet-data/inlet"
)

// Config says which bucket and how to reach it. Credentials and, unless
// set here, the region come from the standard AWS chain (AWS_* variables,
// ~/.aws, the instance's role).
type Config struct {
	URL       string // s3://bucket/prefix
	Endpoint  string // an S3-compatible server's URL; empty for AWS
	PathStyle bool   // bucket in the path, not the host (most S3-compatible servers)
	Region    string
	// KMSKey, when set, encrypts every object with SSE-KMS under this key
	// (id, ARN or alias).
	KMSKey string
	// KeyFor, when set, chooses the SSE-KMS key per object (a key per
	// tenant: the tenant is the location's first segment under the root,
	// or the one after _exports/); an empty result falls back to KMSKey.
	KeyFor func(location string) string
	// PartSize is the multipart part size: objects larger than it upload
	// in parts (default 16 MiB; S3's minimum is 5 MiB).
	PartSize int
	// HTTPClient, when set, carries the requests (a custom CA, a proxy,
	// a test's recorder).
	HTTPClient aws.HTTPClient
}

// Lake stores objects in one bucket under one prefix.
type Lake struct {
	client   *awss3.Client
	bucket   string
	prefix   string // key prefix without a trailing slash; "" for the whole bucket
	region   string
	kmsKey   string
	keyFor   func(string) string
	partSize int
}

var (
	_ inlet.Lake       = (*Lake)(nil)
	_ inlet.LakeSigner = (*Lake)(nil)
)

// MinPartSize is S3's smallest part but the last.
const MinPartSize = 5 << 20

// Open connects to the bucket cfg.URL names; it does not check that the
// bucket exists (Check does).
func Open(ctx context.Context, cfg Config) (*Lake, error) {
	bucket, prefix, err := parseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.PartSize == 0 {
		cfg.PartSize = 16 << 20
	}
	if cfg.PartSize < MinPartSize {
		return nil, fmt.Errorf("s3 part size %d is below S3's minimum of 5 MiB", cfg.PartSize)
	}
	var opts []func(*config.LoadOptions) error
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("s3: aws config: %w", err)
	}
	if awsCfg.Region == "" {
		if cfg.Endpoint == "" {
			return nil, fmt.Errorf("s3: no region: set AWS_REGION or the lake's region")
		}
		awsCfg.Region = "us-east-1" // S3-compatible servers mostly ignore it
	}
	if cfg.Endpoint != "" {
		if u, err := url.Parse(cfg.Endpoint); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("s3 endpoint %q is not an http(s) URL", cfg.Endpoint)
		}
	}
	client := awss3.NewFromConfig(awsCfg, func(o *awss3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
		if cfg.HTTPClient != nil {
			o.HTTPClient = cfg.HTTPClient
		}
		// Checksums only where S3 requires them: S3-compatible servers
		// differ in the trailing checksums they accept.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return &Lake{client: client, bucket: bucket, prefix: prefix, region: awsCfg.Region, kmsKey: cfg.KMSKey, keyFor: cfg.KeyFor, partSize: cfg.PartSize}, nil
}

// Check reaches the bucket (a readiness probe).
func (l *Lake) Check(ctx context.Context) error {
	if _, err := l.client.HeadBucket(ctx, &awss3.HeadBucketInput{Bucket: &l.bucket}); err != nil {
		return fmt.Errorf("s3 bucket %s: %w", l.bucket, err)
	}
	return nil
}

// Client is the S3 client, for the pieces (tus, Iceberg IO) that speak S3
// themselves.
func (l *Lake) Client() *awss3.Client { return l.client }

// Region is the region the lake's client signs for.
func (l *Lake) Region() string { return l.region }

// Bucket is the lake's bucket.
func (l *Lake) Bucket() string { return l.bucket }

// Key is the object key of a location in the lake (for the pieces that
// address S3 by key: tusd's s3store).
func (l *Lake) Key(location string) (string, error) { return l.key(location) }

func parseURL(s string) (bucket, prefix string, err error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "s3" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("lake URL %q is not s3://bucket/prefix", s)
	}
	return u.Host, strings.Trim(u.Path, "/"), nil
}

// URL is the s3:// location of the lake's root.
func (l *Lake) URL() string {
	if l.prefix == "" {
		return "s3://" + l.bucket
	}
	return "s3://" + l.bucket + "/" + l.prefix
}

func (l *Lake) location(key string) string { return "s3://" + l.bucket + "/" + key }

// key turns a location into an object key, refusing anything outside the
// lake's bucket and prefix.
func (l *Lake) key(location string) (string, error) {
	rest, ok := strings.CutPrefix(location, "s3://"+l.bucket+"/")
	if !ok && location != "s3://"+l.bucket {
		return "", fmt.Errorf("location %q is outside the lake", location)
	}
	for _, seg := range strings.Split(rest, "/") {
		if seg == "." || seg == ".." {
			return "", fmt.Errorf("location %q is outside the lake", location)
		}
	}
	if l.prefix != "" && rest != l.prefix && !strings.HasPrefix(rest, l.prefix+"/") {
		return "", fmt.Errorf("location %q is outside the lake", location)
	}
	return rest, nil
}

// objectKey is key for one object: never the bare root.
func (l *Lake) objectKey(location string) (string, error) {
	k, err := l.key(location)
	if err == nil && (k == "" || k == l.prefix || strings.HasSuffix(k, "/")) {
		err = fmt.Errorf("location %q names no object", location)
	}
	return k, err
}

// notFound reports whether err is S3's 404.
func notFound(err error) bool {
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() == 404 {
		return true
	}
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	return errors.As(err, &nsk) || errors.As(err, &nf)
}

var errNotFound = inlet.Errorf(inlet.ENOTFOUND, "object not found")

// sse is the server-side encryption for a new object.
func (l *Lake) sse(location string) (types.ServerSideEncryption, *string) {
	key := l.kmsKey
	if l.keyFor != nil {
		if k := l.keyFor(location); k != "" {
			key = k
		}
	}
	if key == "" {
		return "", nil
	}
	return types.ServerSideEncryptionAwsKms, aws.String(key)
}

// Stat heads the object.
func (l *Lake) Stat(ctx context.Context, location string) (inlet.LakeObjectInfo, error) {
	key, err := l.objectKey(location)
	if err != nil {
		return inlet.LakeObjectInfo{}, err
	}
	out, err := l.client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: &l.bucket, Key: &key})
	if notFound(err) {
		return inlet.LakeObjectInfo{}, errNotFound
	} else if err != nil {
		return inlet.LakeObjectInfo{}, fmt.Errorf("s3 head %s: %w", key, err)
	}
	return inlet.LakeObjectInfo{Location: location, Size: aws.ToInt64(out.ContentLength), Modified: aws.ToTime(out.LastModified).UTC()}, nil
}

// List pages through ListObjectsV2; S3 lists keys in byte order.
func (l *Lake) List(ctx context.Context, prefix string) ([]inlet.LakeObjectInfo, error) {
	key, err := l.key(prefix)
	if err != nil {
		return nil, err
	}
	var out []inlet.LakeObjectInfo
	p := awss3.NewListObjectsV2Paginator(l.client, &awss3.ListObjectsV2Input{Bucket: &l.bucket, Prefix: &key})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("s3 list %s: %w", key, err)
		}
		for _, o := range page.Contents {
			if l.prefix != "" && !strings.HasPrefix(aws.ToString(o.Key), l.prefix+"/") {
				continue
			}
			out = append(out, inlet.LakeObjectInfo{Location: l.location(aws.ToString(o.Key)), Size: aws.ToInt64(o.Size), Modified: aws.ToTime(o.LastModified).UTC()})
		}
	}
	return out, nil
}

// Delete removes one object.
func (l *Lake) Delete(ctx context.Context, location string) error {
	key, err := l.objectKey(location)
	if err != nil {
		return err
	}
	if _, err := l.client.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: &l.bucket, Key: &key}); err != nil && !notFound(err) {
		return fmt.Errorf("s3 delete %s: %w", key, err)
	}
	return nil
}

// DeletePrefix deletes the listed objects a thousand at a time, then
// aborts the multipart uploads unfinished creates left under the prefix.
func (l *Lake) DeletePrefix(ctx context.Context, prefix string) error {
	key, err := l.key(prefix)
	if err != nil {
		return err
	}
	if strings.TrimSuffix(key, "/") == l.prefix {
		return fmt.Errorf("refusing to delete the whole lake")
	}
	objs, err := l.List(ctx, prefix)
	if err != nil {
		return err
	}
	for len(objs) > 0 {
		n := min(len(objs), 1000)
		ids := make([]types.ObjectIdentifier, n)
		for i, o := range objs[:n] {
			ids[i] = types.ObjectIdentifier{Key: aws.String(strings.TrimPrefix(o.Location, "s3://"+l.bucket+"/"))}
		}
		out, err := l.client.DeleteObjects(ctx, &awss3.DeleteObjectsInput{Bucket: &l.bucket, Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
		if err != nil {
			return fmt.Errorf("s3 delete %s*: %w", key, err)
		}
		if len(out.Errors) > 0 {
			e := out.Errors[0]
			return fmt.Errorf("s3 delete %s: %s %s", aws.ToString(e.Key), aws.ToString(e.Code), aws.ToString(e.Message))
		}
		objs = objs[n:]
	}
	p := awss3.NewListMultipartUploadsPaginator(l.client, &awss3.ListMultipartUploadsInput{Bucket: &l.bucket, Prefix: &key})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("s3 list uploads %s: %w", key, err)
		}
		for _, u := range page.Uploads {
			if _, err := l.client.AbortMultipartUpload(ctx, &awss3.AbortMultipartUploadInput{Bucket: &l.bucket, Key: u.Key, UploadId: u.UploadId}); err != nil && !notFound(err) {
				return fmt.Errorf("s3 abort upload %s: %w", aws.ToString(u.Key), err)
			}
		}
	}
	return nil
}

// SignGet presigns a GET of one object (SigV4 query signing: the URL
// works until expires, at most 7 days, and only unchanged).
func (l *Lake) SignGet(ctx context.Context, location, filename string, expires time.Duration) (string, error) {
	key, err := l.objectKey(location)
	if err != nil {
		return "", err
	}
	if expires <= 0 || expires > 7*24*time.Hour {
		return "", inlet.Errorf(inlet.EINVALID, "a presigned URL lasts between 1 s and 7 days, not %s", expires)
	}
	in := &awss3.GetObjectInput{Bucket: &l.bucket, Key: &key}
	if filename != "" {
		in.ResponseContentDisposition = aws.String(contentDisposition(filename))
	}
	req, err := awss3.NewPresignClient(l.client).PresignGetObject(ctx, in, awss3.WithPresignExpires(expires))
	if err != nil {
		return "", fmt.Errorf("s3 presign %s: %w", key, err)
	}
	return req.URL, nil
}

// contentDisposition is an attachment header naming the file, in ASCII
// with an RFC 5987 UTF-8 form beside it.
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name))
}
