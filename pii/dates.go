package pii

import (
	"regexp"
	"sort"
	"time"
)

// Birth dates: a column of dates whose people are of an age people are
// (between 0 and 110 years before today, most of them adults), spread over
// years, not a run of order or sign-up dates close to today.

var dateParts = regexp.MustCompile(`^(\d{1,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,4})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$`)

// parseDay reads a date written with numbers: year first (1980-04-12,
// 1980/04/12, 1980年4月12日) or last (12.04.1980, 04/12/1980); day and month
// are taken in whichever order makes a date, day first when both do.
func parseDay(v string) (time.Time, bool) {
	m := dateParts.FindStringSubmatch(v)
	if m == nil {
		return time.Time{}, false
	}
	a, b, c := m[1], m[2], m[3]
	var y, mo, d int
	switch {
	case len(a) == 4:
		y, mo, d = atoi(a), atoi(b), atoi(c)
	case len(c) == 4:
		y, d, mo = atoi(c), atoi(a), atoi(b)
		if mo > 12 && d <= 12 {
			d, mo = mo, d
		}
	case len(c) == 2 && len(a) <= 2:
		y, d, mo = atoi(c), atoi(a), atoi(b)
		if mo > 12 && d <= 12 {
			d, mo = mo, d
		}
		if y += 1900; y < time.Now().Year()-100 {
			y += 100
		}
	default:
		return time.Time{}, false
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 February
		return time.Time{}, false
	}
	return t, true
}

// birthEvidence says what share of the values are dates of people's
// birth, and whether the column looks like birth dates by its values
// alone: ages of adults, spread over many years.
func birthEvidence(vals []string, now time.Time) (share float64, byValues bool) {
	var ages []float64
	dates := 0
	for _, v := range vals {
		t, ok := parseDay(v)
		if !ok {
			continue
		}
		dates++
		age := now.Sub(t).Hours() / (24 * 365.25)
		if age >= 0 && age <= 110 {
			ages = append(ages, age)
		}
	}
	if len(vals) == 0 {
		return 0, false
	}
	share = float64(len(ages)) / float64(len(vals))
	if len(ages) < 5 || dates < len(vals)*8/10 {
		return share, false
	}
	sort.Float64s(ages)
	median := ages[len(ages)/2]
	iqr := ages[len(ages)*3/4] - ages[len(ages)/4]
	// Sign-up and order dates sit within a few years of today.
	return share, median >= 16 && iqr >= 5
}
