package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// lakeFiles lists every file under the data directory's lake.
func lakeFiles(t *testing.T, data string) []string {
	t.Helper()
	var out []string
	filepath.Walk(filepath.Join(data, "lake"), func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// zipBomb is a valid-looking workbook whose one sheet expands a thousandfold.
func zipBomb(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml"} {
		w, _ := zw.Create(name)
		w.Write([]byte("<x/>"))
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		w.Write(zeros)
	}
	zw.Close()
	return buf.Bytes()
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	book := excelize.NewFile()
	book.SetSheetRow("Sheet1", "A1", &[]any{"a", "b"})
	book.SetSheetRow("Sheet1", "A2", &[]any{1, 2})
	if err := book.SaveAs(filepath.Join(dir, "book.xlsx")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		file string
		data []byte
		args []string
		want string // stderr must contain this
	}{
		{"ragged rows", "ragged.csv", []byte("a,b,c\n1,2,3\n4,5\n"), nil, "ragged.csv: line 3, column 3: expected 3 fields, found 2"},
		{"unterminated quote", "quote.csv", []byte("id,note\n1,\"fine\"\n2,\"never closed\n3,x\n"), nil, "quote.csv: line 3, column 2: quoted cell is never closed"},
		{"binary file", "binary.csv", bytes.Repeat([]byte{0x00, 0x9c, 0xff, 0x13, 0x01}, 1000), nil, "binary.csv: this is a binary file"},
		{"empty file", "empty.csv", nil, nil, "empty.csv: the file is empty"},
		{"header only", "header.csv", []byte("a,b,c\r\n"), nil, "header.csv: the file has a header but no data rows"},
		{"oversized cell", "big.csv", []byte("a,b\n1," + strings.Repeat("x", 3<<20) + "\n"), nil, "big.csv: line 2, column 2: cell is larger than the 1 MiB limit"},
		{"zip bomb", "bomb.xlsx", zipBomb(t), nil, "bomb.xlsx: the workbook part xl/worksheets/sheet1.xml expands"},
		{"wrong sheet", "book.xlsx", nil, []string{"--sheet", "Nope"}, `book.xlsx: the workbook has no sheet named "Nope" (sheets: Sheet1)`},
		{"value that fits no type", "strict.csv", []byte("n\n1\n2\nabc\n"), []string{"--type", "n=bigint"}, "strict.csv: line 4, column 1 (n): value is not a valid bigint"},
		{"keep without reason", "keep.csv", []byte("email\na@b.com\nc@d.org\n"), []string{"--pii", "email=keep"}, "keeping it unhashed needs a reason"},
		{"unknown column", "unknown.csv", []byte("a\n1\n"), []string{"--pii", "nope=hash"}, `no column "nope" in unknown.csv`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			path := filepath.Join(dir, tt.file)
			if tt.data != nil || !strings.HasSuffix(tt.file, ".xlsx") {
				if err := os.WriteFile(path, tt.data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, cmd := range [][]string{{"inspect", path}, {"ingest", path, "--table", "db.t"}} {
				if cmd[0] == "inspect" && len(tt.args) > 0 && tt.args[0] != "--sheet" {
					continue // ingest-only options
				}
				_, stderr, code := cli(t, data, append(cmd, tt.args...)...)
				if code == 0 {
					t.Fatalf("%s: exit 0, want failure", cmd[0])
				}
				if !strings.Contains(stderr, tt.want) {
					t.Errorf("%s: stderr %q, want it to contain %q", cmd[0], stderr, tt.want)
				}
			}
			// Nothing left behind: no table, no data files.
			if files := lakeFiles(t, data); len(files) > 0 {
				t.Errorf("lake files left behind: %v", files)
			}
			if out, _, _ := cli(t, data, "tables", "--json"); strings.TrimSpace(out) != "[]" {
				t.Errorf("tables after a failed ingest: %s", out)
			}
		})
	}
}
