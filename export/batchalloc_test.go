package export

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

func TestBatchAllocator(t *testing.T) {
	a := newBatchAllocator()
	aligned := func(b []byte) bool { return uintptr(unsafe.Pointer(unsafe.SliceData(b[:1])))%alignment == 0 }
	for _, size := range []int{1, 63, 64, 65, 1000, 4096, 1<<20 + 3} {
		b := a.Allocate(size)
		if len(b) != size || !aligned(b) {
			t.Fatalf("Allocate(%d): len %d, aligned %v", size, len(b), aligned(b))
		}
		for i := range b {
			b[i] = 0xAB
		}
		a.Free(b)
		// The same buffer comes back, zeroed over all of it.
		c := a.Allocate(size)
		if unsafe.SliceData(c) != unsafe.SliceData(b) {
			t.Errorf("Allocate(%d) after Free: a new buffer, want the freed one again", size)
		}
		for i, v := range c[:cap(c)] {
			if v != 0 {
				t.Fatalf("Allocate(%d) after Free: byte %d is %#x, want 0", size, i, v)
			}
		}
	}

	// A buffer freed twice is kept once: two batches never share it.
	b := a.Allocate(500)
	a.Free(b)
	a.Free(b)
	x, y := a.Allocate(500), a.Allocate(500)
	if unsafe.SliceData(x) == unsafe.SliceData(y) {
		t.Fatal("a buffer freed twice was handed out twice")
	}

	// Reallocate keeps the contents.
	r := a.Allocate(100)
	copy(r, "inlet")
	r = a.Reallocate(3000, r)
	if len(r) != 3000 || string(r[:5]) != "inlet" || r[5] != 0 || r[2999] != 0 {
		t.Fatalf("Reallocate: len %d, %q", len(r), r[:6])
	}

	// What is kept is bounded; buffers past the largest class are the
	// collector's, as is memory that is not the allocator's.
	before := a.kept
	a.Free(a.Allocate(1<<maxClass + 1))
	a.Free(make([]byte, 100))
	if a.kept != before {
		t.Errorf("kept %d more bytes: a buffer past the largest class, or not the allocator's", a.kept-before)
	}
	var held [][]byte
	for range keepBytes/(1<<20) + 8 {
		held = append(held, a.Allocate(1<<20))
	}
	for _, h := range held {
		a.Free(h)
	}
	if a.kept > keepBytes {
		t.Errorf("kept %d bytes, more than %d", a.kept, keepBytes)
	}
}

// Rows read back through the batch allocator are the rows written, over
// row groups and pages that do not line up with the 4096-row batches,
// dictionary-encoded and nullable text, decimals, timestamps and booleans,
// with every freed buffer poisoned: a buffer Arrow released while a batch
// still used it would show here as a wrong value.
func TestParquetRowsReuseNoBufferInUse(t *testing.T) {
	poisonFreed = true
	defer func() { poisonFreed = false }()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "segment", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "note", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "amount", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
		{Name: "ok", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}, nil)
	const rows = 10007
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	segments := []string{"consumer", "enterprise", "smb", "public", "山田商店"}
	for i := range rows {
		if i%7 == 3 {
			for _, f := range b.Fields() {
				f.AppendNull()
			}
			continue
		}
		b.Field(0).(*array.StringBuilder).Append(segments[i%len(segments)])
		b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("row %d: %s", i, strings.Repeat("x", i%90)))
		b.Field(2).(*array.Int64Builder).Append(int64(i) * -7919)
		b.Field(3).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i)*101 - 5000))
		b.Field(4).(*array.TimestampBuilder).Append(arrow.Timestamp(1_700_000_000_000_000 + int64(i)*1_000_003))
		b.Field(5).(*array.BooleanBuilder).Append(i%3 == 0)
	}
	src := b.NewRecordBatch()
	defer src.Release()

	var file bytes.Buffer
	props := parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(1000), parquet.WithDataPageSize(2048), parquet.WithDictionaryDefault(true))
	w, err := pqarrow.NewFileWriter(schema, &file, props, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(src); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	r, err := openParquetRows(context.Background(), bytes.NewReader(file.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	i := 0
	for ; r.Next(); i++ {
		for c, got := range r.Values() {
			if want := cell(src.Column(c), i); got != want {
				t.Fatalf("row %d, column %s: read back %#v, want %#v", i, schema.Field(c).Name, got, want)
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if i != rows {
		t.Fatalf("read back %d rows, want %d", i, rows)
	}
}
