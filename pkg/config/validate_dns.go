// dns: the zone (domain), the host record (rr) and its TTL.

package config

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

var (
	labelRE   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	rrLabelRE = regexp.MustCompile(`^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$`)
)

func (v *validator) dns(d *DNS) {
	domainOK := v.domain("dns.domain", d.Domain)
	v.rr("dns.rr", d.RR, d.Domain, domainOK)
	v.rangeOf("dns.ttl", "dns.ttl", d.TTL)
}

func (v *validator) domain(path, d string) bool {
	if !v.present(path, d, `set domain to a zone hosted in Alibaba Cloud DNS, e.g. "example.com"`) {
		return false
	}
	if why := domainProblem(d); why != "" {
		fix := `use the zone name as listed in Alibaba Cloud DNS, e.g. "example.com"`
		if sug := suggestDomain(d); sug != "" && sug != d && domainProblem(sug) == "" {
			fix = fmt.Sprintf("use %q", sug)
		} else if strings.IndexFunc(d, func(r rune) bool { return r > unicode.MaxASCII }) >= 0 {
			fix = `use the punycode form ("xn--…") of the domain`
		}
		v.add(path, q(d), why, fix)
		return false
	}
	return true
}

// domainProblem says what is wrong with a domain name, or "".
func domainProblem(d string) string {
	if why := nameProblem(d); why != "" {
		return why
	}
	if strings.Contains(d, "://") || strings.Contains(d, "/") {
		return "must be a bare domain name, not a URL"
	}
	if strings.HasSuffix(d, ".") {
		return "must not end with '.'"
	}
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "needs at least two labels (like example.com)"
	}
	why := labelsProblem(labels, "'..' or a leading '.'", func(l string) string {
		if !labelRE.MatchString(l) {
			return fmt.Sprintf("has an invalid label %q: use a-z, 0-9 and '-', not starting or ending with '-'", clip(l, 64))
		}
		return ""
	})
	if why != "" {
		return why
	}
	if allDigitRE.MatchString(labels[len(labels)-1]) {
		return "ends in a numeric label; an IP address is not a domain"
	}
	return ""
}

func suggestDomain(d string) string {
	s := strings.ToLower(strings.TrimSpace(d))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	s, _, _ = strings.Cut(s, "/")
	return strings.TrimSuffix(s, ".")
}

func (v *validator) rr(path, rr, domain string, domainOK bool) {
	const rule = `"@" for the domain itself, "*" for a wildcard, or a host name such as "chat" or "ws.eu" (a-z, 0-9, '-', '_')`
	if !v.present(path, rr, "set rr to "+rule) {
		return
	}
	if rr == "@" || rr == "*" {
		return
	}
	why := rrProblem(rr)
	fix := "use " + rule
	if why == "" && domainOK && strings.HasSuffix(rr, "."+domain) {
		why = "includes the domain; rr is the host part only"
	}
	if why == "" {
		if domainOK && len(rr)+1+len(domain) > 253 {
			v.add(path, q(rr), fmt.Sprintf("makes the full name %d characters long (at most 253)", len(rr)+1+len(domain)), "use a shorter host name")
		}
		return
	}
	switch l := strings.ToLower(rr); {
	case domainOK && (l == domain || l == domain+"."):
		why, fix = "is the whole domain; rr is the host part only", `use "@" for the domain itself`
	case domainOK && strings.HasSuffix(strings.TrimSuffix(l, "."), "."+domain):
		host := strings.TrimSuffix(strings.TrimSuffix(l, "."), "."+domain)
		why = "includes the domain; rr is the host part only"
		if rrProblem(host) == "" {
			fix = fmt.Sprintf("use %q", host)
		}
	case l != rr && rrProblem(l) == "":
		fix = fmt.Sprintf("write it in lower case: %q", l)
	}
	v.add(path, q(rr), why, fix)
}

func rrProblem(rr string) string {
	if why := nameProblem(rr); why != "" {
		return why
	}
	labels := strings.Split(strings.TrimPrefix(rr, "*."), ".")
	return labelsProblem(labels, "'..' or a leading or trailing '.'", func(l string) string {
		switch {
		case l == "*" || l == "@":
			return fmt.Sprintf("uses %q inside a name; only a leading \"*.\" is allowed", l)
		case !rrLabelRE.MatchString(l):
			return fmt.Sprintf("has an invalid label %q", clip(l, 64))
		}
		return ""
	})
}

// nameProblem says when a domain or host name is too long or not lower case, or "".
func nameProblem(name string) string {
	if len(name) > 253 {
		return fmt.Sprintf("is too long (%d characters, at most 253)", len(name))
	}
	if strings.ToLower(name) != name {
		return "must be lower case"
	}
	return ""
}

// labelsProblem says what is wrong with the first bad label, or "": an empty one (empty says
// how that happens), one over 63 characters, or what label (the rules of the kind of name)
// finds.
func labelsProblem(labels []string, empty string, label func(string) string) string {
	for _, l := range labels {
		switch {
		case l == "":
			return "has an empty label (" + empty + ")"
		case len(l) > 63:
			return fmt.Sprintf("has a label of %d characters (at most 63)", len(l))
		}
		if why := label(l); why != "" {
			return why
		}
	}
	return ""
}
