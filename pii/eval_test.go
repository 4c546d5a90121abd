package pii_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/ingest"
	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "write the evaluation files anew")

// Floors the evaluation must meet (issue: PII detection on international files).
const (
	minRecall    = 0.98
	minPrecision = 0.95
	minEntity    = 0.95
)

func TestEvalGenerate(t *testing.T) {
	if !*update {
		t.Skip("run with -update to write the evaluation files")
	}
	if _, err := generateEval(evalDir); err != nil {
		t.Fatal(err)
	}
}

// The committed files are what the generator makes: nobody edits a label
// by hand to make a number come out.
func TestEvalFilesAreGenerated(t *testing.T) {
	dir := t.TempDir()
	files, err := generateEval(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"labels.json"} {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(evalDir, name))
		if !bytes.Equal(a, b) {
			t.Fatalf("%s differs from the generator's output: run go test ./pii -run EvalGenerate -update", name)
		}
	}
	for _, f := range files {
		a, b := cells(t, filepath.Join(dir, f.Name)), cells(t, filepath.Join(evalDir, f.Name))
		if a != b {
			t.Fatalf("%s differs from the generator's output: run go test ./pii -run EvalGenerate -update", f.Name)
		}
	}
}

// cells is a file's content: a CSV's bytes, a workbook's cell values.
func cells(t *testing.T, path string) string {
	if !strings.HasSuffix(path, ".xlsx") {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rows)
	return string(b)
}

// tally counts one group's outcomes.
type tally struct{ tp, fn, fp, tn, entityOK int }

func (t *tally) recall() float64    { return ratio(t.tp, t.tp+t.fn) }
func (t *tally) precision() float64 { return ratio(t.tp, t.tp+t.fp) }
func (t *tally) entity() float64    { return ratio(t.entityOK, t.tp) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestEval inspects every evaluation file as an upload is inspected (the
// upload's phone region left at the default, US) and scores detection:
// recall and entity accuracy over the columns of personal data, precision
// over the columns flagged; possible findings are not flagged (they are
// shown for the uploader to decide, not acted on).
func TestEval(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(evalDir, "labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var files []evalFile
	if err := json.Unmarshal(raw, &files); err != nil {
		t.Fatal(err)
	}
	insp := ingest.NewInspector(ingest.Config{PhoneRegion: "US", TmpDir: t.TempDir()})
	all := &tally{}
	byEntity, byLocale, byHard := map[string]*tally{}, map[string]*tally{}, map[string]*tally{}
	get := func(m map[string]*tally, k string) *tally {
		if m[k] == nil {
			m[k] = &tally{}
		}
		return m[k]
	}
	columns, misses := 0, []string{}
	for _, f := range files {
		ins, err := insp.InspectFile(context.Background(), filepath.Join(evalDir, f.Name), f.Name, inlet.InspectOptions{})
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if len(ins.Columns) != len(f.Columns) {
			t.Fatalf("%s: inspection has %d columns, the labels %d", f.Name, len(ins.Columns), len(f.Columns))
		}
		for i, c := range f.Columns {
			columns++
			if got := ins.Columns[i].SourceName; got != c.Header {
				t.Fatalf("%s: column %d is %q, labelled %q", f.Name, i+1, got, c.Header)
			}
			fnd := ins.Columns[i].PII
			flagged := fnd != nil && !fnd.Possible
			groups := []*tally{all, get(byLocale, f.Locale)}
			for _, h := range c.Hard {
				groups = append(groups, get(byHard, h))
			}
			if c.Entity != "" {
				groups = append(groups, get(byEntity, c.Entity))
			} else if flagged {
				groups = append(groups, get(byEntity, "(none) flagged as "+string(fnd.Entity)))
			}
			for _, g := range groups {
				switch {
				case c.Entity != "" && flagged:
					g.tp++
					if string(fnd.Entity) == c.Entity {
						g.entityOK++
					}
				case c.Entity != "":
					g.fn++
				case flagged:
					g.fp++
				default:
					g.tn++
				}
			}
			switch {
			case c.Entity != "" && !flagged:
				why := "no finding"
				if fnd != nil {
					why = fmt.Sprintf("possible %s %.2f: %s", fnd.Entity, fnd.Confidence, fnd.Reason)
				}
				misses = append(misses, fmt.Sprintf("missed   %s / %s (%s, %v): %s", f.Name, c.Header, c.Entity, c.Hard, why))
			case c.Entity == "" && flagged:
				misses = append(misses, fmt.Sprintf("false    %s / %s: %s %.2f: %s", f.Name, c.Header, fnd.Entity, fnd.Confidence, fnd.Reason))
			case c.Entity != "" && string(fnd.Entity) != c.Entity:
				misses = append(misses, fmt.Sprintf("entity   %s / %s: %s, labelled %s: %s", f.Name, c.Header, fnd.Entity, c.Entity, fnd.Reason))
			}
		}
	}
	t.Logf("%d files, %d columns (%d of personal data)", len(files), columns, all.tp+all.fn)
	report := func(title string, m map[string]*tally) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Logf("%-28s %7s %9s %7s  %s", title, "recall", "precision", "entity", "tp/fn/fp/tn")
		for _, k := range keys {
			g := m[k]
			t.Logf("%-28s %7.3f %9.3f %7.3f  %d/%d/%d/%d", k, g.recall(), g.precision(), g.entity(), g.tp, g.fn, g.fp, g.tn)
		}
	}
	report("entity", byEntity)
	report("locale", byLocale)
	report("hard case", byHard)
	t.Logf("%-28s %7.3f %9.3f %7.3f  %d/%d/%d/%d", "ALL", all.recall(), all.precision(), all.entity(), all.tp, all.fn, all.fp, all.tn)
	for _, m := range misses {
		t.Log(m)
	}
	if all.recall() < minRecall || all.precision() < minPrecision || all.entity() < minEntity {
		t.Errorf("recall %.3f (floor %.2f), precision %.3f (floor %.2f), entity accuracy %.3f (floor %.2f)",
			all.recall(), minRecall, all.precision(), minPrecision, all.entity(), minEntity)
	}
}
