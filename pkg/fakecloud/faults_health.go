package fakecloud

// Health faults: a fault rule with Health lets a health read (ALB
// GetListenerHealthStatus, CLB DescribeHealthStatus) succeed and reports
// backends in its answer as not healthy, with the reason the real API gives.
// Like every rule it fires per call (after, times, probability), so a test can
// have a backend report Initial for the first reads and then turn healthy, or
// stay Unhealthy with RESPONSE_MISMATCH.

import (
	"strconv"
	"strings"
)

// HealthFault is how a rule with Health reports backends in the answer of a
// health read it fires on. It applies only to backends the load balancer
// checks: health check on, an ECS server that is not being added (Initial)
// or at weight 0 (Unused), on a listener that is running.
type HealthFault struct {
	// Server is the backend's ServerId (an ECS instance ID); empty = every backend.
	Server string `json:"server,omitempty" yaml:"server,omitempty"`
	// Status is ALB's Status: Unhealthy (the default) or Initial. CLB
	// reports Unhealthy as abnormal and Initial as unavailable.
	Status string `json:"status,omitempty" yaml:"status,omitempty"`
	// ReasonCode is ALB's Reason.ReasonCode of an Unhealthy server (not on
	// slb: CLB gives no reason); default CONNECT_FAILED.
	ReasonCode string `json:"reasonCode,omitempty" yaml:"reasonCode,omitempty"`
	// ActualResponse (RESPONSE_MISMATCH only) is the HTTP status the backend
	// answered, e.g. "404". ExpectedResponse is the server group's
	// HealthCheckCodes, as ALB writes them (HTTP_2xx,HTTP_3xx).
	ActualResponse string `json:"actualResponse,omitempty" yaml:"actualResponse,omitempty"`
}

// albHealthReasons are ALB's ReasonCode values (GetListenerHealthStatus).
var albHealthReasons = []string{
	"CONNECT_TIMEOUT", "CONNECT_FAILED", "RECV_RESPONSE_FAILED", "RECV_RESPONSE_TIMEOUT",
	"SEND_REQUEST_FAILED", "SEND_REQUEST_TIMEOUT", "RESPONSE_FORMAT_ERROR", "RESPONSE_MISMATCH",
}

// healthReads are the health read action of each product that has one.
var healthReads = map[string]string{ProductALB: "GetListenerHealthStatus", ProductSLB: "DescribeHealthStatus"}

// isHealthRead reports whether action is product's health read.
func isHealthRead(product, action string) bool {
	a, ok := healthReads[product]
	return ok && a == action
}

// checkHealthFault checks a rule with Health.
func checkHealthFault(f Fault, bad func(format string, args ...any)) {
	read, ok := healthReads[f.Product]
	if !ok {
		bad("health needs product alb or slb (clb): only their health reads report backends")
	}
	if ok && f.Action != "" && f.Action != read {
		bad("health: action %q is not %s's health read; use %s (or leave action out)", f.Action, f.Product, read)
	}
	if f.Code != "" || f.HTTPStatus != 0 || f.Message != "" || f.CommitThenFail || f.Drop || f.JobFails {
		bad("health lets the call succeed: remove code, httpStatus, message, commitThenFail, drop and jobFails")
	}
	h := f.Health
	switch h.Status {
	case "", "Unhealthy":
	case "Initial":
		if h.ReasonCode != "" || h.ActualResponse != "" {
			bad("health: an Initial server has no reason: remove reasonCode and actualResponse")
		}
	default:
		bad("health: status %q is not Unhealthy or Initial", h.Status)
	}
	if h.ReasonCode != "" {
		if f.Product == ProductSLB {
			bad("health: reasonCode is ALB's; CLB's DescribeHealthStatus gives no reason")
		} else if !contains(albHealthReasons, h.ReasonCode) {
			bad("health: reasonCode %q is not one of %s", h.ReasonCode, strings.Join(albHealthReasons, ", "))
		}
	}
	if h.ActualResponse != "" {
		if h.ReasonCode != "RESPONSE_MISMATCH" {
			bad("health: actualResponse needs reasonCode RESPONSE_MISMATCH")
		}
		if n, err := strconv.Atoi(h.ActualResponse); err != nil || n < 100 || n > 599 {
			bad("health: actualResponse %q is not an HTTP status (100-599)", h.ActualResponse)
		}
	}
}

// healthFaultFor is the last rule that fired on the call that names server
// (or every server), and whether there is one.
func healthFaultFor(rules []HealthFault, server string) (HealthFault, bool) {
	for i := len(rules) - 1; i >= 0; i-- {
		if rules[i].Server == "" || rules[i].Server == server {
			return rules[i], true
		}
	}
	return HealthFault{}, false
}

// albHealthFaults rewrites the non-normal servers of a GetListenerHealthStatus
// answer (albNonNormal's) per the Health rules that fired on the call: a
// server the load balancer checks is reported with the rule's status and
// reason; Initial and Unused servers and groups with health checks off are
// left as they are.
func albHealthFaults(groups []*ALBServerGroup, entries []albHealthEntry, rules []HealthFault) []albHealthEntry {
	if len(rules) == 0 {
		return entries
	}
	listed := map[*ALBServer]albHealthEntry{}
	for _, e := range entries {
		listed[e.server] = e
	}
	var out []albHealthEntry
	for _, g := range groups {
		for _, s := range g.Servers {
			if s.Deleted {
				continue
			}
			e, ok := listed[s]
			hf, fault := healthFaultFor(rules, s.ServerID)
			checked := g.HealthCheck.Enabled && s.ServerType == "Ecs" && (!ok || e.status == "Unhealthy")
			if fault && checked {
				e = albHealthEntry{group: g.ID, server: s, status: "Initial"}
				if hf.Status != "Initial" {
					e.status, e.reason = "Unhealthy", hf.ReasonCode
					if e.reason == "" {
						e.reason = "CONNECT_FAILED"
					}
					if e.reason == "RESPONSE_MISMATCH" {
						e.expected, e.actual = albExpectedResponse(g.HealthCheck.Codes), hf.ActualResponse
					}
				}
				ok = true
			}
			if ok {
				out = append(out, e)
			}
		}
	}
	return out
}

// albExpectedResponse is a server group's HealthCheckCodes as
// GetListenerHealthStatus's ExpectedResponse writes them: HTTP_2xx,HTTP_3xx.
func albExpectedResponse(codes []string) string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = "HTTP_" + strings.TrimPrefix(strings.ToLower(c), "http_")
	}
	return strings.Join(out, ",")
}

// clbHealthFault is a backend's ServerHealthStatus in a DescribeHealthStatus
// answer per the Health rules that fired on the call: status is clbHealth's;
// a backend that is checked (abnormal or normal) is reported abnormal for
// Unhealthy, unavailable for Initial.
func clbHealthFault(status, server string, rules []HealthFault) string {
	hf, ok := healthFaultFor(rules, server)
	if !ok || status == "unavailable" {
		return status
	}
	if hf.Status == "Initial" {
		return "unavailable"
	}
	return "abnormal"
}
