package fakecloud

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
)

// CLBState is the CLB (SLB 2014-05-15) part of the fake world.
//
// Nothing runs in the background. A listener in transition keeps its settled
// status (Status: stopped | running) plus the status it shows meanwhile
// (Transit: starting | configuring) and when the transition ends (ReadyAt); a
// vServer group whose membership just changed is busy until BusyUntil. What a
// caller sees is derived from the request clock. Slices keep creation order.
type CLBState struct {
	LoadBalancers []*CLBInstance     `json:"loadBalancers"`
	VServerGroups []*CLBVServerGroup `json:"vServerGroups,omitempty"`
	Listeners     []*CLBListener     `json:"listeners,omitempty"`
	// ClientTokens remember CreateLoadBalancer calls made with a ClientToken.
	ClientTokens []*CLBClientToken `json:"clientTokens,omitempty"`
}

// CLBClientToken is a CreateLoadBalancer made with a ClientToken: a repeat
// with the same parameters answers Answer again and creates nothing.
type CLBClientToken struct {
	Token      string                              `json:"token"`
	ParamsHash string                              `json:"paramsHash"`
	Answer     *slb.CreateLoadBalancerResponseBody `json:"answer"`
}

func (c *CLBState) clientToken(token string) *CLBClientToken {
	return find(c.ClientTokens, func(t *CLBClientToken) bool { return t.Token == token })
}

// CLBInstance is a CLB instance, from the seed or CreateLoadBalancer
// (clb_create.go); DeleteLoadBalancer removes it with its objects
// (clb_delete.go).
type CLBInstance struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	VpcID   string `json:"vpcId"`
	Address string `json:"address"`
	// Status is active (seeded), inactive or locked; on a locked instance
	// every write is 400 ActionNotAllowed (settable through Server.Update).
	Status     string    `json:"status"`
	CreateTime time.Time `json:"createTime"`
	Tags       []Tag     `json:"tags,omitempty"`
	// Created through the API (clb_create.go); empty for a seeded instance.
	VSwitchID        string `json:"vswitchId,omitempty"`
	ZoneID           string `json:"zoneId,omitempty"`
	Spec             string `json:"spec,omitempty"`
	ChargeType       string `json:"chargeType,omitempty"`
	DeleteProtection string `json:"deleteProtection,omitempty"` // on | off
	// InternetChargeType (paybytraffic | paybybandwidth; empty means
	// paybytraffic) and, for paybybandwidth, Bandwidth in Mbit/s: from the
	// create call or the seed (clb_billing.go).
	InternetChargeType string `json:"internetChargeType,omitempty"`
	Bandwidth          int    `json:"bandwidth,omitempty"`
	// SlaveZoneID is the standby zone a created instance got (clb_zones.go);
	// empty: derived from the region's zones.
	SlaveZoneID string `json:"slaveZoneId,omitempty"`
}

// CLBVServerGroup is a vServer group of one CLB instance.
type CLBVServerGroup struct {
	ID             string       `json:"id"`
	Name           string       `json:"name"`
	LoadBalancerID string       `json:"loadBalancerId"`
	CreateTime     time.Time    `json:"createTime"`
	Tags           []Tag        `json:"tags,omitempty"`
	Servers        []CLBBackend `json:"servers,omitempty"`
	// BusyUntil is when the last membership change takes effect; until then
	// another membership write is 400 VServerGroupProcessing.
	BusyUntil time.Time `json:"busyUntil,omitzero"`
}

// CLBBackend is a backend server of a vServer group; its identity is (ServerID, Port).
type CLBBackend struct {
	ServerID    string `json:"serverId"`
	Port        int    `json:"port"`
	Weight      int    `json:"weight"`
	Type        string `json:"type"` // ecs (eni/eci are not modelled)
	ServerIP    string `json:"serverIp,omitempty"`
	Description string `json:"description,omitempty"`
}

// CLBHealthCheck is an HTTP(S) listener's health check.
type CLBHealthCheck struct {
	Enabled     bool   `json:"enabled"`
	URI         string `json:"uri,omitempty"`
	ConnectPort int    `json:"connectPort,omitempty"`
	Domain      string `json:"domain,omitempty"`
	HTTPCode    string `json:"httpCode,omitempty"`
	Method      string `json:"method,omitempty"`
	Interval    int    `json:"interval,omitempty"`
	Timeout     int    `json:"timeout,omitempty"`
	Healthy     int    `json:"healthyThreshold,omitempty"`
	Unhealthy   int    `json:"unhealthyThreshold,omitempty"`
}

// CLBStickySession is an HTTP(S) listener's session persistence.
type CLBStickySession struct {
	Enabled       bool   `json:"enabled"`
	Type          string `json:"type,omitempty"` // insert | server
	CookieTimeout int    `json:"cookieTimeout,omitempty"`
	Cookie        string `json:"cookie,omitempty"`
}

// CLBListener is an HTTP or HTTPS listener. Its identity is (LoadBalancerID, Port).
type CLBListener struct {
	LoadBalancerID string `json:"loadBalancerId"`
	Protocol       string `json:"protocol"` // http | https
	Port           int    `json:"port"`
	// Status is the settled status: stopped or running.
	Status string `json:"status"`
	// Transit (starting | configuring) is shown instead of Status until
	// ReadyAt; once it is over, ReadyAt is when it ended.
	Transit string    `json:"transit,omitempty"`
	ReadyAt time.Time `json:"readyAt,omitzero"`

	VServerGroupID    string           `json:"vServerGroupId,omitempty"`
	BackendServerPort int              `json:"backendServerPort,omitempty"`
	Bandwidth         int              `json:"bandwidth"`
	Description       string           `json:"description,omitempty"`
	Scheduler         string           `json:"scheduler"`
	IdleTimeout       int              `json:"idleTimeout"`
	RequestTimeout    int              `json:"requestTimeout"`
	HealthCheck       CLBHealthCheck   `json:"healthCheck"`
	StickySession     CLBStickySession `json:"stickySession"`
	// Flags holds the on/off switches by their API parameter name
	// (XForwardedFor, XForwardedFor_SLBIP, ..., Gzip, ListenerForward, EnableHttp2).
	Flags map[string]string `json:"flags"`
	// HTTP only: redirect target when Flags["ListenerForward"] is on.
	ForwardPort int `json:"forwardPort,omitempty"`
	// HTTPS only.
	ServerCertificateID string `json:"serverCertificateId,omitempty"`
	CACertificateID     string `json:"caCertificateId,omitempty"`
	TLSCipherPolicy     string `json:"tlsCipherPolicy,omitempty"`

	Tags       []Tag     `json:"tags,omitempty"`
	CreateTime time.Time `json:"createTime"`
}

// clbSeedTime is the CreateTime of seeded CLB instances (seeds carry no clock).
var clbSeedTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// seedCLB fills the CLB part of the world from a (normalized) seed.
func seedCLB(st *State, seed *Seed) error {
	seen := map[string]bool{}
	for _, c := range seed.CLBs {
		if seen[c.ID] {
			return fmt.Errorf("seed: clb %s listed twice", c.ID)
		}
		seen[c.ID] = true
		name := c.Name
		if name == "" {
			name = "auto_named_slb"
		}
		st.CLB.LoadBalancers = append(st.CLB.LoadBalancers, &CLBInstance{
			ID: c.ID, Name: name, VpcID: c.VpcID, Address: c.Address,
			Status: "active", CreateTime: clbSeedTime,
			InternetChargeType: c.InternetChargeType, Bandwidth: c.Bandwidth,
		})
	}
	return nil
}

// settle clears finished transitions so that handlers see settled objects.
func (c *CLBState) settle(now time.Time) {
	for _, l := range c.Listeners {
		if l.Transit != "" && !now.Before(l.ReadyAt) {
			l.Transit = "" // ReadyAt stays: when the listener last became ready (health checks start then)
		}
	}
	for _, g := range c.VServerGroups {
		if !g.BusyUntil.IsZero() && !now.Before(g.BusyUntil) {
			g.BusyUntil = time.Time{}
		}
	}
}

func (c *CLBState) loadBalancer(id string) *CLBInstance {
	return find(c.LoadBalancers, func(lb *CLBInstance) bool { return lb.ID == id })
}

func (c *CLBState) vServerGroup(id string) *CLBVServerGroup {
	return find(c.VServerGroups, func(g *CLBVServerGroup) bool { return g.ID == id })
}

// listener returns the listener on (lbID, port), whatever its protocol.
func (c *CLBState) listener(lbID string, port int) *CLBListener {
	return find(c.Listeners, func(l *CLBListener) bool { return l.LoadBalancerID == lbID && l.Port == port })
}

// listenersOf returns the listeners of one CLB instance, by port.
func (c *CLBState) listenersOf(lbID string) []*CLBListener {
	return c.listenersWhere(func(l *CLBListener) bool { return l.LoadBalancerID == lbID })
}

// listenersUsing returns the listeners that forward to the group, by port.
func (c *CLBState) listenersUsing(groupID string) []*CLBListener {
	return c.listenersWhere(func(l *CLBListener) bool { return l.VServerGroupID == groupID })
}

// listenersWhere returns the listeners match selects, by port.
func (c *CLBState) listenersWhere(match func(*CLBListener) bool) []*CLBListener {
	var out []*CLBListener
	for _, l := range c.Listeners {
		if match(l) {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Port < out[j].Port })
	return out
}

func (c *CLBState) removeListener(target *CLBListener) {
	c.Listeners = slices.DeleteFunc(c.Listeners, func(l *CLBListener) bool { return l == target })
}

func (c *CLBState) removeVServerGroup(target *CLBVServerGroup) {
	c.VServerGroups = slices.DeleteFunc(c.VServerGroups, func(g *CLBVServerGroup) bool { return g == target })
}

// status is the listener status shown at now.
func (l *CLBListener) status(now time.Time) string {
	if l.busy(now) {
		return l.Transit
	}
	return l.Status
}

// busy reports whether the listener is starting or configuring at now.
func (l *CLBListener) busy(now time.Time) bool {
	return l.Transit != "" && now.Before(l.ReadyAt)
}

// resourceID is the listener's ID for the tag APIs: <LoadBalancerId>_<protocol>_<port>.
func (l *CLBListener) resourceID() string {
	return l.LoadBalancerID + "_" + l.Protocol + "_" + strconv.Itoa(l.Port)
}

func (l *CLBListener) flag(name string) string {
	if v := l.Flags[name]; v != "" {
		return v
	}
	return "off"
}

// parseListenerResourceID splits <LoadBalancerId>_<protocol>_<port>.
func parseListenerResourceID(id string) (lbID, proto string, port int, ok bool) {
	i := strings.LastIndexByte(id, '_')
	if i <= 0 {
		return "", "", 0, false
	}
	port, err := strconv.Atoi(id[i+1:])
	if err != nil || port < 1 || port > 65535 {
		return "", "", 0, false
	}
	rest := id[:i]
	j := strings.LastIndexByte(rest, '_')
	if j <= 0 {
		return "", "", 0, false
	}
	return rest[:j], rest[j+1:], port, true
}

// busy reports whether a membership change of the group is still pending at now.
func (g *CLBVServerGroup) busy(now time.Time) bool {
	return now.Before(g.BusyUntil)
}

// server returns the index of backend (serverID, port) in the group, or -1.
func (g *CLBVServerGroup) server(serverID string, port int) int {
	for i, s := range g.Servers {
		if s.ServerID == serverID && s.Port == port {
			return i
		}
	}
	return -1
}
