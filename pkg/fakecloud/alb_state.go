package fakecloud

import (
	"fmt"
	"slices"
	"time"
)

// ALBState is the ALB (2020-06-16) part of the fake world.
//
// Nothing runs in the background: an object that is in transition keeps the
// status it shows meanwhile (Transit) and the time the transition ends
// (ReadyAt); its visible status is derived from the request clock. Objects
// being deleted carry Deleted and disappear once ReadyAt has passed. Slices
// keep creation order, which is the order every List* call returns.
type ALBState struct {
	LoadBalancers []*ALBLoadBalancer `json:"loadBalancers"`
	ServerGroups  []*ALBServerGroup  `json:"serverGroups"`
	Listeners     []*ALBListener     `json:"listeners"`
	Jobs          []*ALBJob          `json:"jobs"`
	ClientTokens  []*ALBClientToken  `json:"clientTokens,omitempty"`
}

// ALBTransition is the in-flight part of an object's state: while now is
// before ReadyAt the object shows Transit instead of its settled status.
// Deleted means the object is gone once ReadyAt has passed.
type ALBTransition struct {
	Transit string    `json:"transit,omitempty"`
	ReadyAt time.Time `json:"readyAt,omitzero"`
	Deleted bool      `json:"deleted,omitempty"`
}

// busy reports whether the transition is still running at now.
func (t *ALBTransition) busy(now time.Time) bool {
	return t.Transit != "" && now.Before(t.ReadyAt)
}

// gone reports whether a deletion has finished at now.
func (t *ALBTransition) gone(now time.Time) bool {
	return t.Deleted && !now.Before(t.ReadyAt)
}

// settle clears a finished transition and reports whether the object is
// still there at now.
func (t *ALBTransition) settle(now time.Time) bool {
	if t.gone(now) {
		return false
	}
	if !t.busy(now) {
		t.Transit = ""
	}
	return true
}

// visible is the status shown at now, given the settled status.
func (t *ALBTransition) visible(now time.Time, settled string) string {
	if t.busy(now) {
		return t.Transit
	}
	return settled
}

// start begins a transition that ends after d.
func (t *ALBTransition) start(transit string, now time.Time, d time.Duration) {
	t.Transit = transit
	t.ReadyAt = now.Add(d)
}

// ALBLoadBalancer is an ALB instance. Instances only come from the seed; the
// fake does not create or delete them.
type ALBLoadBalancer struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	VpcID            string `json:"vpcId"`
	DNSName          string `json:"dnsName"`
	AddressType      string `json:"addressType"`      // Internet | Intranet
	AddressIPVersion string `json:"addressIpVersion"` // IPv4 | DualStack
	Edition          string `json:"edition"`          // Basic | Standard | StandardWithWaf
	// EditionTo is the edition an UpdateLoadBalancerEdition is changing it
	// to; it becomes Edition when the change is done (BusyUntil).
	EditionTo       string    `json:"editionTo,omitempty"`
	ResourceGroupID string    `json:"resourceGroupId"`
	Zones           []string  `json:"zones"`
	CreateTime      time.Time `json:"createTime"`
	Tags            []Tag     `json:"tags,omitempty"`
	// BusyUntil is when the last listener operation on this instance ends;
	// until then LoadBalancerStatus is Configuring.
	BusyUntil time.Time `json:"busyUntil,omitzero"`
	// VSwitchIDs: one per zone (a seeded instance's: alb_seed_zones.go).
	// Created through the API (alb_create.go): Provisioning until
	// ProvisionedAt, gone at DeletedAt.
	VSwitchIDs         []string  `json:"vswitchIds,omitempty"`
	DeletionProtection bool      `json:"deletionProtection,omitempty"`
	ProvisionedAt      time.Time `json:"provisionedAt,omitzero"`
	DeletedAt          time.Time `json:"deletedAt,omitzero"`
	// CreateFailed: the create job failed; the instance stays, status
	// CreateFailed, and can only be deleted.
	CreateFailed bool `json:"createFailed,omitempty"`
}

// ALBHealthCheck is a server group's HealthCheckConfig.
type ALBHealthCheck struct {
	Enabled     bool     `json:"enabled"`
	Protocol    string   `json:"protocol,omitempty"`
	ConnectPort int      `json:"connectPort"`
	Path        string   `json:"path,omitempty"`
	Method      string   `json:"method,omitempty"`
	HTTPVersion string   `json:"httpVersion,omitempty"`
	Host        string   `json:"host,omitempty"`
	Codes       []string `json:"codes,omitempty"`
	Interval    int      `json:"interval"`
	Timeout     int      `json:"timeout"`
	Healthy     int      `json:"healthyThreshold"`
	Unhealthy   int      `json:"unhealthyThreshold"`
}

// ALBStickySession is a server group's StickySessionConfig.
type ALBStickySession struct {
	Enabled       bool   `json:"enabled"`
	Type          string `json:"type,omitempty"` // Insert | Server
	CookieTimeout int    `json:"cookieTimeout,omitempty"`
	Cookie        string `json:"cookie,omitempty"`
}

// ALBServerGroup is a server group with its backend servers.
type ALBServerGroup struct {
	ID                       string           `json:"id"`
	Name                     string           `json:"name"`
	Type                     string           `json:"type"` // Instance | Ip
	VpcID                    string           `json:"vpcId"`
	Protocol                 string           `json:"protocol"`
	Scheduler                string           `json:"scheduler"`
	ResourceGroupID          string           `json:"resourceGroupId"`
	HealthCheck              ALBHealthCheck   `json:"healthCheck"`
	StickySession            ALBStickySession `json:"stickySession"`
	ConnectionDrainEnabled   bool             `json:"connectionDrainEnabled"`
	ConnectionDrainTimeout   int              `json:"connectionDrainTimeout"`
	SlowStartEnabled         bool             `json:"slowStartEnabled"`
	SlowStartDuration        int              `json:"slowStartDuration"`
	CrossZoneEnabled         bool             `json:"crossZoneEnabled"`
	UpstreamKeepaliveEnabled bool             `json:"upstreamKeepaliveEnabled"`
	Ipv6Enabled              bool             `json:"ipv6Enabled"`
	Tags                     []Tag            `json:"tags,omitempty"`
	Servers                  []*ALBServer     `json:"servers,omitempty"`
	CreateTime               time.Time        `json:"createTime"`
	ALBTransition
}

// ALBServer is a backend server of a server group. Its identity is (ServerID, Port).
type ALBServer struct {
	ServerID        string `json:"serverId"`
	ServerIP        string `json:"serverIp,omitempty"`
	ServerType      string `json:"serverType"`
	Port            int    `json:"port"`
	Weight          int    `json:"weight"`
	Description     string `json:"description,omitempty"`
	RemoteIPEnabled bool   `json:"remoteIpEnabled,omitempty"`
	ALBTransition
}

// ALBListener is a listener of an ALB instance.
type ALBListener struct {
	ID               string   `json:"id"`
	LoadBalancerID   string   `json:"loadBalancerId"`
	Protocol         string   `json:"protocol"` // HTTP | HTTPS | QUIC
	Port             int      `json:"port"`
	Description      string   `json:"description,omitempty"`
	IdleTimeout      int      `json:"idleTimeout"`
	RequestTimeout   int      `json:"requestTimeout"`
	GzipEnabled      bool     `json:"gzipEnabled"`
	HTTP2Enabled     bool     `json:"http2Enabled"`
	SecurityPolicyID string   `json:"securityPolicyId,omitempty"`
	Certificates     []string `json:"certificates,omitempty"`
	CaEnabled        bool     `json:"caEnabled,omitempty"`
	CaCertificates   []string `json:"caCertificates,omitempty"`
	// DefaultServerGroups are the ServerGroupTuples of the single ForwardGroup default action.
	DefaultServerGroups []string `json:"defaultServerGroups"`
	// XForwardedFor holds the XForwardedForConfig values sent, by SDK field
	// name ("true"/"false" for switches); the others are the defaults
	// (alb_listener_config.go).
	XForwardedFor map[string]string `json:"xForwardedFor,omitempty"`
	Tags          []Tag             `json:"tags,omitempty"`
	// Status is the settled status: Running or Stopped.
	Status     string    `json:"status"`
	CreateTime time.Time `json:"createTime"`
	ALBTransition
}

// ALBJob is an asynchronous job as ListAsynJobs shows it: Processing until
// DoneAt, then Succeeded, or Failed when it carries a Failure.
type ALBJob struct {
	ID           string    `json:"id"`
	APIName      string    `json:"apiName"`
	ResourceType string    `json:"resourceType"` // loadbalancer | listener | servergroup
	ResourceID   string    `json:"resourceId"`
	OperateType  string    `json:"operateType"` // Create | Update | Delete
	CreateTime   time.Time `json:"createTime"`
	DoneAt       time.Time `json:"doneAt"`
	// Failure, set by a JobFails fault rule, makes the job end Failed.
	Failure *ALBJobFailure `json:"failure,omitempty"`
}

// ALBJobFailure is how a failing job ends: its ErrorCode and ErrorMessage,
// and its resource as it was before the write (neither for a create: the new
// resource goes), put back when the job ends.
type ALBJobFailure struct {
	Code         string           `json:"code"`
	Message      string           `json:"message"`
	ServerGroup  *ALBServerGroup  `json:"serverGroup,omitempty"`
	Listener     *ALBListener     `json:"listener,omitempty"`
	LoadBalancer *ALBLoadBalancer `json:"loadBalancer,omitempty"`
	// RolledBack is set once the change has been undone.
	RolledBack bool `json:"rolledBack,omitempty"`
}

// ALBClientToken remembers the first successful write made with a ClientToken,
// so that a repeat returns the same result instead of acting twice.
type ALBClientToken struct {
	Token      string    `json:"token"`
	Action     string    `json:"action"`
	ParamsHash string    `json:"paramsHash"`
	JobID      string    `json:"jobId"`
	ResourceID string    `json:"resourceId,omitempty"`
	DoneAt     time.Time `json:"doneAt"`
}

// albSeedTime is the CreateTime of seeded ALB instances (seeds carry no clock).
var albSeedTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// seedALB fills the ALB part of st from a seed.
func seedALB(st *State, seed *Seed) error {
	vpcs := map[string]bool{}
	for _, v := range seed.VPCs {
		vpcs[v.ID] = true
	}
	region := seed.Region
	if region == "" {
		region = st.Region
	}
	seen := map[string]bool{}
	for _, s := range seed.ALBs {
		switch {
		case s.ID == "":
			return fmt.Errorf("seed: alb without id")
		case seen[s.ID]:
			return fmt.Errorf("seed: alb %s listed twice", s.ID)
		case s.VpcID == "":
			return fmt.Errorf("seed: alb %s has no vpcId", s.ID)
		case !vpcs[s.VpcID]:
			return fmt.Errorf("seed: alb %s is in vpc %s, which the seed does not list", s.ID, s.VpcID)
		}
		seen[s.ID] = true
		dns := s.DNSName
		if dns == "" {
			dns = fmt.Sprintf("%s.%s.alb.aliyuncs.com", s.ID, region)
		}
		lb := &ALBLoadBalancer{
			ID:               s.ID,
			Name:             s.Name,
			VpcID:            s.VpcID,
			DNSName:          dns,
			AddressType:      "Internet",
			AddressIPVersion: "IPv4",
			Edition:          "Standard",
			ResourceGroupID:  "rg-fake",
			CreateTime:       albSeedTime,
		}
		seedALBZones(st, region, lb) // alb_seed_zones.go
		st.ALB.LoadBalancers = append(st.ALB.LoadBalancers, lb)
	}
	return nil
}

// settle undoes the changes of jobs that failed by now, drops what has
// finished disappearing and clears finished transitions, so that handlers
// only see live objects.
func (a *ALBState) settle(now time.Time) {
	a.rollBack(now)
	for _, lb := range a.LoadBalancers {
		lb.settleEdition(now)
	}
	a.ServerGroups = slices.DeleteFunc(a.ServerGroups, func(g *ALBServerGroup) bool {
		g.Servers = slices.DeleteFunc(g.Servers, func(s *ALBServer) bool { return !s.settle(now) })
		return !g.settle(now)
	})
	a.Listeners = slices.DeleteFunc(a.Listeners, func(l *ALBListener) bool { return !l.settle(now) })
	a.LoadBalancers = slices.DeleteFunc(a.LoadBalancers, func(lb *ALBLoadBalancer) bool {
		return !lb.DeletedAt.IsZero() && !now.Before(lb.DeletedAt)
	})
}

// keepForRollback records in f the resource a failing job is about to
// change (nothing for a create).
func (a *ALBState) keepForRollback(f *ALBJobFailure, resourceType, id string) {
	switch resourceType {
	case "servergroup":
		if g := a.serverGroup(id); g != nil {
			f.ServerGroup = deepCopy(g)
		}
	case "listener":
		if l := a.listener(id); l != nil {
			f.Listener = deepCopy(l)
		}
	case "loadbalancer":
		if lb := a.loadBalancer(id); lb != nil {
			f.LoadBalancer = deepCopy(lb)
		}
	}
}

// rollBack puts back the resources of the jobs that have failed by now as
// they were before the write: a created one goes, a changed or deleted one
// comes back, with the tags it has now (tagging is not part of the job).
func (a *ALBState) rollBack(now time.Time) {
	for _, j := range a.Jobs {
		f := j.Failure
		if f == nil || f.RolledBack || now.Before(j.DoneAt) {
			continue
		}
		switch j.ResourceType {
		case "servergroup":
			a.ServerGroups = albRestore(a.ServerGroups, j.ResourceID, f.ServerGroup)
		case "listener":
			a.Listeners = albRestore(a.Listeners, j.ResourceID, f.Listener)
		case "loadbalancer":
			if j.OperateType == "Create" {
				// A failed create leaves the instance in CreateFailed, as the
				// SDK documents: not billed, only deletable.
				if lb := a.loadBalancer(j.ResourceID); lb != nil {
					lb.CreateFailed = true
				}
			} else {
				a.LoadBalancers = albRestore(a.LoadBalancers, j.ResourceID, f.LoadBalancer)
			}
		}
		f.ServerGroup, f.Listener, f.LoadBalancer, f.RolledBack = nil, nil, nil, true
	}
}

// albObject is what albRestore needs of a server group or listener.
type albObject interface {
	comparable
	objectID() string
	tagList() *[]Tag
}

func (g *ALBServerGroup) objectID() string   { return g.ID }
func (g *ALBServerGroup) tagList() *[]Tag    { return &g.Tags }
func (l *ALBListener) objectID() string      { return l.ID }
func (l *ALBListener) tagList() *[]Tag       { return &l.Tags }
func (lb *ALBLoadBalancer) objectID() string { return lb.ID }
func (lb *ALBLoadBalancer) tagList() *[]Tag  { return &lb.Tags }

// albRestore puts back the object id as before (the zero value: it did not
// exist), keeping its current tags.
func albRestore[T albObject](items []T, id string, before T) []T {
	var none T
	i := slices.IndexFunc(items, func(x T) bool { return x.objectID() == id })
	switch {
	case i < 0:
		return items
	case before == none:
		return slices.Delete(items, i, i+1)
	}
	*before.tagList() = *items[i].tagList()
	items[i] = before
	return items
}

func (a *ALBState) loadBalancer(id string) *ALBLoadBalancer {
	return find(a.LoadBalancers, func(lb *ALBLoadBalancer) bool { return lb.ID == id })
}

func (a *ALBState) serverGroup(id string) *ALBServerGroup {
	return find(a.ServerGroups, func(g *ALBServerGroup) bool { return g.ID == id })
}

func (a *ALBState) listener(id string) *ALBListener {
	return find(a.Listeners, func(l *ALBListener) bool { return l.ID == id })
}

func (a *ALBState) clientToken(token string) *ALBClientToken {
	return find(a.ClientTokens, func(t *ALBClientToken) bool { return t.Token == token })
}

// listenersUsing returns the listeners whose default action forwards to the group.
func (a *ALBState) listenersUsing(groupID string) []*ALBListener {
	var out []*ALBListener
	for _, l := range a.Listeners {
		for _, id := range l.DefaultServerGroups {
			if id == groupID {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// server returns the backend server (serverID, port) of the group.
func (g *ALBServerGroup) server(serverID string, port int) *ALBServer {
	return find(g.Servers, func(s *ALBServer) bool { return s.ServerID == serverID && s.Port == port })
}

func (lb *ALBLoadBalancer) status(now time.Time) string {
	if now.Before(lb.ProvisionedAt) {
		return "Provisioning"
	}
	if lb.CreateFailed && lb.DeletedAt.IsZero() {
		return "CreateFailed"
	}
	if !lb.DeletedAt.IsZero() {
		return "Configuring"
	}
	if now.Before(lb.BusyUntil) {
		return "Configuring"
	}
	return "Active"
}
