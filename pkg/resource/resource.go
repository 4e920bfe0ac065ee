// Package resource is wsdeploy's vocabulary for cloud objects: load balancers,
// server groups, backends, listeners, DNS records and ECS instances, independent
// of any SDK. The planner, inventory, engine and renderers all speak it; SDK
// types never leave pkg/cloud/<product>.
package resource

import (
	"fmt"
	"sort"
	"strings"
)

// OwnerTagKey is the tag key that marks a resource as owned by a wsdeploy stack;
// its value is the stack name. DNS records cannot carry tags, so they carry
// RecordRemark(stack) instead.
const OwnerTagKey = "wsdeploy-stack"

// RecordRemark is the remark that marks a DNS record as owned by a stack.
func RecordRemark(stack string) string { return "wsdeploy:" + stack }

// ServerGroupName is the name of the stack's server group.
func ServerGroupName(stack string) string { return "wsdeploy-" + stack }

// ListenerDescription is the description wsdeploy gives a listener.
func ListenerDescription(stack, protocol string, port int) string {
	return fmt.Sprintf("wsdeploy-%s-%s-%d", stack, strings.ToLower(protocol), port)
}

// LoadBalancer is an existing ALB or CLB instance.
type LoadBalancer struct {
	Type    string `json:"type"` // alb | clb
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	DNSName string `json:"dnsName,omitempty"` // ALB: CNAME target
	Address string `json:"address,omitempty"` // CLB: A record target
	VpcID   string `json:"vpcId"`
	Status  string `json:"status"`
	// Tags are the load balancer's own tags (wsdeploy reads its EpochTagKey there).
	Tags map[string]string `json:"tags,omitempty"`
	// LocalAddresses are the addresses an ALB talks to its backends from
	// (its zones' IPv4 local addresses); not part of saved plans.
	LocalAddresses []string `json:"-"`
	// Spec is, for a load balancer the stack created (found by its
	// OwnerTagKey tag), the create settings as read back (lb.go); nil for one
	// named by ID.
	Spec *LBSpec `json:"spec,omitempty"`
}

// EpochTagKey is the load balancer tag where `down` records a new epoch for a
// stack, so that ALB ClientTokens of later runs never match tokens of
// resources deleted before.
func EpochTagKey(stack string) string { return "wsdeploy-epoch-" + stack }

// SortedKeys returns a map's keys in order, so requests built from tags are
// the same every time (ClientToken checks compare parameters).
func SortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// HealthCheck is a server group's health check.
type HealthCheck struct {
	Enabled            bool     `json:"enabled"`
	Path               string   `json:"path,omitempty"`
	Method             string   `json:"method,omitempty"`
	Codes              []string `json:"codes,omitempty"`
	Interval           int      `json:"interval,omitempty"`
	Timeout            int      `json:"timeout,omitempty"`
	HealthyThreshold   int      `json:"healthyThreshold,omitempty"`
	UnhealthyThreshold int      `json:"unhealthyThreshold,omitempty"`
}

// StickySession is a server group's session persistence.
type StickySession struct {
	Enabled       bool   `json:"enabled"`
	Type          string `json:"type,omitempty"`
	CookieTimeout int    `json:"cookieTimeout,omitempty"`
	Cookie        string `json:"cookie,omitempty"`
}

// ServerGroup is an ALB server group (CLB: vServer group).
type ServerGroup struct {
	ID            string            `json:"id,omitempty"`
	Name          string            `json:"name"`
	Status        string            `json:"status,omitempty"`
	VpcID         string            `json:"vpcId,omitempty"`
	Protocol      string            `json:"protocol,omitempty"`
	HealthCheck   HealthCheck       `json:"healthCheck"`
	StickySession StickySession     `json:"stickySession"`
	Tags          map[string]string `json:"tags,omitempty"`
	// LoadBalancerIDs are the load balancers whose listeners forward to the
	// group, as ALB lists them (an ALB server group belongs to a VPC, not to
	// one load balancer; a CLB vServer group belongs to one CLB).
	LoadBalancerIDs []string `json:"loadBalancerIds,omitempty"`
}

// Backend is one server in a server group.
type Backend struct {
	InstanceID string `json:"instanceId"`
	Port       int    `json:"port"`
	Weight     int    `json:"weight"`
	Status     string `json:"status,omitempty"`
	// Ref is how wsdeploy.yaml named the instance (ID or name); empty for servers read from the cloud.
	Ref string `json:"ref,omitempty"`
}

// Key identifies a backend within its group.
func (b Backend) Key() string { return fmt.Sprintf("%s:%d", b.InstanceID, b.Port) }

// Listener is one front-end port of a load balancer.
type Listener struct {
	ID             string            `json:"id,omitempty"`
	Protocol       string            `json:"protocol"`
	Port           int               `json:"port"`
	Status         string            `json:"status,omitempty"`
	IdleTimeout    int               `json:"idleTimeout"`
	RequestTimeout int               `json:"requestTimeout"`
	CertificateID  string            `json:"certificateId,omitempty"`
	ServerGroupID  string            `json:"serverGroupId,omitempty"`
	Description    string            `json:"description,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
	// HealthCheck and StickySession are listener settings on CLB (on ALB they
	// belong to the server group); nil on ALB listeners.
	HealthCheck   *HealthCheck   `json:"healthCheck,omitempty"`
	StickySession *StickySession `json:"stickySession,omitempty"`
}

// Name is the listener's display name, "HTTP:5000".
func (l Listener) Name() string { return fmt.Sprintf("%s:%d", l.Protocol, l.Port) }

// Record is a DNS record.
type Record struct {
	ID     string `json:"id,omitempty"`
	Domain string `json:"domain"`
	RR     string `json:"rr"`
	Type   string `json:"type"`
	Value  string `json:"value"`
	TTL    int    `json:"ttl"`
	Line   string `json:"line,omitempty"`
	Status string `json:"status,omitempty"`
	Remark string `json:"remark,omitempty"`
}

// FQDN is the record's full name.
func (r Record) FQDN() string {
	if r.RR == "@" {
		return r.Domain
	}
	return r.RR + "." + r.Domain
}

// Instance is an ECS instance.
type Instance struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	VpcID     string `json:"vpcId"`
	PrivateIP string `json:"privateIp,omitempty"`
	Status    string `json:"status"`
	// Tags are the instance's tags; the stack's deployment tag (AppTagKey) says what it installed there.
	Tags map[string]string `json:"tags,omitempty"`
	// SecurityGroupIDs are the instance's security groups (securitygroup.go).
	SecurityGroupIDs []string `json:"securityGroupIds,omitempty"`
}

// AppTagKey is the ECS tag on each instance the stack deployed to: its
// value says what is installed ("wschat/v0.4.0/<hash>", "redis/os-package/<hash>").
func AppTagKey(stack string) string { return "wsdeploy-app-" + stack }

// OwnedBy reports whether tags mark a resource as owned by stack.
func OwnedBy(tags map[string]string, stack string) bool {
	return tags[OwnerTagKey] == stack
}

// OwnedListener finds the listener on protocol and port that stack owns.
func OwnedListener(ls []Listener, stack, protocol string, port int) (Listener, bool) {
	for _, l := range ls {
		if l.Port == port && l.Protocol == protocol && OwnedBy(l.Tags, stack) {
			return l, true
		}
	}
	return Listener{}, false
}

// ContainsAll reports whether every backend of want is among have (by Key).
func ContainsAll(have, want []Backend) bool {
	in := make(map[string]bool, len(have))
	for _, b := range have {
		in[b.Key()] = true
	}
	for _, b := range want {
		if !in[b.Key()] {
			return false
		}
	}
	return true
}
