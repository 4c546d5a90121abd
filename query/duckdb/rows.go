package duckdb

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	inlet "github.com/inlet-data/inlet"
)

// rows reads a result from a tenant's engine process: an Arrow IPC stream
// of record batches, then a trailer that says whether it ended well.
type rows struct {
	e      *Engine
	ctx    context.Context // the statement's: its end explains a broken stream
	cancel context.CancelFunc
	turn   *waiter
	conn   net.Conn
	br     *bufio.Reader
	stop   func() bool // unregisters the close-on-cancel
	rd     *ipc.Reader
	// release lets go of the local copies of the files the statement
	// reads (nil when there are none).
	release func()

	cols   []inlet.ResultColumn
	rec    arrow.RecordBatch
	row    int
	values []any
	err    error
	done   bool
	closed bool
}

func (r *rows) Columns() []inlet.ResultColumn { return r.cols }
func (r *rows) Values() []any                 { return r.values }
func (r *rows) Err() error                    { return r.err }

func (r *rows) Next() bool {
	for {
		if r.rec != nil && r.row < int(r.rec.NumRows()) {
			for i, col := range r.rec.Columns() {
				r.values[i] = value(col, r.row)
			}
			r.row++
			return true
		}
		if !r.fetch() {
			return false
		}
	}
}

// fetch reads the next record batch; at the end of the stream it reads
// the trailer.
func (r *rows) fetch() bool {
	if r.done || r.rd == nil {
		return false
	}
	if r.rd.Next() {
		r.rec, r.row = r.rd.RecordBatch(), 0
		return true
	}
	r.done, r.rec = true, nil
	if err := r.rd.Err(); err != nil {
		r.err = r.broken(err)
		return false
	}
	var t trailer
	if err := readLine(r.br, &t); err != nil {
		r.err = r.broken(err)
	} else if t.Error != nil {
		if t.Error.Code == inlet.EINTERNAL {
			r.e.log.Error("query engine error", "tenant", r.turn.tenant, "kind", t.Error.Kind)
		}
		r.err = t.Error.err()
	}
	return false
}

// broken explains a result stream that ended early.
func (r *rows) broken(err error) error {
	return r.e.explain(r.ctx, r.turn.proc, r.e.lost(r.ctx, r.turn.proc, err))
}

func (r *rows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.conn != nil {
		r.stop()
		r.conn.Close() // interrupts the statement if it still runs
	}
	if r.rd != nil {
		r.rd.Release()
	}
	r.cancel()
	if r.release != nil {
		r.release()
	}
	r.e.release(r.turn)
	return nil
}

// value reads one cell as the engine-neutral Go value of its column.
func value(col arrow.Array, i int) any {
	if col.IsNull(i) {
		return nil
	}
	switch a := col.(type) {
	case *array.Int64:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.String:
		return strings.Clone(a.Value(i)) // the batch's memory is not the caller's to keep
	case *array.Date32:
		return a.Value(i).ToTime().UTC()
	case *array.Timestamp:
		return time.UnixMicro(int64(a.Value(i))).UTC()
	case *array.Decimal128:
		scale := int(a.DataType().(*arrow.Decimal128Type).Scale)
		return decimalString(a.Value(i).BigInt(), scale)
	}
	return fmt.Sprint(col.GetOneForMarshal(i))
}
