package pii

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"time"

	inlet "github.com/inlet-data/inlet"
)

// Generalising keeps a coarser value that still answers most questions:
// a birth date's year or age band, a postcode's outward part (UK) or first
// three digits, an IP address's network (/24, /48).

// Generalisation levels, per entity.
const (
	LevelYear    = "year"     // date of birth → 1980
	LevelAgeBand = "age_band" // date of birth → 40-49 (at ingest)
	LevelPrefix  = "prefix"   // postcode → SW1A, 101
	LevelNetwork = "network"  // IP address → 192.0.2.0/24, 2001:db8:1::/48
)

// DefaultLevel is the generalisation an entity gets unless one is chosen.
func DefaultLevel(e inlet.Entity) string {
	switch e {
	case inlet.EntityDateOfBirth:
		return LevelYear
	case inlet.EntityPostcode:
		return LevelPrefix
	case inlet.EntityIPAddress:
		return LevelNetwork
	}
	return ""
}

// CheckLevel says whether an entity can be generalised at a level.
func CheckLevel(e inlet.Entity, level string) error {
	ok := map[inlet.Entity][]string{
		inlet.EntityDateOfBirth: {LevelYear, LevelAgeBand},
		inlet.EntityPostcode:    {LevelPrefix},
		inlet.EntityIPAddress:   {LevelNetwork},
	}[e]
	for _, l := range ok {
		if l == level {
			return nil
		}
	}
	if len(ok) == 0 {
		return inlet.Errorf(inlet.EINVALID, "%s cannot be generalised: generalise birth dates, postcodes and IP addresses", words(e))
	}
	return inlet.Errorf(inlet.EINVALID, "%s is generalised to %s, not %q", words(e), strings.Join(ok, " or "), level)
}

// DescribeLevel says in words what a generalisation keeps, for comments.
func DescribeLevel(e inlet.Entity, level string) string {
	switch level {
	case LevelYear:
		return "generalised to the year"
	case LevelAgeBand:
		return "generalised to a ten-year age band at ingest"
	case LevelPrefix:
		return "generalised to the outward part (UK) or the first three characters"
	case LevelNetwork:
		return "generalised to the /24 (IPv4) or /48 (IPv6) network"
	}
	return "generalised"
}

var ukPostcodeRE = regexp.MustCompile(`^([A-Z]{1,2}\d[A-Z\d]?) ?\d[A-Z]{2}$`)

// Generalise returns the coarser value, and false when v cannot be read as
// the entity (the row then fails like a value of the wrong type).
func Generalise(e inlet.Entity, level string, v string, day time.Time, now time.Time) (string, bool) {
	v = strings.TrimSpace(v)
	switch level {
	case LevelYear:
		if day.IsZero() {
			return "", false
		}
		return fmt.Sprint(day.Year()), true
	case LevelAgeBand:
		if day.IsZero() {
			return "", false
		}
		age := now.Year() - day.Year()
		if now.YearDay() < day.YearDay() {
			age--
		}
		if age < 0 {
			return "", false
		}
		lo := age / 10 * 10
		return fmt.Sprintf("%d-%d", lo, lo+9), true
	case LevelPrefix:
		up := strings.ToUpper(v)
		if m := ukPostcodeRE.FindStringSubmatch(up); m != nil {
			return m[1], true
		}
		if len(up) < 3 {
			return "", false
		}
		return up[:3], true
	case LevelNetwork:
		a, err := netip.ParseAddr(v)
		if err != nil {
			return "", false
		}
		bits := 48
		if a.Is4() {
			bits = 24
		}
		p, err := a.Prefix(bits)
		if err != nil {
			return "", false
		}
		return p.String(), true
	}
	return "", false
}

// ParseBirthDay reads a birth date as detection does, for generalising.
func ParseBirthDay(v string) (time.Time, bool) { return parseDay(strings.TrimSpace(v)) }
