// Package inventory reads the actual state a stack cares about: the load
// balancer, the stack's owned server groups and their servers, every listener
// on the load balancer (to see ports taken by others), the DNS records at the
// stack's name, and the ECS instances its backends name. It only reads, and it
// reads as little as it can: for the README's example stack a converged read is
// seven calls, run in two parallel waves.
//
// A stack lives on one kind of load balancer at a time, and its tagged server
// groups and listeners say which. When the load balancer asked for holds none
// of them, one more read (in the second wave) looks for the stack's server
// groups on the other kind, anywhere in the region, so that `plan` and `up`
// can refuse to deploy it twice. For `down` it also reads what the stack owns
// on the load balancer of the other kind that the config names (two calls), so
// nothing is left behind there.
//
// The reads of a wave run concurrently: the first that fails cancels the
// others, and which error is reported does not depend on timing (see reads).
// Health reads, for `status`, how the listeners see the stack's backends.
package inventory

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// ALB is what the inventory needs of the ALB API.
type ALB interface {
	GetLoadBalancer(ctx context.Context, id string) (resource.LoadBalancer, error)
	ListServerGroupsByTag(ctx context.Context, key, value string) ([]resource.ServerGroup, error)
	ListServers(ctx context.Context, groupID string) ([]resource.Backend, error)
	ListListeners(ctx context.Context, lbID string) ([]resource.Listener, error)
	ListenerCertificate(ctx context.Context, listenerID string) (string, error)
	// ListenerHealth lists the backends a listener does not see as healthy.
	ListenerHealth(ctx context.Context, l resource.Listener) ([]resource.BackendHealth, error)
}

// CLB is what the inventory needs of the CLB API.
type CLB interface {
	GetLoadBalancer(ctx context.Context, id string) (resource.LoadBalancer, error)
	ListGroupsByTag(ctx context.Context, lbID, key, value string) ([]resource.ServerGroup, error)
	// ListGroupIDsByTag finds tagged vServer groups on every CLB of the region.
	ListGroupIDsByTag(ctx context.Context, key, value string) ([]string, error)
	GroupLoadBalancer(ctx context.Context, groupID string) (string, error)
	ListServers(ctx context.Context, groupID string) ([]resource.Backend, error)
	ListListeners(ctx context.Context, lbID string) ([]resource.Listener, error)
	// HealthStatus reads the health of every backend of every listener of a CLB.
	HealthStatus(ctx context.Context, lbID string) ([]resource.BackendHealth, error)
}

// DNS is what the inventory needs of the Alidns API.
type DNS interface {
	RecordsAt(ctx context.Context, domain, rr string) ([]resource.Record, error)
	RecordsWithRemark(ctx context.Context, domain, remark string) ([]resource.Record, error)
	MinTTL(ctx context.Context, domain string) (int, error)
}

// ECS is what the inventory needs of the ECS API.
type ECS interface {
	List(ctx context.Context, f resource.InstanceFilter) ([]resource.Instance, error)
}

// Reader reads snapshots.
type Reader struct {
	ALB ALB
	CLB CLB
	DNS DNS
	ECS ECS
	// Assistant and Secrets are read only for a stack with app.deploy.
	Assistant CloudAssistant
	Secrets   Secrets
	// SG reads security groups, for stacks with a network block (network.go).
	SG SecurityGroups
	// VPC reads VPCs and vSwitches, for stacks that create their load balancer (lb.go).
	VPC VPC
}

// lbAPI is the part of reading that differs between ALB and CLB.
type lbAPI struct {
	kind        string
	get         func(ctx context.Context, id string) (resource.LoadBalancer, error)
	ownedGroups func(ctx context.Context, lbID, stack string) ([]resource.ServerGroup, error)
	servers     func(ctx context.Context, groupID string) ([]resource.Backend, error)
	listeners   func(ctx context.Context, lbID string) ([]resource.Listener, error)
	// certificate reads an HTTPS listener's certificate when the listing lacks it (ALB).
	certificate func(ctx context.Context, listenerID string) (string, error)
	// health reads the health of the backends behind the owned listeners.
	health func(ctx context.Context, lbID string, owned []resource.Listener) ([]resource.BackendHealth, error)
}

func (r Reader) lb(kind string) lbAPI {
	if kind == config.LBCLB {
		return lbAPI{
			kind: "CLB", get: r.CLB.GetLoadBalancer,
			ownedGroups: func(ctx context.Context, lbID, stack string) ([]resource.ServerGroup, error) {
				if lbID == "" { // a CLB still to create: vServer groups live on a CLB, so none yet
					return nil, nil
				}
				return r.CLB.ListGroupsByTag(ctx, lbID, resource.OwnerTagKey, stack)
			},
			servers: r.CLB.ListServers, listeners: r.CLB.ListListeners, health: r.clbHealth,
		}
	}
	return lbAPI{
		kind: "ALB", get: r.ALB.GetLoadBalancer,
		ownedGroups: func(ctx context.Context, _, stack string) ([]resource.ServerGroup, error) {
			return r.ALB.ListServerGroupsByTag(ctx, resource.OwnerTagKey, stack)
		},
		servers: r.ALB.ListServers, listeners: r.ALB.ListListeners, certificate: r.ALB.ListenerCertificate, health: r.albHealth,
	}
}

// Mode says what the snapshot is for.
type Mode int

const (
	// ForUp reads everything `up` and `plan` need, including backend lookups.
	ForUp Mode = iota
	// ForDown reads only what the stack owns.
	ForDown
)

// Snapshot is the actual state relevant to one stack.
type Snapshot struct {
	Stack        string                        `json:"stack"`
	LB           resource.LoadBalancer         `json:"lb"`
	ServerGroups []resource.ServerGroup        `json:"serverGroups"` // owned by the stack
	Servers      map[string][]resource.Backend `json:"servers"`      // by server group ID
	Listeners    []resource.Listener           `json:"listeners"`    // every listener on the LB
	Records      []resource.Record             `json:"records"`      // every record at the stack's DNS name
	// Stray are records the stack marked at other names of the zone (dns.rr
	// changed since they were made); read only when none is at the name.
	Stray []resource.Record `json:"stray,omitempty"`
	// Backends are the config's servers resolved to instances, in config order (ForUp only).
	Backends []resource.Backend `json:"backends,omitempty"`
	// App (ForUp, with app.deploy) is what the stack deployed on its instances.
	App *AppState `json:"app,omitempty"`
	// MinTTL is the DNS edition's minimum TTL; read only when the config asks for less than 600.
	MinTTL int `json:"minTtl,omitempty"`
	// Network holds the security groups of the stack's instances (ForUp) or
	// of the load balancer's VPC (ForDown); read only for a stack with a
	// network block.
	Network *Network `json:"network,omitempty"`

	// Elsewhere (ForUp) holds the stack's server groups on the other kind of
	// load balancer, found by their tag anywhere in the region: when set, the
	// stack is deployed there (too, if this load balancer holds some of it);
	// nil when there are none.
	Elsewhere *Placement `json:"elsewhere,omitempty"`
	// Other (ForDown) is what the stack owns on the load balancer of the other
	// kind that the config names (alb.id or clb.id), read like this one but
	// without DNS records; nil when the config names none.
	Other *Snapshot `json:"other,omitempty"`
	// NotFound says the load balancer does not exist (set on Other only: it
	// then holds nothing of the stack but, on ALB, server groups).
	NotFound bool `json:"notFound,omitempty"`
	// Create is set for a stack whose load balancer wsdeploy creates (lb.go):
	// LB is then the one found by the stack's tag, or, before it exists,
	// only its Type (no ID: known after apply).
	Create *CreateState `json:"create,omitempty"`
}

// Placement is where a stack's server groups are on one kind of load balancer.
type Placement struct {
	Kind string `json:"kind"` // alb | clb
	// LoadBalancers are the IDs of the load balancers the groups are on, when known.
	LoadBalancers []string `json:"loadBalancers,omitempty"`
	ServerGroups  []string `json:"serverGroups"`
}

// OtherKind is the other load balancer kind than kind.
func OtherKind(kind string) string {
	if kind == config.LBCLB {
		return config.LBALB
	}
	return config.LBCLB
}

// lbIDOf is the ID of the config's load balancer of a kind ("" when it names none).
func lbIDOf(s *config.Stack, kind string) string {
	ref := s.ALB
	if kind == config.LBCLB {
		ref = s.CLB
	}
	if ref == nil {
		return ""
	}
	return ref.ID
}

// lbMissing reports whether err says a load balancer does not exist.
func lbMissing(err error) bool {
	return cloud.HasCode(err, "InvalidLoadBalancerId.NotFound", "ResourceNotFound.LoadBalancer")
}

// ResolveError lists backends that could not be resolved to instances in the LB's VPC.
type ResolveError struct{ Problems []string }

func (e *ResolveError) Error() string {
	return fmt.Sprintf("%d backend problem(s):\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// Hint tells the user what to do.
func (e *ResolveError) Hint() string {
	return "fix backends.servers in wsdeploy.yaml: use instance IDs (i-...) or names of running ECS instances in the load balancer's VPC"
}

// Read reads the snapshot for a stack, on the load balancer kind s.LB names.
// When only the backends cannot be resolved it returns the snapshot with a
// *ResolveError; on any other error the snapshot is nil.
func (r Reader) Read(ctx context.Context, s *config.Stack, mode Mode) (*Snapshot, error) {
	snap := &Snapshot{Stack: s.Stack, Servers: map[string][]resource.Backend{}}
	lbID := s.LBID()
	api := r.lb(s.LB)

	// Wave 1: independent reads.
	w := newReads(ctx)
	if c := s.LBCreate(); c != nil {
		// The load balancer the stack creates: found by its tag (lb.go).
		if err := r.readCreate(ctx, w, s, c, mode, snap); err != nil {
			return nil, err
		}
		lbID = snap.LB.ID
	} else {
		w.Go(func(ctx context.Context) error {
			lb, err := api.get(ctx, lbID)
			if err != nil {
				return fmt.Errorf("read %s %s: %w", api.kind, lbID, err)
			}
			snap.LB = lb
			return nil
		})
	}
	w.Go(func(ctx context.Context) error {
		groups, err := api.ownedGroups(ctx, lbID, s.Stack)
		if err != nil {
			return fmt.Errorf("list server groups of stack %s: %w", s.Stack, err)
		}
		sort.Slice(groups, func(i, j int) bool { return groups[i].ID < groups[j].ID })
		snap.ServerGroups = groups
		return nil
	})
	if lbID != "" { // a load balancer still to create has none
		w.Go(func(ctx context.Context) error {
			ls, err := api.listeners(ctx, lbID)
			if err != nil {
				return fmt.Errorf("list listeners of %s %s: %w", api.kind, lbID, err)
			}
			sort.Slice(ls, func(i, j int) bool { return ls[i].Port < ls[j].Port })
			snap.Listeners = ls
			return nil
		})
	}
	if s.DNS != nil {
		w.Go(func(ctx context.Context) error {
			if mode == ForDown {
				// Every record of the zone the stack marked, wherever dns.rr pointed when it was made.
				recs, err := r.DNS.RecordsWithRemark(ctx, s.DNS.Domain, resource.RecordRemark(s.Stack))
				if err != nil {
					return fmt.Errorf("read the DNS records of %s marked by stack %s: %w", s.DNS.Domain, s.Stack, err)
				}
				snap.Records = recs
				return nil
			}
			recs, err := r.DNS.RecordsAt(ctx, s.DNS.Domain, s.DNS.RR)
			if err != nil {
				return fmt.Errorf("read DNS records of %s: %w", s.DNS.FQDN(), err)
			}
			snap.Records = recs
			return nil
		})
		if mode == ForUp && s.DNS.TTL < 600 {
			w.Go(func(ctx context.Context) error {
				min, err := r.DNS.MinTTL(ctx, s.DNS.Domain)
				if err != nil {
					return fmt.Errorf("read DNS edition of %s: %w", s.DNS.Domain, err)
				}
				snap.MinTTL = min
				return nil
			})
		}
	}
	var other *Snapshot
	if id := lbIDOf(s, OtherKind(s.LB)); mode == ForDown && id != "" {
		other = &Snapshot{Stack: s.Stack, LB: resource.LoadBalancer{Type: OtherKind(s.LB), ID: id}, Servers: map[string][]resource.Backend{}}
		snap.Other = other
		r.readOther(w, other)
	}
	if err := w.Wait(); err != nil {
		return nil, err
	}

	// Wave 2: reads that need wave 1's answers.
	w2 := newReads(ctx)
	readServers(w2, api, snap)
	if mode == ForUp {
		// Is the stack (also) deployed on the other kind? Read even when it
		// owns something here: a stack must not own resources on both.
		w2.Go(func(ctx context.Context) error {
			p, err := r.elsewhere(ctx, OtherKind(s.LB), s.Stack)
			snap.Elsewhere = p
			return err
		})
	}
	if other != nil && owns(other) {
		oapi := r.lb(other.LB.Type)
		readServers(w2, oapi, other)
		w2.Go(func(ctx context.Context) error {
			lb, err := oapi.get(ctx, other.LB.ID)
			switch {
			case lbMissing(err):
				other.NotFound = true
			case err != nil:
				return fmt.Errorf("read %s %s: %w", oapi.kind, other.LB.ID, err)
			default:
				other.LB = lb
			}
			return nil
		})
	}
	for i := range snap.Listeners {
		l := &snap.Listeners[i]
		if l.Protocol != "HTTPS" || !resource.OwnedBy(l.Tags, s.Stack) || mode == ForDown || api.certificate == nil {
			continue
		}
		w2.Go(func(ctx context.Context) error {
			cert, err := api.certificate(ctx, l.ID)
			if err != nil {
				return fmt.Errorf("read listener %s: %w", l.ID, err)
			}
			l.CertificateID = cert
			return nil
		})
	}
	if mode == ForUp && s.DNS != nil && !hasRemark(snap.Records, resource.RecordRemark(s.Stack)) {
		w2.Go(func(ctx context.Context) error {
			recs, err := r.DNS.RecordsWithRemark(ctx, s.DNS.Domain, resource.RecordRemark(s.Stack))
			if err != nil {
				return fmt.Errorf("read the DNS records of %s marked by stack %s: %w", s.DNS.Domain, s.Stack, err)
			}
			for _, rec := range recs {
				if rec.RR != s.DNS.RR {
					snap.Stray = append(snap.Stray, rec)
				}
			}
			return nil
		})
	}
	var resolveErr error
	var resolveMu sync.Mutex
	// resolveFailed keeps a ResolveError (the snapshot is still shown by
	// status) and reports whether err was one.
	resolveFailed := func(err error) bool {
		if _, ok := err.(*ResolveError); !ok {
			return false
		}
		resolveMu.Lock()
		if resolveErr == nil {
			resolveErr = err
		}
		resolveMu.Unlock()
		return true
	}
	if mode == ForUp {
		w2.Go(func(ctx context.Context) error {
			b, insts, err := r.resolve(ctx, s, snap.LB.VpcID)
			if err != nil {
				if resolveFailed(err) {
					return nil
				}
				return err
			}
			snap.Backends = b
			// What the stack deployed and the instances' security groups
			// are independent reads: both start as soon as the instances
			// are known.
			if s.DeployOf() != nil {
				w2.Go(func(ctx context.Context) error {
					app, err := r.readAppUp(ctx, s, insts, b)
					if err != nil {
						if resolveFailed(err) {
							return nil
						}
						return err
					}
					snap.App = app
					return nil
				})
			}
			if s.Network != nil {
				w2.Go(func(ctx context.Context) error {
					n, err := r.readNetwork(ctx, s, b, insts, snap.LB.VpcID)
					if resolveFailed(err) {
						return nil
					}
					snap.Network = n
					return err
				})
			}
			return nil
		})
	}
	if mode == ForDown && s.Network != nil {
		w2.Go(func(ctx context.Context) error {
			n, err := r.readVPCGroups(ctx, snap.LB.VpcID)
			snap.Network = n
			return err
		})
	}
	if err := w2.Wait(); err != nil {
		return nil, err
	}
	if mode == ForUp && snap.Create != nil && snap.LB.ID == "" {
		// The load balancer to create: what the cloud would refuse comes
		// first (backends cannot be in a VPC that does not exist).
		if err := CheckCreate(s, snap.Create); err != nil {
			return nil, err
		}
	}
	if resolveErr != nil {
		// The snapshot is complete but for Backends: `status` still shows it.
		return snap, resolveErr
	}
	return snap, nil
}

// readServers reads the servers of every server group of a snapshot.
func readServers(w *reads, api lbAPI, snap *Snapshot) {
	var mu sync.Mutex
	for _, g := range snap.ServerGroups {
		w.Go(func(ctx context.Context) error {
			servers, err := api.servers(ctx, g.ID)
			if err != nil {
				return fmt.Errorf("list servers of server group %s: %w", g.ID, err)
			}
			sort.Slice(servers, func(i, j int) bool { return servers[i].Key() < servers[j].Key() })
			mu.Lock()
			snap.Servers[g.ID] = servers
			mu.Unlock()
			return nil
		})
	}
}

// readOther adds to w the reads of what the stack owns on another load
// balancer (other.LB names it): its tagged server groups and its listeners,
// two calls. A load balancer that does not exist holds nothing.
func (r Reader) readOther(w *reads, other *Snapshot) {
	api := r.lb(other.LB.Type)
	var mu sync.Mutex
	missing := func() {
		mu.Lock()
		other.NotFound = true
		mu.Unlock()
	}
	w.Go(func(ctx context.Context) error {
		groups, err := api.ownedGroups(ctx, other.LB.ID, other.Stack)
		if lbMissing(err) {
			missing()
			return nil
		}
		if err != nil {
			return fmt.Errorf("list server groups of stack %s on %s %s: %w", other.Stack, api.kind, other.LB.ID, err)
		}
		sort.Slice(groups, func(i, j int) bool { return groups[i].ID < groups[j].ID })
		other.ServerGroups = groups
		return nil
	})
	w.Go(func(ctx context.Context) error {
		ls, err := api.listeners(ctx, other.LB.ID)
		if lbMissing(err) {
			missing()
			return nil
		}
		if err != nil {
			return fmt.Errorf("list listeners of %s %s: %w", api.kind, other.LB.ID, err)
		}
		sort.Slice(ls, func(i, j int) bool { return ls[i].Port < ls[j].Port })
		other.Listeners = ls
		return nil
	})
}

// owns reports whether a snapshot holds a server group or listener of its stack.
func owns(snap *Snapshot) bool {
	if len(snap.ServerGroups) > 0 {
		return true
	}
	for _, l := range snap.Listeners {
		if resource.OwnedBy(l.Tags, snap.Stack) {
			return true
		}
	}
	return false
}

// elsewhere looks for the stack's server groups on every load balancer of a
// kind in the region, by their tag: one call (ALB ListServerGroups, CLB
// ListTagResources), and only when some are found, one more per CLB group to
// learn its load balancer.
func (r Reader) elsewhere(ctx context.Context, kind, stack string) (*Placement, error) {
	p := &Placement{Kind: kind}
	add := func(lb string) {
		for _, x := range p.LoadBalancers {
			if x == lb {
				return
			}
		}
		p.LoadBalancers = append(p.LoadBalancers, lb)
	}
	if kind == config.LBALB {
		groups, err := r.ALB.ListServerGroupsByTag(ctx, resource.OwnerTagKey, stack)
		if err != nil {
			return nil, fmt.Errorf("look for server groups of stack %s on ALB: %w", stack, err)
		}
		for _, g := range groups {
			p.ServerGroups = append(p.ServerGroups, g.ID)
			for _, lb := range g.LoadBalancerIDs {
				add(lb)
			}
		}
	} else {
		ids, err := r.CLB.ListGroupIDsByTag(ctx, resource.OwnerTagKey, stack)
		if err != nil {
			return nil, fmt.Errorf("look for vServer groups of stack %s on CLB: %w", stack, err)
		}
		p.ServerGroups = ids
		for _, id := range ids {
			lb, err := r.CLB.GroupLoadBalancer(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("read vServer group %s of stack %s: %w", id, stack, err)
			}
			add(lb)
		}
	}
	if len(p.ServerGroups) == 0 {
		return nil, nil
	}
	sort.Strings(p.ServerGroups)
	sort.Strings(p.LoadBalancers)
	return p, nil
}

// resolve maps backends.servers to instances in vpc: one listing of the VPC,
// and on failure one more lookup to say where a missing instance is.
func (r Reader) resolve(ctx context.Context, s *config.Stack, vpc string) ([]resource.Backend, []resource.Instance, error) {
	insts, err := r.ECS.List(ctx, resource.InstanceFilter{VpcID: vpc})
	if err != nil {
		return nil, nil, fmt.Errorf("list ECS instances in %s: %w", vpc, err)
	}
	byID := map[string]resource.Instance{}
	byName := map[string][]resource.Instance{}
	for _, in := range insts {
		byID[in.ID] = in
		byName[in.Name] = append(byName[in.Name], in)
	}
	var problems []string
	var missingIDs []string
	out := make([]resource.Backend, 0, len(s.Backends.Servers))
	seen := map[string]int{}
	for i, sv := range s.Backends.Servers {
		path := fmt.Sprintf("backends.servers[%d].instance", i)
		var in resource.Instance
		if isInstanceID(sv.Instance) {
			x, ok := byID[sv.Instance]
			if !ok {
				missingIDs = append(missingIDs, sv.Instance)
				continue
			}
			in = x
		} else {
			xs := byName[sv.Instance]
			switch len(xs) {
			case 0:
				problems = append(problems, fmt.Sprintf("%s: no ECS instance named %q in the load balancer's VPC %s (region %s); use the instance ID or check the name", path, sv.Instance, vpc, s.Region))
				continue
			case 1:
				in = xs[0]
			default:
				ids := make([]string, len(xs))
				for k, x := range xs {
					ids[k] = x.ID
				}
				problems = append(problems, fmt.Sprintf("%s: %d ECS instances are named %q (%s); use the instance ID instead", path, len(xs), sv.Instance, strings.Join(ids, ", ")))
				continue
			}
		}
		if j, dup := seen[in.ID]; dup {
			problems = append(problems, fmt.Sprintf("%s: %q is the same instance (%s) as backends.servers[%d]; list each instance once", path, sv.Instance, in.ID, j))
			continue
		}
		seen[in.ID] = i
		if in.Status != "" && in.Status != "Running" {
			problems = append(problems, fmt.Sprintf("%s: instance %s is %s, not Running; start it first", path, in.ID, in.Status))
			continue
		}
		out = append(out, resource.Backend{InstanceID: in.ID, Port: s.Backends.Port, Weight: sv.WeightOr100(), Ref: sv.Instance})
	}
	if len(missingIDs) > 0 {
		where := map[string]string{}
		for start := 0; start < len(missingIDs); start += resource.InstanceIDsPerCall {
			end := min(start+resource.InstanceIDsPerCall, len(missingIDs))
			found, err := r.ECS.List(ctx, resource.InstanceFilter{IDs: missingIDs[start:end]})
			if err != nil {
				return nil, nil, fmt.Errorf("look up ECS instances %s: %w", strings.Join(missingIDs[start:end], ", "), err)
			}
			for _, f := range found {
				where[f.ID] = f.VpcID
			}
		}
		for i, sv := range s.Backends.Servers {
			if !isInstanceID(sv.Instance) {
				continue
			}
			if _, ok := byID[sv.Instance]; ok {
				continue
			}
			path := fmt.Sprintf("backends.servers[%d].instance", i)
			if v, ok := where[sv.Instance]; ok {
				problems = append(problems, fmt.Sprintf("%s: instance %s is in %s, but the load balancer is in %s; only instances in the load balancer's VPC can be backends", path, sv.Instance, v, vpc))
			} else {
				problems = append(problems, fmt.Sprintf("%s: instance %s not found in region %s", path, sv.Instance, s.Region))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, nil, &ResolveError{Problems: problems}
	}
	return out, insts, nil
}

func isInstanceID(s string) bool { return strings.HasPrefix(s, "i-") }

func hasRemark(recs []resource.Record, remark string) bool {
	for _, r := range recs {
		if r.Remark == remark {
			return true
		}
	}
	return false
}
