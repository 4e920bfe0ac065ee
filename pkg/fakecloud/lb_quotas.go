package fakecloud

// Account quotas on load balancer instances (ALB and CLB CreateLoadBalancer).
// The seed may set them (quotas: {albInstances: N, clbInstances: N}) so a
// test can reach them; the defaults are the documented per-region defaults
// (ALB's from the current quota page, CLB's as recalled; doc.go).

import (
	"fmt"
	"net/http"
)

const (
	// DefaultALBInstanceQuota is the default number of ALB instances an
	// account may have in a region (Quota Center alb_quota_loadbalancers_num:
	// 60 by default, 150 at most, on the ALB quota page, updated 2025-12).
	DefaultALBInstanceQuota = 60
	// DefaultCLBInstanceQuota is the default number of CLB instances an
	// account may have in a region (Quota Center slb_quota_instances_num).
	DefaultCLBInstanceQuota = 60
)

// Quotas are the account's load balancer quotas in the world's region.
type Quotas struct {
	ALBInstances int `json:"albInstances"`
	CLBInstances int `json:"clbInstances"`
}

// SeedQuotas sets the account's quotas; 0 or absent is the default.
type SeedQuotas struct {
	ALBInstances int `yaml:"albInstances,omitempty"`
	CLBInstances int `yaml:"clbInstances,omitempty"`
}

// checkQuotaSeed checks the seed's quotas (normalizeSeed calls it).
func checkQuotaSeed(s *Seed, bad func(string, ...any)) {
	if s.Quotas == nil {
		return
	}
	if s.Quotas.ALBInstances < 0 {
		bad("quotas: albInstances %d is negative", s.Quotas.ALBInstances)
	}
	if s.Quotas.CLBInstances < 0 {
		bad("quotas: clbInstances %d is negative", s.Quotas.CLBInstances)
	}
}

// seedQuotas fills the world's quotas from the seed and the defaults.
func seedQuotas(st *State, seed *Seed) error {
	st.Quotas = Quotas{ALBInstances: DefaultALBInstanceQuota, CLBInstances: DefaultCLBInstanceQuota}
	if q := seed.Quotas; q != nil {
		if q.ALBInstances > 0 {
			st.Quotas.ALBInstances = q.ALBInstances
		}
		if q.CLBInstances > 0 {
			st.Quotas.CLBInstances = q.CLBInstances
		}
	}
	return nil
}

// quota returns the quota, the default when the world predates quotas.
func quota(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// albQuotaCheck refuses a create that would exceed the ALB instance quota.
// Every instance counts, seeded or created, CreateFailed ones and those
// being deleted included (stricter: the references do not say when an
// instance stops counting).
func albQuotaCheck(st *State) error {
	max := quota(st.Quotas.ALBInstances, DefaultALBInstanceQuota)
	if n := len(st.ALB.LoadBalancers); n >= max {
		return lbQuotaExceeded("alb_quota_loadbalancers_num", n, max)
	}
	return nil
}

// clbQuotaCheck refuses a create that would exceed the CLB instance quota.
func clbQuotaCheck(st *State) error {
	max := quota(st.Quotas.CLBInstances, DefaultCLBInstanceQuota)
	if n := len(st.CLB.LoadBalancers); n >= max {
		return lbQuotaExceeded("slb_quota_instances_num", n, max)
	}
	return nil
}

func lbQuotaExceeded(name string, n, max int) *APIError {
	return Errorf(http.StatusBadRequest, "QuotaExceeded.LoadBalancersNum",
		"The quota of %s is exceeded for resource LoadBalancer, usage %s.", name, fmt.Sprintf("%d/%d", n, max))
}
