package fakecloud

// ALB UpdateLoadBalancerEdition: the edition of an instance changed in
// place. What the vendor documents (API page 214386, zh and en, and the SDK
// alb-20200616/v2 v2.3.2 description): Basic can be upgraded to Standard or
// StandardWithWaf, StandardWithWaf can become Standard (zh page only), and
// nothing becomes Basic; the operation is asynchronous, the instance
// Configuring until the change is done, then Active; the answer is a
// RequestId only (no JobId); ClientToken and DryRun as every ALB write;
// 400 IncorrectStatus.LoadBalancer is in its error table (the fake: for any
// status but Active).
//
// Unconfirmed, so the stricter choice: Standard → StandardWithWaf (not
// listed) and a change to the edition the instance has are refused, like a
// downgrade, with 400 OperationDenied.LoadBalancerEdition (no code for a
// refused change was found in the page's error table); the instance answers
// its old LoadBalancerEdition until the change is done (Terraform's provider
// waits for the field to show the new edition); the change is a job that
// ListAsynJobs lists (resource loadbalancer, Update) and that a JobFails rule
// or the realistic profile can make fail, which leaves the old edition; an
// unknown instance is 404 ResourceNotFound.LoadBalancer, as on every ALB
// action. Edition restrictions (Basic has no rewrite, no QPS limits, ...)
// are not modelled.

import (
	"net/http"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
)

// albEditionChanges are the edition changes UpdateLoadBalancerEdition makes,
// from → to. Standard → StandardWithWaf is not among those the API page
// lists: refused (stricter).
var albEditionChanges = map[string][]string{
	"Basic":           {"Standard", "StandardWithWaf"},
	"StandardWithWaf": {"Standard"},
}

// albEditionRefused is the answer to an edition change the API does not
// make (code unconfirmed: the page's error table names none for it).
func albEditionRefused(id, from, to string) *APIError {
	if from == to {
		return Errorf(http.StatusBadRequest, "OperationDenied.LoadBalancerEdition",
			"The edition of LoadBalancer %s is already %s.", id, to)
	}
	return Errorf(http.StatusBadRequest, "OperationDenied.LoadBalancerEdition",
		"The edition of LoadBalancer %s cannot change from %s to %s: only Basic can be upgraded (to Standard or StandardWithWaf), and StandardWithWaf changed to Standard.", id, from, to)
}

func albUpdateLoadBalancerEdition(st *State, r *Request) (any, error) {
	_, err := albAsync(st, r, func() (albWrite, error) {
		id, err := r.Required("LoadBalancerId")
		if err != nil {
			return albWrite{}, err
		}
		to, err := r.Enum("LoadBalancerEdition", "", "Basic", "Standard", "StandardWithWaf")
		if err != nil {
			return albWrite{}, err
		}
		if to == "" {
			return albWrite{}, MissingParameter("LoadBalancerEdition")
		}
		lb := st.ALB.loadBalancer(id)
		if lb == nil {
			return albWrite{}, albNotFound("LoadBalancer", id)
		}
		if s := lb.status(r.Now); s != "Active" {
			return albWrite{}, albIncorrectStatus("LoadBalancer", id, s)
		}
		if !contains(albEditionChanges[lb.Edition], to) {
			return albWrite{}, albEditionRefused(id, lb.Edition, to)
		}
		return albWrite{resourceType: "loadbalancer", resourceID: id, operate: "Update", apply: func() string {
			// The instance keeps answering its old edition until the change
			// is done (ALBState.settle), Configuring meanwhile.
			lb.EditionTo = to
			lb.BusyUntil = r.Now.Add(r.AsyncDuration)
			return id
		}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.UpdateLoadBalancerEditionResponseBody{}, nil
}

// settleEdition ends an edition change whose time has come.
func (lb *ALBLoadBalancer) settleEdition(now time.Time) {
	if lb.EditionTo != "" && !now.Before(lb.BusyUntil) {
		lb.Edition, lb.EditionTo = lb.EditionTo, ""
	}
}
