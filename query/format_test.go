package query

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	inlet "github.com/inlet-data/inlet"
)

// fixedRows is a ResultRows over values in memory.
type fixedRows struct {
	cols []inlet.ResultColumn
	data [][]any
	i    int
}

func (f *fixedRows) Columns() []inlet.ResultColumn { return f.cols }
func (f *fixedRows) Next() bool                    { f.i++; return f.i <= len(f.data) }
func (f *fixedRows) Values() []any                 { return f.data[f.i-1] }
func (f *fixedRows) Err() error                    { return nil }
func (f *fixedRows) Close() error                  { return nil }

func sample() *fixedRows {
	ts := time.Date(2026, 3, 15, 9, 15, 0, 500000000, time.UTC)
	return &fixedRows{
		cols: []inlet.ResultColumn{{Name: "id", Type: inlet.TypeBigint}, {Name: "amount", Type: inlet.DecimalType(10, 2)},
			{Name: "day", Type: inlet.TypeDate}, {Name: "at", Type: inlet.TypeTimestamp}, {Name: "note", Type: inlet.TypeString},
			{Name: "ok", Type: inlet.TypeBoolean}, {Name: "score", Type: inlet.TypeDouble}},
		data: [][]any{
			{int64(1), "100.00", time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), ts, "a, \"quoted\"\nline", true, 0.25},
			{int64(2), nil, nil, nil, nil, nil, nil},
			{int64(3), "-0.05", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), ts, "x", false, 2.0},
		},
	}
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	n, err := Write(&buf, FormatJSON, sample(), 2)
	if err != nil || n.Rows != 2 || !n.Truncated {
		t.Fatalf("wrote %+v, %v; want 2 rows, truncated", n, err)
	}
	var doc struct {
		Columns   []inlet.ResultColumn `json:"columns"`
		Rows      [][]any              `json:"rows"`
		RowCount  int                  `json:"row_count"`
		Truncated bool                 `json:"truncated"`
		Total     int                  `json:"total_rows"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if doc.RowCount != 2 || !doc.Truncated || doc.Total != 3 || len(doc.Rows) != 2 || doc.Columns[1].Type != "decimal(10,2)" {
		t.Fatalf("got %+v", doc)
	}
	if doc.Rows[0][1] != "100.00" || doc.Rows[0][2] != "2026-03-15" || doc.Rows[0][3] != "2026-03-15T09:15:00.5" || doc.Rows[1][1] != nil {
		t.Fatalf("values: %v", doc.Rows)
	}
}

func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	if _, err := Write(&buf, FormatCSV, sample(), 0); err != nil {
		t.Fatal(err)
	}
	want := "id,amount,day,at,note,ok,score\n1,100.00,2026-03-15,2026-03-15T09:15:00.5,\"a, \"\"quoted\"\"\nline\",true,0.25\n2,,,,,,\n3,-0.05,2026-01-01,2026-03-15T09:15:00.5,x,false,2\n"
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func TestWriteArrow(t *testing.T) {
	var buf bytes.Buffer
	if _, err := Write(&buf, FormatArrow, sample(), 0); err != nil {
		t.Fatal(err)
	}
	r, err := ipc.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	var got []string
	for r.Next() {
		rec := r.RecordBatch()
		for i := 0; i < int(rec.NumRows()); i++ {
			var cells []string
			for c := 0; c < int(rec.NumCols()); c++ {
				cells = append(cells, rec.Column(c).ValueStr(i))
			}
			got = append(got, strings.Join(cells, "|"))
		}
		if _, ok := rec.Column(1).(*array.Decimal128); !ok {
			t.Fatalf("amount is %T, want Decimal128", rec.Column(1))
		}
	}
	if len(got) != 3 || !strings.HasPrefix(got[0], "1|100|2026-03-15|2026-03-15T09:15:00.5") || !strings.HasPrefix(got[1], "2|(null)") {
		t.Fatalf("rows: %q", got)
	}
}
