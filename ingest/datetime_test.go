package ingest

import "testing"

// The ISO fast path reads exactly what the general scan reads.
func FuzzScanDateTimeISO(f *testing.F) {
	for _, s := range []string{"2024-03-15", "2024-02-30", "2024-13-01", "2024-03-15T10:00:00Z", "2024-03-15 10:00:00", "2024-03-15T25:00", "0000-01-01", "2024-3-15", "20x4-03-15"} {
		f.Add(s, uint8(orderYMD|orderDMY|orderMDY))
	}
	f.Fuzz(func(t *testing.T, s string, orders uint8) {
		b := []byte(s)
		got, gotOK := scanDateTime(b, orders)
		date, tm := splitDateTime(b)
		want, wantOK := scanDateTimeGeneral(date, tm, orders)
		if gotOK != wantOK || (gotOK != 0 && got != want) {
			t.Fatalf("%q orders %b: fast %+v/%d, general %+v/%d", s, orders, got, gotOK, want, wantOK)
		}
	})
}
