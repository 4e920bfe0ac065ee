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

func kindName(lb string) string {
	switch lb {
	case LBALB:
		return "ALB"
	case LBCLB:
		return "CLB"
	}
	return "load balancer"
}
