package inlet

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Jobs queued before IngestJobSpec replaced the two structs it merges
// (ingest.JobSpec, and the server's copy without source_path) still decode,
// and a spec is written with the same field names as before.
func TestIngestJobSpecDecodesOldJobs(t *testing.T) {
	header := true
	for name, c := range map[string]struct {
		old  string
		want IngestJobSpec
	}{
		"queued by the server": {
			old: `{"upload_id":"u1","table":{"database":"sales","name":"orders"},"mode":"append","options":{"delimiter":";","header":true},` +
				`"columns":[{"source":"Email","action":"hash","entity":"email"}],"on_error":"skip","file_name":"orders.csv","sha256":"abc"}`,
			want: IngestJobSpec{IngestSpec: IngestSpec{UploadID: "u1", Table: TableRef{Database: "sales", Name: "orders"}, Mode: ModeAppend,
				Options: InspectOptions{Delimiter: ";", Header: &header}, Columns: []ColumnSpec{{Source: "Email", Action: ActionHash, Entity: Entity("email")}},
				OnError: "skip"}, FileName: "orders.csv", SHA256: "abc"},
		},
		"run by the command line": {
			old: `{"upload_id":"u2","table":{"database":"s","name":"t"},"mode":"upsert","keys":["id"],"options":{},"file_name":"t.xlsx","sha256":"","source_path":"/home/me/t.xlsx"}`,
			want: IngestJobSpec{IngestSpec: IngestSpec{UploadID: "u2", Table: TableRef{Database: "s", Name: "t"}, Mode: ModeUpsert, Keys: []string{"id"}},
				FileName: "t.xlsx", SourcePath: "/home/me/t.xlsx"},
		},
	} {
		t.Run(name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(c.old))
			dec.DisallowUnknownFields() // every field of the old shape has its place
			var got IngestJobSpec
			if err := dec.Decode(&got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("decoded %+v\nwant    %+v", got, c.want)
			}
			// Written again, it says the same: old and new readers agree.
			b, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			var before, after map[string]any
			json.Unmarshal([]byte(c.old), &before)
			json.Unmarshal(b, &after)
			for k, v := range before {
				if !reflect.DeepEqual(after[k], v) {
					t.Errorf("field %q: written as %v, was %v", k, after[k], v)
				}
			}
			for k := range after {
				if _, ok := before[k]; !ok {
					t.Errorf("field %q is new", k)
				}
			}
		})
	}
}
