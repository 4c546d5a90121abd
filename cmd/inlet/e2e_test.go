package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/pii"
)

// cli runs the inlet command in-process against dataDir.
func cli(t *testing.T, dataDir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	args = append(args, "--data-dir", dataDir)
	code = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

// person is one row of the customer fixture, with raw PII.
type person struct {
	id                           int
	email, name, phone, ip, card string
	signup                       string // DD/MM/YYYY
	amount                       string
	active                       string
	note                         string
}

var (
	firstNames = []string{"John", "Mary", "José", "Zoë", "Wei", "Aisha", "Lars", "Anne-Marie", "Sean", "Priya"}
	lastNames  = []string{"Smith", "García", "O'Neil", "Müller", "Chen", "Okafor", "Larsen", "Dubois", "Kowalski", "Patel"}
	cards      = []string{"4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "4012888888881881"}
)

func people(n int) []person {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]person, n)
	for i := range out {
		f, l := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		out[i] = person{
			id:     1000 + i,
			email:  fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(strings.ReplaceAll(f, " ", "")), strings.ToLower(strings.ReplaceAll(l, "'", "")), i),
			name:   f + " " + l,
			phone:  fmt.Sprintf("+1 415-555-%04d", r.IntN(10000)),
			ip:     fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), 1+r.IntN(254)),
			card:   cards[r.IntN(len(cards))],
			signup: fmt.Sprintf("%02d/%02d/%d", 1+r.IntN(28), 1+r.IntN(12), 2015+r.IntN(10)),
			amount: fmt.Sprintf("%d.%02d", r.IntN(5000), r.IntN(100)),
			active: []string{"true", "false"}[r.IntN(2)],
			note:   []string{"plain", "has, comma", "has \"quotes\"", "two\nlines", ""}[r.IntN(5)],
		}
	}
	// A day above 12 decides the date order as day-first.
	out[0].signup = "25/12/2020"
	return out
}

func writeCustomersCSV(t *testing.T, path string, ps []person) {
	t.Helper()
	var b strings.Builder
	b.WriteString("Customer ID,E-mail,Full Name,Phone,IP Address,Card Number,Signup Date,Amount,Active,Note\r\n")
	for _, p := range ps {
		fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n", p.id, p.email, csvQuote(p.name), p.phone, p.ip, p.card, p.signup, p.amount, p.active, csvQuote(p.note))
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ingestCustomers writes n people as a CSV and ingests them into
// crm.customers in a new data directory, which it returns with its source
// file and the people.
func ingestCustomers(t *testing.T, n int) (data, src string, ps []person) {
	t.Helper()
	dir := t.TempDir()
	data, src, ps = filepath.Join(dir, "data"), filepath.Join(dir, "customers.csv"), people(n)
	writeCustomersCSV(t, src, ps)
	if _, stderr, code := cli(t, data, "ingest", src, "--table", "crm.customers"); code != 0 {
		t.Fatalf("ingest: %s", stderr)
	}
	return data, src, ps
}

func csvQuote(s string) string {
	if strings.ContainsAny(s, ",\"\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// openDuckDB returns an in-memory DuckDB: the independent reader of what we wrote.
func openDuckDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func describeTable(t *testing.T, dataDir, table string) *inlet.Table {
	t.Helper()
	out, stderr, code := cli(t, dataDir, "table", table, "--json")
	if code != 0 {
		t.Fatalf("inlet table: exit %d: %s", code, stderr)
	}
	var tbl inlet.Table
	if err := json.Unmarshal([]byte(out), &tbl); err != nil {
		t.Fatal(err)
	}
	return &tbl
}

func parquetList(files []string) string {
	q := make([]string, len(files))
	for i, f := range files {
		q[i] = "'" + strings.TrimPrefix(f, "file://") + "'"
	}
	return "[" + strings.Join(q, ",") + "]"
}

func tenantHasher(t *testing.T, dataDir string) *pii.Hasher {
	t.Helper()
	kr, err := pii.NewLocalKeyring(filepath.Join(dataDir, "keys"))
	if err != nil {
		t.Fatal(err)
	}
	key, err := kr.TenantKey(context.Background(), inlet.DefaultTenant)
	if err != nil {
		t.Fatal(err)
	}
	return pii.NewHasher(key, "US")
}

func TestIngestCSVReadByDuckDB(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := filepath.Join(dir, "customers.csv")
	ps := people(500)
	writeCustomersCSV(t, src, ps)

	if _, stderr, code := cli(t, data, "ingest", src, "--table", "crm.customers"); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, stderr)
	}
	tbl := describeTable(t, data, "crm.customers")
	if tbl.Rows != int64(len(ps)) || len(tbl.DataFiles) == 0 {
		t.Fatalf("table has %d rows in %d files, want %d rows", tbl.Rows, len(tbl.DataFiles), len(ps))
	}
	wantPII := map[string]inlet.Entity{"email": inlet.EntityEmail, "full_name": inlet.EntityPersonName, "phone": inlet.EntityPhone,
		"ip_address": inlet.EntityIPAddress, "card_number": inlet.EntityCreditCard}
	for _, c := range tbl.Columns {
		want, isPII := wantPII[c.Name]
		switch {
		case isPII && (c.PII == nil || c.PII.Entity != want || c.PII.Action != inlet.ActionHash || c.PII.KeyID == ""):
			t.Errorf("column %s: got PII %+v, want %s hashed with a key id", c.Name, c.PII, want)
		case !isPII && c.PII != nil:
			t.Errorf("column %s: got PII %+v, want none", c.Name, c.PII)
		case isPII && !strings.Contains(c.Comment, "hashed"):
			t.Errorf("column %s: comment %q does not say it is hashed", c.Name, c.Comment)
		}
	}
	snap := tbl.Snapshots[len(tbl.Snapshots)-1].Lineage
	if snap == nil || snap.SourceFile != "customers.csv" || len(snap.SourceSHA256) != 64 || snap.Rows != int64(len(ps)) || len(snap.PII) != len(wantPII) {
		t.Errorf("lineage: got %+v", snap)
	}

	db := openDuckDB(t)
	// Types as DuckDB reads them from our Parquet.
	rows, err := db.Query("DESCRIBE SELECT * FROM read_parquet(" + parquetList(tbl.DataFiles) + ")")
	if err != nil {
		t.Fatal(err)
	}
	gotTypes := map[string]string{}
	for rows.Next() {
		var name, typ string
		var null, key, def, extra sql.NullString
		if err := rows.Scan(&name, &typ, &null, &key, &def, &extra); err != nil {
			t.Fatal(err)
		}
		gotTypes[name] = typ
	}
	rows.Close()
	wantTypes := map[string]string{"customer_id": "BIGINT", "email": "VARCHAR", "full_name": "VARCHAR", "phone": "VARCHAR",
		"ip_address": "VARCHAR", "card_number": "VARCHAR", "signup_date": "DATE", "amount": "DECIMAL(18,2)", "active": "BOOLEAN", "note": "VARCHAR"}
	for k, v := range wantTypes {
		if gotTypes[k] != v {
			t.Errorf("DuckDB type of %s: got %s, want %s", k, gotTypes[k], v)
		}
	}

	// Values, row by row, against the source and independently computed hashes.
	h := tenantHasher(t, data)
	rows, err = db.Query(`SELECT customer_id, email, full_name, phone, ip_address, card_number, strftime(signup_date, '%d/%m/%Y'),
		CAST(amount AS VARCHAR), active, note FROM read_parquet(` + parquetList(tbl.DataFiles) + `) ORDER BY customer_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var id int
		var email, name, phone, ip, card, signup, amount string
		var note sql.NullString // empty cells are NULL
		var active bool
		if err := rows.Scan(&id, &email, &name, &phone, &ip, &card, &signup, &amount, &active, &note); err != nil {
			t.Fatal(err)
		}
		p := ps[i]
		i++
		hash := func(e inlet.Entity, v string) string { return string(h.Hash(e, []byte(v))) }
		got := []any{id, email, name, phone, ip, card, signup, amount, active, note.String}
		want := []any{p.id, hash(inlet.EntityEmail, p.email), hash(inlet.EntityPersonName, p.name), hash(inlet.EntityPhone, p.phone),
			hash(inlet.EntityIPAddress, p.ip), hash(inlet.EntityCreditCard, p.card), p.signup, p.amount, p.active == "true", p.note}
		for k := range got {
			if fmt.Sprint(got[k]) != fmt.Sprint(want[k]) {
				t.Fatalf("row %d column %d: got %v, want %v", i, k, got[k], want[k])
			}
		}
	}
	if i != len(ps) {
		t.Fatalf("DuckDB read %d rows, want %d", i, len(ps))
	}
	// The same person hashes the same way in another table of the tenant.
	other := filepath.Join(dir, "contacts.csv")
	os.WriteFile(other, []byte("email\n  "+strings.ToUpper(ps[0].email)+"\nx@y.org\n"), 0o644)
	if _, stderr, code := cli(t, data, "ingest", other, "--table", "crm.contacts"); code != 0 {
		t.Fatalf("ingest contacts: %s", stderr)
	}
	var joined int
	ct := describeTable(t, data, "crm.contacts")
	if err := db.QueryRow(`SELECT count(*) FROM read_parquet(` + parquetList(tbl.DataFiles) + `) a JOIN read_parquet(` + parquetList(ct.DataFiles) + `) b ON a.email = b.email`).Scan(&joined); err != nil {
		t.Fatal(err)
	}
	if joined != 1 {
		t.Errorf("join on hashed email across tables: got %d rows, want 1", joined)
	}

	if found := scanForRawPII(t, data, ps); len(found) > 0 {
		t.Errorf("raw PII found in %v", found)
	}
	if entries, _ := filepath.Glob(filepath.Join(data, "staging", "*", "*")); len(entries) > 0 {
		t.Errorf("staging still holds %v", entries)
	}
}

// The scan itself must be able to fail: a column kept raw on purpose is found.
func TestPIIScanFindsKeptValues(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	src := filepath.Join(dir, "customers.csv")
	ps := people(50)
	writeCustomersCSV(t, src, ps)
	if _, stderr, code := cli(t, data, "ingest", src, "--table", "crm.kept", "--pii", "email=keep", "--reason", "email=support needs it"); code != 0 {
		t.Fatalf("ingest: %s", stderr)
	}
	if found := scanForRawPII(t, data, ps); len(found) == 0 {
		t.Error("the scan found no raw emails in a table that keeps them")
	}
}

// scanForRawPII reads every byte Inlet wrote (lake, catalog, metadata DB,
// keys dir, staging) and returns the files where a raw PII value appears.
func scanForRawPII(t *testing.T, data string, ps []person) []string {
	t.Helper()
	var found []string
	var needles [][]byte
	for _, p := range ps {
		for _, v := range []string{p.email, p.name, p.phone, p.ip, p.card} {
			needles = append(needles, []byte(v))
		}
	}
	files := 0
	err := filepath.Walk(data, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, n := range needles {
			if bytes.Contains(b, n) {
				found = append(found, path)
				return nil
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 5 {
		t.Fatalf("scanned only %d files: the scan is not looking at Inlet's data", files)
	}
	return found
}
