package inlet_test

import (
	"testing"
	"time"

	inlet "github.com/inlet-data/inlet"
)

func TestScheduleNextAcrossDST(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name          string
		sch           inlet.ExportSchedule
		after, want   string
		wantLocalHHMM string
	}{
		// Berlin springs forward on 29 March 2026: 07:00 is 06:00 UTC before, 05:00 UTC after.
		{"berlin before spring", inlet.ExportSchedule{Cadence: "daily", At: "07:00", Zone: "Europe/Berlin"}, "2026-03-27T12:00:00Z", "2026-03-28T06:00:00Z", "07:00"},
		{"berlin on spring day", inlet.ExportSchedule{Cadence: "daily", At: "07:00", Zone: "Europe/Berlin"}, "2026-03-28T12:00:00Z", "2026-03-29T05:00:00Z", "07:00"},
		// 02:30 does not exist in Berlin on 29 March: it runs in the hour after the gap.
		{"berlin in the gap", inlet.ExportSchedule{Cadence: "daily", At: "02:30", Zone: "Europe/Berlin"}, "2026-03-28T12:00:00Z", "2026-03-29T01:30:00Z", "03:30"},
		// and falls back on 25 October: 07:00 is 06:00 UTC again.
		{"berlin autumn", inlet.ExportSchedule{Cadence: "daily", At: "07:00", Zone: "Europe/Berlin"}, "2026-10-24T12:00:00Z", "2026-10-25T06:00:00Z", "07:00"},
		// New York springs forward on 8 March 2026: 09:00 EST is 14:00 UTC, EDT 13:00 UTC.
		{"new york before", inlet.ExportSchedule{Cadence: "daily", At: "09:00", Zone: "America/New_York"}, "2026-03-07T15:00:00Z", "2026-03-08T13:00:00Z", "09:00"},
		{"new york autumn", inlet.ExportSchedule{Cadence: "daily", At: "09:00", Zone: "America/New_York"}, "2026-10-31T15:00:00Z", "2026-11-01T14:00:00Z", "09:00"},
		{"same day, later", inlet.ExportSchedule{Cadence: "daily", At: "23:45", Zone: "UTC"}, "2026-05-04T10:00:00Z", "2026-05-04T23:45:00Z", "23:45"},
		{"exactly at the time is the next day", inlet.ExportSchedule{Cadence: "daily", At: "10:00", Zone: "UTC"}, "2026-05-04T10:00:00Z", "2026-05-05T10:00:00Z", "10:00"},
		// 4 May 2026 is a Monday.
		{"weekly on friday", inlet.ExportSchedule{Cadence: "weekly", Weekday: "friday", At: "08:00", Zone: "Europe/Berlin"}, "2026-05-04T10:00:00Z", "2026-05-08T06:00:00Z", "08:00"},
		{"weekly, today passed", inlet.ExportSchedule{Cadence: "weekly", Weekday: "monday", At: "08:00", Zone: "Europe/Berlin"}, "2026-05-04T10:00:00Z", "2026-05-11T06:00:00Z", "08:00"},
		{"weekly across the spring change", inlet.ExportSchedule{Cadence: "weekly", Weekday: "monday", At: "08:00", Zone: "America/New_York"}, "2026-03-03T12:00:00Z", "2026-03-09T12:00:00Z", "08:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sch := tc.sch
			sch.Name = "x"
			if err := sch.Validate(); err != nil {
				t.Fatal(err)
			}
			got, err := sch.Next(utc(tc.after))
			if err != nil {
				t.Fatal(err)
			}
			if want := utc(tc.want); !got.Equal(want) {
				t.Errorf("got %s, want %s", got, want)
			}
			loc, _ := time.LoadLocation(sch.Zone)
			if hm := got.In(loc).Format("15:04"); hm != tc.wantLocalHHMM {
				t.Errorf("got %s local, want %s", hm, tc.wantLocalHHMM)
			}
		})
	}
}

func TestScheduleValidateRefuses(t *testing.T) {
	ok := inlet.ExportSchedule{Name: "weekly", Cadence: "weekly", Weekday: "Monday", At: "07:30", Zone: "Europe/Berlin"}
	if err := ok.Validate(); err != nil || ok.Keep != inlet.ScheduleDefaultKeep || ok.Weekday != "monday" {
		t.Fatalf("got %v keep %d weekday %q, want nil, %d, monday", err, ok.Keep, ok.Weekday, inlet.ScheduleDefaultKeep)
	}
	for _, tc := range []struct {
		name, field string
		edit        func(*inlet.ExportSchedule)
	}{
		{"bad zone", "zone", func(s *inlet.ExportSchedule) { s.Zone = "Mars/Olympus" }},
		{"no zone", "zone", func(s *inlet.ExportSchedule) { s.Zone = "" }},
		{"hour 24", "at", func(s *inlet.ExportSchedule) { s.At = "24:00" }},
		{"no minutes", "at", func(s *inlet.ExportSchedule) { s.At = "7" }},
		{"single digit hour", "at", func(s *inlet.ExportSchedule) { s.At = "7:30" }},
		{"bad cadence", "cadence", func(s *inlet.ExportSchedule) { s.Cadence = "hourly" }},
		{"bad weekday", "weekday", func(s *inlet.ExportSchedule) { s.Weekday = "someday" }},
		{"keep too many", "keep", func(s *inlet.ExportSchedule) { s.Keep = 101 }},
		{"keep negative", "keep", func(s *inlet.ExportSchedule) { s.Keep = -1 }},
		{"http webhook elsewhere", "webhook_url", func(s *inlet.ExportSchedule) { s.WebhookURL = "http://example.com/hook" }},
		{"webhook with credentials", "webhook_url", func(s *inlet.ExportSchedule) { s.WebhookURL = "https://u:p@example.com/hook" }},
		{"webhook not a URL", "webhook_url", func(s *inlet.ExportSchedule) { s.WebhookURL = "hook" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ok
			tc.edit(&s)
			err := s.Validate()
			var e *inlet.Error
			if inlet.ErrorCode(err) != inlet.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
			e = err.(*inlet.Error)
			if _, on := e.Fields[tc.field]; !on {
				t.Errorf("got fields %v, want %s", e.Fields, tc.field)
			}
		})
	}
	for _, u := range []string{"https://hooks.example.com/inlet", "http://localhost:9000/x", "http://127.0.0.1/x", "http://[::1]:8080/x"} {
		s := ok
		s.WebhookURL = u
		if err := s.Validate(); err != nil {
			t.Errorf("%s: got %v, want allowed", u, err)
		}
	}
}
