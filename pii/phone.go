package pii

import (
	"sort"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Phone numbers are checked with libphonenumber in the regions that can
// explain them: a number with +country explains itself; one without is
// parsed in its row's country (a country column), else in the upload's
// region, else in each region where the sampled numbers are plausible,
// keeping the one that explains the most. The same region then turns the
// numbers into E.164 for hashing, so a phone written "030 1234567" in one
// file and "+49 30 1234567" in another hashes the same.

// phoneShaped: 7 to 15 digits and nothing but the punctuation phones are
// written with (+ - . ( ) / spaces, x or ext for an extension).
func phoneShaped(v string) bool {
	if len(v) < 7 || len(v) > 32 {
		return false
	}
	digits, dots := 0, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		case c == '+' || c == '-' || c == '(' || c == ')' || c == ' ' || c == '/' || c == 'x':
		default:
			return false
		}
	}
	if digits < 7 || digits > 15 || (dots == 1 || dots == 3) && digits == len(v)-dots {
		return false // 78357.58 is an amount, 211.234.85.79 an IP address
	}
	_, isDate := parseDay(v) // 31/07/2025 is a date, whatever a region's numbers allow
	return !isDate
}

// phoneFormatted: written with the punctuation of phone numbers, not a
// plain run of digits (which is more often an id).
func phoneFormatted(v string) bool {
	return strings.ContainsAny(v, "+-() ./")
}

// plainEvidence is for plain runs of digits under a header that says
// nothing: they are phone numbers when nearly all are valid numbers of one
// region whose plan tells mobiles from fixed lines (not the US and Canada,
// where most ten-digit numbers are valid) and a good part of them are
// mobiles; ids and account numbers rarely are. Numbers with a country
// code count too.
func plainEvidence(vals, candidates []string) (float64, string) {
	probe := vals
	if len(probe) > 40 {
		probe = probe[:40]
	}
	// Of the regions where nearly all are valid, the one with most mobiles
	// (nine digits starting 9 are mobiles in Portugal, VoIP in France).
	best, bestMobile := "", -1
	for _, r := range candidates {
		if r == "US" || r == "CA" {
			continue
		}
		valid, mobile := 0, 0
		for _, v := range probe {
			if !validIn(v, r) {
				continue
			}
			num, _ := phonenumbers.Parse(v, r)
			valid++
			if phonenumbers.GetNumberType(num) == phonenumbers.MOBILE {
				mobile++
			}
		}
		if valid*10 >= len(probe)*9 && mobile*10 >= valid*3 && mobile > bestMobile {
			best, bestMobile = r, mobile
		}
	}
	if best == "" {
		return 0, ""
	}
	valid := 0
	for _, v := range vals {
		if validIn(v, best) {
			valid++
		}
	}
	return float64(valid) / float64(len(vals)), best
}

// trunkZero are regions where a number written without its country code
// starts with the trunk prefix 0 (030 1234567, 06 12 34 56 78, 07700
// 900123): there a number that does not is not a national number, however
// many digits it has. Elsewhere the prefix is dropped or there is none
// (Brazil's (11) 98765-4321, Portugal, Spain, Italy, India's mobiles).
var trunkZero = map[string]bool{"DE": true, "FR": true, "GB": true, "NL": true, "BE": true, "AT": true, "CH": true,
	"JP": true, "AU": true, "SA": true, "AE": true, "IE": true, "SE": true, "FI": true, "NZ": true, "TR": true, "KR": true}

func validIn(v, region string) bool {
	if t := strings.TrimLeft(v, " ("); trunkZero[region] && !strings.HasPrefix(t, "0") && !strings.HasPrefix(t, "+") {
		return false
	}
	num, err := phonenumbers.Parse(strings.Replace(v, "(0)", "", 1), region)
	return err == nil && phonenumbers.IsValidNumber(num)
}

// phoneEvidence returns the share of values that are valid phone numbers,
// and the regions that explain them ("+" for numbers with a country code).
// rowRegions, when set, is each value's region from a country column.
func phoneEvidence(vals, rowRegions []string, candidates []string) (float64, []string) {
	if len(vals) == 0 {
		return 0, nil
	}
	const probe = 40 // values tried in every candidate region
	explained := make([]bool, len(vals))
	seen := map[string]bool{}
	valid := 0
	var open []int // valid nowhere yet
	for i, v := range vals {
		if !phoneShaped(v) {
			continue
		}
		switch {
		case strings.HasPrefix(strings.TrimSpace(v), "+"):
			// A country code decides the region: no other region can
			// explain a number it does not.
			if validIn(v, "ZZ") {
				explained[i], seen["+"] = true, true
				valid++
			}
			continue
		case strings.HasPrefix(v, "00") && validIn("+"+v[2:], "ZZ"):
			explained[i], seen["+"] = true, true
			valid++
			continue
		case rowRegions != nil && rowRegions[i] != "":
			if validIn(v, rowRegions[i]) {
				explained[i], seen[rowRegions[i]] = true, true
				valid++
				continue
			}
		}
		open = append(open, i)
	}
	// The rest: the region that explains most of a probe of them.
	if len(open) > 0 {
		score := map[string]int{}
		probed := open
		if len(probed) > probe {
			probed = probed[:probe]
		}
		for _, i := range probed {
			for _, r := range candidates {
				if validIn(vals[i], r) {
					score[r]++
				}
			}
		}
		ranked := make([]string, 0, len(score))
		for r := range score {
			ranked = append(ranked, r)
		}
		sort.SliceStable(ranked, func(a, b int) bool {
			if score[ranked[a]] != score[ranked[b]] {
				return score[ranked[a]] > score[ranked[b]]
			}
			return candidateRank(candidates, ranked[a]) < candidateRank(candidates, ranked[b])
		})
		// Up to two regions, each explaining a real share of the probe.
		var chosen []string
		for _, r := range ranked {
			if len(chosen) < 2 && score[r]*5 >= len(probed) {
				chosen = append(chosen, r)
			}
		}
		for _, i := range open {
			for _, r := range chosen {
				if validIn(vals[i], r) {
					explained[i], seen[r] = true, true
					valid++
					break
				}
			}
		}
	}
	var regions []string
	for r := range seen {
		regions = append(regions, r)
	}
	sort.Slice(regions, func(a, b int) bool {
		return candidateRank(candidates, regions[a]) < candidateRank(candidates, regions[b])
	})
	return float64(valid) / float64(len(vals)), regions
}

func candidateRank(candidates []string, r string) int {
	for i, c := range candidates {
		if c == r {
			return i
		}
	}
	if r == "+" {
		return -1
	}
	return len(candidates)
}
