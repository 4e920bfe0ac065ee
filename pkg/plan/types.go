// The plan as a value: its actions, what each one does (Op, Kind, the
// payload step), the fields it changes, and the counts and questions the
// CLI asks of a whole plan.

package plan

import (
	"strconv"

	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// FormatVersion is the version of the plan's JSON form.
const FormatVersion = 1

// Op is what an action does.
type Op string

// Ops.
const (
	Create Op = "create"
	Update Op = "update"
	Delete Op = "delete"
)

// Kinds of resources an action acts on.
const (
	KindServerGroup = "server-group"
	KindServers     = "servers"
	KindListener    = "listener"
	KindDNSRecord   = "dns-record"
	KindLBTag       = "lb-tag"
)

// Change is one field that differs.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
}

// Action is one step of a plan.
type Action struct {
	ID        Addr     `json:"id"`
	Op        Op       `json:"op"`
	Kind      string   `json:"kind"`
	Name      string   `json:"name"`
	Reason    string   `json:"reason"`
	Changes   []Change `json:"changes,omitempty"`
	DependsOn []Addr   `json:"dependsOn,omitempty"`

	// Exactly one payload is set, per Kind.
	// On is the load balancer the action runs on when it is not the plan's LB
	// (a teardown also removes what the stack owns on the other kind).
	On *Target `json:"on,omitempty"`

	ServerGroup *ServerGroupStep `json:"serverGroup,omitempty"`
	Servers     *ServersStep     `json:"servers,omitempty"`
	Listener    *ListenerStep    `json:"listener,omitempty"`
	Record      *RecordStep      `json:"record,omitempty"`
	Tag         *TagStep         `json:"tag,omitempty"`
	App         *AppStep         `json:"app,omitempty"`
	Rule        *RuleStep        `json:"rule,omitempty"`
	// LoadBalancer acts on the load balancer itself (lb.go).
	LoadBalancer *LBStep `json:"loadBalancer,omitempty"`
}

// Target names a load balancer.
type Target struct {
	Type string `json:"type"` // alb | clb
	ID   string `json:"id"`
}

// TagStep sets a tag on the load balancer itself (the stack's epoch).
type TagStep struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ServerGroupRef names a server group: its ID when it exists, or the ID of the
// action that creates it ("known after apply").
type ServerGroupRef struct {
	ID         string `json:"id,omitempty"`
	FromAction Addr   `json:"fromAction,omitzero"`
}

// ServerGroupStep creates, updates or deletes a server group.
type ServerGroupStep struct {
	ID   string               `json:"id,omitempty"` // update, delete
	Spec resource.ServerGroup `json:"spec"`
}

// ServersStep adds, removes or reweights servers of a group. The engine sends
// them in batches of BatchSize (the API's per-call limit, the load balancer
// profile's ServersPerCall), Calls calls in all.
type ServersStep struct {
	Group     ServerGroupRef     `json:"group"`
	Servers   []resource.Backend `json:"servers"`
	BatchSize int                `json:"batchSize"`
	Calls     int                `json:"calls"`
}

// ListenerStep creates, updates or deletes a listener.
type ListenerStep struct {
	ID     string            `json:"id,omitempty"`     // update, delete
	Status string            `json:"status,omitempty"` // current status (update)
	Spec   resource.Listener `json:"spec"`
	Group  ServerGroupRef    `json:"group"`
}

// RecordStep creates, updates or deletes a DNS record.
type RecordStep struct {
	Record resource.Record `json:"record"`
	// ValueFrom, when set, is the action creating the load balancer the
	// record points at: Record.Value is KnownAfterApply until it has run (lb.go).
	ValueFrom Addr `json:"valueFrom,omitzero"`
}

// Plan is the whole plan.
type Plan struct {
	FormatVersion int    `json:"formatVersion"`
	Mode          string `json:"mode"` // up | down
	Stack         string `json:"stack"`
	Region        string `json:"region"`
	// Endpoint is the API endpoint when not Alibaba Cloud's own ("" otherwise).
	Endpoint string                `json:"endpoint,omitempty"`
	LB       resource.LoadBalancer `json:"lb"`
	// Also are the other load balancers a teardown covers: the one of the
	// other kind that the config names, whether or not the stack owns anything there.
	Also []resource.LoadBalancer `json:"also,omitempty"`
	// Observed fingerprints the owned resources the plan was built from, and
	// Epoch is the stack's epoch tag on the load balancer; both go into every
	// ClientToken (see apply.Engine).
	Observed string `json:"observed"`
	Epoch    string `json:"epoch"`
	// LBFrom, when set, is the action that creates the plan's LB: its ID,
	// DNS name and address are known after apply (lb.go).
	LBFrom   Addr     `json:"lbFrom,omitzero"`
	Actions  []Action `json:"actions"`
	Warnings []string `json:"warnings,omitempty"`
	Summary  Summary  `json:"summary"`
}

// Summary counts actions per op.
type Summary struct {
	Create int `json:"create"`
	Update int `json:"update"`
	Delete int `json:"delete"`
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Actions) == 0 }

// Total is the number of actions counted: every action is one create, update
// or delete. Every message that counts a plan's changes takes its numbers
// from the Summary, so they cannot disagree.
func (s Summary) Total() int { return s.Create + s.Update + s.Delete }

// Destructive lists the deletions that can cut traffic or a name: listeners,
// server groups and DNS records. Removing backends the user took out of
// wsdeploy.yaml is not among them: it is the change the user asked for.
func (p *Plan) Destructive() []Action {
	var out []Action
	for _, a := range p.Actions {
		if a.Op == Delete && a.Kind != KindServers && !a.destroysNothing() {
			out = append(out, a)
		}
	}
	return out
}

// NeedsConfirmation reports whether applying the plan needs the user's
// consent: any teardown that changes something, and an up that deletes
// something Destructive.
func (p *Plan) NeedsConfirmation() bool {
	if p.Mode == "down" {
		return !p.Empty()
	}
	return len(p.Destructive()) > 0
}

func summarize(as []Action) Summary {
	var s Summary
	for _, a := range as {
		switch a.Op {
		case Create:
			s.Create++
		case Update:
			s.Update++
		case Delete:
			s.Delete++
		}
	}
	return s
}

// String prints a reference as the ID or "(known after apply)".
func (r ServerGroupRef) String() string {
	if r.ID != "" {
		return r.ID
	}
	return "(known after apply)"
}

func ownerTags(stack string) map[string]string { return map[string]string{resource.OwnerTagKey: stack} }

func itoa(n int) string { return strconv.Itoa(n) }
