package fakecloud

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Latency is the fake's latency model for benchmarks; the zero value is off
// (unit tests run without it). Every call that passes routing and signature
// verification waits Base plus a random part of Jitter (uniform in
// [0, Jitter], from a source seeded by Seed) before it runs; the wait ends,
// and the call does not run, if the client goes away. Fault delays add to it.
//
// This is the per-call round trip. How long asynchronous work takes (ALB jobs
// and transitional states, CLB listener starting/configuring, vServer group
// busy windows) is Options.AsyncDuration; a benchmark sets both, e.g.
// wsdeploy fakecloud --latency 50ms --latency-jitter 20ms --async-duration 2s.
type Latency struct {
	Base   time.Duration `json:"base,omitempty" yaml:"base,omitempty"`
	Jitter time.Duration `json:"jitter,omitempty" yaml:"jitter,omitempty"`
	Seed   int64         `json:"seed,omitempty" yaml:"seed,omitempty"`
	// Overrides replace Base and Jitter for some calls; the first match wins.
	Overrides []LatencyOverride `json:"overrides,omitempty" yaml:"overrides,omitempty"`
}

// LatencyOverride sets the latency of one product and/or action (empty = any).
type LatencyOverride struct {
	Product string        `json:"product,omitempty" yaml:"product,omitempty"` // alb, slb (clb), alidns, ecs
	Action  string        `json:"action,omitempty" yaml:"action,omitempty"`
	Base    time.Duration `json:"base,omitempty" yaml:"base,omitempty"`
	Jitter  time.Duration `json:"jitter,omitempty" yaml:"jitter,omitempty"`
}

// enabled reports whether the model adds any delay.
func (l Latency) enabled() bool {
	if l.Base > 0 || l.Jitter > 0 {
		return true
	}
	for _, o := range l.Overrides {
		if o.Base > 0 || o.Jitter > 0 {
			return true
		}
	}
	return false
}

// validate checks l and returns a normalized copy (product alias clb → slb).
func (l Latency) validate() (Latency, error) {
	var errs []error
	if l.Base < 0 || l.Jitter < 0 {
		errs = append(errs, fmt.Errorf("base %s and jitter %s must not be negative", l.Base, l.Jitter))
	}
	out := l
	out.Overrides = append([]LatencyOverride(nil), l.Overrides...)
	for i := range out.Overrides {
		o := &out.Overrides[i]
		if o.Product == "clb" {
			o.Product = ProductSLB
		}
		switch {
		case o.Product == "" && o.Action == "":
			errs = append(errs, fmt.Errorf("overrides[%d]: give a product, an action or both", i))
		case o.Product != "" && o.Product != ProductALB && o.Product != ProductSLB && o.Product != ProductAlidns && o.Product != ProductECS:
			errs = append(errs, fmt.Errorf("overrides[%d]: product %q is not one of alb, slb (clb), alidns, ecs", i, o.Product))
		}
		if o.Base < 0 || o.Jitter < 0 {
			errs = append(errs, fmt.Errorf("overrides[%d]: base %s and jitter %s must not be negative", i, o.Base, o.Jitter))
		}
	}
	if len(errs) > 0 {
		return Latency{}, fmt.Errorf("fakecloud: invalid latency: %w", errors.Join(errs...))
	}
	return out, nil
}

// latencyModel draws per-call delays.
type latencyModel struct {
	cfg Latency
	on  bool

	mu  sync.Mutex
	rng *rand.Rand
}

func newLatencyModel(l Latency) *latencyModel {
	return &latencyModel{cfg: l, on: l.enabled(), rng: rand.New(rand.NewPCG(uint64(l.Seed), 0x1a7e))}
}

// delay is the wait before one call of product/action.
func (m *latencyModel) delay(product, action string) time.Duration {
	if !m.on {
		return 0
	}
	base, jitter := m.cfg.Base, m.cfg.Jitter
	for _, o := range m.cfg.Overrides {
		if (o.Product == "" || o.Product == product) && (o.Action == "" || o.Action == action) {
			base, jitter = o.Base, o.Jitter
			break
		}
	}
	if jitter <= 0 {
		return base
	}
	m.mu.Lock()
	j := time.Duration(m.rng.Int64N(int64(jitter) + 1))
	m.mu.Unlock()
	return base + j
}
