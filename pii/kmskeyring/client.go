package kmskeyring

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// NewClient returns a KMS client with the AWS SDK's usual configuration
// (region and credentials from the AWS_* environment, shared config files
// or the instance role). endpoint, when set, replaces KMS's (local-kms, a
// VPC endpoint); region, when set, overrides the configured one.
func NewClient(ctx context.Context, endpoint, region string) (*kms.Client, error) {
	var opts []func(*config.LoadOptions) error
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("aws configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("aws configuration: no region (set AWS_REGION)")
	}
	return kms.NewFromConfig(cfg, func(o *kms.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	}), nil
}
