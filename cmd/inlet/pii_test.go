package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	inlet "github.com/inlet-data/inlet"
)

var (
	deNames = []string{"Jürgen Müller", "Anna Schmidt", "Lukas Schneider", "Marie Fischer", "Paul Weber", "Sophie Wagner", "Felix Becker", "Lena Hoffmann"}
	brNames = []string{"João Silva", "Maria Santos", "Pedro Oliveira", "Ana Souza", "Lucas Pereira", "Júlia Costa", "Gabriel Rodrigues", "Beatriz Almeida"}
)

// The same person's phone and birth date, written the way each file writes
// them, hash to the same value: a German HR export (+49, DD.MM.YYYY), a
// sign-up sheet with a country column (national format, ISO dates) and a
// sheet of national numbers read with --phone-region. Joins on the hashes
// find every person.
func TestPhonesAndBirthDatesHashAlikeAcrossFormatsAndFiles(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	var hr, signup, national strings.Builder
	hr.WriteString("Name;Telefon;Geburtsdatum\n")
	signup.WriteString("name,phone,country,birthday\n")
	national.WriteString("Kunde,Rufnummer\n")
	for i := range 24 {
		day, month, year := 1+i, 1+i%12, 1960+i
		if i%2 == 0 { // Germans
			n := deNames[i%len(deNames)]
			fmt.Fprintf(&hr, "%s;+49 30 1234 56%02d;%02d.%02d.%d\n", n, i, day, month, year)
			fmt.Fprintf(&signup, "%s,030 123456%02d,Deutschland,%d-%02d-%02d\n", n, i, year, month, day)
			fmt.Fprintf(&national, "%s,(030) 1234-56%02d\n", n, i)
		} else { // Brazilians
			n := brNames[i%len(brNames)]
			fmt.Fprintf(&hr, "%s;+55 11 98765-43%02d;%02d.%02d.%d\n", n, i, day, month, year)
			fmt.Fprintf(&signup, "%s,(11) 98765-43%02d,Brasil,%d-%02d-%02d\n", n, i, year, month, day)
		}
	}
	for name, args := range map[string][]string{
		"hr":       {writeFile(t, filepath.Join(dir, "hr.csv"), hr.String()), "--table", "people.hr"},
		"signup":   {writeFile(t, filepath.Join(dir, "signup.csv"), signup.String()), "--table", "people.signup"},
		"national": {writeFile(t, filepath.Join(dir, "national.csv"), national.String()), "--table", "people.national", "--phone-region", "DE"},
	} {
		if res, stderr := ingestJSON(t, data, args...); res == nil {
			t.Fatalf("ingest %s: %s", name, stderr)
		}
	}
	files := map[string]string{}
	for _, tbl := range []string{"hr", "signup", "national"} {
		d := describeTable(t, data, "people."+tbl)
		for _, c := range d.Columns {
			if c.SourceName == "Telefon" || c.SourceName == "phone" || c.SourceName == "Rufnummer" || c.SourceName == "Geburtsdatum" || c.SourceName == "birthday" {
				if c.PII == nil || c.PII.Action != inlet.ActionHash {
					t.Errorf("%s.%s: %+v, want hashed", tbl, c.Name, c.PII)
				}
			}
		}
		files[tbl] = "read_parquet(" + parquetList(d.DataFiles) + ")"
	}
	db := openDuckDB(t)
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count("SELECT count(*) FROM " + files["hr"] + " h JOIN " + files["signup"] + " s ON h.telefon = s.phone AND h.geburtsdatum = s.birthday"); n != 24 {
		t.Errorf("HR export joined with the sign-up sheet on phone and birth date: %d of 24 people", n)
	}
	if n := count("SELECT count(*) FROM " + files["hr"] + " h JOIN " + files["national"] + " n ON h.telefon = n.rufnummer"); n != 12 {
		t.Errorf("HR export joined with national numbers read as DE: %d of 12 people", n)
	}
}

// Redact keeps a note's prose and hashes what is inside it; generalise
// keeps a birth year, a postcode's outward part and an IP's network; a
// column the uploader marks as a phone is normalised as one, so it joins
// with a detected phone column; the table shows what was done.
func TestRedactGeneraliseAndManualMarking(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	var b strings.Builder
	b.WriteString("customer,mobile,ref,notes,dob,postcode,ip\n")
	postcodes := []string{"SW1A 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "LS1 4AP"}
	for i := range 20 {
		note := "called back and all is fine"
		switch i % 3 {
		case 0:
			note = fmt.Sprintf("asked for a refund so write to customer%d@example.co.uk when it is done", i)
		case 1:
			note = fmt.Sprintf("prefers a call on 07911 123%03d after six in the evening", i)
		}
		fmt.Fprintf(&b, "C%04d,+44 7911 123%03d,07911 123%03d,%s,%d-%02d-%02d,%s,192.168.%d.%d\n",
			i, i, i, note, 1950+i, 1+i%12, 1+i, postcodes[i%len(postcodes)], i, 10+i)
	}
	src := writeFile(t, filepath.Join(dir, "crm.csv"), b.String())
	res, stderr := ingestJSON(t, data, src, "--table", "crm.people", "--phone-region", "GB",
		"--pii", "ref=hash", "--entity", "ref=phone",
		"--pii", "notes=redact",
		"--pii", "dob=generalise", "--level", "dob=year",
		"--pii", "postcode=generalise", "--pii", "ip=generalise")
	if res == nil {
		t.Fatalf("ingest: %s", stderr)
	}
	tbl := describeTable(t, data, "crm.people")
	byName := map[string]inlet.Column{}
	for _, c := range tbl.Columns {
		byName[c.Name] = c
	}
	for col, want := range map[string]string{"mobile": "phone/hash", "ref": "phone/hash", "notes": "free_text/redact",
		"dob": "date_of_birth/generalise", "postcode": "postcode/generalise", "ip": "ip_address/generalise"} {
		c := byName[col]
		if c.PII == nil || string(c.PII.Entity)+"/"+string(c.PII.Action) != want {
			t.Errorf("column %s: %+v, want %s", col, c.PII, want)
		}
	}
	if c := byName["dob"].Comment; !strings.Contains(c, "year") {
		t.Errorf("dob comment %q does not say it was generalised to the year", c)
	}
	db := openDuckDB(t)
	rows, err := db.Query("SELECT mobile, ref, notes, dob, postcode, ip FROM read_parquet(" + parquetList(tbl.DataFiles) + ") ORDER BY customer")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var mobile, ref, notes, dob, postcode, ip string
		if err := rows.Scan(&mobile, &ref, &notes, &dob, &postcode, &ip); err != nil {
			t.Fatal(err)
		}
		if mobile != ref {
			t.Errorf("row %d: the marked phone column hashes to %s, the detected one to %s", i, ref, mobile)
		}
		switch i % 3 {
		case 0:
			if !strings.HasPrefix(notes, "asked for a refund so write to [email:") || strings.Contains(notes, "@example") {
				t.Errorf("row %d: redacted note %q", i, notes)
			}
		case 1:
			if !strings.Contains(notes, "[phone:") || strings.Contains(notes, "07911") {
				t.Errorf("row %d: redacted note %q", i, notes)
			}
		default:
			if notes != "called back and all is fine" {
				t.Errorf("row %d: a note with nothing personal changed: %q", i, notes)
			}
		}
		wantPostcode := strings.Fields(postcodes[i%len(postcodes)])[0]
		if dob != fmt.Sprint(1950+i) || postcode != wantPostcode || ip != fmt.Sprintf("192.168.%d.0/24", i) {
			t.Errorf("row %d: generalised to %q %q %q, want %d %s 192.168.%d.0/24", i, dob, postcode, ip, 1950+i, wantPostcode, i)
		}
		i++
	}
	if i != 20 {
		t.Fatalf("read %d rows", i)
	}
}

// An admin's rules apply to every upload of the tenant and show in the
// reasons; they are validated field by field, versioned, and guarded
// against two admins saving over each other.
func TestTenantPIIRules(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	url, setupToken := startServer(t, data)
	c := setUp(t, url+"/api/v1", setupToken)

	var rules inlet.PIIRules
	if code, b := c.do(http.MethodGet, "/settings/pii", nil, &rules); code != 200 || rules.Version != 0 {
		t.Fatalf("rules before any save: %d %s", code, b)
	}
	for field, bad := range map[string]map[string]any{
		"region":           {"region": "XX"},
		"custom.0.pattern": {"custom": []map[string]any{{"name": "staff", "pattern": "EMP-(\\d+"}}},
		"custom.0.name":    {"custom": []map[string]any{{"name": "no spaces", "pattern": "x"}}},
		"deny_columns.0":   {"allow_columns": []string{"Ref"}, "deny_columns": []string{"ref"}},
	} {
		if code, b := c.do(http.MethodPut, "/settings/pii", bad, nil); code != 400 || errorField(b, field) == "" {
			t.Errorf("rules %v: %d %s, want 400 naming %s", bad, code, b, field)
		}
	}
	want := map[string]any{"version": 0, "region": "de", "countries": []string{"AT"},
		"custom":        []map[string]any{{"name": "staff_no", "pattern": `EMP-\d{6}`, "context": []string{"personalnummer"}}},
		"allow_values":  []string{"support@acme.example"},
		"allow_columns": []string{"Ticket"},
		"deny_columns":  []string{"Kostenstelle"}}
	if code, b := c.do(http.MethodPut, "/settings/pii", want, &rules); code != 200 || rules.Version != 1 || rules.Region != "DE" || rules.UpdatedBy == "" {
		t.Fatalf("save rules: %d %s", code, b)
	}
	if code, b := c.do(http.MethodPut, "/settings/pii", want, nil); code != http.StatusConflict {
		t.Errorf("saving over version 1 from version 0: %d %s, want 409", code, b)
	}
	var versions struct{ Versions []inlet.PIIRules }
	if code, _ := c.do(http.MethodGet, "/settings/pii/versions", nil, &versions); code != 200 || len(versions.Versions) != 1 {
		t.Errorf("versions: %+v", versions)
	}

	var file strings.Builder
	file.WriteString("Personalnummer,Kostenstelle,Kontakt,Ticket,Telefon\n")
	for i := range 20 {
		fmt.Fprintf(&file, "EMP-%06d,KST-%d,support@acme.example,user%d@example.com,030 1234 56%02d\n", 100000+i, i%4, i, i)
	}
	var up struct {
		Upload     inlet.Upload
		Inspection inlet.Inspection
	}
	if code, b := c.upload("staff.csv", []byte(file.String()), &up); code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, b)
	}
	findings := map[string]*inlet.Finding{}
	for _, col := range up.Inspection.Columns {
		findings[col.SourceName] = col.PII
	}
	if f := findings["Personalnummer"]; f == nil || f.Entity != "custom:staff_no" || !strings.Contains(f.Reason, "version 1") {
		t.Errorf("custom entity: %+v", f)
	}
	if f := findings["Kostenstelle"]; f == nil || f.Possible || !strings.Contains(f.Reason, "rules") {
		t.Errorf("deny-listed column: %+v", f)
	}
	if f := findings["Kontakt"]; f != nil {
		t.Errorf("a column holding only an allowed value was flagged: %+v", f)
	}
	if f := findings["Ticket"]; f != nil {
		t.Errorf("an allowed column was flagged: %+v", f)
	}
	if f := findings["Telefon"]; f == nil || f.Entity != inlet.EntityPhone || !slices.Contains(f.Regions, "DE") {
		t.Errorf("phone under the tenant's region DE: %+v", f)
	}
	if code, b := c.do(http.MethodGet, "/uploads/"+up.Upload.ID+"/inspection?phone_region=XX", nil, nil); code != 400 || errorField(b, "phone_region") == "" {
		t.Errorf("a bad phone region: %d %s", code, b)
	}

	var job inlet.Job
	spec := map[string]any{"table": map[string]string{"database": "hr", "name": "staff"}}
	if code, b := c.do(http.MethodPost, "/uploads/"+up.Upload.ID+"/ingest", spec, &job); code != http.StatusAccepted {
		t.Fatalf("ingest: %d %s", code, b)
	}
	if job = waitJob(t, c, job.ID); job.State != inlet.JobSucceeded {
		t.Fatalf("job: %+v", job)
	}
	var tbl inlet.Table
	c.do(http.MethodGet, "/tables/hr/staff", nil, &tbl)
	got := map[string]string{}
	for _, col := range tbl.Columns {
		got[col.SourceName] = "-"
		if col.PII != nil {
			got[col.SourceName] = string(col.PII.Entity) + "/" + string(col.PII.Action)
		}
	}
	for col, want := range map[string]string{"Personalnummer": "custom:staff_no/hash", "Kostenstelle": "personal_data/hash",
		"Kontakt": "-", "Ticket": "-", "Telefon": "phone/hash"} {
		if got[col] != want {
			t.Errorf("table column %s: %s, want %s", col, got[col], want)
		}
	}
}

// errorField returns what an error response says about one field.
func errorField(body []byte, field string) string {
	var e apiError
	json.Unmarshal(body, &e)
	return e.Error.Fields[field]
}
