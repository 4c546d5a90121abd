// Command compare runs Inlet on every file corpus/fetch brought, and the
// references beside it: DuckDB 1.5's sniffer and reader for delimited text
// (duckdb.mjs, through @duckdb/node-api) and openpyxl for workbooks
// (xlsx_reference.py). It prints the agreement per measure and lists every
// disagreement with the verdict a person gave it in corpus/verdicts.tsv, or
// as unjudged.
//
//	(cd corpus/compare && npm ci) && apt-get install python3-openpyxl
//	go run ./corpus/compare            # after go run ./corpus/fetch
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/inlet-data/inlet/corpus"
)

// duck is what DuckDB made of a delimited file.
type duck struct {
	Path      string `json:"path"`
	Delimiter string `json:"delimiter"`
	Quote     string `json:"quote"`
	Header    bool   `json:"header"`
	SkipRows  int    `json:"skip_rows"`
	Columns   []struct {
		Name, Type string
	} `json:"columns"`
	Rows  int64  `json:"rows"`
	Error string `json:"error"`
}

// pyxl is what openpyxl read from a workbook's sheet.
type pyxl struct {
	Path     string     `json:"path"`
	Sheets   []string   `json:"sheets"`
	Sheet    string     `json:"sheet"`
	Columns  int        `json:"columns"`
	FirstRow []string   `json:"first_row"`
	After    int64      `json:"rows_after_first"`
	Types    [][]string `json:"types"`
	Error    string     `json:"error"`
}

// row is one file's comparison.
type row struct {
	File  string            `json:"file"`
	Inlet corpus.Result     `json:"inlet"`
	Ref   any               `json:"reference"`
	Diffs map[string]string `json:"diffs,omitempty"`
}

var measures = []string{"refusal", "header", "delimiter", "columns", "rows", "types"}

func main() {
	data := flag.String("data", "corpus/data", "the corpus directory (corpus/fetch)")
	verdictsPath := flag.String("verdicts", "corpus/verdicts.tsv", "hand-checked verdicts on disagreements")
	only := flag.String("only", "", "only files whose path contains this")
	python := flag.String("python", "/usr/bin/python3", "the Python that has openpyxl (Debian's python3-openpyxl)")
	sampleDir := flag.String("sample", "", "also write a sample of checked files with their expected results to this directory (corpus/sample)")
	sampleSize := flag.Int("sample-size", 150, "files in the sample")
	flag.Parse()
	files, err := manifest(filepath.Join(*data, "manifest.tsv"), *only)
	if err != nil {
		fail(err)
	}
	scratch, err := os.MkdirTemp("", "inlet-corpus-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(scratch)
	runner, err := corpus.NewRunner(scratch)
	if err != nil {
		fail(err)
	}
	defer runner.Close()
	rows := make([]*row, len(files))
	var csvs, books []string
	for i, f := range files {
		path := filepath.Join(*data, f)
		rows[i] = &row{File: f, Inlet: runner.Run(context.Background(), path), Diffs: map[string]string{}}
		if isWorkbook(f) {
			books = append(books, path+"\t"+rows[i].Inlet.Sheet)
		} else {
			csvs = append(csvs, path)
		}
		if (i+1)%100 == 0 {
			fmt.Fprintf(os.Stderr, "inlet: %d of %d files\n", i+1, len(files))
		}
	}
	here := filepath.Join(filepath.Dir(*verdictsPath), "compare")
	ducks := map[string]duck{}
	if err := reference(exec.Command("node", filepath.Join(here, "duckdb.mjs")), csvs, func(b []byte) error {
		var d duck
		err := json.Unmarshal(b, &d)
		ducks[d.Path] = d
		return err
	}); err != nil {
		fail(fmt.Errorf("duckdb reference: %w", err))
	}
	pyxls := map[string]pyxl{}
	if err := reference(exec.Command(*python, filepath.Join(here, "xlsx_reference.py")), books, func(b []byte) error {
		var p pyxl
		err := json.Unmarshal(b, &p)
		pyxls[p.Path] = p
		return err
	}); err != nil {
		fail(fmt.Errorf("openpyxl reference: %w", err))
	}
	for _, r := range rows {
		path := filepath.Join(*data, r.File)
		if isWorkbook(r.File) {
			p := pyxls[path]
			r.Ref = p
			compareBook(r, p)
		} else {
			d := ducks[path]
			r.Ref = d
			compareCSV(r, d)
		}
	}
	verdicts, err := readVerdicts(*verdictsPath)
	if err != nil {
		fail(err)
	}
	report(os.Stdout, rows, verdicts)
	if *sampleDir != "" {
		if err := writeSample(*data, *sampleDir, *sampleSize, rows, verdicts); err != nil {
			fail(err)
		}
	}
	out, _ := os.Create(filepath.Join(*data, "results.jsonl"))
	enc := json.NewEncoder(out)
	for _, r := range rows {
		enc.Encode(r)
	}
	out.Close()
}

func isWorkbook(f string) bool { return strings.HasSuffix(strings.ToLower(f), ".xlsx") }

func manifest(path, only string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w (run go run ./corpus/fetch first)", err)
	}
	var files []string
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if i == 0 {
			continue
		}
		f, _, _ := strings.Cut(line, "\t")
		if strings.Contains(f, only) {
			files = append(files, f)
		}
	}
	return files, nil
}

// reference feeds the inputs to a reference tool, one a line, and hands
// each JSON line it prints to use.
func reference(cmd *exec.Cmd, inputs []string, use func([]byte) error) error {
	if len(inputs) == 0 {
		return nil
	}
	cmd.Stdin = strings.NewReader(strings.Join(inputs, "\n") + "\n")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if err := use(bytes.Clone(sc.Bytes())); err != nil {
			return err
		}
	}
	return cmd.Wait()
}

// typeClass puts Inlet's and the references' types in the classes both
// can say: integer, decimal, boolean, date, timestamp, time, string.
func typeClass(t string) string {
	t = strings.ToUpper(t)
	switch {
	case t == "BIGINT" || t == "INTEGER" || t == "SMALLINT" || t == "TINYINT" || t == "HUGEINT" || t == "UBIGINT" || t == "UINTEGER":
		return "integer"
	case t == "DOUBLE" || t == "FLOAT" || strings.HasPrefix(t, "DECIMAL"):
		return "decimal"
	case t == "BOOLEAN":
		return "boolean"
	case t == "DATE":
		return "date"
	case strings.HasPrefix(t, "TIMESTAMP"):
		return "timestamp"
	case t == "TIME":
		return "time"
	}
	return "string"
}

// generatedName: a name DuckDB makes up for a blank header cell.
var generatedName = regexp.MustCompile(`^column\d+$`)

// noData: Inlet refused a file for having no data rows, as the reference
// found none either.
func noData(inletErr string, refRows int64) bool {
	return refRows == 0 && (strings.Contains(inletErr, "no data rows") || strings.Contains(inletErr, "is empty") || strings.Contains(inletErr, "has no rows"))
}

func compareCSV(r *row, d duck) {
	in := r.Inlet
	switch {
	case in.Error != "" && d.Error != "", d.Error == "" && noData(in.Error, d.Rows):
		return // both refuse, or both find no data
	case in.Error != "" || d.Error != "":
		// A refusal is the outcome: what an inspection read before the
		// ingest refused is not compared (the uploader sees the refusal).
		r.Diffs["refusal"] = fmt.Sprintf("inlet %q, duckdb %q", in.Error, d.Error)
		return
	}
	if in.Delimiter != d.Delimiter {
		r.Diffs["delimiter"] = fmt.Sprintf("inlet %q, duckdb %q", in.Delimiter, d.Delimiter)
	}
	if in.Header != d.Header {
		r.Diffs["header"] = fmt.Sprintf("inlet header=%v, duckdb header=%v", in.Header, d.Header)
	} else if in.Header && len(in.Columns) == len(d.Columns) {
		for i, c := range in.Columns {
			dn := d.Columns[i].Name
			if c.Name != dn && !(c.Name == "" && generatedName.MatchString(dn)) && !strings.HasPrefix(dn, c.Name+"_") {
				r.Diffs["header"] = fmt.Sprintf("column %d: inlet %q, duckdb %q", i+1, c.Name, dn)
				break
			}
		}
	}
	if len(in.Columns) != len(d.Columns) {
		r.Diffs["columns"] = fmt.Sprintf("inlet %d, duckdb %d", len(in.Columns), len(d.Columns))
	}
	if in.Error == "" && in.Rows != d.Rows {
		r.Diffs["rows"] = fmt.Sprintf("inlet %d, duckdb %d", in.Rows, d.Rows)
	}
	if len(in.Columns) == len(d.Columns) {
		for i, c := range in.Columns {
			if a, b := typeClass(string(c.Type)), typeClass(d.Columns[i].Type); a != b {
				r.Diffs["types"] = fmt.Sprintf("column %d %q: inlet %s, duckdb %s", i+1, c.Name, c.Type, d.Columns[i].Type)
				break
			}
		}
	}
}

func compareBook(r *row, p pyxl) {
	in := r.Inlet
	switch {
	case in.Error != "" && p.Error != "", p.Error == "" && noData(in.Error, p.After):
		return
	case in.Error != "" || p.Error != "":
		r.Diffs["refusal"] = fmt.Sprintf("inlet %q, openpyxl %q", in.Error, p.Error)
		return
	}
	if len(in.Columns) != p.Columns {
		r.Diffs["columns"] = fmt.Sprintf("inlet %d, openpyxl %d", len(in.Columns), p.Columns)
	}
	// Rows read by openpyxl: every non-empty row; Inlet's: title rows,
	// the header and the data rows.
	rows := in.Rows + int64(in.SkipRows)
	if in.Header {
		rows++
	}
	if in.Error == "" && rows != p.After+1 && !(p.Columns == 0 && in.Rows == 0) {
		r.Diffs["rows"] = fmt.Sprintf("inlet %d (+%d title, header %v), openpyxl %d non-empty rows", in.Rows, in.SkipRows, in.Header, p.After+1)
	}
	if in.Header && in.SkipRows == 0 && len(in.Columns) == len(p.FirstRow) {
		for i, c := range in.Columns {
			if strings.TrimSpace(c.Name) != strings.TrimSpace(p.FirstRow[i]) {
				r.Diffs["header"] = fmt.Sprintf("column %d: inlet %q, openpyxl first row %q", i+1, c.Name, p.FirstRow[i])
				break
			}
		}
	}
	if in.SkipRows == 0 && len(in.Columns) == len(p.Types) {
		for i, c := range in.Columns {
			want := "string"
			switch ts := p.Types[i]; {
			case len(ts) == 0:
				continue // an empty column is anything
			case len(ts) == 1:
				want = ts[0]
			case len(ts) == 2 && ts[0] == "decimal" && ts[1] == "integer":
				want = "decimal"
			case len(ts) == 2 && ts[0] == "date" && ts[1] == "timestamp":
				want = "timestamp"
			}
			if !in.Header && want != "string" {
				continue // the first row is data: openpyxl's types left it out
			}
			if got := typeClass(string(c.Type)); got != want && !(want == "time" && got == "string") {
				r.Diffs["types"] = fmt.Sprintf("column %d %q: inlet %s, openpyxl %v", i+1, c.Name, c.Type, p.Types[i])
				break
			}
		}
	}
}

// A verdict is a person's judgement of one disagreement: inlet (Inlet is
// right), reference (Inlet is wrong), neither, or unclear (no reading is
// unambiguous), with why.
type verdict struct{ judgement, note string }

func readVerdicts(path string) (map[string]verdict, error) {
	out := map[string]verdict{}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return out, nil
	} else if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 4)
		if len(f) < 3 {
			return nil, fmt.Errorf("%s: %q: want FILE, MEASURE, VERDICT and a note", path, line)
		}
		v := verdict{judgement: f[2]}
		if len(f) == 4 {
			v.note = f[3]
		}
		out[f[0]+"\t"+f[1]] = v
	}
	return out, nil
}

func report(w io.Writer, rows []*row, verdicts map[string]verdict) {
	csvN, bookN := 0, 0
	for _, r := range rows {
		if isWorkbook(r.File) {
			bookN++
		} else {
			csvN++
		}
	}
	fmt.Fprintf(w, "%d files: %d delimited text (reference DuckDB 1.5), %d workbooks (reference openpyxl)\n\n", len(rows), csvN, bookN)
	fmt.Fprintf(w, "| measure | agree | disagree | of which Inlet right | Inlet wrong | neither | unclear | unjudged |\n|---|---|---|---|---|---|---|---|\n")
	var unjudged []string
	for _, m := range measures {
		agree, dis := 0, 0
		by := map[string]int{}
		for _, r := range rows {
			d, ok := r.Diffs[m]
			if !ok {
				agree++
				continue
			}
			dis++
			v, judged := verdicts[r.File+"\t"+m]
			if !judged {
				by["unjudged"]++
				unjudged = append(unjudged, fmt.Sprintf("%s\t%s\t%s", r.File, m, d))
				continue
			}
			by[v.judgement]++
		}
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %d | %d | %d |\n", m, agree, dis, by["inlet"], by["reference"], by["neither"], by["unclear"], by["unjudged"])
	}
	refused := 0
	for _, r := range rows {
		if r.Inlet.Error != "" {
			refused++
		}
	}
	fmt.Fprintf(w, "\nInlet refused %d files (each with one line naming the file).\n", refused)
	if len(unjudged) > 0 {
		sort.Strings(unjudged)
		fmt.Fprintf(w, "\n%d disagreements have no verdict in corpus/verdicts.tsv:\n", len(unjudged))
		for _, u := range unjudged {
			fmt.Fprintln(w, u)
		}
	}
	var wrong []string
	for _, r := range rows {
		for m := range r.Diffs {
			if v := verdicts[r.File+"\t"+m]; v.judgement == "reference" || v.judgement == "neither" {
				wrong = append(wrong, fmt.Sprintf("%s\t%s\t%s\t%s", r.File, m, r.Diffs[m], v.note))
			}
		}
	}
	if len(wrong) > 0 {
		sort.Strings(wrong)
		fmt.Fprintf(w, "\n%d disagreements where Inlet is wrong:\n", len(wrong))
		for _, x := range wrong {
			fmt.Fprintln(w, x)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compare:", err)
	os.Exit(1)
}
