package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Problem is one invalid setting: where it is, what it holds, what is wrong and how to fix it.
type Problem struct {
	Path    string // field path, e.g. "listeners[1].idleTimeout"
	Value   string // the offending value as written ("0", "\"http\""); "" when missing
	Message string // what is wrong and what is allowed
	Fix     string // what to do about it
}

// String renders the problem as one line: "path: value message; fix".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Path)
	b.WriteString(": ")
	if p.Value != "" {
		b.WriteString(p.Value)
		b.WriteByte(' ')
	}
	b.WriteString(p.Message)
	if p.Fix != "" {
		b.WriteString("; ")
		b.WriteString(p.Fix)
	}
	return b.String()
}

// ValidationError lists every problem found in a stack. File names the source for messages
// ("wsdeploy.yaml" when empty).
type ValidationError struct {
	File     string
	Problems []Problem
}

// maxShownProblems caps Error's output so a hostile file cannot flood the terminal.
const maxShownProblems = 100

// Error prints a header and one problem per line.
func (e *ValidationError) Error() string {
	file := e.File
	if file == "" {
		file = "wsdeploy.yaml"
	}
	var b strings.Builder
	if len(e.Problems) == 1 {
		fmt.Fprintf(&b, "%s: 1 problem:", file)
	} else {
		fmt.Fprintf(&b, "%s: %d problems:", file, len(e.Problems))
	}
	for i, p := range e.Problems {
		if i == maxShownProblems {
			fmt.Fprintf(&b, "\n  … and %d more", len(e.Problems)-i)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Overrides are settings given as flags; an empty field overrides nothing.
type Overrides struct {
	LB, Region string
}

// Resolve applies o, then the defaults, then validates s. It returns nil or a *ValidationError
// listing every problem.
func Resolve(s *Stack, o Overrides) error {
	if s == nil {
		return &ValidationError{Problems: []Problem{{Path: "stack", Message: "no stack to resolve"}}}
	}
	src := lbSource{value: s.LB, from: "lb"}
	switch {
	case o.LB != "":
		s.LB = o.LB
		src = lbSource{value: o.LB, from: "--lb"}
	case s.LB == "":
		src = lbSource{value: LBALB, from: "default"}
	}
	regionFlag := false
	if o.Region != "" {
		s.Region = o.Region
		regionFlag = true
	}
	s.ApplyDefaults()
	return s.validate(src, regionFlag)
}

// ApplyDefaults fills unset fields with wsdeploy's defaults. Listener timeouts default to 60 s
// rather than the load balancers' 15 s idle timeout, which closes quiet WebSockets.
func (s *Stack) ApplyDefaults() {
	if s.LB == "" {
		s.LB = LBALB
	}
	b := &s.Backends
	if b.Port == 0 {
		b.Port = 5000
	}
	hc := &b.HealthCheck
	if hc.Enabled == nil {
		hc.Enabled = ptr(true)
	}
	if hc.Path == "" {
		hc.Path = DefaultHealthPath
	}
	if hc.Method == "" {
		hc.Method = "GET"
	}
	if len(hc.Codes) == 0 {
		hc.Codes = []string{"http_2xx", "http_3xx"}
	}
	if hc.Interval == 0 {
		hc.Interval = 2
	}
	if hc.Timeout == 0 {
		hc.Timeout = 5
	}
	if hc.HealthyThreshold == 0 {
		hc.HealthyThreshold = 3
	}
	if hc.UnhealthyThreshold == 0 {
		hc.UnhealthyThreshold = 3
	}
	ss := &b.StickySession
	if ss.Enabled == nil {
		ss.Enabled = ptr(true)
	}
	if ss.Type == "" {
		ss.Type = "Insert"
	}
	if ss.Type == "Insert" && ss.CookieTimeout == 0 {
		ss.CookieTimeout = 1000
	}
	for i := range s.Listeners {
		l := &s.Listeners[i]
		if l.IdleTimeout == 0 {
			l.IdleTimeout = 60
		}
		if l.RequestTimeout == 0 {
			l.RequestTimeout = 60
		}
	}
	if s.DNS != nil && s.DNS.TTL == 0 {
		s.DNS.TTL = 600
	}
}

func ptr[T any](v T) *T { return &v }

// Validate checks every field of a defaulted stack and returns nil or a *ValidationError
// listing all problems. It never calls the cloud.
func (s *Stack) Validate() error {
	return s.validate(lbSource{value: s.LB, from: "lb"}, false)
}

// lbSource records where the LB kind came from, so messages can say "you used --lb clb".
type lbSource struct{ value, from string }

func (l lbSource) String() string {
	switch l.from {
	case "--lb":
		return "--lb " + l.value + " was given"
	case "default":
		return "lb defaults to " + l.value
	}
	return "lb: " + l.value + " is set"
}

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

func (s *Stack) validate(src lbSource, regionFlag bool) error {
	v := &validator{kind: kindName(s.LB)}
	v.problems = append(v.problems, s.zeros...)
	v.stackName(s.Stack)
	v.region(s.Region, regionFlag)
	v.lb(s, src)
	v.backends(&s.Backends)
	v.listeners(s.Listeners)
	if s.DNS != nil {
		v.dns(s.DNS)
	}
	if s.App != nil {
		v.app(s.App)
	}
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

func (v *validator) app(a *App) {
	const path = "app.pingInterval"
	if a.PingInterval == "" {
		return
	}
	if !v.text(path, a.PingInterval) {
		return
	}
	d, err := time.ParseDuration(a.PingInterval)
	switch {
	case err != nil:
		v.add(path, q(a.PingInterval), "is not a duration", `write it like "10s" or "500ms", or remove the line to use the default 10s`)
	case d < 100*time.Millisecond || d > time.Hour:
		v.add(path, q(a.PingInterval), "is out of range: allowed 100ms–1h", `use an interval below the listeners' idleTimeout, e.g. "10s"`)
	}
}

func kindName(lb string) string {
	switch lb {
	case LBALB:
		return "ALB"
	case LBCLB:
		return "CLB"
	}
	return "load balancer"
}

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

// ---- stack, region, lb ----

var (
	stackRE    = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)
	regionRE   = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)
	albIDRE    = regexp.MustCompile(`^alb-[a-z0-9]{4,64}$`)
	clbIDRE    = regexp.MustCompile(`^lb-[a-z0-9]{4,64}$`)
	ecsIDRE    = regexp.MustCompile(`^i-[a-z0-9]{4,64}$`)
	ecsNameRE  = regexp.MustCompile(`^[A-Za-z\p{Han}][A-Za-z0-9\p{Han}._:-]{1,127}$`)
	hcPathRE   = regexp.MustCompile(`^/[A-Za-z0-9\-/.%?#&=_;~!()*\[\]@$^:',+]{0,79}$`)
	cookieRE   = regexp.MustCompile(`^[A-Za-z0-9_-]{1,200}$`)
	certIDRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)
	labelRE    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	rrLabelRE  = regexp.MustCompile(`^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$`)
	allDigitRE = regexp.MustCompile(`^[0-9]+$`)
)

func (v *validator) stackName(name string) {
	const path = "stack"
	const rule = "2–32 lowercase letters, digits and '-', starting with a letter and not ending with '-'"
	if name == "" {
		v.add(path, "", "required field is missing",
			`add a line such as "stack: chat" (`+rule+"); it becomes part of every resource name and tag wsdeploy creates")
		return
	}
	if !v.text(path, name) {
		return
	}
	if stackRE.MatchString(name) && len(name) <= 32 {
		return
	}
	var why string
	n := utf8.RuneCountInString(name)
	switch {
	case n > 32:
		why = fmt.Sprintf("is too long (%d characters, at most 32)", n)
	case n < 2:
		why = "is too short (at least 2 characters)"
	case strings.ToLower(name) != name:
		why = "contains upper-case letters"
	case name[0] < 'a' || name[0] > 'z':
		why = "must start with a letter"
	case strings.HasSuffix(name, "-"):
		why = "must not end with '-'"
	default:
		for _, r := range name {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				why = fmt.Sprintf("contains %q, which is not allowed", r)
				break
			}
		}
	}
	fix := "use " + rule
	if sug := suggestStack(name); sug != "" {
		fix = fmt.Sprintf("use %q (%s)", sug, rule)
	}
	v.add(path, q(name), why, fix)
}

// suggestStack turns "My_App" into "my-app" when that is a valid stack name.
func suggestStack(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimLeft(b.String(), "0123456789-")
	if len(s) > 32 {
		s = s[:32]
	}
	s = strings.TrimRight(s, "-")
	if s == name || !stackRE.MatchString(s) {
		return ""
	}
	return s
}

func (v *validator) region(r string, fromFlag bool) {
	const path = "region"
	const examples = "a region ID such as cn-hangzhou, cn-shanghai, cn-beijing or ap-southeast-1"
	if r == "" {
		v.add(path, "", "required field is missing", `add a line such as "region: cn-hangzhou" or pass --region; use `+examples)
		return
	}
	if !v.text(path, r) {
		return
	}
	if regionRE.MatchString(r) && len(r) <= 64 {
		return
	}
	msg := "is not a region ID"
	if fromFlag {
		msg += " (from --region)"
	}
	fix := "use " + examples + ` (the ID, not a display name like "China (Hangzhou)")`
	if sug := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(r)), "_", "-"); sug != r && regionRE.MatchString(sug) && len(sug) <= 64 {
		fix = fmt.Sprintf("use %q", sug)
	}
	v.add(path, q(r), msg, fix)
}

func (v *validator) lb(s *Stack, src lbSource) {
	switch s.LB {
	case LBALB, LBCLB:
	case "":
		v.add("lb", "", "required field is missing", "set lb: alb (Application Load Balancer) or lb: clb (Classic Load Balancer)")
	default:
		if !v.text("lb", s.LB) {
			break
		}
		msg := "is not a supported load balancer kind"
		if src.from == "--lb" {
			msg += " (from --lb)"
		}
		fix := "use alb (Application Load Balancer) or clb (Classic Load Balancer)"
		if l := strings.ToLower(s.LB); l == LBALB || l == LBCLB {
			fix = fmt.Sprintf("write %q in lower case", l)
		} else if l == "slb" {
			fix = "CLB was formerly called SLB: use clb"
		}
		v.add("lb", q(s.LB), msg, fix)
	}
	v.lbRef("alb", s.ALB, s.LB == LBALB, src)
	v.lbRef("clb", s.CLB, s.LB == LBCLB, src)
}

func (v *validator) lbRef(kind string, ref *LBRef, chosen bool, src lbSource) {
	path := kind + ".id"
	re, prefix, product, other, otherPrefix := albIDRE, "alb-", "ALB", "clb", "lb-"
	if kind == "clb" {
		re, prefix, product, other, otherPrefix = clbIDRE, "lb-", "CLB", "alb", "alb-"
	}
	example := prefix + "bp1xxxxxxxxxxxxxxxxx"
	if ref == nil || ref.ID == "" {
		if chosen {
			fix := fmt.Sprintf("add \"%s: {id: %s}\" with the ID of your existing %s (shown in the %s console)", kind, example, product, product)
			fix += fmt.Sprintf(", or use --lb %s with %s %s: block", other, article(other), other)
			v.add(path, "", "required field is missing: "+src.String(), fix)
		}
		return
	}
	if !v.text(path, ref.ID) || re.MatchString(ref.ID) {
		return
	}
	msg := fmt.Sprintf("is not a valid %s ID", product)
	fix := fmt.Sprintf("use the instance ID from the %s console: %s followed by 4–64 lowercase letters and digits, e.g. %s", product, prefix, example)
	switch l := strings.ToLower(strings.TrimSpace(ref.ID)); {
	case l != ref.ID && re.MatchString(l):
		fix = fmt.Sprintf("write it in lower case: %q", l)
	case strings.HasPrefix(l, otherPrefix):
		o := strings.ToUpper(other)
		msg = fmt.Sprintf("looks like %s %s ID, not %s %s ID", article(o), o, article(product), product)
		fix = fmt.Sprintf("move it to %s.id and set lb: %s (or pass --lb %s)", other, other, other)
	}
	v.add(path, q(ref.ID), msg, fix)
}

// ---- backends ----

func (v *validator) backends(b *Backends) {
	v.rangeOf("backends.port", "backends.port", b.Port)
	v.servers(b.Servers)
	v.healthCheck(&b.HealthCheck)
	v.sticky(&b.StickySession)
}

func (v *validator) servers(servers []Server) {
	const path = "backends.servers"
	if len(servers) == 0 {
		v.add(path, "", "no servers: at least 1 is required",
			"list your ECS instances by ID or name, e.g. servers: [i-bp1g6zv0ce8oghu7k4hz, ECS01]")
		return
	}
	if len(servers) > 1000 {
		v.add(path, "", fmt.Sprintf("has %d servers: at most 1000 are allowed", len(servers)),
			"split the servers over several stacks")
	}
	seen := map[string]int{}
	allZero := true
	for i, sv := range servers {
		p := fmt.Sprintf("%s[%d]", path, i)
		if sv.WeightOr100() != 0 {
			allZero = false
		}
		if sv.Weight != nil && (*sv.Weight < 0 || *sv.Weight > 100) {
			v.add(p+".weight", strconv.Itoa(*sv.Weight), "is out of range: allowed 0–100",
				"set 0–100 (100 is the default; 0 keeps the server registered but sends it no traffic)")
		}
		switch {
		case sv.Instance == "":
			v.add(p, "", "instance is missing",
				"write the ECS instance ID (e.g. i-bp1g6zv0ce8oghu7k4hz) or the instance name (e.g. ECS01)")
			continue
		case !v.text(p, sv.Instance):
			continue
		case !ecsIDRE.MatchString(sv.Instance) && !ecsNameRE.MatchString(sv.Instance):
			v.add(p, q(sv.Instance), "is not a valid ECS instance ID or instance name",
				"use the instance ID (i- and 4–64 lowercase letters and digits, e.g. i-bp1g6zv0ce8oghu7k4hz) or the instance name "+
					"(2–128 characters: letters, digits, Chinese characters, '.', '_', ':', '-', starting with a letter or Chinese character)")
			continue
		}
		if j, dup := seen[sv.Instance]; dup {
			v.add(p, q(sv.Instance), fmt.Sprintf("is listed twice (also %s[%d])", path, j),
				"list each instance once; use weight to change its share of traffic")
			continue
		}
		seen[sv.Instance] = i
	}
	if allZero {
		v.add(path, "", "every server has weight 0, so no traffic would reach the app",
			"give at least one server a weight from 1 to 100, or remove weight to use the default 100")
	}
}

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
	case m == "":
		v.add(base+"method", "", "required field is missing", "use GET, POST or HEAD, or remove the line to use the default GET")
	case !v.text(base+"method", m):
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
	seen := map[string]int{}
	for i, c := range hc.Codes {
		p := fmt.Sprintf("%scodes[%d]", base, i)
		if !v.text(p, c) {
			continue
		}
		if j, dup := seen[c]; dup {
			v.add(p, q(c), fmt.Sprintf("is listed twice (also codes[%d])", j), "list each class once")
			continue
		}
		seen[c] = i
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
	case p == "":
		v.add(path, "", "required field is missing", `set the URL path your app answers with 2xx/3xx, or remove the line to use the default "/healthz"`)
	case !v.text(path, p):
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

func (v *validator) sticky(ss *StickySession) {
	const base = "backends.stickySession."
	enabled := ss.Enabled == nil || *ss.Enabled
	cookieOK := ss.Cookie == "" || v.text(base+"cookie", ss.Cookie)
	switch ss.Type {
	case "Insert":
		v.rangeOf(base+"cookieTimeout", base+"cookieTimeout", ss.CookieTimeout)
		if ss.Cookie != "" && cookieOK && enabled {
			v.add(base+"cookie", q(ss.Cookie), "is set but type is Insert (the load balancer makes its own cookie)",
				fmt.Sprintf("remove cookie, or set type: Server to keep sessions on your app's cookie %s", q(ss.Cookie)))
			return
		}
	case "Server":
		if ss.CookieTimeout != 0 {
			v.add(base+"cookieTimeout", strconv.Itoa(ss.CookieTimeout),
				"only applies to type Insert; with type Server your app's cookie sets its own lifetime",
				"remove cookieTimeout, or set type: Insert")
		}
		if ss.Cookie == "" && enabled {
			v.add(base+"cookie", "", "required field is missing: type Server keeps sessions on a cookie your app sets",
				"set cookie to the name of your app's session cookie, e.g. cookie: sessionid (or use type: Insert and let the load balancer add one)")
		}
	case "":
		v.add(base+"type", "", "required field is missing", "use Insert (the load balancer adds a cookie) or Server (your app's cookie)")
	default:
		if !v.text(base+"type", ss.Type) {
			break
		}
		fix := "use Insert (the load balancer adds a cookie) or Server (your app's cookie)"
		switch strings.ToLower(ss.Type) {
		case "insert":
			fix = `write "Insert" with a capital I`
		case "server":
			fix = `write "Server" with a capital S`
		}
		v.add(base+"type", q(ss.Type), "is not a sticky-session type", fix)
	}
	if ss.Cookie != "" && cookieOK && !cookieRE.MatchString(ss.Cookie) {
		v.add(base+"cookie", q(ss.Cookie), "is not a valid cookie name", "use 1–200 letters, digits, '_' and '-'")
	}
}

// ---- listeners ----

func (v *validator) listeners(ls []Listener) {
	if len(ls) == 0 {
		v.add("listeners", "", "no listeners: at least 1 is required",
			"add one, e.g. listeners: [{protocol: HTTP, port: 80}] (HTTPS needs a certificateId)")
		return
	}
	if len(ls) > 10 {
		v.add("listeners", "", fmt.Sprintf("has %d listeners: at most 10 are allowed", len(ls)), "remove listeners you do not need")
	}
	ports := map[int]int{}
	for i, l := range ls {
		p := fmt.Sprintf("listeners[%d].", i)
		v.protocol(p+"protocol", l.Protocol)
		if l.Port < 1 || l.Port > 65535 {
			v.add(p+"port", strconv.Itoa(l.Port), "is out of range: allowed 1–65535",
				"set the public port clients connect to, e.g. 80 for HTTP or 443 for HTTPS")
		} else if j, dup := ports[l.Port]; dup {
			v.add(p+"port", strconv.Itoa(l.Port), fmt.Sprintf("is also used by listeners[%d]", j),
				fmt.Sprintf("each listener needs its own port on the %s; change one or remove the duplicate", v.kind))
		} else {
			ports[l.Port] = i
		}
		v.certificate(p+"certificateId", strings.ToUpper(l.Protocol), l.CertificateID)
		v.rangeOf(p+"idleTimeout", "listeners[].idleTimeout", l.IdleTimeout)
		v.rangeOf(p+"requestTimeout", "listeners[].requestTimeout", l.RequestTimeout)
	}
}

func (v *validator) protocol(path, proto string) {
	switch proto {
	case "HTTP", "HTTPS":
		return
	case "":
		v.add(path, "", "required field is missing", "set protocol: HTTP or protocol: HTTPS")
		return
	}
	if !v.text(path, proto) {
		return
	}
	fix := "use HTTP or HTTPS"
	switch u := strings.ToUpper(proto); u {
	case "HTTP", "HTTPS":
		fix = fmt.Sprintf("write %q in upper case", u)
	case "WS", "WSS":
		fix = "WebSockets run over HTTP and HTTPS listeners: use HTTP for ws:// and HTTPS for wss://"
	case "TCP", "UDP", "QUIC":
		fix = "wsdeploy manages HTTP and HTTPS listeners only: use HTTP or HTTPS"
	}
	v.add(path, q(proto), "is not allowed: protocol must be exactly HTTP or HTTPS", fix)
}

func (v *validator) certificate(path, proto, cert string) {
	switch {
	case cert == "" && proto == "HTTPS":
		v.add(path, "", "required field is missing: HTTPS listeners need a server certificate",
			"set certificateId to the ID of your certificate in Certificate Management Service "+
				"(e.g. 12315790212_166f8204689_1714763408_70998 for ALB, 123157-cn-hangzhou for CLB)")
	case cert == "":
	case !v.text(path, cert):
	case proto == "HTTP":
		v.add(path, q(cert), "is set on an HTTP listener", "remove certificateId, or set protocol: HTTPS")
	case !certIDRE.MatchString(cert):
		v.add(path, q(cert), "is not a valid certificate ID",
			"copy the ID from Certificate Management Service: letters, digits, '_', '.', '-', at most 128 characters "+
				"(e.g. 12315790212_166f8204689_1714763408_70998 or 123157-cn-hangzhou)")
	}
}

// ---- dns ----

func (v *validator) dns(d *DNS) {
	domainOK := v.domain("dns.domain", d.Domain)
	v.rr("dns.rr", d.RR, d.Domain, domainOK)
	v.rangeOf("dns.ttl", "dns.ttl", d.TTL)
}

func (v *validator) domain(path, d string) bool {
	if d == "" {
		v.add(path, "", "required field is missing", `set domain to a zone hosted in Alibaba Cloud DNS, e.g. "example.com"`)
		return false
	}
	if !v.text(path, d) {
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
	if len(d) > 253 {
		return fmt.Sprintf("is too long (%d characters, at most 253)", len(d))
	}
	if strings.ToLower(d) != d {
		return "must be lower case"
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
	for _, l := range labels {
		switch {
		case l == "":
			return "has an empty label ('..' or a leading '.')"
		case len(l) > 63:
			return fmt.Sprintf("has a label of %d characters (at most 63)", len(l))
		case !labelRE.MatchString(l):
			return fmt.Sprintf("has an invalid label %q: use a-z, 0-9 and '-', not starting or ending with '-'", clip(l, 64))
		}
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
	if rr == "" {
		v.add(path, "", "required field is missing", "set rr to "+rule)
		return
	}
	if !v.text(path, rr) {
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
	if len(rr) > 253 {
		return fmt.Sprintf("is too long (%d characters, at most 253)", len(rr))
	}
	if strings.ToLower(rr) != rr {
		return "must be lower case"
	}
	labels := strings.Split(strings.TrimPrefix(rr, "*."), ".")
	for _, l := range labels {
		switch {
		case l == "":
			return "has an empty label ('..' or a leading or trailing '.')"
		case len(l) > 63:
			return fmt.Sprintf("has a label of %d characters (at most 63)", len(l))
		case l == "*" || l == "@":
			return fmt.Sprintf("uses %q inside a name; only a leading \"*.\" is allowed", l)
		case !rrLabelRE.MatchString(l):
			return fmt.Sprintf("has an invalid label %q", clip(l, 64))
		}
	}
	return ""
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
