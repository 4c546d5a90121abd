package catalog

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	inlet "github.com/inlet-data/inlet"
)

// GlueTableInput describes a table the way AWS Glue registers an Iceberg
// table: table_type=ICEBERG and the current metadata_location, with Hive
// column types and comments, so Athena, Spark and Trino read it through Glue.
func (c *Catalog) GlueTableInput(ctx context.Context, tenant string, ref inlet.TableRef) (*types.TableInput, error) {
	t, err := c.Table(ctx, tenant, ref)
	if err != nil {
		return nil, err
	}
	return GlueTableInput(t), nil
}

// GlueTableInput builds the Glue TableInput of a described table.
func GlueTableInput(t *inlet.Table) *types.TableInput {
	cols := make([]types.Column, len(t.Columns))
	for i, c := range t.Columns {
		col := types.Column{Name: aws.String(c.Name), Type: aws.String(string(c.Type)),
			Parameters: map[string]string{
				"iceberg.field.id":       strconv.Itoa(c.FieldID),
				"iceberg.field.optional": "true",
				"iceberg.field.current":  "true",
			}}
		if c.Comment != "" {
			col.Comment = aws.String(truncate(c.Comment, 255)) // Glue's limit
		}
		cols[i] = col
	}
	params := map[string]string{
		"table_type":        "ICEBERG",
		"metadata_location": t.MetadataLocation,
		"classification":    "parquet",
	}
	in := &types.TableInput{
		Name:              aws.String(t.Ref.Name),
		TableType:         aws.String("EXTERNAL_TABLE"),
		Parameters:        params,
		StorageDescriptor: &types.StorageDescriptor{Columns: cols, Location: aws.String(t.Location)},
	}
	if d := t.Properties[propDescription]; d != "" {
		in.Description = aws.String(truncate(d, 2048))
	}
	return in
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	for len(string(r)) > n {
		r = r[:len(r)-1]
	}
	return string(r)
}

// MarshalGlue renders a TableInput as the JSON `aws glue create-table
// --table-input` accepts: the API's member names, unset members left out.
func MarshalGlue(in *types.TableInput) ([]byte, error) {
	raw, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	return json.MarshalIndent(prune(v), "", "  ")
}

// prune drops nulls, empty collections, false booleans and zero numbers, which
// the SDK's structs carry for unset members.
func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, val := range x {
			if k == "noSmithyDocumentSerde" {
				continue
			}
			if p := prune(val); !empty(p) {
				out[k] = p
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(x))
		for _, val := range x {
			out = append(out, prune(val))
		}
		return out
	}
	return v
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return false
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	return false
}
