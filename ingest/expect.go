package ingest

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/cespare/xxhash/v2"
	inlet "github.com/inlet-data/inlet"
)

// maxFailingLines is how many failing lines an expectation reports.
const maxFailingLines = 10

// expectations are a table's rules resolved against a write's targets. One
// value is shared by the workers: the unique sets are common to them.
type expectations struct {
	rules   []inlet.Expectation
	target  []int // per rule, the target it checks; -1 when not a column rule
	allowed []map[string]bool
	targets []target
	// keys are, per unique rule, the targets whose values make its key:
	// one column, or an upsert's merge key.
	keys [][]int
	// merge is the index of the rule for an upsert's merge key, or -1.
	merge int

	mu     sync.Mutex
	unique []map[uint64]int32 // per rule: value hash → line first seen (0: in the table)
	// owner is, on an upsert, per unique rule: the hash of the merge key of
	// the table row holding a value. A repeat of it is no conflict when the
	// upload replaces that row.
	owner []map[uint64]uint64
}

// newExpectations resolves rules against targets. A column rule whose column
// the file does not have checks nothing here: not_null then fails at once,
// as every row would read NULL.
// An upsert's merge key must be unique in the file (a row may update one
// row only): it is checked as one more unique rule.
func newExpectations(rules []inlet.Expectation, targets []target, mergeKeys []string) (*expectations, error) {
	if len(mergeKeys) > 0 {
		rules = append(slices.Clone(rules), inlet.Expectation{Kind: inlet.ExpectUnique, Column: strings.Join(mergeKeys, ", ")})
	}
	if len(rules) == 0 {
		return nil, nil
	}
	e := &expectations{rules: rules, targets: targets, target: make([]int, len(rules)),
		allowed: make([]map[string]bool, len(rules)), unique: make([]map[uint64]int32, len(rules)),
		keys: make([][]int, len(rules)), merge: -1}
	if len(mergeKeys) > 0 {
		e.merge = len(rules) - 1
	}
	for i, r := range rules {
		e.target[i] = -1
		if r.Kind == inlet.ExpectRowCount {
			continue
		}
		for k := range targets {
			if targets[k].name == r.Column {
				e.target[i] = k
			}
		}
		if e.target[i] < 0 && r.Kind == inlet.ExpectNotNull {
			return nil, inlet.Errorf(inlet.EINVALID, "expectation not met: %s must not be NULL, and the file has no column %s", r.Column, r.Column)
		}
		switch r.Kind {
		case inlet.ExpectAllowed:
			e.allowed[i] = map[string]bool{}
			for _, v := range r.Values {
				e.allowed[i][v] = true
			}
		case inlet.ExpectUnique:
			e.unique[i] = map[uint64]int32{}
			if i == e.merge {
				for _, name := range mergeKeys {
					k := slices.IndexFunc(targets, func(t target) bool { return t.name == name })
					if k < 0 {
						return nil, inlet.Errorf(inlet.EINVALID, "the merge key %s is not a column of the file", name)
					}
					e.keys[i] = append(e.keys[i], k)
				}
			} else if e.target[i] >= 0 {
				e.keys[i] = []int{e.target[i]}
			}
		}
	}
	return e, nil
}

// uniqueColumns are the columns whose table values a unique rule must be
// checked against (not an upsert's merge key: matching rows are replaced).
func (e *expectations) uniqueColumns() []string {
	if e == nil {
		return nil
	}
	var cols []string
	for i, r := range e.rules {
		if r.Kind == inlet.ExpectUnique && i != e.merge && e.target[i] >= 0 {
			cols = append(cols, r.Column)
		}
	}
	return cols
}

// seed records a value already in the table (in inlet.Catalog's key
// encoding) for the unique rule on column. On an upsert the key is the
// value followed by the row's merge key.
func (e *expectations) seed(column string, key []byte) {
	for i, r := range e.rules {
		if r.Kind != inlet.ExpectUnique || r.Column != column || i == e.merge {
			continue
		}
		if e.merge < 0 {
			e.unique[i][xxhash.Sum64(key)] = 0
			continue
		}
		n := keyLen(e.targets[e.target[i]].kind, key)
		h := xxhash.Sum64(key[:n])
		e.unique[i][h] = 0
		if e.owner == nil {
			e.owner = make([]map[uint64]uint64, len(e.rules))
		}
		if e.owner[i] == nil {
			e.owner[i] = map[uint64]uint64{}
		}
		e.owner[i][h] = xxhash.Sum64(key[n:])
	}
}

// keyLen is the length of the first value of a key.
func keyLen(k kind, key []byte) int {
	switch k {
	case kBigint, kTimestamp, kDouble:
		return 8
	case kDate:
		return 4
	case kBool:
		return 1
	case kDecimal:
		return 16
	}
	return 4 + int(binary.LittleEndian.Uint32(key))
}

// seedColumns are the columns to read from the table to seed the unique
// rule on column: the column, and on an upsert the merge key after it.
func (e *expectations) seedColumns(column string, mergeKeys []string) []string {
	if e.merge < 0 {
		return []string{column}
	}
	return append([]string{column}, mergeKeys...)
}

// expectFailures counts, per rule, the rows that broke it and their first lines.
type expectFailures struct {
	count []int64
	lines [][]int32
	// dupOf is, for a unique rule's failing line, the line it repeats (0: a
	// value already in the table).
	dupOf []map[int32]int32
	// pending are an upsert's repeats of table values, per rule: conflicts
	// unless the upload replaces the row holding the value.
	pending [][]pendingRepeat
}

type pendingRepeat struct {
	line  int32
	owner uint64
}

// checker is one worker's view: failures are counted locally.
type checker struct {
	e *expectations
	f *expectFailures
}

func (e *expectations) checker() *checker {
	if e == nil {
		return nil
	}
	n := len(e.rules)
	return &checker{e: e, f: &expectFailures{count: make([]int64, n), lines: make([][]int32, n), dupOf: make([]map[int32]int32, n), pending: make([][]pendingRepeat, n)}}
}

func (c *checker) failures() *expectFailures {
	if c == nil {
		return nil
	}
	return c.f
}

func (f *expectFailures) fail(rule int, line int32) {
	f.count[rule]++
	if len(f.lines[rule]) < maxFailingLines {
		f.lines[rule] = append(f.lines[rule], line)
	}
}

// observe checks a converted batch; lines are its rows' source lines.
func (c *checker) observe(conv *converter, lines []int32) {
	if c == nil {
		return
	}
	for i, r := range c.e.rules {
		if r.Kind == inlet.ExpectUnique && len(c.e.keys[i]) > 0 {
			c.unique(i, conv, lines)
			continue
		}
		k := c.e.target[i]
		if k < 0 {
			continue
		}
		col := &conv.cols[k]
		t := &c.e.targets[k]
		switch r.Kind {
		case inlet.ExpectNotNull:
			for row, d := range col.def {
				if d == 0 {
					c.f.fail(i, lines[row])
				}
			}
		case inlet.ExpectRange:
			eachValue(col, t, func(row, _ int, v []byte, f float64) {
				if r.Min != nil && f < *r.Min || r.Max != nil && f > *r.Max || math.IsNaN(f) {
					c.f.fail(i, lines[row])
				}
			})
		case inlet.ExpectAllowed:
			eachValue(col, t, func(row, _ int, v []byte, f float64) {
				if !c.e.allowed[i][string(v)] {
					c.f.fail(i, lines[row])
				}
			})
		}
	}
}

// unique checks a batch's keys against the rule's set, shared by the
// workers. Rows with a NULL in the key are not compared (NULL equals
// nothing, as in SQL; an upsert inserts them).
func (c *checker) unique(rule int, conv *converter, lines []int32) {
	keys := c.e.keys[rule]
	hashes := make([]uint64, conv.rows)
	valid := make([]bool, conv.rows)
	offsets := make([][]int, len(keys)) // per key column, the value index of each row (-1: null)
	for n, k := range keys {
		offsets[n] = valueIndex(&conv.cols[k])
	}
	var buf []byte
	for row := 0; row < conv.rows; row++ {
		buf = buf[:0]
		valid[row] = true
		for n, k := range keys {
			at := offsets[n][row]
			if at < 0 {
				valid[row] = false
				break
			}
			buf = appendKey(buf, &conv.cols[k], &c.e.targets[k], at)
		}
		if valid[row] {
			hashes[row] = xxhash.Sum64(buf)
		}
	}
	c.e.mu.Lock()
	defer c.e.mu.Unlock()
	set := c.e.unique[rule]
	for row, h := range hashes {
		if !valid[row] {
			continue
		}
		line := lines[row]
		if first, dup := set[h]; dup {
			if first == 0 && c.e.owner != nil && c.e.owner[rule] != nil {
				c.f.pending[rule] = append(c.f.pending[rule], pendingRepeat{line: line, owner: c.e.owner[rule][h]})
				continue
			}
			c.f.fail(rule, line)
			if c.f.dupOf[rule] == nil {
				c.f.dupOf[rule] = map[int32]int32{}
			}
			c.f.dupOf[rule][line] = first
			continue
		}
		set[h] = line
	}
}

// valueIndex maps each row of a column to its value's index among the
// non-null values, -1 for NULL.
func valueIndex(col *colValues) []int {
	out := make([]int, len(col.def))
	n := 0
	for row, d := range col.def {
		if d == 0 {
			out[row] = -1
			continue
		}
		out[row] = n
		n++
	}
	return out
}

// appendKey appends the n-th value of a column in inlet.AppendKey's
// encoding, which the catalog uses for values already in a table.
func appendKey(buf []byte, col *colValues, t *target, n int) []byte {
	switch t.kind {
	case kBigint, kTimestamp:
		return binary.LittleEndian.AppendUint64(buf, uint64(col.i64[n]))
	case kDate:
		return binary.LittleEndian.AppendUint32(buf, uint32(col.i32[n]))
	case kDouble:
		return binary.LittleEndian.AppendUint64(buf, math.Float64bits(col.f64[n]))
	case kBool:
		if col.bools[n] {
			return append(buf, 1)
		}
		return append(buf, 0)
	case kDecimal:
		return append(buf, col.data[n*16:n*16+16]...)
	}
	start := int32(0)
	if n > 0 {
		start = col.ends[n-1]
	}
	v := col.data[start:col.ends[n]]
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(v)))
	return append(buf, v...)
}

// eachValue calls fn for each non-null value of a column with the value as
// text (what allowed values and unique compare) and as a number (ranges).
func eachValue(col *colValues, t *target, fn func(row, n int, text []byte, num float64)) {
	var buf []byte
	n := 0
	start := int32(0)
	for row, d := range col.def {
		if d == 0 {
			continue
		}
		switch t.kind {
		case kBigint, kTimestamp:
			v := col.i64[n]
			if t.kind == kBigint {
				buf = strconv.AppendInt(buf[:0], v, 10)
			} else {
				buf = binary.BigEndian.AppendUint64(buf[:0], uint64(v))
			}
			fn(row, n, buf, float64(v))
		case kDate:
			v := col.i32[n]
			buf = binary.BigEndian.AppendUint32(buf[:0], uint32(v))
			fn(row, n, buf, float64(v))
		case kDouble:
			v := col.f64[n]
			buf = strconv.AppendFloat(buf[:0], v, 'g', -1, 64)
			fn(row, n, buf, v)
		case kBool:
			buf = strconv.AppendBool(buf[:0], col.bools[n])
			fn(row, n, buf, math.NaN())
		case kDecimal:
			v := col.data[n*16 : n*16+16]
			fn(row, n, v, decimalFloat(v, t.scale))
		default:
			end := col.ends[n]
			fn(row, n, col.data[start:end], math.NaN())
			start = end
		}
		n++
	}
}

func (f *expectFailures) merge(o *expectFailures) *expectFailures {
	if f == nil {
		return o
	}
	if o == nil {
		return f
	}
	for i := range f.count {
		f.count[i] += o.count[i]
		f.lines[i] = append(f.lines[i], o.lines[i]...)
		f.pending[i] = append(f.pending[i], o.pending[i]...)
		for l, first := range o.dupOf[i] {
			if f.dupOf[i] == nil {
				f.dupOf[i] = map[int32]int32{}
			}
			f.dupOf[i][l] = first
		}
	}
	return f
}

// err describes every broken rule, or returns nil. Values are never named:
// they may be personal data; lines are.
func (e *expectations) err(file string, f *expectFailures) error {
	if f == nil {
		return nil
	}
	// An upsert's repeat of a table value conflicts unless the upload
	// replaces the row that holds it (the merge rule's set has every key of
	// the upload once the pass is over).
	for i, reps := range f.pending {
		for _, p := range reps {
			if _, replaced := e.unique[e.merge][p.owner]; !replaced {
				f.fail(i, p.line)
				if f.dupOf[i] == nil {
					f.dupOf[i] = map[int32]int32{}
				}
				f.dupOf[i][p.line] = 0
			}
		}
	}
	var parts []string
	fields := map[string]string{}
	for i, r := range e.rules {
		if f.count[i] == 0 {
			continue
		}
		lines := slices.Clone(f.lines[i])
		slices.Sort(lines)
		lines = lines[:min(len(lines), maxFailingLines)]
		var where []string
		for _, l := range lines {
			s := "line " + strconv.Itoa(int(l))
			if first, ok := f.dupOf[i][l]; ok {
				if first == 0 {
					s += " repeats a value already in the table"
				} else {
					s += fmt.Sprintf(" repeats line %d", first)
				}
			}
			where = append(where, s)
		}
		more := ""
		if f.count[i] > int64(len(lines)) {
			more = ", and more"
		}
		what := describeExpectation(r)
		if i == e.merge {
			what = "the merge key (" + r.Column + ") must be unique in the file, as each row updates one row"
		}
		msg := fmt.Sprintf("%s: %s (%s%s)", what, plural(int(f.count[i]), "row"), strings.Join(where, ", "), more)
		parts = append(parts, msg)
		if i == e.merge {
			fields["keys"] = msg
		} else {
			fields["expectations."+strconv.Itoa(i)] = msg
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return &inlet.Error{Code: inlet.EINVALID, Fields: fields,
		Message: fmt.Sprintf("%s breaks the table's expectations, so nothing was written: %s. Fix those rows and upload again, or ask the table's owner to change the expectations", file, strings.Join(parts, "; "))}
}

// checkRowCount compares an upload's rows with the last upload's.
func (e *expectations) checkRowCount(file string, rows, last int64) error {
	if e == nil || last <= 0 {
		return nil
	}
	for _, r := range e.rules {
		if r.Kind != inlet.ExpectRowCount {
			continue
		}
		change := math.Abs(float64(rows-last)) / float64(last) * 100
		if change > r.Percent {
			return inlet.Errorf(inlet.EINVALID, "%s has %d rows, %.1f %% away from the last upload's %d: the table expects at most %g %%, so nothing was written (ask the table's owner to change the expectation if this is right)", file, rows, change, last, r.Percent)
		}
	}
	return nil
}

func describeExpectation(r inlet.Expectation) string {
	switch r.Kind {
	case inlet.ExpectNotNull:
		return r.Column + " must not be NULL"
	case inlet.ExpectUnique:
		return r.Column + " must be unique"
	case inlet.ExpectRange:
		switch {
		case r.Min != nil && r.Max != nil:
			return fmt.Sprintf("%s must be between %g and %g", r.Column, *r.Min, *r.Max)
		case r.Min != nil:
			return fmt.Sprintf("%s must be at least %g", r.Column, *r.Min)
		default:
			return fmt.Sprintf("%s must be at most %g", r.Column, *r.Max)
		}
	case inlet.ExpectAllowed:
		return fmt.Sprintf("%s must be one of %d allowed values", r.Column, len(r.Values))
	}
	return string(r.Kind)
}
