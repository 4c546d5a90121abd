package s3

import (
	"context"

	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// SSEClient is the lake's S3 client with the lake's SSE-KMS settings put
// on every object it creates, for the pieces that write to S3 themselves
// (tusd's s3store keeps raw upload pieces: they are encrypted like the
// lake's own objects).
type SSEClient struct {
	*awss3.Client
	sse types.ServerSideEncryption
	key *string
}

// SSEClient returns the client that encrypts objects created under
// location as the lake would.
func (l *Lake) SSEClient(location string) *SSEClient {
	c := &SSEClient{Client: l.client}
	c.sse, c.key = l.sse(location)
	return c
}

func (c *SSEClient) PutObject(ctx context.Context, in *awss3.PutObjectInput, opts ...func(*awss3.Options)) (*awss3.PutObjectOutput, error) {
	if c.key != nil {
		in.ServerSideEncryption, in.SSEKMSKeyId = c.sse, c.key
	}
	return c.Client.PutObject(ctx, in, opts...)
}

func (c *SSEClient) CreateMultipartUpload(ctx context.Context, in *awss3.CreateMultipartUploadInput, opts ...func(*awss3.Options)) (*awss3.CreateMultipartUploadOutput, error) {
	if c.key != nil {
		in.ServerSideEncryption, in.SSEKMSKeyId = c.sse, c.key
	}
	return c.Client.CreateMultipartUpload(ctx, in, opts...)
}
