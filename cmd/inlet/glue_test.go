package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// `inlet glue` prints a TableInput that the AWS SDK accepts as is: it
// validates the required members and serialises the real Glue wire format,
// here sent to a recorder on loopback instead of AWS.
func TestGlueTableInputContract(t *testing.T) {
	data, _, _ := ingestCustomers(t, 20)
	out, stderr, code := cli(t, data, "glue", "crm.customers")
	if code != 0 {
		t.Fatalf("glue: %s", stderr)
	}
	var in types.TableInput
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		t.Fatalf("glue output is not a TableInput: %v\n%s", err, out)
	}

	var target string
	var body map[string]any
	rec := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target = r.Header.Get("X-Amz-Target")
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Write([]byte("{}"))
	}))
	defer rec.Close()
	client := glue.New(glue.Options{Region: "eu-west-1", BaseEndpoint: aws.String(rec.URL),
		Credentials: aws.AnonymousCredentials{}})
	if _, err := client.CreateTable(context.Background(), &glue.CreateTableInput{DatabaseName: aws.String("crm"), TableInput: &in}); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	if target != "AWSGlue.CreateTable" {
		t.Errorf("X-Amz-Target: got %q", target)
	}
	ti := body["TableInput"].(map[string]any)
	params := ti["Parameters"].(map[string]any)
	if ti["Name"] != "customers" || ti["TableType"] != "EXTERNAL_TABLE" || params["table_type"] != "ICEBERG" ||
		!strings.HasSuffix(params["metadata_location"].(string), ".metadata.json") {
		t.Errorf("wire TableInput: %v", ti)
	}
	cols := ti["StorageDescriptor"].(map[string]any)["Columns"].([]any)
	types := map[string]string{}
	for _, c := range cols {
		m := c.(map[string]any)
		types[m["Name"].(string)] = m["Type"].(string)
		if m["Name"] == "email" && !strings.Contains(m["Comment"].(string), "hashed") {
			t.Errorf("email comment: %v", m["Comment"])
		}
	}
	if types["customer_id"] != "bigint" || types["amount"] != "decimal(18,2)" || types["signup_date"] != "date" || types["email"] != "string" {
		t.Errorf("column types: %v", types)
	}
	// Nothing raw in the Glue metadata either.
	if strings.Contains(out, "@example.com") {
		t.Error("glue output contains an email address")
	}
}
