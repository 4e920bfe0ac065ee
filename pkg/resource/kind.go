package resource

import "fmt"

// Kinds of load balancer.
const (
	ALB = "alb"
	CLB = "clb"
)

// Per-call limits of the cloud APIs.
const (
	// ALBServersPerCall is the most servers AddServersToServerGroup,
	// RemoveServersFromServerGroup and UpdateServerGroupServersAttribute take.
	ALBServersPerCall = 200
	// CLBServersPerCall is the most servers the vServer group backend calls take.
	CLBServersPerCall = 20
	// InstanceIDsPerCall is the most InstanceIds one DescribeInstances takes.
	InstanceIDsPerCall = 100
)

// Profile is what differs between the kinds of load balancer, as one value
// that the planner, the inventory and the reports choose once (ProfileOf)
// instead of asking "is it a CLB?" at every turn.
type Profile struct {
	Kind string // alb | clb
	// ServersPerCall is the most backend servers one API call takes.
	ServersPerCall int
	// GroupNoun is what the product calls a server group.
	GroupNoun string
	// SettingsOnListener says health check and session persistence are
	// listener settings (CLB); on ALB they belong to the server group, which
	// also has a VPC and a protocol.
	SettingsOnListener bool
	// EpochTag says writes carry ClientTokens, so a teardown moves the
	// stack's epoch tag on the load balancer on (ALB; see EpochTagKey).
	EpochTag bool
	// RecordType is the DNS record that names the load balancer: a CNAME to
	// its DNS name (ALB) or an A record to its address (CLB).
	RecordType string
}

// Profiles of the two kinds.
var (
	ALBProfile = Profile{Kind: ALB, ServersPerCall: ALBServersPerCall, GroupNoun: "server group", EpochTag: true, RecordType: "CNAME"}
	CLBProfile = Profile{Kind: CLB, ServersPerCall: CLBServersPerCall, GroupNoun: "vServer group", SettingsOnListener: true, RecordType: "A"}
)

// ProfileOf is the profile of a kind of load balancer (ALB unless kind is clb).
func ProfileOf(kind string) Profile {
	if kind == CLB {
		return CLBProfile
	}
	return ALBProfile
}

// RecordTarget is the value of the DNS record that points a name at lb.
func (p Profile) RecordTarget(lb LoadBalancer) string {
	if p.RecordType == "A" {
		return lb.Address
	}
	return lb.DNSName
}

// BackendHealth is one backend's health as one listener sees it.
type BackendHealth struct {
	InstanceID string `json:"instanceId"`
	Port       int    `json:"port"`
	// Listener is the listener's name, "HTTP:5000".
	Listener string `json:"listener"`
	// Health is healthy, unhealthy, initial, unused or unavailable.
	Health string `json:"health"`
	// Reason says why it is not healthy, in the cloud's words ("CONNECT_FAILED").
	Reason string `json:"reason,omitempty"`
	// Expected and Actual are, for an HTTP answer the health check did not
	// expect (ALB's RESPONSE_MISMATCH), the codes it expects ("HTTP_2xx")
	// and the status the backend answered ("404").
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
}

// Key identifies the backend within its group, like Backend.Key.
func (h BackendHealth) Key() string { return fmt.Sprintf("%s:%d", h.InstanceID, h.Port) }

// InstanceFilter selects ECS instances: by VPC, or by IDs (at most
// InstanceIDsPerCall).
type InstanceFilter struct {
	VpcID string
	IDs   []string
	// TagKey, when set, lists only instances carrying the tag (any value).
	TagKey string
}
