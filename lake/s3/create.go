package s3

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Create buffers up to one part: an object that fits is one PutObject at
// Close; a larger one becomes a multipart upload, its parts sent as they
// fill and the upload completed at Close, or aborted.
func (l *Lake) Create(ctx context.Context, location string) (io.WriteCloser, error) {
	key, err := l.objectKey(location)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := &writer{ctx: ctx, l: l, key: key}
	w.sse, w.kmsKey = l.sse(location)
	return w, nil
}

type writer struct {
	ctx    context.Context
	l      *Lake
	key    string
	sse    types.ServerSideEncryption
	kmsKey *string

	buf      []byte
	uploadID *string
	parts    []types.CompletedPart
	err      error // sticky: Close aborts
	closed   bool
}

func (w *writer) Write(p []byte) (int, error) {
	if w.closed {
		return 0, errors.New("s3: write after close")
	}
	if w.err == nil {
		w.err = w.ctx.Err()
	}
	if w.err != nil {
		return 0, w.err
	}
	n := 0
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = make([]byte, 0, w.l.partSize)
		}
		k := min(len(p), w.l.partSize-len(w.buf))
		w.buf = append(w.buf, p[:k]...)
		p, n = p[k:], n+k
		if len(w.buf) == w.l.partSize {
			if err := w.flushPart(); err != nil {
				w.err = err
				return n, err
			}
		}
	}
	return n, nil
}

// flushPart sends the buffer as the next part, starting the upload first.
func (w *writer) flushPart() error {
	if w.uploadID == nil {
		out, err := w.l.client.CreateMultipartUpload(w.ctx, &awss3.CreateMultipartUploadInput{
			Bucket: &w.l.bucket, Key: &w.key, ServerSideEncryption: w.sse, SSEKMSKeyId: w.kmsKey})
		if err != nil {
			return fmt.Errorf("s3 create upload %s: %w", w.key, err)
		}
		w.uploadID = out.UploadId
	}
	num := int32(len(w.parts) + 1)
	out, err := w.l.client.UploadPart(w.ctx, &awss3.UploadPartInput{
		Bucket: &w.l.bucket, Key: &w.key, UploadId: w.uploadID, PartNumber: &num,
		Body: bytes.NewReader(w.buf), ContentLength: aws.Int64(int64(len(w.buf)))})
	if err != nil {
		return fmt.Errorf("s3 upload part %d of %s: %w", num, w.key, err)
	}
	w.parts = append(w.parts, types.CompletedPart{ETag: out.ETag, PartNumber: &num})
	w.buf = w.buf[:0]
	return nil
}

func (w *writer) Close() error {
	if w.closed {
		return errors.New("s3: close twice")
	}
	w.closed = true
	err := w.err
	if err == nil {
		err = w.ctx.Err()
	}
	if err == nil {
		err = w.finish()
	}
	if err != nil && w.uploadID != nil {
		w.abort()
	}
	w.buf = nil
	return err
}

func (w *writer) finish() error {
	if w.uploadID == nil {
		_, err := w.l.client.PutObject(w.ctx, &awss3.PutObjectInput{
			Bucket: &w.l.bucket, Key: &w.key, Body: bytes.NewReader(w.buf), ContentLength: aws.Int64(int64(len(w.buf))),
			ServerSideEncryption: w.sse, SSEKMSKeyId: w.kmsKey})
		if err != nil {
			return fmt.Errorf("s3 put %s: %w", w.key, err)
		}
		return nil
	}
	if len(w.buf) > 0 {
		if err := w.flushPart(); err != nil {
			return err
		}
	}
	_, err := w.l.client.CompleteMultipartUpload(w.ctx, &awss3.CompleteMultipartUploadInput{
		Bucket: &w.l.bucket, Key: &w.key, UploadId: w.uploadID, MultipartUpload: &types.CompletedMultipartUpload{Parts: w.parts}})
	if err != nil {
		return fmt.Errorf("s3 complete upload %s: %w", w.key, err)
	}
	return nil
}

// abort discards the upload's parts, even when the create's own context
// is what ended.
func (w *writer) abort() {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), 30*time.Second)
	defer cancel()
	_, _ = w.l.client.AbortMultipartUpload(ctx, &awss3.AbortMultipartUploadInput{Bucket: &w.l.bucket, Key: &w.key, UploadId: w.uploadID})
}
