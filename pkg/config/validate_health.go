// backends.healthCheck (ALB and CLB accept different paths and methods).

package config

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

var hcPathRE = regexp.MustCompile(`^/[A-Za-z0-9\-/.%?#&=_;~!()*\[\]@$^:',+]{0,79}$`)

var hcCodes = []string{"http_2xx", "http_3xx", "http_4xx", "http_5xx"}

// clbHCPathRE is the character set CLB's HealthCheckURI accepts (narrower than ALB's).
var clbHCPathRE = regexp.MustCompile(`^/[A-Za-z0-9\-/.%?#&]*$`)

// DefaultHealthPath is the health-check path wschat (templates/app) serves.
const DefaultHealthPath = "/healthz"

func (v *validator) healthCheck(hc *HealthCheck) {
	const base = "backends.healthCheck."
	v.hcPath(base+"path", hc.Path)
	if v.kind == "CLB" && hc.Path != "/" && hcPathRE.MatchString(hc.Path) && !clbHCPathRE.MatchString(hc.Path) {
		v.add(base+"path", q(hc.Path), "has characters CLB health checks do not accept: allowed letters, digits and - / . % ? # &",
			`use a plain path such as "/healthz"`)
	}
	if hc.Path == "/" && v.kind == "CLB" && (hc.Enabled == nil || *hc.Enabled) {
		v.add(base+"path", q(hc.Path), "is not allowed on CLB: its health-check URI must be more than \"/\"",
			`use a path your app answers with 2xx/3xx, such as "/healthz" (the default)`)
	}
	switch m := hc.Method; {
	case m == "GET" || m == "HEAD":
	case m == "POST" && v.kind != "CLB":
	case !v.present(base+"method", m, "use GET, POST or HEAD, or remove the line to use the default GET"):
	case m == "POST":
		v.add(base+"method", q(m), "is not supported by CLB health checks: allowed GET or HEAD", "use GET or HEAD")
	default:
		fix := "use GET, POST or HEAD"
		if v.kind == "CLB" {
			fix = "use GET or HEAD"
		}
		if u := strings.ToUpper(m); u == "GET" || u == "HEAD" || u == "POST" && v.kind != "CLB" {
			fix = fmt.Sprintf("write %q in upper case", u)
		}
		v.add(base+"method", q(m), "is not a supported health-check method", fix)
	}
	if len(hc.Codes) == 0 {
		v.add(base+"codes", "", "the list is empty",
			"list the response classes that mean healthy: http_2xx, http_3xx, http_4xx, http_5xx (default [http_2xx, http_3xx])")
	}
	seen := firstSeen[string]{}
	for i, c := range hc.Codes {
		p := fmt.Sprintf("%scodes[%d]", base, i)
		if !v.text(p, c) {
			continue
		}
		if j, dup := seen.repeat(c, i); dup {
			v.add(p, q(c), fmt.Sprintf("is listed twice (also codes[%d])", j), "list each class once")
			continue
		}
		if contains(hcCodes, c) {
			continue
		}
		fix := "use http_2xx, http_3xx, http_4xx or http_5xx"
		if l := strings.ToLower(c); contains(hcCodes, l) {
			fix = fmt.Sprintf("write %q", l)
		} else if len(c) == 3 && c[0] >= '2' && c[0] <= '5' && allDigitRE.MatchString(c) {
			fix = fmt.Sprintf("codes are classes, not single statuses: use %q", "http_"+c[:1]+"xx")
		}
		v.add(p, q(c), "is not a health-check code class", fix)
	}
	v.rangeOf(base+"interval", base+"interval", hc.Interval)
	v.rangeOf(base+"timeout", base+"timeout", hc.Timeout)
	v.rangeOf(base+"healthyThreshold", base+"healthyThreshold", hc.HealthyThreshold)
	v.rangeOf(base+"unhealthyThreshold", base+"unhealthyThreshold", hc.UnhealthyThreshold)
}

func (v *validator) hcPath(path, p string) {
	const chars = "letters, digits and - / . % ? # & = _ ; ~ ! ( ) * [ ] @ $ ^ : ' , + (percent-encode anything else)"
	switch {
	case !v.present(path, p, `set the URL path your app answers with 2xx/3xx, or remove the line to use the default "/healthz"`):
	case hcPathRE.MatchString(p):
	case !strings.HasPrefix(p, "/"):
		fix := "start the path with '/'"
		if hcPathRE.MatchString("/" + p) {
			fix = fmt.Sprintf("use %q", "/"+p)
		} else if strings.Contains(p, "://") {
			fix = `give only the path, e.g. "/healthz", not a full URL`
		}
		v.add(path, q(p), "must start with '/'", fix)
	case utf8.RuneCountInString(p) > 80:
		v.add(path, q(p), fmt.Sprintf("is too long (%d characters, at most 80)", utf8.RuneCountInString(p)), "use a shorter health-check path")
	default:
		bad := ""
		for _, r := range p {
			if !hcPathRE.MatchString("/" + string(r)) {
				bad = string(r)
				break
			}
		}
		v.add(path, q(p), fmt.Sprintf("contains %q, which is not allowed in a health-check path", bad), "use only "+chars)
	}
}
