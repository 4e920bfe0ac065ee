// Package health waits until a load balancer reports every backend of a
// stack healthy on every listener (`up --wait-healthy`), and when that does
// not happen says which backend is not healthy, on which listener, and why,
// in the cloud's words and the health check's settings.
//
// It only reads: Options.Read is one round of health reads (ALB
// GetListenerHealthStatus per listener, CLB DescribeHealthStatus), polled
// with a backoff paced by the health check (Pace).
package health

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Backend is a backend the wait expects to become healthy.
type Backend struct {
	InstanceID string
	// Name is how the stack file names it (an instance name or ID).
	Name string
	Port int
}

// Options say what to wait for and how.
type Options struct {
	// Read reads how the listeners see their backends (one round).
	Read func(ctx context.Context) ([]resource.BackendHealth, error)
	// Kind is the load balancer's kind, alb or clb: ALB lists only the
	// backends that are not healthy, CLB every backend of a listener.
	Kind string
	// Listeners are the names of the listeners to wait on ("HTTP:5000").
	Listeners []string
	// Backends are the backends that take traffic (weight above 0).
	Backends []Backend
	// Check is the health check the load balancer runs.
	Check resource.HealthCheck
	Pace  Pace
	// Progress is told of every round that finds a backend not healthy yet.
	Progress func(Progress)
}

// Pace is how a wait polls: First is the delay after the first round, each
// delay then grows by half up to Max. A backend the load balancer reports
// unhealthy on every round for StaysUnhealthy fails the wait before
// --timeout.
type Pace struct {
	First, Max     time.Duration
	StaysUnhealthy time.Duration
}

// PaceFor is the pace that suits a health check: a backend turns healthy
// after HealthyThreshold passes Interval seconds apart, so polls start at
// the interval (1-5 s) and grow to interval × threshold (2-15 s); a backend
// still unhealthy after three times that, and at least 30 s, is not going
// to turn healthy by itself.
func PaceFor(hc resource.HealthCheck) Pace {
	interval := time.Duration(max(hc.Interval, 1)) * time.Second
	turn := interval * time.Duration(max(hc.HealthyThreshold, 1))
	return Pace{
		First:          min(max(interval, time.Second), 5*time.Second),
		Max:            min(max(turn, 2*time.Second), 15*time.Second),
		StaysUnhealthy: max(3*turn, 30*time.Second),
	}
}

// Health values of a State, besides the cloud's initial, unhealthy,
// unavailable and unused.
const (
	// Unreported is a backend a CLB listener does not list (yet).
	Unreported = "unreported"
)

// State is one backend on one listener that is not healthy.
type State struct {
	InstanceID string `json:"instanceId"`
	Name       string `json:"name,omitempty"`
	Port       int    `json:"port"`
	Listener   string `json:"listener"`
	// Health is initial, unhealthy, unavailable, unused or unreported.
	Health string `json:"health"`
	// Reason is the cloud's reason code (ALB: RESPONSE_MISMATCH, ...).
	Reason string `json:"reason,omitempty"`
	// Expected and Actual are, for RESPONSE_MISMATCH, the codes the health
	// check expects and the status the backend answered.
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
}

// Label names the backend as people know it: "ECS01 (i-fake01):5000".
func (s State) Label() string {
	if s.Name == "" || s.Name == s.InstanceID {
		return fmt.Sprintf("%s:%d", s.InstanceID, s.Port)
	}
	return fmt.Sprintf("%s (%s):%d", s.Name, s.InstanceID, s.Port)
}

func (s State) key() string { return fmt.Sprintf("%s:%d@%s", s.InstanceID, s.Port, s.Listener) }

// Progress is what one round of reads found.
type Progress struct {
	// Backends counts the backends waited for; Healthy those healthy on every listener.
	Backends  int      `json:"backends"`
	Healthy   int      `json:"healthy"`
	Listeners []string `json:"listeners"`
	// NotHealthy are the backends not healthy, per listener, in backend then listener order.
	NotHealthy []State              `json:"notHealthy,omitempty"`
	Elapsed    time.Duration        `json:"-"`
	Check      resource.HealthCheck `json:"-"`
}

// Wait reads the backends' health until every backend is healthy on every
// listener, and returns the last round. It fails with a *NotHealthyError
// when a backend stays unhealthy for Pace.StaysUnhealthy, or when ctx ends
// (--timeout, Ctrl-C) before they all are; with the error of a read that
// fails otherwise (Read says what it was reading). With no backend or no
// listener it reads nothing.
func Wait(ctx context.Context, o Options) (*Progress, error) {
	start := time.Now()
	p := &Progress{Backends: len(o.Backends), Listeners: o.Listeners, Check: o.Check}
	if len(o.Backends) == 0 || len(o.Listeners) == 0 {
		p.Healthy = p.Backends
		return p, nil
	}
	unhealthySince := map[string]time.Time{}
	delay := o.Pace.First
	var last *Progress
	for {
		hs, err := o.Read(ctx)
		if err != nil {
			if ctx.Err() != nil && last != nil {
				return nil, &NotHealthyError{Last: *last, Kind: o.Kind, Stopped: true}
			}
			return nil, err
		}
		p := o.assess(hs)
		p.Elapsed = time.Since(start)
		if len(p.NotHealthy) == 0 {
			return p, nil
		}
		now := time.Now()
		stuck := false
		seen := map[string]bool{}
		for _, s := range p.NotHealthy {
			if s.Health != "unhealthy" {
				continue
			}
			k := s.key()
			seen[k] = true
			if t, ok := unhealthySince[k]; !ok {
				unhealthySince[k] = now
			} else if now.Sub(t) >= o.Pace.StaysUnhealthy {
				stuck = true
			}
		}
		for k := range unhealthySince {
			if !seen[k] {
				delete(unhealthySince, k)
			}
		}
		if stuck {
			return nil, &NotHealthyError{Last: *p, Kind: o.Kind, StayedFor: o.Pace.StaysUnhealthy}
		}
		if o.Progress != nil {
			o.Progress(*p)
		}
		last = p
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, &NotHealthyError{Last: *p, Kind: o.Kind, Stopped: true}
		case <-t.C:
		}
		delay = min(delay+delay/2, max(o.Pace.Max, o.Pace.First))
	}
}

// assess compares one round of reads with what is waited for.
func (o Options) assess(hs []resource.BackendHealth) *Progress {
	type at struct {
		key      string
		listener string
	}
	got := map[at]resource.BackendHealth{}
	for _, h := range hs {
		got[at{h.Key(), h.Listener}] = h
	}
	p := &Progress{Backends: len(o.Backends), Listeners: o.Listeners, Check: o.Check}
	for _, b := range o.Backends {
		ok := true
		for _, l := range o.Listeners {
			s := State{InstanceID: b.InstanceID, Name: b.Name, Port: b.Port, Listener: l}
			h, listed := got[at{fmt.Sprintf("%s:%d", b.InstanceID, b.Port), l}]
			switch {
			case !listed && o.Kind == "clb":
				s.Health = Unreported
			case !listed || h.Health == "healthy":
				continue // ALB lists only the backends that are not healthy
			default:
				s.Health, s.Reason, s.Expected, s.Actual = h.Health, h.Reason, h.Expected, h.Actual
				if o.Kind == "clb" {
					s.Reason = "" // CLB gives no reason; the adapter's words are not the cloud's
				}
			}
			ok = false
			p.NotHealthy = append(p.NotHealthy, s)
		}
		if ok {
			p.Healthy++
		}
	}
	return p
}

// byBackend groups states by backend and outcome, keeping their order: one
// entry per backend and (health, reason, expected, actual), with the
// listeners that see it so.
func byBackend(states []State) []group {
	var out []group
	index := map[string]int{}
	for _, s := range states {
		k := fmt.Sprintf("%s:%d|%s|%s|%s|%s", s.InstanceID, s.Port, s.Health, s.Reason, s.Expected, s.Actual)
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, group{State: s})
		}
		out[i].Listeners = append(out[i].Listeners, s.Listener)
	}
	return out
}

// group is a backend's state on one or more listeners.
type group struct {
	State
	Listeners []string
}

// Waiting sums up the backends not healthy yet, by backend: "ECS01
// (i-fake01):5000 initial on HTTP:5000, HTTPS:443".
func (p Progress) Waiting() []string {
	var out []string
	for _, g := range byBackend(p.NotHealthy) {
		what := g.Health
		if g.Reason != "" {
			what += " (" + g.Reason + ")"
		}
		out = append(out, fmt.Sprintf("%s %s on %s", g.Label(), what, join(g.Listeners)))
	}
	return out
}

func join(xs []string) string { return strings.Join(xs, ", ") }

// notHealthyBackends counts the distinct backends of states.
func notHealthyBackends(states []State) int {
	seen := map[string]bool{}
	for _, s := range states {
		seen[fmt.Sprintf("%s:%d", s.InstanceID, s.Port)] = true
	}
	return len(seen)
}

// names lists the backends of states by name, sorted.
func names(states []State) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range states {
		n := s.Name
		if n == "" {
			n = s.InstanceID
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
