// Resolve: flags over the file, then defaults, then validation of every section in file order.

package config

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
// rather than the load balancers' 15 s idle timeout, which closes quiet WebSockets. The
// whole-number defaults live with their ranges, in defaultedRange.
func (s *Stack) ApplyDefaults() {
	setDefault(&s.LB, LBALB)
	b := &s.Backends
	defaultInt(&b.Port, "backends.port")
	hc := &b.HealthCheck
	setDefault(&hc.Enabled, ptr(true))
	setDefault(&hc.Path, DefaultHealthPath)
	setDefault(&hc.Method, "GET")
	if len(hc.Codes) == 0 {
		hc.Codes = []string{"http_2xx", "http_3xx"}
	}
	defaultInt(&hc.Interval, "backends.healthCheck.interval")
	defaultInt(&hc.Timeout, "backends.healthCheck.timeout")
	defaultInt(&hc.HealthyThreshold, "backends.healthCheck.healthyThreshold")
	defaultInt(&hc.UnhealthyThreshold, "backends.healthCheck.unhealthyThreshold")
	ss := &b.StickySession
	setDefault(&ss.Enabled, ptr(true))
	setDefault(&ss.Type, "Insert")
	if ss.Type == "Insert" {
		defaultInt(&ss.CookieTimeout, "backends.stickySession.cookieTimeout")
	}
	for i := range s.Listeners {
		l := &s.Listeners[i]
		defaultInt(&l.IdleTimeout, "listeners[].idleTimeout")
		defaultInt(&l.RequestTimeout, "listeners[].requestTimeout")
	}
	if s.DNS != nil {
		defaultInt(&s.DNS.TTL, "dns.ttl")
	}
	if s.ALB != nil {
		applyCreateDefaults(s.Stack, LBALB, s.ALB.Create)
	}
	if s.CLB != nil {
		applyCreateDefaults(s.Stack, LBCLB, s.CLB.Create)
	}
}

// setDefault sets *p to def when *p is unset (its zero value).
func setDefault[T comparable](p *T, def T) {
	var zero T
	if *p == zero {
		*p = def
	}
}

// defaultInt sets an unset *p to the default of the field at gpath (a generic path such as
// "listeners[].idleTimeout").
func defaultInt(p *int, gpath string) {
	r, ok := defaultedRange(gpath, "")
	if !ok {
		panic("config: no default for " + gpath)
	}
	setDefault(p, r.def)
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
		if s.App.Deploy != nil {
			v.deploy(s.App.Deploy, s)
		}
	}
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
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
