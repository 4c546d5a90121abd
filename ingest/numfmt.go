package ingest

import (
	"archive/zip"
	"math"
	"strconv"
	"strings"
	"time"
)

// cellFormat is what a cell style's number format makes of a number: Excel
// stores dates and times as day serial numbers, and only the format says
// which numbers are dates.
type cellFormat uint8

const (
	fmtNumber   cellFormat = iota
	fmtDate                // a day: 2021-01-01
	fmtDateTime            // a day and a time of day
	fmtTime                // a time of day: 15:10:00
)

func (f cellFormat) isTemporal() bool { return f != fmtNumber }

// readFormats reads the number format of every cell style (cellXfs).
func readFormats(f *zip.File) ([]cellFormat, error) {
	var doc struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := readXML(f, &doc); err != nil {
		return nil, err
	}
	custom := make(map[int]string, len(doc.NumFmts))
	for _, n := range doc.NumFmts {
		custom[n.ID] = n.Code
	}
	out := make([]cellFormat, len(doc.Xfs))
	for i, x := range doc.Xfs {
		if code, ok := custom[x.NumFmtID]; ok {
			out[i] = classifyFormat(code)
		} else {
			out[i] = builtinFormat(x.NumFmtID)
		}
	}
	return out, nil
}

// builtinFormat classifies the number formats ECMA-376 §18.8.30 predefines,
// with the East Asian and Thai locale ids Excel writes.
func builtinFormat(id int) cellFormat {
	switch {
	case id >= 14 && id <= 17, id == 27, id >= 28 && id <= 31, id >= 34 && id <= 36,
		id >= 50 && id <= 54, id == 57, id == 58, id >= 71 && id <= 74:
		return fmtDate
	case id == 22, id == 75:
		return fmtDateTime
	case id >= 18 && id <= 21, id == 32, id == 33, id == 45, id == 47, id == 55, id == 56, id >= 76 && id <= 81:
		return fmtTime
	}
	// 46 is [h]:mm:ss, an elapsed duration: its serial stays a number.
	return fmtNumber
}

// classifyFormat reads a custom format code: a date when its first section
// has day, month or year parts, a time when it has hours or seconds.
// Quoted text, escaped characters, colours and locale tags do not count;
// elapsed-time formats ([h]:mm) are durations and stay numbers.
func classifyFormat(code string) cellFormat {
	var date, timeOfDay, month bool
	lower := strings.ToLower(code)
	lower = strings.ReplaceAll(lower, "general", "")
	lower = strings.ReplaceAll(lower, "am/pm", "")
	lower = strings.ReplaceAll(lower, "a/p", "")
	for i := 0; i < len(lower); i++ {
		switch c := lower[i]; c {
		case ';':
			i = len(lower) // the first section decides
		case '"':
			if j := strings.IndexByte(lower[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(lower)
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(lower[i:], ']')
			if j < 0 {
				i = len(lower)
				break
			}
			if tag := lower[i+1 : i+j]; tag != "" && strings.Trim(tag, "hms") == "" {
				return fmtNumber // [h], [mm], [ss]: a duration
			}
			i += j
		case 'y', 'd', 'g':
			date = true
		case 'e':
			if i+1 >= len(lower) || lower[i+1] != '+' && lower[i+1] != '-' {
				date = true // era year, not a scientific exponent
			}
		case 'h', 's':
			timeOfDay = true
		case 'm':
			month = true
		}
	}
	if month && !timeOfDay {
		date = true
	}
	switch {
	case date && timeOfDay:
		return fmtDateTime
	case date:
		return fmtDate
	case timeOfDay:
		return fmtTime
	}
	return fmtNumber
}

// Excel's day zero: 1899-12-30 for serials after its phantom 1900-02-29
// (serial 60, kept from Lotus 1-2-3), a day later before it; 1904-01-01 in
// the 1904 date system of old Mac workbooks.
var (
	excelEpoch     = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	excelEpochLow  = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	excelEpoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// appendSerial appends a date serial number as ISO text. It keeps the time
// of day when a date format hides one, so no value is lost, and refuses
// (false) serials that are not dates: negative, beyond 9999, Excel's
// phantom 1900-02-29 and day zero shown as a date.
func appendSerial(dst, v []byte, f cellFormat, date1904 bool) ([]byte, bool) {
	x, err := strconv.ParseFloat(string(v), 64)
	if err != nil || x < 0 || x >= 2958466 || math.IsNaN(x) {
		return dst, false
	}
	days := math.Floor(x)
	ms := math.Round((x - days) * 86_400_000)
	if ms >= 86_400_000 {
		days, ms = days+1, 0
	}
	epoch := excelEpoch
	switch {
	case date1904:
		epoch = excelEpoch1904
	case days == 60:
		return dst, false
	case days < 60:
		epoch = excelEpochLow
	}
	if days == 0 && !date1904 && f != fmtTime {
		return dst, false // 1900-01-00
	}
	t := epoch.AddDate(0, 0, int(days)).Add(time.Duration(ms) * time.Millisecond)
	frac := int64(ms)%1000 != 0
	switch {
	case f == fmtTime && days == 0:
		if frac {
			return t.AppendFormat(dst, "15:04:05.000"), true
		}
		return t.AppendFormat(dst, "15:04:05"), true
	case f == fmtDate && ms == 0:
		return t.AppendFormat(dst, "2006-01-02"), true
	case frac:
		return t.AppendFormat(dst, "2006-01-02 15:04:05.000"), true
	}
	return t.AppendFormat(dst, "2006-01-02 15:04:05"), true
}
