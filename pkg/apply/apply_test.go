package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// recorder is an in-memory executor and DNS that records calls and fails on demand.
type recorder struct {
	mu     sync.Mutex
	calls  []string
	fail   map[string]error // call name -> error
	tokens []string
}

func (r *recorder) rec(name, token string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, name)
	if token != "" {
		r.tokens = append(r.tokens, token)
	}
	return r.fail[name]
}

func (r *recorder) CreateGroup(_ context.Context, lbID string, spec resource.ServerGroup, token string, _ cloud.Progress) (string, error) {
	return "sgp-new", r.rec("CreateGroup "+spec.Name, token)
}
func (r *recorder) UpdateGroup(_ context.Context, id string, _ resource.ServerGroup, token string, _ cloud.Progress) error {
	return r.rec("UpdateGroup "+id, token)
}
func (r *recorder) DeleteGroup(_ context.Context, id, token string, _ cloud.Progress) error {
	return r.rec("DeleteGroup "+id, token)
}
func (r *recorder) AddServers(_ context.Context, gid string, s []resource.Backend, token string, _ cloud.Progress) error {
	return r.rec(fmt.Sprintf("AddServers %s %d", gid, len(s)), token)
}
func (r *recorder) RemoveServers(_ context.Context, gid string, s []resource.Backend, token string, _ cloud.Progress) error {
	return r.rec(fmt.Sprintf("RemoveServers %s %d", gid, len(s)), token)
}
func (r *recorder) SetWeights(_ context.Context, gid string, s []resource.Backend, token string, _ cloud.Progress) error {
	return r.rec(fmt.Sprintf("SetWeights %s %d", gid, len(s)), token)
}
func (r *recorder) CreateListener(_ context.Context, lbID string, spec resource.Listener, gid, token string, _ cloud.Progress) (string, error) {
	return fmt.Sprintf("lsn-%d", spec.Port), r.rec(fmt.Sprintf("CreateListener %s:%d -> %s on %s", spec.Protocol, spec.Port, gid, lbID), token)
}
func (r *recorder) UpdateListener(_ context.Context, _ string, cur, _ resource.Listener, _, token string, _ cloud.Progress) error {
	return r.rec("UpdateListener "+cur.ID, token)
}
func (r *recorder) DeleteListener(_ context.Context, _ string, l resource.Listener, token string, _ cloud.Progress) error {
	return r.rec("DeleteListener "+l.ID, token)
}
func (r *recorder) SetTag(_ context.Context, lbID, key, value string) error {
	return r.rec("SetTag "+lbID+" "+key+"="+value, "")
}
func (r *recorder) CreateRecord(_ context.Context, rec resource.Record) (string, error) {
	return "rec-1", r.rec("CreateRecord "+rec.FQDN(), "")
}
func (r *recorder) UpdateRecord(_ context.Context, rec resource.Record) error {
	return r.rec("UpdateRecord "+rec.ID, "")
}
func (r *recorder) SetRemark(_ context.Context, id, remark string) error {
	return r.rec("SetRemark "+id+" "+remark, "")
}
func (r *recorder) DeleteRecord(_ context.Context, id string) error {
	return r.rec("DeleteRecord "+id, "")
}

func freshPlan(t *testing.T, nBackends int) *plan.Plan {
	t.Helper()
	s := config.Demo()
	snap := &inventory.Snapshot{Stack: s.Stack, Servers: map[string][]resource.Backend{},
		LB: resource.LoadBalancer{Type: "alb", ID: "alb-1", DNSName: "alb-1.example", VpcID: "vpc-1"}}
	for i := range nBackends {
		snap.Backends = append(snap.Backends, resource.Backend{InstanceID: fmt.Sprintf("i-%d", i), Port: 5000, Weight: 100})
	}
	p, err := plan.Build(s, snap)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApplyCreatesInOrderAndResolvesIDs(t *testing.T) {
	r := &recorder{}
	var events []Event
	var mu sync.Mutex
	e := &Engine{ALB: r, DNS: r, Stack: "demo", Events: func(ev Event) { mu.Lock(); events = append(events, ev); mu.Unlock() }}
	res, err := e.Apply(context.Background(), freshPlan(t, 450))
	if err != nil {
		t.Fatal(err)
	}
	var alb []string
	for _, c := range r.calls {
		if !strings.Contains(c, "Record") && !strings.HasPrefix(c, "SetRemark") {
			alb = append(alb, c)
		}
	}
	want := []string{
		"CreateGroup wsdeploy-demo",
		"AddServers sgp-new 200", "AddServers sgp-new 200", "AddServers sgp-new 50",
		"CreateListener HTTP:5000 -> sgp-new on alb-1",
		"CreateListener HTTPS:443 -> sgp-new on alb-1",
	}
	if strings.Join(alb, "\n") != strings.Join(want, "\n") {
		t.Fatalf("ALB calls:\n%s\nwant:\n%s", strings.Join(alb, "\n"), strings.Join(want, "\n"))
	}
	created := map[string]string{}
	for a, id := range res.Created {
		created[a.String()] = id
	}
	if created["create:server-group/wsdeploy-demo"] != "sgp-new" || created["create:dns-record/chat.example.com"] != "rec-1" || len(created) != 4 {
		t.Errorf("created = %v", res.Created)
	}
	if len(res.Succeeded) != 5 || len(res.Failed)+len(res.Skipped) != 0 {
		t.Errorf("result = %+v", res)
	}
	// Each call has its own token, and tokens are ASCII and at most 64 characters.
	seen := map[string]bool{}
	for _, tok := range r.tokens {
		if seen[tok] || len(tok) > 64 {
			t.Errorf("token %q reused or too long", tok)
		}
		seen[tok] = true
	}
	if len(events) < 10 {
		t.Errorf("only %d events", len(events))
	}
}

func TestApplyTokens(t *testing.T) {
	p := freshPlan(t, 2)
	a := &p.Actions[0]
	other := freshPlan(t, 2)
	if token(p, a, 0) != token(other, &other.Actions[0], 0) {
		t.Error("a retry, a re-run or a concurrent run of the same step must send the same token")
	}
	afterDown := freshPlan(t, 2)
	afterDown.Epoch = "e2"
	if token(p, a, 0) == token(afterDown, &afterDown.Actions[0], 0) {
		t.Error("after down (a new epoch) tokens must differ")
	}
	moved := freshPlan(t, 2)
	moved.Observed = "other"
	if token(p, a, 0) == token(moved, &moved.Actions[0], 0) {
		t.Error("from other owned resources, tokens must differ")
	}
	if token(p, a, 0) == token(p, a, 1) {
		t.Error("batches of one action need distinct tokens")
	}
}

func TestApplyFailureSkipsDependantsOnly(t *testing.T) {
	r := &recorder{fail: map[string]error{
		"CreateListener HTTP:5000 -> sgp-new on alb-1": &cloud.Error{Product: "alb", Action: "CreateListener", Code: "ResourceAlreadyExist.Listener", HTTPStatus: 400, RequestID: "req-9"},
	}}
	e := &Engine{ALB: r, DNS: r, Stack: "demo"}
	res, err := e.Apply(context.Background(), freshPlan(t, 2))
	var pe *PartialError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want PartialError", err)
	}
	// The record waits for the listeners (the plan creates them): skipped.
	if fmt.Sprint(res.Failed) != "[create:listener/HTTP:5000]" || fmt.Sprint(res.Skipped) != "[create:listener/HTTPS:443 create:dns-record/chat.example.com]" {
		t.Fatalf("failed %v skipped %v", res.Failed, res.Skipped)
	}
	if len(res.Succeeded) != 2 { // group, servers: what the failed step waited for
		t.Fatalf("succeeded %v", res.Succeeded)
	}
	msg := err.Error()
	for _, w := range []string{"2 succeeded, 1 failed, 2 skipped", "ResourceAlreadyExist.Listener", "req-9", "create:listener/HTTPS:443: skipped"} {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
	if !strings.Contains(pe.Hint(), "wsdeploy up") {
		t.Errorf("hint = %q", pe.Hint())
	}
}

func TestApplyInterruptedStopsBetweenSteps(t *testing.T) {
	r := &recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Engine{ALB: r, DNS: r, Stack: "demo", Events: func(ev Event) {
		if ev.Kind == Succeeded && ev.Action.Kind == plan.KindServerGroup && ev.Action.Op == plan.Create {
			cancel()
		}
	}}
	res, err := e.Apply(ctx, freshPlan(t, 2))
	var ie *InterruptedError
	if !errors.As(err, &ie) || !strings.Contains(ie.Hint(), "run `wsdeploy up` again") {
		t.Fatalf("err = %v", err)
	}
	for _, c := range r.calls {
		if strings.HasPrefix(c, "CreateListener") {
			t.Fatalf("a listener was created after the interrupt: %v", r.calls)
		}
	}
	if len(res.Skipped) == 0 {
		t.Fatal("nothing was skipped")
	}
}

// hinted is an error with its own hint.
type hinted struct{}

func (hinted) Error() string { return "job failed" }
func (hinted) Hint() string  { return "wait for the other change" }

// TestPartialErrorHintPerMode: the hint repeats the run's own command and
// says what running it again does in that mode; `down` never sends the user
// to `up`.
func TestPartialErrorHintPerMode(t *testing.T) {
	id := plan.Addr{Op: plan.Delete, Kind: plan.KindListener, Key: "HTTP:5000"}
	for _, tt := range []struct{ mode, resume, want string }{
		{"up", "", "wait for the other change; then run `wsdeploy up` again: it continues from what exists and never creates duplicates"},
		{"down", "", "wait for the other change; then run `wsdeploy down` again: it deletes what is left of the stack"},
		{"down", "wsdeploy down -f prod.yaml --yes", "wait for the other change; then run `wsdeploy down -f prod.yaml --yes` again: it deletes what is left of the stack"},
	} {
		pe := &PartialError{Resume: tt.resume, Result: &Result{mode: tt.mode, Failed: []plan.Addr{id},
			errs: map[plan.Addr]error{id: fmt.Errorf("delete listener: %w", hinted{})}}}
		if got := pe.Hint(); got != tt.want {
			t.Errorf("%s: hint\n  %q\nwant\n  %q", tt.mode, got, tt.want)
		}
	}
}
