package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	inlet "github.com/inlet-data/inlet"
)

// Open heads the object; reads are GETs from then on, each pinned to the
// version headed (If-Match on its ETag), so an object replaced mid-read is
// an error rather than a mix of two versions.
func (l *Lake) Open(ctx context.Context, location string) (inlet.LakeObject, error) {
	key, err := l.objectKey(location)
	if err != nil {
		return nil, err
	}
	out, err := l.client.HeadObject(ctx, &awss3.HeadObjectInput{Bucket: &l.bucket, Key: &key})
	if notFound(err) {
		return nil, errNotFound
	} else if err != nil {
		return nil, fmt.Errorf("s3 head %s: %w", key, err)
	}
	return &object{ctx: ctx, l: l, key: key, etag: aws.ToString(out.ETag), size: aws.ToInt64(out.ContentLength)}, nil
}

type object struct {
	ctx  context.Context
	l    *Lake
	key  string
	etag string
	size int64

	mu   sync.Mutex // Read, Seek and Close; ReadAt needs none
	pos  int64
	body io.ReadCloser // the stream from pos, opened on the first Read
}

func (o *object) Size() int64 { return o.size }

// get GETs bytes [off, end) (end < 0: to the end of the object).
func (o *object) get(off, end int64) (io.ReadCloser, error) {
	rng := "bytes=" + strconv.FormatInt(off, 10) + "-"
	if end >= 0 {
		rng += strconv.FormatInt(end-1, 10)
	}
	in := &awss3.GetObjectInput{Bucket: &o.l.bucket, Key: &o.key, Range: &rng}
	if o.etag != "" {
		in.IfMatch = &o.etag
	}
	out, err := o.l.client.GetObject(o.ctx, in)
	if notFound(err) {
		return nil, errNotFound
	} else if err != nil {
		return nil, fmt.Errorf("s3 get %s %s: %w", o.key, rng, err)
	}
	return out.Body, nil
}

func (o *object) Read(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pos >= o.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if o.body == nil {
		b, err := o.get(o.pos, -1)
		if err != nil {
			return 0, err
		}
		o.body = b
	}
	n, err := o.body.Read(p)
	o.pos += int64(n)
	if errors.Is(err, io.EOF) && o.pos < o.size {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (o *object) Seek(offset int64, whence int) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	pos := offset
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		pos += o.pos
	case io.SeekEnd:
		pos += o.size
	default:
		return o.pos, errors.New("s3 object: bad whence")
	}
	if pos < 0 {
		return o.pos, errors.New("s3 object: seek before the start")
	}
	if pos != o.pos && o.body != nil {
		o.body.Close()
		o.body = nil
	}
	o.pos = pos
	return pos, nil
}

// ReadAt is one ranged GET.
func (o *object) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("s3 object: negative offset")
	}
	if off >= o.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	end := min(off+int64(len(p)), o.size)
	b, err := o.get(off, end)
	if err != nil {
		return 0, err
	}
	defer b.Close()
	n, err := io.ReadFull(b, p[:end-off])
	if err != nil {
		return n, fmt.Errorf("s3 get %s: %w", o.key, err)
	}
	if end-off < int64(len(p)) {
		return n, io.EOF
	}
	return n, nil
}

func (o *object) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.body != nil {
		o.body.Close()
		o.body = nil
	}
	return nil
}
