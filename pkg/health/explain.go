package health

import (
	"fmt"
	"strings"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// NotHealthyError is a wait that ended with backends not healthy: one stayed
// unhealthy (StayedFor), or the wait was stopped (--timeout, Ctrl-C).
type NotHealthyError struct {
	// Last is the last round of reads.
	Last Progress
	// Kind is the load balancer's kind, alb or clb.
	Kind string
	// StayedFor is how long a backend stayed unhealthy, when that ended the wait.
	StayedFor time.Duration
	// Stopped says the wait's context ended first.
	Stopped bool
}

func (e *NotHealthyError) Error() string {
	p := e.Last
	var b strings.Builder
	n := notHealthyBackends(p.NotHealthy)
	if e.Stopped {
		fmt.Fprintf(&b, "%d of %d backend(s) not healthy yet:", n, p.Backends)
	} else {
		fmt.Fprintf(&b, "%d of %d backend(s) not healthy; the load balancer kept reporting unhealthy for %s:", n, p.Backends, fmtSeconds(e.StayedFor))
	}
	for _, g := range byBackend(p.NotHealthy) {
		fmt.Fprintf(&b, "\n  %s on listener %s: %s", g.Label(), join(g.Listeners), e.describe(g.State))
	}
	return b.String()
}

// Waiting names what the wait was doing, for a --timeout that ends it.
func (e *NotHealthyError) Waiting() string { return "waiting for the backends to be healthy" }

// check is the health check as people write it: "GET /healthz".
func (e *NotHealthyError) check() string {
	hc := e.Last.Check
	method := hc.Method
	if method == "" {
		method = "GET"
	}
	return method + " " + hc.Path
}

// codes are the answers the health check expects: "http_2xx or http_3xx".
func codes(hc resource.HealthCheck) string {
	if len(hc.Codes) == 0 {
		return "a 2xx or 3xx status"
	}
	return strings.Join(hc.Codes, " or ")
}

// describe says why one backend is not healthy, in the cloud's words
// (its status and reason code) and what they mean for this health check.
func (e *NotHealthyError) describe(s State) string {
	hc := e.Last.Check
	check := e.check()
	switch s.Health {
	case "initial":
		return "initial: the load balancer has not finished its first health checks"
	case "unavailable":
		return "unavailable: no health check result yet"
	case Unreported:
		return "not in the load balancer's health report yet"
	case "unused":
		return "unused: the load balancer sends it no traffic (weight 0)"
	case "unhealthy":
	default:
		return s.Health
	}
	if e.Kind == "clb" {
		return fmt.Sprintf("unhealthy (abnormal): the health check %s on port %d failed, expecting %s (CLB does not say why)", check, s.Port, codes(hc))
	}
	head := "unhealthy"
	if s.Reason != "" {
		head += " (" + s.Reason + ")"
	}
	var why string
	switch s.Reason {
	case "CONNECT_TIMEOUT":
		why = fmt.Sprintf("no answer when connecting to port %d within %ds", s.Port, hc.Timeout)
	case "CONNECT_FAILED":
		why = fmt.Sprintf("the connection to port %d failed (refused or reset)", s.Port)
	case "SEND_REQUEST_FAILED", "SEND_REQUEST_TIMEOUT":
		why = fmt.Sprintf("the health check %s could not be sent on port %d", check, s.Port)
	case "RECV_RESPONSE_FAILED":
		why = fmt.Sprintf("the connection closed before an answer to %s", check)
	case "RECV_RESPONSE_TIMEOUT":
		why = fmt.Sprintf("no answer to %s within %ds", check, hc.Timeout)
	case "RESPONSE_FORMAT_ERROR":
		why = fmt.Sprintf("the answer to %s is not valid HTTP", check)
	case "RESPONSE_MISMATCH":
		actual, expected := s.Actual, s.Expected
		if actual == "" {
			actual = "another status"
		}
		if expected == "" {
			expected = codes(hc)
		}
		why = fmt.Sprintf("%s answered %s, the health check expects %s", check, actual, expected)
	default:
		return head
	}
	return head + ": " + why
}

// Hint says what to fix for the reasons the backends are not healthy.
func (e *NotHealthyError) Hint() string {
	hc := e.Last.Check
	check := e.check()
	port := 0
	var connect, answer, slow, clb, pending []State
	for _, s := range e.Last.NotHealthy {
		port = s.Port
		switch {
		case s.Health != "unhealthy":
			pending = append(pending, s)
		case e.Kind == "clb":
			clb = append(clb, s)
		case strings.HasPrefix(s.Reason, "CONNECT_") || strings.HasPrefix(s.Reason, "SEND_REQUEST_") || s.Reason == "":
			connect = append(connect, s)
		case s.Reason == "RECV_RESPONSE_TIMEOUT":
			slow = append(slow, s)
		default:
			answer = append(answer, s)
		}
	}
	on := func(states []State) string { return strings.Join(names(states), ", ") }
	firewall := fmt.Sprintf("that the instances' security group lets the load balancer in on port %d (from the VPC's address range)", port)
	var hints []string
	if len(connect) > 0 {
		hints = append(hints, fmt.Sprintf("check that the app runs and listens on port %d on %s (`ss -ltn 'sport = :%d'` on the instance), and %s",
			port, on(connect), port, firewall))
	}
	if len(answer) > 0 {
		h := fmt.Sprintf("make %s on port %d answer %s on %s (try `curl -i http://localhost:%d%s` on the instance), or set backends.healthCheck.path and codes in wsdeploy.yaml to what the app answers",
			check, port, codes(hc), on(answer), port, hc.Path)
		for _, s := range answer {
			if s.Actual == "503" && hc.Path == "/healthz" {
				h += "; wschat answers 503 on /healthz while it cannot reach Redis: check its Redis settings and that Redis is up"
				break
			}
		}
		hints = append(hints, h)
	}
	if len(slow) > 0 {
		hints = append(hints, fmt.Sprintf("%s answers %s too slowly: look at its load and logs, or raise backends.healthCheck.timeout (now %ds)",
			on(slow), check, hc.Timeout))
	}
	if len(clb) > 0 {
		hints = append(hints, fmt.Sprintf("check on %s that the app listens on port %d and that %s answers %s there (`curl -i http://localhost:%d%s` on the instance), and %s",
			on(clb), port, check, codes(hc), port, hc.Path, firewall))
	}
	if len(hints) == 0 && len(pending) > 0 {
		hints = append(hints, fmt.Sprintf("the load balancer had not finished checking %s: it checks every %ds and needs %d passes in a row",
			on(pending), hc.Interval, hc.HealthyThreshold))
	}
	return strings.Join(hints, "; ")
}

// fmtSeconds prints d the way a user types it: 30s, 1m30s.
func fmtSeconds(d time.Duration) string {
	s := d.Round(100 * time.Millisecond).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return s
}
