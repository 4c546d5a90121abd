package inlet

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// Schedule cadences.
const (
	ScheduleDaily  = "daily"
	ScheduleWeekly = "weekly"
)

// Limits of how many exports a schedule keeps.
const (
	ScheduleDefaultKeep = 7
	ScheduleMaxKeep     = 100
)

// ExportRequest is what a caller asks to export: the body of POST /exports,
// and what a schedule repeats.
type ExportRequest struct {
	Name           string        `json:"name,omitempty"`
	Source         ExportSource  `json:"source"`
	Format         string        `json:"format"`
	Options        ExportOptions `json:"options"`
	ExpiresInHours int           `json:"expires_in_hours,omitempty"`
	ShareWith      []string      `json:"share_with,omitempty"`
}

// ExportSchedule repeats an export daily or weekly at a wall-clock time in
// a time zone. Each run makes a new export (Export.Schedule names the
// schedule), the last Keep are kept, and a webhook, if set, hears how each
// ended, signed with a secret only its creator was shown.
type ExportSchedule struct {
	ID     string        `json:"id"`
	Tenant string        `json:"tenant"`
	Name   string        `json:"name"`
	Export ExportRequest `json:"export"`
	// Cadence is daily or weekly; Weekday (monday … sunday) is a weekly
	// schedule's day.
	Cadence string `json:"cadence"`
	Weekday string `json:"weekday,omitempty"`
	// At is the time of day, HH:MM, in Zone (an IANA name).
	At   string `json:"at"`
	Zone string `json:"zone"`
	Keep int    `json:"keep"`
	// WebhookURL, if set, is POSTed how each run ended.
	WebhookURL string `json:"webhook_url,omitempty"`
	// WebhookSalt derives the webhook's secret with a server key; the
	// secret itself is stored nowhere.
	WebhookSalt string     `json:"-"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	NextRunAt   time.Time  `json:"next_run_at"`
	LastRunAt   *time.Time `json:"last_run_at,omitempty"`
	LastExport  string     `json:"last_export,omitempty"`
	Paused      bool       `json:"paused"`
}

var weekdays = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}

func fieldErr(field, format string, args ...any) *Error {
	e := Errorf(EINVALID, format, args...)
	e.Fields = map[string]string{field: e.Message}
	return e
}

// Validate checks a schedule's timing, keep and webhook, filling in the
// default keep; each problem is an EINVALID error on its field.
func (s *ExportSchedule) Validate() error {
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" {
		return fieldErr("name", "give the schedule a name")
	}
	switch s.Cadence {
	case ScheduleDaily:
		s.Weekday = ""
	case ScheduleWeekly:
		s.Weekday = strings.ToLower(s.Weekday)
		if _, ok := weekdays[s.Weekday]; !ok {
			return fieldErr("weekday", "weekday %q: use monday, tuesday, … or sunday", s.Weekday)
		}
	default:
		return fieldErr("cadence", "cadence %q: use daily or weekly", s.Cadence)
	}
	if _, _, err := clock(s.At); err != nil {
		return fieldErr("at", "%v", err)
	}
	if s.Zone == "" || s.Zone == "Local" {
		return fieldErr("zone", "name a time zone such as Europe/Berlin or UTC")
	}
	if _, err := time.LoadLocation(s.Zone); err != nil {
		return fieldErr("zone", "unknown time zone %q: use an IANA name such as Europe/Berlin or America/New_York", s.Zone)
	}
	if s.Keep == 0 {
		s.Keep = ScheduleDefaultKeep
	}
	if s.Keep < 1 || s.Keep > ScheduleMaxKeep {
		return fieldErr("keep", "keep from 1 to %d exports, not %d", ScheduleMaxKeep, s.Keep)
	}
	if s.WebhookURL != "" {
		if err := CheckWebhookURL(s.WebhookURL); err != nil {
			return fieldErr("webhook_url", "%s", ErrorMessage(err))
		}
	}
	return nil
}

// CheckWebhookURL allows https anywhere and plain http only to this
// machine (for development): the body names files and customers' exports.
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil {
		return Errorf(EINVALID, "the webhook URL must be an absolute https URL without credentials")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
	}
	return Errorf(EINVALID, "the webhook URL must use https (plain http only to localhost)")
}

// WebhookToLoopback says whether a webhook URL names this machine
// (localhost or a loopback address), which a server calls only when told
// to, for development.
func WebhookToLoopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	ip := net.ParseIP(host)
	return host == "localhost" || strings.HasSuffix(host, ".localhost") || (ip != nil && (ip.IsLoopback() || ip.IsUnspecified()))
}

// clock parses HH:MM.
func clock(s string) (int, int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, 0, fmt.Errorf("time of day %q: use HH:MM, 24-hour, such as 07:30", s)
	}
	return t.Hour(), t.Minute(), nil
}

// Next is the schedule's first run strictly after a moment: the next
// calendar day (of its weekday, if weekly) at its wall-clock time in its
// zone, converted from that wall time, so a run stays at 07:00 local
// across daylight saving changes. A time that does not exist that day
// (in the gap when clocks spring forward) runs in the hour after it.
func (s *ExportSchedule) Next(after time.Time) (time.Time, error) {
	hh, mm, err := clock(s.At)
	if err != nil {
		return time.Time{}, fieldErr("at", "%v", err)
	}
	loc, err := time.LoadLocation(s.Zone)
	if err != nil {
		return time.Time{}, fieldErr("zone", "unknown time zone %q", s.Zone)
	}
	local := after.In(loc)
	for d := 0; d <= 8; d++ {
		c := time.Date(local.Year(), local.Month(), local.Day()+d, hh, mm, 0, 0, loc)
		if s.Cadence == ScheduleWeekly && c.Weekday() != weekdays[s.Weekday] {
			continue
		}
		if c.After(after) {
			return c.UTC(), nil
		}
	}
	return time.Time{}, Errorf(EINTERNAL, "schedule %s: no next run found", s.ID)
}

// ExportScheduleStore keeps schedules in the metadata store.
type ExportScheduleStore interface {
	CreateSchedule(ctx context.Context, s *ExportSchedule) error
	Schedule(ctx context.Context, tenant, id string) (*ExportSchedule, error)
	Schedules(ctx context.Context, tenant string) ([]*ExportSchedule, error)
	// UpdateSchedule saves a schedule's timing, keep, pause and last run.
	UpdateSchedule(ctx context.Context, s *ExportSchedule) error
	DeleteSchedule(ctx context.Context, tenant, id string) error
	// DueSchedules lists unpaused schedules of every tenant due at now.
	DueSchedules(ctx context.Context, now time.Time) ([]*ExportSchedule, error)
	// ClaimSchedule moves a schedule's next run from prev to next and
	// records the run at ran, only if its next run is still prev: of two
	// replicas that saw it due, one gets true and runs it.
	ClaimSchedule(ctx context.Context, tenant, id string, prev, next, ran time.Time) (bool, error)
}
