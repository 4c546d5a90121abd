// Package query runs SQL for people and notebooks. This file is the
// template language of saved queries: {{name}} for a parameter, and
// [[ ... ]] for a clause that vanishes when a parameter inside it has no
// value. Parameters are always bound (the rendered SQL carries ? and the
// values travel apart), never spliced into the SQL text.
package query

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// ParamType and Param are the root vocabulary's, named here for brevity.
type (
	ParamType = inlet.ParamType
	Param     = inlet.TemplateParam
)

const (
	ParamText      = inlet.ParamText
	ParamNumber    = inlet.ParamNumber
	ParamDate      = inlet.ParamDate
	ParamDateRange = inlet.ParamDateRange
	ParamBoolean   = inlet.ParamBoolean
	ParamChoice    = inlet.ParamChoice
	ParamMulti     = inlet.ParamMulti
)

// Rendered is a template ready to run: SQL with ? placeholders and the
// values to bind to them, in order.
type Rendered struct {
	SQL  string
	Args []any

	src   string // the template
	spans []span // where each piece of SQL came from in src
}

// span is a piece of the rendered SQL copied from the template (or, for a
// placeholder, standing for the reference at src).
type span struct {
	out, src int
	param    bool
}

// Locate turns the position an error names ("line L, column C: ...", as
// the guard and the engine write it) from the rendered SQL into the
// template's, so it points at what the user wrote. Other errors pass.
func (r *Rendered) Locate(err error) error {
	var e *inlet.Error
	if r == nil || !errors.As(err, &e) {
		return err
	}
	line, col, rest, ok := Located(e.Message)
	if !ok {
		return err
	}
	off := Offset(r.SQL, line, col)
	if off < 0 {
		return err
	}
	at := 0
	for _, sp := range r.spans {
		if sp.out > off {
			break
		}
		if at = sp.src; !sp.param {
			at += off - sp.out
		}
	}
	line, col = position(r.src, min(at, len(r.src)))
	return &inlet.Error{Code: e.Code, Message: fmt.Sprintf("line %d, column %d: %s", line, col, rest), Fields: e.Fields}
}

// segment is a piece of template text: SQL, a parameter reference, or an
// optional clause holding more segments; at is where it starts in the
// template.
type segment struct {
	sql      string
	param    string // name, with .start or .end for date ranges
	optional []segment
	at       int
}

// parse splits a template into segments. Parameters inside string literals
// or comments are refused: they could only be spliced, never bound.
func parse(src string) ([]segment, error) {
	var stack [][]segment
	var cur []segment
	var text strings.Builder
	textAt := 0
	flush := func() {
		if text.Len() > 0 {
			cur = append(cur, segment{sql: text.String(), at: textAt})
			text.Reset()
		}
	}
	for i := 0; i < len(src); {
		if text.Len() == 0 {
			textAt = i
		}
		switch {
		case src[i] == '\'' || src[i] == '"':
			end := quoted(src, i)
			if end < 0 {
				return nil, inlet.Errorf(inlet.EINVALID, "unterminated %c quote at offset %d", src[i], i)
			}
			if strings.Contains(src[i:end], "{{") {
				return nil, inlet.Errorf(inlet.EINVALID, "a parameter inside a quoted string at offset %d would be spliced, not bound: write {{name}} without quotes", i)
			}
			text.WriteString(src[i:end])
			i = end
		case strings.HasPrefix(src[i:], "--"):
			end := strings.IndexByte(src[i:], '\n')
			if end < 0 {
				end = len(src) - i
			}
			text.WriteString(src[i : i+end])
			i += end
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, inlet.Errorf(inlet.EINVALID, "unterminated /* comment at offset %d", i)
			}
			text.WriteString(src[i : i+end+4])
			i += end + 4
		case strings.HasPrefix(src[i:], "{{"):
			end := strings.Index(src[i:], "}}")
			if end < 0 {
				return nil, inlet.Errorf(inlet.EINVALID, "unclosed {{ at offset %d", i)
			}
			name := strings.TrimSpace(src[i+2 : i+end])
			if !validRef(name) {
				return nil, inlet.Errorf(inlet.EINVALID, "invalid parameter name %q at offset %d", name, i)
			}
			flush()
			cur = append(cur, segment{param: name, at: i})
			i += end + 2
		case strings.HasPrefix(src[i:], "[["):
			flush()
			stack = append(stack, cur)
			cur = nil
			i += 2
		case strings.HasPrefix(src[i:], "]]") && len(stack) > 0:
			flush()
			inner := cur
			cur = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			cur = append(cur, segment{optional: inner})
			i += 2
		default:
			text.WriteByte(src[i])
			i++
		}
	}
	if len(stack) > 0 {
		return nil, inlet.Errorf(inlet.EINVALID, "unclosed [[ optional clause")
	}
	flush()
	return cur, nil
}

// quoted returns the end of the quoted string or identifier starting at i
// (SQL doubles the quote to escape it), or -1.
func quoted(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		if s[j] == q {
			if j+1 < len(s) && s[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return -1
}

func validRef(name string) bool {
	base, field, dotted := strings.Cut(name, ".")
	if dotted && field != "start" && field != "end" {
		return false
	}
	if base == "" || len(base) > 64 {
		return false
	}
	for i, r := range base {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// Render binds values to a template. Values come from the user as strings
// (a form, a URL); lists for multi parameters. A missing value takes the
// parameter's default; an optional clause whose parameters have no value is
// dropped; a required or bare parameter without a value is an error.
func Render(src string, params []Param, values map[string][]string, now time.Time) (*Rendered, error) {
	segs, err := parse(src)
	if err != nil {
		return nil, err
	}
	byName := map[string]Param{}
	for _, p := range params {
		byName[p.Name] = p
	}
	bound := map[string][]any{}
	if err := checkRefs(src, segs, byName); err != nil {
		return nil, err
	}
	for _, p := range params {
		vals, err := bind(p, values[p.Name], now)
		if err != nil {
			return nil, err
		}
		if vals != nil {
			for k, v := range vals {
				bound[k] = v
			}
		} else if p.Required {
			return nil, &inlet.Error{Code: inlet.EINVALID, Message: fmt.Sprintf("%s is required", label(p)), Fields: map[string]string{p.Name: "required"}}
		}
	}
	r := &Rendered{src: src}
	var b strings.Builder
	if err := render(segs, bound, &b, &r.Args, &r.spans, false); err != nil {
		return nil, err
	}
	r.SQL = b.String()
	return r, nil
}

// checkRefs refuses a reference to an undeclared parameter, a bare
// date range ({{period}} stands for no one value: its .start and .end do),
// and .start or .end of anything else, each with its line and column.
func checkRefs(src string, segs []segment, byName map[string]Param) error {
	for _, s := range refSegments(segs) {
		base, part, _ := strings.Cut(s.param, ".")
		line, col := position(src, s.at)
		p, ok := byName[base]
		switch {
		case !ok:
			return inlet.Errorf(inlet.EINVALID, "line %d, column %d: the SQL uses {{%s}} but the template declares no parameter %q", line, col, s.param, base)
		case p.Type == ParamDateRange && part == "":
			msg := fmt.Sprintf("{{%s}} is a date range, which is two values: write {{%[1]s.start}} for its first day and {{%[1]s.end}} for the day after its last, e.g. day >= {{%[1]s.start}} AND day < {{%[1]s.end}}", base)
			return &inlet.Error{Code: inlet.EINVALID, Message: fmt.Sprintf("line %d, column %d: %s", line, col, msg), Fields: map[string]string{base: msg}}
		case p.Type != ParamDateRange && part != "":
			msg := fmt.Sprintf("{{%s}}: only a date range has .start and .end; %s is %s", s.param, base, p.Type)
			return &inlet.Error{Code: inlet.EINVALID, Message: fmt.Sprintf("line %d, column %d: %s", line, col, msg), Fields: map[string]string{base: msg}}
		}
	}
	return nil
}

// Check validates a template without running it: the SQL parses, every
// parameter it uses is declared, types are known and defaults fit them.
// Missing values are fine: the form asks for them.
func Check(src string, params []Param) error {
	segs, err := parse(src)
	if err != nil {
		return err
	}
	byName := map[string]Param{}
	for _, p := range params {
		if _, dup := byName[p.Name]; dup {
			return inlet.Errorf(inlet.EINVALID, "two parameters are named %q", p.Name)
		}
		byName[p.Name] = p
		if _, err := bind(p, nil, time.Now()); err != nil {
			return err
		}
	}
	return checkRefs(src, segs, byName)
}

// Skeleton is the SQL of a template with every optional clause kept and
// each parameter a ?: what a guard checks before the template is saved,
// since any clause may run.
func Skeleton(src string) (*Rendered, error) {
	segs, err := parse(src)
	if err != nil {
		return nil, err
	}
	r := &Rendered{src: src}
	var b strings.Builder
	var write func([]segment)
	write = func(segs []segment) {
		for _, s := range segs {
			switch {
			case s.optional != nil:
				write(s.optional)
			case s.param != "":
				r.spans = append(r.spans, span{out: b.Len(), src: s.at, param: true})
				b.WriteByte('?')
			default:
				r.spans = append(r.spans, span{out: b.Len(), src: s.at})
				b.WriteString(s.sql)
			}
		}
	}
	write(segs)
	r.SQL = b.String()
	return r, nil
}

func label(p Param) string {
	if p.Label != "" {
		return p.Label
	}
	return p.Name
}

// refSegments lists the parameter references, optional clauses' too.
func refSegments(segs []segment) []segment {
	var out []segment
	for _, s := range segs {
		if s.param != "" {
			out = append(out, s)
		}
		out = append(out, refSegments(s.optional)...)
	}
	return out
}

// render writes segments; inside an optional clause a parameter without a
// value drops the whole clause (errMissing), outside it is an error.
func render(segs []segment, bound map[string][]any, b *strings.Builder, args *[]any, spans *[]span, optional bool) error {
	for _, s := range segs {
		switch {
		case s.optional != nil:
			var inner strings.Builder
			var innerArgs []any
			var innerSpans []span
			err := render(s.optional, bound, &inner, &innerArgs, &innerSpans, true)
			if err == errMissing {
				continue
			} else if err != nil {
				return err
			}
			for _, sp := range innerSpans {
				sp.out += b.Len()
				*spans = append(*spans, sp)
			}
			b.WriteString(inner.String())
			*args = append(*args, innerArgs...)
		case s.param != "":
			vals, ok := bound[s.param]
			if !ok {
				if optional {
					return errMissing
				}
				return &inlet.Error{Code: inlet.EINVALID, Message: fmt.Sprintf("no value for {{%s}}: give one, or put the clause in [[ ]] to make it optional", s.param),
					Fields: map[string]string{strings.SplitN(s.param, ".", 2)[0]: "required"}}
			}
			*spans = append(*spans, span{out: b.Len(), src: s.at, param: true})
			for i, v := range vals {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteByte('?')
				*args = append(*args, v)
			}
		default:
			*spans = append(*spans, span{out: b.Len(), src: s.at})
			b.WriteString(s.sql)
		}
	}
	return nil
}

var errMissing = fmt.Errorf("missing parameter")

// bind turns a parameter's raw values into typed values keyed by reference
// ("p", or "p.start"/"p.end" for ranges). nil means no value.
func bind(p Param, raw []string, now time.Time) (map[string][]any, error) {
	var vals []string
	for _, v := range raw {
		if v = strings.TrimSpace(v); v != "" {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 && p.Default != nil {
		switch d := p.Default.(type) {
		case []any:
			for _, v := range d {
				vals = append(vals, fmt.Sprint(v))
			}
		default:
			vals = []string{fmt.Sprint(d)}
		}
	}
	if len(vals) == 0 {
		return nil, nil
	}
	bad := func(format string, args ...any) error {
		return &inlet.Error{Code: inlet.EINVALID, Message: label(p) + ": " + fmt.Sprintf(format, args...), Fields: map[string]string{p.Name: fmt.Sprintf(format, args...)}}
	}
	one := func() (string, error) {
		if len(vals) > 1 {
			return "", bad("takes one value, got %d", len(vals))
		}
		return vals[0], nil
	}
	switch p.Type {
	case ParamText:
		v, err := one()
		return map[string][]any{p.Name: {v}}, err
	case ParamNumber:
		v, err := one()
		if err != nil {
			return nil, err
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return map[string][]any{p.Name: {n}}, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, bad("%q is not a number", v)
		}
		return map[string][]any{p.Name: {f}}, nil
	case ParamBoolean:
		v, err := one()
		if err != nil {
			return nil, err
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, bad("use true or false")
		}
		return map[string][]any{p.Name: {b}}, nil
	case ParamDate:
		v, err := one()
		if err != nil {
			return nil, err
		}
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			return nil, bad("%q is not a date: use YYYY-MM-DD", v)
		}
		return map[string][]any{p.Name: {d}}, nil
	case ParamDateRange:
		start, end, err := dateRange(vals, now)
		if err != nil {
			return nil, bad("%v", err)
		}
		return map[string][]any{p.Name + ".start": {start}, p.Name + ".end": {end}}, nil
	case ParamChoice:
		v, err := one()
		if err != nil {
			return nil, err
		}
		if len(p.Choices) > 0 && !contains(p.Choices, v) {
			return nil, bad("%q is not one of the choices", v)
		}
		return map[string][]any{p.Name: {v}}, nil
	case ParamMulti:
		out := make([]any, 0, len(vals))
		seen := map[string]bool{}
		for _, v := range vals {
			if len(p.Choices) > 0 && !contains(p.Choices, v) {
				return nil, bad("%q is not one of the choices", v)
			}
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
		return map[string][]any{p.Name: out}, nil
	}
	return nil, bad("unknown parameter type %q", p.Type)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Presets are the relative date ranges a date_range parameter accepts.
var Presets = []string{"today", "yesterday", "last_7_days", "last_30_days", "this_week", "this_month", "last_month", "this_year", "last_year"}

// dateRange reads "START,END" (two values or one comma-separated) or a
// preset, as a half-open range [start, end): end is the day after the last.
func dateRange(vals []string, now time.Time) (time.Time, time.Time, error) {
	if len(vals) == 1 && strings.Contains(vals[0], ",") {
		vals = strings.SplitN(vals[0], ",", 2)
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if len(vals) == 1 {
		switch vals[0] {
		case "today":
			return day, day.AddDate(0, 0, 1), nil
		case "yesterday":
			return day.AddDate(0, 0, -1), day, nil
		case "last_7_days":
			return day.AddDate(0, 0, -6), day.AddDate(0, 0, 1), nil
		case "last_30_days":
			return day.AddDate(0, 0, -29), day.AddDate(0, 0, 1), nil
		case "this_week":
			start := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // Monday
			return start, start.AddDate(0, 0, 7), nil
		case "this_month":
			start := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
			return start, start.AddDate(0, 1, 0), nil
		case "last_month":
			start := time.Date(day.Year(), day.Month()-1, 1, 0, 0, 0, 0, time.UTC)
			return start, start.AddDate(0, 1, 0), nil
		case "this_year":
			start := time.Date(day.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
			return start, start.AddDate(1, 0, 0), nil
		case "last_year":
			start := time.Date(day.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC)
			return start, start.AddDate(1, 0, 0), nil
		}
		sorted := append([]string(nil), Presets...)
		sort.Strings(sorted)
		return time.Time{}, time.Time{}, fmt.Errorf("%q is neither START,END nor a preset (%s)", vals[0], strings.Join(sorted, ", "))
	}
	if len(vals) != 2 {
		return time.Time{}, time.Time{}, fmt.Errorf("give a start and an end")
	}
	start, err1 := time.Parse("2006-01-02", strings.TrimSpace(vals[0]))
	last, err2 := time.Parse("2006-01-02", strings.TrimSpace(vals[1]))
	if err1 != nil || err2 != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("dates are written YYYY-MM-DD")
	}
	if last.Before(start) {
		return time.Time{}, time.Time{}, fmt.Errorf("the end is before the start")
	}
	return start, last.AddDate(0, 0, 1), nil
}
