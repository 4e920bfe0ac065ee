package inventory

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// world is an in-memory cloud behind the Reader's four interfaces. It counts
// calls by "product.Method", fails the methods named in fail, and holds the
// methods named in block until their context ends.
type world struct {
	mu    sync.Mutex
	calls map[string]int
	fail  map[string]error
	block map[string]bool
	// blocked receives the name of a blocked call once it waits.
	blocked chan string

	lbs       map[string]resource.LoadBalancer
	groups    map[string][]resource.ServerGroup // by LB ID ("" for ALB: groups belong to a VPC)
	servers   map[string][]resource.Backend     // by group ID
	listeners map[string][]resource.Listener    // by LB ID
	certs     map[string]string                 // by listener ID
	records   []resource.Record
	instances []resource.Instance
	health    map[string][]resource.BackendHealth // by ALB listener ID or CLB ID
	minTTL    int
}

func newWorld() *world {
	return &world{
		calls: map[string]int{}, fail: map[string]error{}, block: map[string]bool{}, blocked: make(chan string, 16),
		lbs: map[string]resource.LoadBalancer{
			"alb-1": {Type: "alb", ID: "alb-1", DNSName: "alb-1.example", VpcID: "vpc-1", Status: "Active"},
			"lb-1":  {Type: "clb", ID: "lb-1", Address: "203.0.113.1", VpcID: "vpc-1", Status: "active"},
		},
		groups: map[string][]resource.ServerGroup{}, servers: map[string][]resource.Backend{},
		listeners: map[string][]resource.Listener{}, certs: map[string]string{}, health: map[string][]resource.BackendHealth{},
		instances: []resource.Instance{
			{ID: "i-1", Name: "ECS01", VpcID: "vpc-1", Status: "Running"},
			{ID: "i-2", Name: "ECS02", VpcID: "vpc-1", Status: "Running"},
			{ID: "i-9", Name: "FAR", VpcID: "vpc-9", Status: "Running"},
		},
		minTTL: 600,
	}
}

// call records a call and says how it ends.
func (w *world) call(ctx context.Context, name string) error {
	w.mu.Lock()
	w.calls[name]++
	err, block := w.fail[name], w.block[name]
	w.mu.Unlock()
	if block {
		w.blocked <- name
		<-ctx.Done()
		return ctx.Err()
	}
	return err
}

func (w *world) count(prefix string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for name, c := range w.calls {
		if strings.HasPrefix(name, prefix) {
			n += c
		}
	}
	return n
}

func (w *world) reader() Reader {
	return Reader{ALB: albAPI{w}, CLB: clbAPI{w}, DNS: dnsAPI{w}, ECS: ecsAPI{w}}
}

type albAPI struct{ w *world }

func (a albAPI) GetLoadBalancer(ctx context.Context, id string) (resource.LoadBalancer, error) {
	return a.w.lbs[id], a.w.call(ctx, "alb.GetLoadBalancer")
}
func (a albAPI) ListServerGroupsByTag(ctx context.Context, key, value string) ([]resource.ServerGroup, error) {
	var out []resource.ServerGroup
	for _, g := range a.w.groups[""] {
		if g.Tags[key] == value {
			out = append(out, g)
		}
	}
	return out, a.w.call(ctx, "alb.ListServerGroupsByTag")
}
func (a albAPI) ListServers(ctx context.Context, id string) ([]resource.Backend, error) {
	return a.w.servers[id], a.w.call(ctx, "alb.ListServers")
}
func (a albAPI) ListListeners(ctx context.Context, lbID string) ([]resource.Listener, error) {
	return append([]resource.Listener(nil), a.w.listeners[lbID]...), a.w.call(ctx, "alb.ListListeners")
}
func (a albAPI) ListenerCertificate(ctx context.Context, id string) (string, error) {
	return a.w.certs[id], a.w.call(ctx, "alb.ListenerCertificate")
}
func (a albAPI) ListenerHealth(ctx context.Context, l resource.Listener) ([]resource.BackendHealth, error) {
	return a.w.health[l.ID], a.w.call(ctx, "alb.ListenerHealth "+l.Name())
}

type clbAPI struct{ w *world }

func (c clbAPI) GetLoadBalancer(ctx context.Context, id string) (resource.LoadBalancer, error) {
	lb, ok := c.w.lbs[id]
	if err := c.w.call(ctx, "clb.GetLoadBalancer"); err != nil || !ok {
		return lb, cmp(err, missingLB())
	}
	return lb, nil
}
func (c clbAPI) ListGroupsByTag(ctx context.Context, lbID, key, value string) ([]resource.ServerGroup, error) {
	if err := c.w.call(ctx, "clb.ListGroupsByTag"); err != nil {
		return nil, err
	}
	if _, ok := c.w.lbs[lbID]; !ok {
		return nil, missingLB()
	}
	var out []resource.ServerGroup
	for _, g := range c.w.groups[lbID] {
		if g.Tags[key] == value {
			out = append(out, g)
		}
	}
	return out, nil
}
func (c clbAPI) ListGroupIDsByTag(ctx context.Context, key, value string) ([]string, error) {
	var out []string
	for lb, gs := range c.w.groups {
		for _, g := range gs {
			if lb != "" && g.Tags[key] == value {
				out = append(out, g.ID)
			}
		}
	}
	return out, c.w.call(ctx, "clb.ListGroupIDsByTag")
}
func (c clbAPI) GroupLoadBalancer(ctx context.Context, id string) (string, error) {
	for lb, gs := range c.w.groups {
		for _, g := range gs {
			if g.ID == id {
				return lb, c.w.call(ctx, "clb.GroupLoadBalancer")
			}
		}
	}
	return "", c.w.call(ctx, "clb.GroupLoadBalancer")
}
func (c clbAPI) ListServers(ctx context.Context, id string) ([]resource.Backend, error) {
	return c.w.servers[id], c.w.call(ctx, "clb.ListServers")
}
func (c clbAPI) ListListeners(ctx context.Context, lbID string) ([]resource.Listener, error) {
	if err := c.w.call(ctx, "clb.ListListeners"); err != nil {
		return nil, err
	}
	if _, ok := c.w.lbs[lbID]; !ok {
		return nil, missingLB()
	}
	return append([]resource.Listener(nil), c.w.listeners[lbID]...), nil
}
func (c clbAPI) HealthStatus(ctx context.Context, lbID string) ([]resource.BackendHealth, error) {
	return c.w.health[lbID], c.w.call(ctx, "clb.HealthStatus")
}

type dnsAPI struct{ w *world }

func (d dnsAPI) RecordsAt(ctx context.Context, domain, rr string) ([]resource.Record, error) {
	var out []resource.Record
	for _, r := range d.w.records {
		if r.Domain == domain && r.RR == rr {
			out = append(out, r)
		}
	}
	return out, d.w.call(ctx, "dns.RecordsAt")
}
func (d dnsAPI) RecordsWithRemark(ctx context.Context, domain, remark string) ([]resource.Record, error) {
	var out []resource.Record
	for _, r := range d.w.records {
		if r.Domain == domain && r.Remark == remark {
			out = append(out, r)
		}
	}
	return out, d.w.call(ctx, "dns.RecordsWithRemark")
}
func (d dnsAPI) MinTTL(ctx context.Context, _ string) (int, error) {
	return d.w.minTTL, d.w.call(ctx, "dns.MinTTL")
}

type ecsAPI struct{ w *world }

func (e ecsAPI) List(ctx context.Context, f resource.InstanceFilter) ([]resource.Instance, error) {
	if len(f.IDs) > resource.InstanceIDsPerCall {
		return nil, fmt.Errorf("%d IDs in one call", len(f.IDs))
	}
	var out []resource.Instance
	for _, in := range e.w.instances {
		if f.VpcID != "" && in.VpcID == f.VpcID {
			out = append(out, in)
		}
		for _, id := range f.IDs {
			if id == in.ID {
				out = append(out, in)
			}
		}
	}
	return out, e.w.call(ctx, "ecs.List")
}

// missingLB is what the adapters return for a load balancer that does not
// exist (a code inventory recognises).
func missingLB() error {
	return &cloud.Error{Product: "slb", Code: "InvalidLoadBalancerId.NotFound", HTTPStatus: 404}
}

func cmp(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// stack is the demo stack on alb-1 (or lb-1), with backends ECS01 and i-2.
func stack(kind string) *config.Stack {
	s := config.Demo()
	s.Stack, s.LB = "chat", kind
	s.ALB, s.CLB = &config.LBRef{ID: "alb-1"}, &config.LBRef{ID: "lb-1"}
	s.Backends.Servers = []config.Server{{Instance: "ECS01"}, {Instance: "i-2"}}
	return s
}

var owner = map[string]string{resource.OwnerTagKey: "chat"}

// deploy puts the stack on one load balancer of the world, as `up` leaves it.
func (w *world) deploy(kind string) {
	lb, key, gid := "alb-1", "", "sgp-1"
	if kind == "clb" {
		lb, key, gid = "lb-1", "lb-1", "rsp-1"
	}
	w.groups[key] = append(w.groups[key], resource.ServerGroup{ID: gid, Name: "wsdeploy-chat", Tags: owner, LoadBalancerIDs: []string{lb}})
	w.servers[gid] = []resource.Backend{{InstanceID: "i-2", Port: 5000, Weight: 100}, {InstanceID: "i-1", Port: 5000, Weight: 100}}
	w.listeners[lb] = []resource.Listener{
		{ID: lb + "-443", Protocol: "HTTPS", Port: 443, ServerGroupID: gid, Tags: owner},
		{ID: lb + "-5000", Protocol: "HTTP", Port: 5000, ServerGroupID: gid, Tags: owner},
		{ID: lb + "-80", Protocol: "HTTP", Port: 80, Tags: map[string]string{"team": "web"}},
	}
	w.certs[lb+"-443"] = "cert-1"
	w.records = []resource.Record{{ID: "100", Domain: "example.com", RR: "chat", Type: "CNAME", Value: "alb-1.example", TTL: 600, Remark: resource.RecordRemark("chat")}}
}

// TestReadConverged: a deployed stack is read in eight calls (one looks for
// the stack on the other kind), and the snapshot holds it in a stable order.
func TestReadConverged(t *testing.T) {
	w := newWorld()
	w.deploy("alb")
	snap, err := w.reader().Read(context.Background(), stack("alb"), ForUp)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"alb.GetLoadBalancer": 1, "alb.ListServerGroupsByTag": 1, "alb.ListListeners": 1, "dns.RecordsAt": 1,
		"alb.ListServers": 1, "alb.ListenerCertificate": 1, "ecs.List": 1, "clb.ListGroupIDsByTag": 1,
	}
	if fmt.Sprint(w.calls) != fmt.Sprint(want) {
		t.Errorf("calls %v\nwant  %v", w.calls, want)
	}
	var ports []string
	for _, l := range snap.Listeners {
		ports = append(ports, fmt.Sprintf("%d:%s", l.Port, l.CertificateID))
	}
	if got := strings.Join(ports, " "); got != "80: 443:cert-1 5000:" {
		t.Errorf("listeners by port with certificates: %s", got)
	}
	if s := snap.Servers["sgp-1"]; len(s) != 2 || s[0].InstanceID != "i-1" {
		t.Errorf("servers, sorted: %+v", s)
	}
	if fmt.Sprint(snap.Backends) != fmt.Sprint([]resource.Backend{{InstanceID: "i-1", Port: 5000, Weight: 100, Ref: "ECS01"}, {InstanceID: "i-2", Port: 5000, Weight: 100, Ref: "i-2"}}) {
		t.Errorf("backends %+v", snap.Backends)
	}
	if snap.Elsewhere != nil || snap.Other != nil || len(snap.Stray) != 0 {
		t.Errorf("extra reads: elsewhere %v, other %v, stray %v", snap.Elsewhere, snap.Other, snap.Stray)
	}
}

// TestReadLooksElsewhere: when the load balancer holds nothing of the stack,
// one more read looks for it on the other kind, and finds where it is.
func TestReadLooksElsewhere(t *testing.T) {
	w := newWorld()
	w.deploy("clb")
	w.records = nil
	snap, err := w.reader().Read(context.Background(), stack("alb"), ForUp)
	if err != nil {
		t.Fatal(err)
	}
	if e := snap.Elsewhere; e == nil || e.Kind != "clb" || fmt.Sprint(e.LoadBalancers) != "[lb-1]" || fmt.Sprint(e.ServerGroups) != "[rsp-1]" {
		t.Fatalf("elsewhere = %+v", snap.Elsewhere)
	}
	if w.calls["clb.ListGroupIDsByTag"] != 1 || w.calls["clb.GroupLoadBalancer"] != 1 || w.calls["dns.RecordsWithRemark"] != 1 {
		t.Errorf("calls %v", w.calls)
	}

	// Deployed here only: one look elsewhere, which finds nothing.
	w = newWorld()
	w.deploy("alb")
	snap, err = w.reader().Read(context.Background(), stack("alb"), ForUp)
	if err != nil {
		t.Fatal(err)
	}
	if n := w.count("clb."); n != 1 || snap.Elsewhere != nil {
		t.Errorf("%d CLB reads for a stack deployed on ALB, elsewhere %+v", n, snap.Elsewhere)
	}
}

// TestReadForDown reads only what the stack owns, on both load balancers
// the config names; one that does not exist holds nothing.
func TestReadForDown(t *testing.T) {
	w := newWorld()
	w.deploy("alb")
	w.deploy("clb")
	snap, err := w.reader().Read(context.Background(), stack("alb"), ForDown)
	if err != nil {
		t.Fatal(err)
	}
	o := snap.Other
	if o == nil || o.LB.Address != "203.0.113.1" || len(o.ServerGroups) != 1 || len(o.Servers["rsp-1"]) != 2 || len(o.Listeners) != 3 || o.NotFound {
		t.Fatalf("other = %+v", o)
	}
	if w.calls["ecs.List"] != 0 || w.calls["alb.ListenerCertificate"] != 0 || w.calls["dns.RecordsWithRemark"] != 1 || w.calls["dns.RecordsAt"] != 0 {
		t.Errorf("down reads %v", w.calls)
	}

	w = newWorld()
	w.deploy("alb")
	delete(w.lbs, "lb-1")
	snap, err = w.reader().Read(context.Background(), stack("alb"), ForDown)
	if err != nil {
		t.Fatal(err)
	}
	if o := snap.Other; o == nil || !o.NotFound || len(o.ServerGroups)+len(o.Listeners) != 0 {
		t.Fatalf("missing other = %+v", o)
	}
}

// TestReadErrorOrder: when several reads of a wave fail on their own, the
// one added first decides the error, whatever finishes first.
func TestReadErrorOrder(t *testing.T) {
	for range 50 {
		w := newWorld()
		w.deploy("alb")
		w.fail["alb.GetLoadBalancer"] = errors.New("lb boom")
		w.fail["alb.ListListeners"] = errors.New("listeners boom")
		w.fail["dns.RecordsAt"] = errors.New("dns boom")
		_, err := w.reader().Read(context.Background(), stack("alb"), ForUp)
		if err == nil || err.Error() != "read ALB alb-1: lb boom" {
			t.Fatalf("err = %v, want the load balancer read's", err)
		}
	}
}

// TestReadCancelsOnError: the first failure cancels the reads still running,
// which do not hide it, and the second wave never starts.
func TestReadCancelsOnError(t *testing.T) {
	w := newWorld()
	w.deploy("alb")
	w.block["alb.GetLoadBalancer"] = true // added first, ends only when cancelled
	w.fail["alb.ListListeners"] = errors.New("listeners boom")
	_, err := w.reader().Read(context.Background(), stack("alb"), ForUp)
	if err == nil || err.Error() != "list listeners of ALB alb-1: listeners boom" {
		t.Fatalf("err = %v, want the listeners read's", err)
	}
	if got := <-w.blocked; got != "alb.GetLoadBalancer" {
		t.Fatalf("blocked %s", got)
	}
	if n := w.calls["alb.ListServers"] + w.calls["ecs.List"] + w.calls["alb.ListenerCertificate"]; n != 0 {
		t.Errorf("%d second-wave reads after a failed first wave", n)
	}
}

// TestReadStopped: an ended context stops the read with its error.
func TestReadStopped(t *testing.T) {
	w := newWorld()
	w.deploy("alb")
	w.block["alb.ListServerGroupsByTag"] = true
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-w.blocked; cancel() }()
	if _, err := w.reader().Read(ctx, stack("alb"), ForUp); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestResolve: backends name instances by ID or name in the load balancer's
// VPC; every problem is reported at once, the snapshot still comes back, and
// IDs not in the VPC are looked up in batches of the API's limit.
func TestResolve(t *testing.T) {
	w := newWorld()
	w.deploy("alb")
	s := stack("alb")
	s.Backends.Servers = []config.Server{{Instance: "NOPE"}, {Instance: "i-9"}, {Instance: "i-1"}, {Instance: "ECS01"}}
	for i := range 150 {
		s.Backends.Servers = append(s.Backends.Servers, config.Server{Instance: fmt.Sprintf("i-gone%03d", i)})
	}
	snap, err := w.reader().Read(context.Background(), s, ForUp)
	var re *ResolveError
	if !errors.As(err, &re) || snap == nil || snap.LB.ID != "alb-1" {
		t.Fatalf("err = %v, snapshot %v", err, snap)
	}
	if len(re.Problems) != 153 || !sort.StringsAreSorted(re.Problems) {
		t.Fatalf("%d problems (sorted: %v)", len(re.Problems), sort.StringsAreSorted(re.Problems))
	}
	for _, want := range []string{
		`backends.servers[0].instance: no ECS instance named "NOPE"`,
		"backends.servers[1].instance: instance i-9 is in vpc-9, but the load balancer is in vpc-1",
		`backends.servers[3].instance: "ECS01" is the same instance (i-1) as backends.servers[2]`,
		"backends.servers[4].instance: instance i-gone000 not found",
	} {
		if !strings.Contains(strings.Join(re.Problems, "\n"), want) {
			t.Errorf("problems lack %q", want)
		}
	}
	if n := w.calls["ecs.List"]; n != 3 { // the VPC, then 151 IDs in two calls
		t.Errorf("%d ECS calls, want 3", n)
	}
}

// TestHealth reads health only behind the stack's own listeners: one call
// per owned listener on ALB, in listener order; one call on CLB.
func TestHealth(t *testing.T) {
	w := newWorld()
	w.deploy("alb")
	w.health["alb-1-443"] = []resource.BackendHealth{{InstanceID: "i-1", Port: 5000, Listener: "HTTPS:443", Health: "unhealthy", Reason: "CONNECT_FAILED"}}
	w.health["alb-1-5000"] = []resource.BackendHealth{{InstanceID: "i-2", Port: 5000, Listener: "HTTP:5000", Health: "initial"}}
	w.health["alb-1-80"] = []resource.BackendHealth{{InstanceID: "i-7", Port: 80, Listener: "HTTP:80", Health: "unhealthy"}}
	r := w.reader()
	snap, err := r.Read(context.Background(), stack("alb"), ForUp)
	if err != nil {
		t.Fatal(err)
	}
	h, err := r.Health(context.Background(), snap)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(h) != "[{i-1 5000 HTTPS:443 unhealthy CONNECT_FAILED  } {i-2 5000 HTTP:5000 initial   }]" {
		t.Errorf("ALB health %v", h)
	}
	if w.calls["alb.ListenerHealth HTTP:80"] != 0 || w.count("alb.ListenerHealth") != 2 {
		t.Errorf("health calls %v", w.calls)
	}
	// HealthOf reads the listeners it is given (here HTTPS:443), the same way.
	if h, err := r.HealthOf(context.Background(), "alb", "alb-1", snap.Listeners[1:2]); err != nil || fmt.Sprint(h) != "[{i-1 5000 HTTPS:443 unhealthy CONNECT_FAILED  }]" ||
		w.count("alb.ListenerHealth") != 3 {
		t.Errorf("HealthOf %v, %v; calls %v", h, err, w.calls)
	}
	w.fail["alb.ListenerHealth HTTP:5000"] = errors.New("boom")
	if _, err := r.Health(context.Background(), snap); err == nil || err.Error() != "read backend health of listener HTTP:5000 (alb-1-5000): boom" {
		t.Errorf("err = %v", err)
	}

	w = newWorld()
	w.deploy("clb")
	w.health["lb-1"] = []resource.BackendHealth{
		{InstanceID: "i-1", Port: 5000, Listener: "HTTP:5000", Health: "healthy"},
		{InstanceID: "i-7", Port: 80, Listener: "HTTP:80", Health: "unhealthy", Reason: "health check failed"},
	}
	r = w.reader()
	snap, err = r.Read(context.Background(), stack("clb"), ForUp)
	if err != nil {
		t.Fatal(err)
	}
	if h, err := r.Health(context.Background(), snap); err != nil || fmt.Sprint(h) != "[{i-1 5000 HTTP:5000 healthy   }]" || w.calls["clb.HealthStatus"] != 1 {
		t.Errorf("CLB health %v, %v; calls %v", h, err, w.calls)
	}
	snap.Listeners = nil
	if h, err := r.Health(context.Background(), snap); err != nil || h != nil || w.calls["clb.HealthStatus"] != 1 {
		t.Errorf("no listener of the stack: health %v, %v, calls %v", h, err, w.calls)
	}
}
