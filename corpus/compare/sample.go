package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/inlet-data/inlet/corpus"
)

// licenses are the sources whose files may be committed, with their
// licenses (each repository's LICENSE at the pinned commit).
var licenses = map[string]string{
	"duckdb/duckdb":                 "MIT",
	"SheetJS/test_files":            "Apache-2.0",
	"exceljs/exceljs":               "MIT",
	"fivethirtyeight/data":          "CC-BY-4.0",
	"frictionlessdata/tabulator-py": "MIT",
	"jmcnamara/XlsxWriter":          "BSD-2-Clause",
	"mholt/PapaParse":               "MIT",
	"qax-os/excelize":               "BSD-3-Clause",
	"roo-rb/roo":                    "MIT",
	"tafia/calamine":                "MIT",
	"tealeg/xlsx":                   "BSD-3-Clause",
}

// writeSample copies a sample of checked files to dir with their expected
// results: every disagreement a person judged Inlet right on (or found no
// unambiguous reading for), then files where Inlet and the reference agree,
// spread over the sources. Files Inlet reads wrong are never in it.
func writeSample(data, dir string, size int, rows []*row, verdicts map[string]verdict) error {
	origin, err := origins(filepath.Join(data, "manifest.tsv"))
	if err != nil {
		return err
	}
	var judged []corpus.Expected
	agreed := map[string][]corpus.Expected{}
	for _, r := range rows {
		o := origin[r.File]
		lic, ok := licenses[o.repo]
		if !ok {
			continue
		}
		info, err := os.Stat(filepath.Join(data, r.File))
		if err != nil || info.Size() > 64<<10 {
			continue
		}
		e := corpus.Expected{File: r.File, Repo: o.repo, Commit: o.commit, Path: o.path, License: lic, Inlet: r.Inlet.Comparable()}
		if len(r.Diffs) == 0 {
			e.Checked = "agrees with DuckDB 1.5"
			if isWorkbook(r.File) {
				e.Checked = "agrees with openpyxl"
			}
			agreed[o.repo] = append(agreed[o.repo], e)
			continue
		}
		var notes []string
		right := true
		for m := range r.Diffs {
			v, ok := verdicts[r.File+"\t"+m]
			if !ok || (v.judgement != "inlet" && v.judgement != "unclear") {
				right = false
				break
			}
			notes = append(notes, m+": "+v.judgement+" ("+v.note+")")
		}
		if right {
			sort.Strings(notes)
			e.Checked = "hand-checked: " + strings.Join(notes, "; ")
			judged = append(judged, e)
		}
	}
	sample := judged
	if len(sample) > size/2 {
		sample = spread(sample, size/2)
	}
	var repos []string
	for repo := range agreed {
		repos = append(repos, repo)
	}
	sort.Strings(repos)
	for len(sample) < size && len(repos) > 0 {
		left := repos[:0]
		for _, repo := range repos {
			if len(agreed[repo]) == 0 || len(sample) >= size {
				continue
			}
			// Take from the middle of what is left: spread, and the same
			// files on every run.
			i := len(agreed[repo]) / 2
			sample = append(sample, agreed[repo][i])
			agreed[repo] = append(agreed[repo][:i], agreed[repo][i+1:]...)
			left = append(left, repo)
		}
		repos = left
	}
	sort.Slice(sample, func(i, j int) bool { return sample[i].File < sample[j].File })
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, e := range sample {
		b, err := os.ReadFile(filepath.Join(data, e.File))
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, e.File)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return err
		}
	}
	js, err := json.MarshalIndent(sample, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "sample: %d files (%d hand-checked disagreements) in %s\n", len(sample), min(len(judged), size/2), dir)
	return os.WriteFile(filepath.Join(dir, "expected.json"), append(js, '\n'), 0o644)
}

func spread(es []corpus.Expected, n int) []corpus.Expected {
	out := make([]corpus.Expected, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, es[i*len(es)/n])
	}
	return out
}

type origin struct{ repo, commit, path string }

func origins(manifest string) (map[string]origin, error) {
	b, err := os.ReadFile(manifest)
	if err != nil {
		return nil, err
	}
	out := map[string]origin{}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, "\t")
		if i == 0 || len(f) < 4 {
			continue
		}
		out[f[0]] = origin{repo: f[1], commit: f[2], path: f[3]}
	}
	return out, nil
}
