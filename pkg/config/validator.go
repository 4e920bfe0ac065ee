// The validator and the checks every section shares: text, display of values, defaulted ranges.

package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type validator struct {
	problems []Problem
	kind     string // "ALB", "CLB" or "load balancer"
}

func (v *validator) add(path, value, msg, fix string) {
	v.problems = append(v.problems, Problem{Path: path, Value: value, Message: msg, Fix: fix})
}

func (v *validator) addP(p *Problem) {
	if p != nil {
		v.problems = append(v.problems, *p)
	}
}

// present reports a missing value (with fix) or one that is not plain text (see text). It
// returns true when val is there and worth checking further.
func (v *validator) present(path, val, fix string) bool {
	if val == "" {
		v.add(path, "", "required field is missing", fix)
		return false
	}
	return v.text(path, val)
}

// firstSeen remembers where each value of a list first appeared, to report repeats.
type firstSeen[K comparable] map[K]int

// repeat records that k is at index i, or, when k was seen before, returns that index.
func (s firstSeen[K]) repeat(k K, i int) (first int, dup bool) {
	if j, ok := s[k]; ok {
		return j, true
	}
	s[k] = i
	return 0, false
}

var allDigitRE = regexp.MustCompile(`^[0-9]+$`)

// ---- value display and text checks ----

// clip shortens s to n runes for display.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// q quotes a string value for display: clipped and with control characters escaped.
func q(s string) string { return strconv.Quote(clip(s, 64)) }

func isHidden(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) || r == utf8.RuneError
}

// text reports control characters and invalid UTF-8 in a string field; it returns false when
// the value was reported and needs no further checks.
func (v *validator) text(path, s string) bool {
	if !utf8.ValidString(s) {
		v.add(path, q(s), "is not valid UTF-8 text", "retype the value; save the file as UTF-8")
		return false
	}
	for i, r := range s {
		if isHidden(r) {
			v.add(path, q(s), fmt.Sprintf("contains the control or invisible character %U at byte %d", r, i),
				"remove it; values must be plain printable text")
			return false
		}
	}
	return true
}

// ---- ranges ----

// intRange is an allowed range for a whole-number field.
type intRange struct {
	lo, hi, def int
	unit        string // " seconds"
	what        string // "(ALB idle timeout)"
	note        string // appended to the fix
}

func (r intRange) check(path string, val int) *Problem {
	if val >= r.lo && val <= r.hi {
		return nil
	}
	return &Problem{
		Path:    path,
		Value:   strconv.Itoa(val),
		Message: fmt.Sprintf("is out of range: allowed %d–%d%s (%s)", r.lo, r.hi, r.unit, r.what),
		Fix:     fmt.Sprintf("set a value from %d to %d%s", r.lo, r.hi, r.note),
	}
}

// defaultedRange returns the range of a field that has a default, by generic path
// ("listeners[].idleTimeout"). Parse uses it to reject an explicit 0, which ApplyDefaults
// could not tell from an unset field.
func defaultedRange(gpath, kind string) (intRange, bool) {
	switch gpath {
	case "backends.port":
		return intRange{lo: 1, hi: 65535, def: 5000, what: "port your app listens on"}, true
	case "backends.healthCheck.interval":
		return intRange{lo: 1, hi: 50, def: 2, unit: " seconds", what: "time between health checks"}, true
	case "backends.healthCheck.timeout":
		return intRange{lo: 1, hi: 300, def: 5, unit: " seconds", what: "health-check response timeout"}, true
	case "backends.healthCheck.healthyThreshold":
		return intRange{lo: 2, hi: 10, def: 3, what: "passed checks in a row before a server gets traffic"}, true
	case "backends.healthCheck.unhealthyThreshold":
		return intRange{lo: 2, hi: 10, def: 3, what: "failed checks in a row before a server is taken out"}, true
	case "backends.stickySession.cookieTimeout":
		return intRange{lo: 1, hi: 86400, def: 1000, unit: " seconds", what: "lifetime of the load balancer's cookie"}, true
	case "listeners[].idleTimeout":
		return intRange{lo: 1, hi: 60, def: 60, unit: " seconds", what: kind + " idle timeout"}, true
	case "listeners[].requestTimeout":
		return intRange{lo: 1, hi: 180, def: 60, unit: " seconds", what: kind + " request timeout"}, true
	case "dns.ttl":
		return intRange{lo: 1, hi: 86400, def: 600, unit: " seconds", what: "DNS record TTL",
			note: " (free and personal Alidns editions require at least 600)"}, true
	}
	return intRange{}, false
}

func (v *validator) rangeOf(path, gpath string, val int) {
	r, _ := defaultedRange(gpath, v.kind)
	v.addP(r.check(path, val))
}

// article returns "an" for "alb" or "ALB" and "a" otherwise.
func article(kind string) string {
	if strings.EqualFold(kind, LBALB) {
		return "an"
	}
	return "a"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
