package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
)

// The customer file: 20 columns of the kinds real exports have, deterministic
// for a seed, so every run measures the same bytes.
var header = "customer_id,email,full_name,phone,ip_address,signup_date,last_login,lifetime_value,balance,is_active," +
	"country,city,segment,score,orders,zip,company,note,referrer,updated_at\n"

var (
	firsts    = []string{"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "José", "Zoë", "Wei", "Aisha", "Lars", "Priya", "Sean", "Anne-Marie", "Hiroshi", "Olga", "Carlos", "Fatima"}
	lasts     = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "García", "Miller", "Davis", "Müller", "O'Neil", "Chen", "Okafor", "Larsen", "Patel", "Kowalski", "Dubois", "Tanaka", "Ivanova", "Silva", "Haddad"}
	domains   = []string{"example.com", "mail.example.org", "corp.example.net", "inbox.example.io"}
	countries = []string{"US", "GB", "DE", "FR", "NL", "ES", "IT", "SE", "PL", "JP"}
	cities    = []string{"New York", "London", "Berlin", "Paris", "Amsterdam", "Madrid", "Rome", "Stockholm", "Warsaw", "Tokyo"}
	segments  = []string{"consumer", "smb", "enterprise", "public sector"}
	companies = []string{"Acme Inc", "Globex Corporation", "Initech LLC", "Umbrella Group", "Stark Industries", "Wayne Enterprises", ""}
	notes     = []string{"", "", "", "called about invoice", "prefers email, not phone", `said "great service"`, "moved\nto a new address", "VIP; handle with care", "asked for a refund of 20%"}
	referrers = []string{"https://www.example.com/landing?utm_source=ads", "https://news.example.org/article/123", "", "direct", "https://partner.example.net/ref/998"}
)

// generate writes rows until at least size bytes are written, or maxRows
// rows if that is set (not 0); it returns rows.
func generate(w io.Writer, size, maxRows int64, seed uint64) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	n, _ := bw.WriteString(header)
	written := int64(n)
	var rows int64
	line := make([]byte, 0, 512)
	for written < size && (maxRows == 0 || rows < maxRows) {
		rows++
		f, l := firsts[r.IntN(len(firsts))], lasts[r.IntN(len(lasts))]
		line = line[:0]
		line = strconv.AppendInt(line, 100000+rows, 10)
		line = append(line, ',')
		line = fmt.Appendf(line, "%c%s.%d@%s,", f[0]|0x20, lower(l), rows, domains[r.IntN(len(domains))])
		line = appendCSV(line, f+" "+l)
		line = fmt.Appendf(line, ",+1 %03d-555-%04d,", 200+r.IntN(700), r.IntN(10000))
		line = fmt.Appendf(line, "%d.%d.%d.%d,", 1+r.IntN(223), r.IntN(256), r.IntN(256), 1+r.IntN(254))
		line = fmt.Appendf(line, "%d-%02d-%02d,", 2010+r.IntN(15), 1+r.IntN(12), 1+r.IntN(28))
		line = fmt.Appendf(line, "2024-%02d-%02dT%02d:%02d:%02dZ,", 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60))
		line = fmt.Appendf(line, "%d.%02d,", r.IntN(100000), r.IntN(100))
		line = fmt.Appendf(line, "%d.%02d,", r.IntN(20000)-10000, r.IntN(100))
		line = append(line, []string{"true", "false"}[r.IntN(2)]...)
		line = append(line, ',')
		c := r.IntN(len(countries))
		line = append(line, countries[c]...)
		line = append(line, ',')
		line = append(line, cities[c]...)
		line = append(line, ',')
		line = append(line, segments[r.IntN(len(segments))]...)
		line = fmt.Appendf(line, ",%.4f,%d,%05d,", r.Float64(), r.IntN(500), r.IntN(100000))
		line = appendCSV(line, companies[r.IntN(len(companies))])
		line = append(line, ',')
		line = appendCSV(line, notes[r.IntN(len(notes))])
		line = append(line, ',')
		line = appendCSV(line, referrers[r.IntN(len(referrers))])
		line = fmt.Appendf(line, ",2024-11-%02d %02d:%02d:%02d\n", 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60))
		n, err := bw.Write(line)
		if err != nil {
			return rows, err
		}
		written += int64(n)
	}
	return rows, bw.Flush()
}

func lower(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+32)
		case c >= 'a' && c <= 'z':
			b = append(b, c)
		}
	}
	return string(b)
}

func appendCSV(b []byte, s string) []byte {
	needs := false
	for i := 0; i < len(s); i++ {
		if s[i] == ',' || s[i] == '"' || s[i] == '\n' {
			needs = true
			break
		}
	}
	if !needs {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
