package export_test

import (
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
	"github.com/inlet-data/inlet/export"
)

// A schedule's relative dates count the days of its own zone: a Berlin run
// at 01:30 local (23:30 UTC the day before) is on the Berlin day.
func TestStatementCountsDaysInItsZone(t *testing.T) {
	tmpl := &inlet.Template{ID: "t", SQL: "SELECT 1 WHERE d >= {{p.start}} AND d < {{p.end}}", Params: []inlet.TemplateParam{{Name: "p", Type: inlet.ParamDateRange}}}
	at := time.Date(2026, 5, 7, 23, 30, 0, 0, time.UTC)
	for zone, first := range map[string]int{"": 1, "Europe/Berlin": 2} {
		e := &inlet.Export{Tenant: "default", Source: inlet.ExportSource{TemplateID: "t", Values: map[string][]string{"p": {"last_7_days"}}, TimeZone: zone}}
		q, err := export.Statement(e, tmpl, nil, "u", at)
		if err != nil {
			t.Fatal(err)
		}
		if start := q.Args[0].(time.Time); start.Day() != first {
			t.Errorf("zone %q: last_7_days starts on the %d, want the %d", zone, start.Day(), first)
		}
	}
}

func TestScaledText(t *testing.T) {
	for _, c := range []struct {
		n     int64
		scale int
		want  string
	}{{1250, 2, "12.50"}, {-1250, 2, "-12.50"}, {5, 3, "0.005"}, {-5, 3, "-0.005"}, {0, 2, "0.00"}, {42, 0, "42"}, {-9223372036854775808, 4, "-922337203685477.5808"}} {
		if got := export.ScaledText(c.n, c.scale); got != c.want {
			t.Errorf("ScaledText(%d, %d) = %q, want %q", c.n, c.scale, got, c.want)
		}
	}
}
