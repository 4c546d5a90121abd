package ingest

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/axiomhq/hyperloglog"
	"github.com/cespare/xxhash/v2"
	inlet "github.com/inlet-data/inlet"
)

const (
	// maxTop is how many distinct values a column may have and still get top
	// values: past it a column is not low-cardinality and the counts go.
	maxTop = 64
	// showTop is how many of them a profile shows.
	showTop = 10
	// sampleSize bounds the values a histogram is drawn from, per worker
	// and in the merged profile.
	sampleSize = 1024
	// histogramBins is the number of equal-width bins of a histogram.
	histogramBins = 10
	// maxProfiledString is the longest string kept as a min or max; longer
	// ones are compared by their first bytes only.
	maxProfiledString = 64
)

// colProfile accumulates one column's profile. The same state is what a
// profile file keeps, so an append merges into the table's profile instead
// of reading the table again.
type colProfile struct {
	Kind     string `json:"kind"` // the column type: a changed type starts afresh
	Personal bool   `json:"personal,omitempty"`
	Nulls    int64  `json:"nulls"`
	Values   int64  `json:"values"`
	HLL      []byte `json:"hll,omitempty"` // a marshalled sketch, between passes
	HasRange bool   `json:"has_range,omitempty"`
	// The range as the column types it: integers (bigint, date days,
	// timestamp micros), floats, or bytes (strings; decimals as 16 bytes with
	// the sign bit flipped, so bytes compare as numbers).
	MinI       int64            `json:"min_i,omitempty,string"`
	MaxI       int64            `json:"max_i,omitempty,string"`
	MinF       float64          `json:"min_f,omitempty"`
	MaxF       float64          `json:"max_f,omitempty"`
	MinB       []byte           `json:"min_b,omitempty"`
	MaxB       []byte           `json:"max_b,omitempty"`
	Top        map[string]int64 `json:"top,omitempty"`
	ManyValues bool             `json:"many_values,omitempty"` // past maxTop: no top values
	Sample     []float64        `json:"sample,omitempty"`
	Approx     bool             `json:"approx,omitempty"`

	// counts tallies while writing, a pointer per value so that counting a
	// value seen before allocates nothing; settle moves them into Top.
	counts map[string]*int64
	kind   kind
	scale  int32
	hll    *hyperloglog.Sketch
}

// profiler profiles one worker's batches.
type profiler struct {
	cols []colProfile
	rng  uint64
}

func newProfiler(targets []target, personal []bool, seed uint64) *profiler {
	p := &profiler{cols: make([]colProfile, len(targets)), rng: seed | 1}
	for i := range targets {
		t := &targets[i]
		p.cols[i] = colProfile{Kind: string(t.typ), kind: t.kind, scale: t.scale, hll: newSketch(),
			Personal: personal[i] || t.kind.transforms()}
	}
	return p
}

// observe adds a converted batch to the profiles.
func (p *profiler) observe(conv *converter) {
	for i := range conv.cols {
		p.observeColumn(&p.cols[i], &conv.cols[i])
	}
}

func (p *profiler) observeColumn(cp *colProfile, col *colValues) {
	n := int64(0)
	for _, d := range col.def {
		if d == 1 {
			n++
		}
	}
	cp.Nulls += int64(len(col.def)) - n
	cp.Values += n
	switch cp.kind {
	case kBigint, kTimestamp:
		for _, v := range col.i64 {
			cp.hll.InsertHash(mix(uint64(v)))
			cp.rangeI(v)
			p.sample(cp, float64(v))
		}
		if cp.kind == kBigint {
			var buf [20]byte
			for _, v := range col.i64 {
				if cp.ManyValues {
					break
				}
				cp.count(strconv.AppendInt(buf[:0], v, 10))
			}
		}
	case kDate:
		for _, v := range col.i32 {
			cp.hll.InsertHash(mix(uint64(v)))
			cp.rangeI(int64(v))
			p.sample(cp, float64(v))
		}
	case kDouble:
		for _, v := range col.f64 {
			cp.hll.InsertHash(mix(math.Float64bits(v)))
			if !math.IsNaN(v) {
				cp.rangeF(v)
				p.sample(cp, v)
			}
		}
	case kBool:
		for _, v := range col.bools {
			if v {
				cp.hll.InsertHash(mix(1))
				cp.count(trueText)
			} else {
				cp.hll.InsertHash(mix(2))
				cp.count(falseText)
			}
		}
	case kDecimal:
		var key [16]byte
		for off := 0; off+16 <= len(col.data); off += 16 {
			v := col.data[off : off+16]
			cp.hll.InsertHash(xxhash.Sum64(v))
			copy(key[:], v)
			key[0] ^= 0x80
			cp.rangeB(key[:])
			p.sample(cp, decimalFloat(v, cp.scale))
		}
	default: // strings, and what hashing, masking and generalising write
		start := int32(0)
		for _, end := range col.ends {
			v := col.data[start:end]
			start = end
			cp.hll.InsertHash(valueHash(cp.kind, v))
			if !cp.Personal {
				cp.rangeB(v[:min(len(v), maxProfiledString)])
				if !cp.ManyValues {
					cp.count(v)
				}
			}
		}
	}
}

func (cp *colProfile) rangeI(v int64) {
	if !cp.HasRange {
		cp.MinI, cp.MaxI, cp.HasRange = v, v, true
		return
	}
	cp.MinI, cp.MaxI = min(cp.MinI, v), max(cp.MaxI, v)
}

func (cp *colProfile) rangeF(v float64) {
	if !cp.HasRange {
		cp.MinF, cp.MaxF, cp.HasRange = v, v, true
		return
	}
	cp.MinF, cp.MaxF = min(cp.MinF, v), max(cp.MaxF, v)
}

func (cp *colProfile) rangeB(v []byte) {
	if !cp.HasRange {
		cp.MinB, cp.MaxB, cp.HasRange = bytes.Clone(v), bytes.Clone(v), true
		return
	}
	if bytes.Compare(v, cp.MinB) < 0 {
		cp.MinB = append(cp.MinB[:0], v...)
	}
	if bytes.Compare(v, cp.MaxB) > 0 {
		cp.MaxB = append(cp.MaxB[:0], v...)
	}
}

// count tallies a value while the column has few distinct values.
func (cp *colProfile) count(v []byte) {
	if cp.Personal || cp.ManyValues {
		return
	}
	if n, ok := cp.counts[string(v)]; ok {
		*n++
		return
	}
	if cp.counts == nil {
		cp.counts = map[string]*int64{}
	}
	if len(cp.counts)+len(cp.Top) >= maxTop {
		cp.counts, cp.Top, cp.ManyValues = nil, nil, true
		return
	}
	one := int64(1)
	cp.counts[string(v)] = &one
}

// settle moves the running counts into Top, where merges and the stored
// state keep them.
func (cp *colProfile) settle() {
	if cp.ManyValues {
		cp.Top, cp.counts = nil, nil
		return
	}
	for v, n := range cp.counts {
		if cp.Top == nil {
			cp.Top = map[string]int64{}
		}
		cp.Top[v] += *n
	}
	cp.counts = nil
	if len(cp.Top) > maxTop {
		cp.Top, cp.ManyValues = nil, true
	}
}

// sample keeps a uniform sample of a numeric column's values (reservoir
// sampling) for its histogram.
func (p *profiler) sample(cp *colProfile, v float64) {
	if cp.Personal {
		return
	}
	if len(cp.Sample) < sampleSize {
		cp.Sample = append(cp.Sample, v)
		return
	}
	// Values past the first sampleSize replace a random slot with
	// probability sampleSize/seen (Algorithm R).
	p.rng ^= p.rng << 13
	p.rng ^= p.rng >> 7
	p.rng ^= p.rng << 17
	if j := p.rng % uint64(cp.Values); j < sampleSize {
		cp.Sample[j] = v
	}
}

// newSketch is a dense HyperLogLog of precision 14 (about 0.8 % error,
// 8 KiB): the sparse form saves memory on small columns but merges on
// every insert, which costs an ingest a tenth of its time.
func newSketch() *hyperloglog.Sketch { return hyperloglog.NewNoSparse() }

var trueText, falseText = []byte("true"), []byte("false")

// valueHash hashes a string for the sketch. A hashed column's values are
// hex HMACs, uniform already: mixing their first 32 characters (128 bits)
// costs a fraction of hashing them again.
func valueHash(k kind, v []byte) uint64 {
	if k == kHash && len(v) >= 32 {
		le := binary.LittleEndian
		return mix(le.Uint64(v) ^ mix(le.Uint64(v[8:])^mix(le.Uint64(v[16:])^mix(le.Uint64(v[24:])))))
	}
	return xxhash.Sum64(v)
}

// mix spreads an integer's bits for the sketch (SplitMix64's finaliser).
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

func decimalFloat(b []byte, scale int32) float64 {
	n := decimal128.New(int64(binary.BigEndian.Uint64(b[:8])), binary.BigEndian.Uint64(b[8:16]))
	return n.ToFloat64(scale)
}

// merge adds another profile of the same column (another worker's, or the
// table's before an append) into cp.
func (cp *colProfile) merge(o *colProfile) {
	cp.settle()
	o.settle()
	if o.hll != nil {
		_ = cp.hll.Merge(o.hll) // both are New14
	}
	if o.HasRange {
		switch cp.kind {
		case kBigint, kTimestamp, kDate:
			cp.rangeI(o.MinI)
			cp.rangeI(o.MaxI)
		case kDouble:
			cp.rangeF(o.MinF)
			cp.rangeF(o.MaxF)
		default:
			cp.rangeB(o.MinB)
			cp.rangeB(o.MaxB)
		}
	}
	if o.ManyValues || cp.ManyValues {
		cp.Top, cp.ManyValues = nil, true
	} else {
		for v, n := range o.Top {
			if _, ok := cp.Top[v]; !ok && len(cp.Top) >= maxTop {
				cp.Top, cp.ManyValues = nil, true
				break
			}
			if cp.Top == nil {
				cp.Top = map[string]int64{}
			}
			cp.Top[v] += n
		}
	}
	cp.Sample = mergeSamples(cp.Sample, cp.Values, o.Sample, o.Values)
	cp.Nulls += o.Nulls
	cp.Values += o.Values
	cp.Approx = cp.Approx || o.Approx
}

// mergeSamples draws from two uniform samples in proportion to the values
// each stands for.
func mergeSamples(a []float64, na int64, b []float64, nb int64) []float64 {
	if len(a)+len(b) <= sampleSize {
		return append(a, b...)
	}
	fromA := int(math.Round(float64(sampleSize) * float64(na) / float64(na+nb)))
	fromA = min(fromA, len(a))
	fromB := min(sampleSize-fromA, len(b))
	out := make([]float64, 0, fromA+fromB)
	return append(append(out, a[:fromA]...), b[:fromB]...)
}

// profile is what people see.
func (cp *colProfile) profile() inlet.ColumnProfile {
	cp.settle()
	out := inlet.ColumnProfile{Nulls: cp.Nulls, Distinct: int64(cp.hll.Estimate()), Approximate: cp.Approx}
	if cp.Values == 0 {
		out.Distinct = 0
	}
	if cp.Values > 0 && out.Distinct > cp.Values {
		out.Distinct = cp.Values // the estimate can overshoot a handful of values
	}
	if cp.Personal {
		return out
	}
	if cp.HasRange {
		lo, hi := cp.render(false), cp.render(true)
		out.Min, out.Max = &lo, &hi
	}
	if !cp.ManyValues && len(cp.Top) > 0 && len(cp.Top) < int(cp.Values) {
		for v, n := range cp.Top {
			out.Top = append(out.Top, inlet.ValueCount{Value: v, Count: n})
		}
		sort.Slice(out.Top, func(i, j int) bool {
			if out.Top[i].Count != out.Top[j].Count {
				return out.Top[i].Count > out.Top[j].Count
			}
			return out.Top[i].Value < out.Top[j].Value
		})
		out.Top = out.Top[:min(len(out.Top), showTop)]
	}
	out.Histogram = cp.histogram()
	return out
}

// render writes the minimum or maximum as the column's type reads.
func (cp *colProfile) render(maximum bool) string {
	i, f, b := cp.MinI, cp.MinF, cp.MinB
	if maximum {
		i, f, b = cp.MaxI, cp.MaxF, cp.MaxB
	}
	switch cp.kind {
	case kBigint:
		return strconv.FormatInt(i, 10)
	case kDate:
		return time.Unix(i*86400, 0).UTC().Format(time.DateOnly)
	case kTimestamp:
		return time.UnixMicro(i).UTC().Format("2006-01-02 15:04:05.999999")
	case kDouble:
		return strconv.FormatFloat(f, 'g', -1, 64)
	case kDecimal:
		v := bytes.Clone(b)
		v[0] ^= 0x80
		n := decimal128.New(int64(binary.BigEndian.Uint64(v[:8])), binary.BigEndian.Uint64(v[8:16]))
		return formatDecimal(n.BigInt(), cp.scale)
	case kBool:
		return string(b)
	}
	return string(b)
}

func formatDecimal(n *big.Int, scale int32) string {
	s := n.String()
	if scale <= 0 {
		return s
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	for len(s) <= int(scale) {
		s = "0" + s
	}
	s = s[:len(s)-int(scale)] + "." + s[len(s)-int(scale):]
	if neg {
		s = "-" + s
	}
	return s
}

// histogram bins the sample between the column's true minimum and maximum;
// counts are scaled to the column's values.
func (cp *colProfile) histogram() []inlet.Bin {
	if len(cp.Sample) == 0 || !cp.HasRange {
		return nil
	}
	var lo, hi float64
	switch cp.kind {
	case kBigint, kDate, kTimestamp:
		lo, hi = float64(cp.MinI), float64(cp.MaxI)
	case kDouble:
		lo, hi = cp.MinF, cp.MaxF
	case kDecimal:
		a, b := bytes.Clone(cp.MinB), bytes.Clone(cp.MaxB)
		a[0] ^= 0x80
		b[0] ^= 0x80
		lo, hi = decimalFloat(a, cp.scale), decimalFloat(b, cp.scale)
	default:
		return nil
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	counts := func(bins int, bin func(v float64) int) []int64 {
		out := make([]int64, bins)
		for _, v := range cp.Sample {
			out[min(max(bin(v), 0), bins-1)]++
		}
		return out
	}
	scale := float64(cp.Values) / float64(len(cp.Sample))
	estimate := func(n int64) int64 { return int64(math.Round(float64(n) * scale)) }
	if cp.kind == kBigint || cp.kind == kDate {
		// Whole numbers: bins of whole width, both ends included.
		span := hi - lo + 1
		width := math.Ceil(span / histogramBins)
		bins := int(math.Ceil(span / width))
		c := counts(bins, func(v float64) int { return int((v - lo) / width) })
		out := make([]inlet.Bin, bins)
		for k := range out {
			a, b := lo+float64(k)*width, min(lo+float64(k+1)*width-1, hi)
			out[k] = inlet.Bin{Low: cp.renderFloat(a), High: cp.renderFloat(b), Count: estimate(c[k])}
		}
		return out
	}
	bins := histogramBins
	if hi == lo {
		bins = 1
	}
	width := (hi - lo) / float64(bins)
	c := counts(bins, func(v float64) int {
		if width == 0 {
			return 0
		}
		return int((v - lo) / width)
	})
	out := make([]inlet.Bin, bins)
	for k := range out {
		a, b := lo+float64(k)*width, lo+float64(k+1)*width
		if k == bins-1 {
			b = hi
		}
		out[k] = inlet.Bin{Low: cp.renderFloat(a), High: cp.renderFloat(b), Count: estimate(c[k])}
	}
	return out
}

func (cp *colProfile) renderFloat(v float64) string {
	switch cp.kind {
	case kDate:
		return time.Unix(int64(math.Floor(v))*86400, 0).UTC().Format(time.DateOnly)
	case kTimestamp:
		return time.UnixMicro(int64(v)).UTC().Format("2006-01-02 15:04:05")
	case kBigint:
		return strconv.FormatInt(int64(math.Round(v)), 10)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// profileFile is a snapshot's profile as stored next to the table's
// metadata: what people see, and the state an append merges into. Columns
// are keyed by Iceberg field id, which renames do not change.
type profileFile struct {
	Rows    int64                  `json:"rows"`
	Columns map[string]profileDisk `json:"columns"`
}

type profileDisk struct {
	Profile inlet.ColumnProfile `json:"profile"`
	State   colProfile          `json:"state"`
}

// encodeProfiles renders the merged profiles for the lake.
func encodeProfiles(rows int64, fieldIDs []int, cols []colProfile) ([]byte, error) {
	f := profileFile{Rows: rows, Columns: map[string]profileDisk{}}
	for i := range cols {
		cp := &cols[i]
		hll, err := cp.hll.MarshalBinary()
		if err != nil {
			return nil, err
		}
		cp.HLL = hll
		f.Columns[strconv.Itoa(fieldIDs[i])] = profileDisk{Profile: cp.profile(), State: *cp}
	}
	return json.Marshal(f)
}

// decodeProfileStates reads the merge state of a stored profile, per field id.
func decodeProfileStates(b []byte) (map[int]*colProfile, error) {
	var f profileFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("read profile: %w", err)
	}
	out := map[int]*colProfile{}
	for id, d := range f.Columns {
		n, err := strconv.Atoi(id)
		if err != nil {
			return nil, fmt.Errorf("read profile: field id %q", id)
		}
		st := d.State
		st.hll = newSketch()
		if len(st.HLL) > 0 {
			if err := st.hll.UnmarshalBinary(st.HLL); err != nil {
				return nil, fmt.Errorf("read profile of field %d: %w", n, err)
			}
		}
		out[n] = &st
	}
	return out, nil
}

// kindAndScale is how a stored column type converts, for profiles read back.
func kindAndScale(t inlet.Type) (kind, int32) {
	k, _, scale := kindOfType(t)
	return k, scale
}

func profileRows(b []byte) int64 {
	var f struct {
		Rows int64 `json:"rows"`
	}
	_ = json.Unmarshal(b, &f)
	return f.Rows
}
