package cli_test

// The stack's DNS record moves to a new load balancer (a replacement, -/+)
// or first points at one the stack creates only once it can serve: its
// listener created and running, its server group holding the backends; the
// old load balancer loses its listeners and goes only after the record
// moved. Proved from the fake's request log, each call with when it was
// sent and answered (timeline).

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// timeline is the fake's Options.RequestLog, each call with when it was
// answered (when its line was written: the fake writes it before it sends
// the answer) and sent (that, less its DurationMS). Both err late: when a
// call B is sent only after the client has had call A's answer, B's start
// here is after A's end here; when B is sent while A is in flight, B's
// start here comes before A's end here unless the answer to A took less
// than the error (microseconds; the test's fault makes it a second).
type timeline struct {
	mu    sync.Mutex
	calls []timedCall
}

type timedCall struct {
	fakecloud.Call
	start, end time.Time
}

func (tl *timeline) Write(p []byte) (int, error) {
	now := time.Now()
	var c fakecloud.Call
	if err := json.Unmarshal(p, &c); err != nil {
		return 0, err
	}
	tl.mu.Lock()
	tl.calls = append(tl.calls, timedCall{c, now.Add(-time.Duration(c.DurationMS * float64(time.Millisecond))), now})
	tl.mu.Unlock()
	return len(p), nil
}

func (tl *timeline) reset() {
	tl.mu.Lock()
	tl.calls = nil
	tl.mu.Unlock()
}

func (tl *timeline) all() []timedCall {
	tl.mu.Lock()
	defer tl.mu.Unlock()
	return append([]timedCall(nil), tl.calls...)
}

func (c timedCall) String() string {
	s := c.Product + " " + c.Action
	for _, k := range []string{"LoadBalancerId", "ListenerId", "ListenerPort", "ServerGroupId", "VServerGroupId", "JobIds.1"} {
		if v := c.Params[k]; v != "" {
			s += fmt.Sprintf(" %s=%s", k, v)
		}
	}
	return s
}

// servingCalls are the calls of a run that put the stack on the new load
// balancer id and see it serve: ALB, the server group's create, the servers'
// add, the listener's create and the reads of those writes' jobs until they
// end (the listener runs once its job has succeeded); CLB, every call on
// that CLB after its create (vServer group, listener create, start and the
// reads until it runs) and the backends' add.
func servingCalls(lb, id string, calls []timedCall) []timedCall {
	var out []timedCall
	if lb == "clb" {
		for _, c := range calls {
			if c.Status == 200 && ((c.Params["LoadBalancerId"] == id && c.Action != "CreateLoadBalancer" && c.Action != "DescribeLoadBalancerAttribute") ||
				c.Action == "AddVServerGroupBackendServers") {
				out = append(out, c)
			}
		}
		return out
	}
	for i, c := range calls {
		if c.Status != 200 || (c.Action != "CreateServerGroup" && c.Action != "AddServersToServerGroup" &&
			!(c.Action == "CreateListener" && c.Params["LoadBalancerId"] == id)) {
			continue
		}
		out = append(out, c)
		// Its job: the one the first job read after its answer asks for
		// (the load balancer's steps run one after another).
		job := ""
		for _, r := range calls[i+1:] {
			if r.Action == "ListAsynJobs" && r.start.After(c.end) {
				job = r.Params["JobIds.1"]
				break
			}
		}
		for _, r := range calls {
			if job != "" && r.Action == "ListAsynJobs" && r.Params["JobIds.1"] == job {
				out = append(out, r)
			}
		}
	}
	return out
}

// TestRecordMovesOnlyOnceTheNewLBServes: on ALB and CLB, for the first
// create of the stack's load balancer, its replacement, and the rest of a
// replacement a killed run left (resume), `up` sends the
// record's change only after every call that puts the listener and the
// backends on the new load balancer has been answered (the last of them is
// held a second, so a record sent alongside is caught), and deletes
// anything of the old one only after the record's change was answered.
func TestRecordMovesOnlyOnceTheNewLBServes(t *testing.T) {
	t.Parallel()
	for _, rc := range []replaceCase{albReplaceCase(), clbReplaceCase()} {
		for _, how := range []string{"create", "replace", "resume"} {
			replace := how != "create"
			t.Run(rc.lb+"/"+how, func(t *testing.T) {
				t.Parallel()
				tl := &timeline{}
				e := newEnvOptions(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 30 * time.Millisecond, RequestLog: tl})
				e.write(rc.before)
				old, move := "", "AddDomainRecord"
				if replace {
					e.mustRun("up", "--yes")
					old, move = rc.lbs(e.fc.Snapshot())[0], "UpdateDomainRecord"
					e.write(rc.after)
				}
				if how == "resume" {
					// A replacement killed right after the new one's
					// create was answered: the next up finishes it.
					product, action := "alb", "CreateListener"
					if rc.lb == "clb" {
						product, action = "slb", "CreateVServerGroup"
					}
					hold := fakecloud.Fault{Name: "hold after the create", Product: product, Action: action, Times: 1, Delay: time.Hour}
					if err := e.fc.SetFaults([]fakecloud.Fault{hold}); err != nil {
						t.Fatal(err)
					}
					killWhileHeld(t, e, "the call after the create", product, action)
				}
				// The load balancer's last step before it serves is slow:
				// a record's change sent alongside it would start well
				// before it ends.
				last := fakecloud.Fault{Name: "slow listener", Product: "alb", Action: "CreateListener", Times: 1, Delay: time.Second}
				if rc.lb == "clb" {
					last = fakecloud.Fault{Name: "slow listener start", Product: "slb", Action: "StartLoadBalancerListener", Times: 1, Delay: time.Second}
				}
				if err := e.fc.SetFaults([]fakecloud.Fault{last}); err != nil {
					t.Fatal(err)
				}
				tl.reset()
				r := e.mustRun("up", "--yes")
				st := e.fc.Snapshot()
				ids := rc.lbs(st)
				if len(ids) != 1 || ids[0] == old {
					t.Fatalf("after up: the stack's load balancers %v, want one new one (old %q)\n%s", ids, old, r.stdout)
				}
				id := ids[0]
				if rec := ownedRecord(t, st, "chat"); rec.Value != rc.target(st, id) {
					t.Fatalf("the record → %q, want %s's %q", rec.Value, id, rc.target(st, id))
				}

				calls := tl.all()
				var moves []timedCall
				for _, c := range calls {
					if c.Product == "alidns" && c.Action == move && c.Status == 200 {
						moves = append(moves, c)
					}
				}
				if len(moves) != 1 {
					t.Fatalf("%d answered %s calls, want 1", len(moves), move)
				}
				rec := moves[0]
				serving := servingCalls(rc.lb, id, calls)
				wantSlow := false
				for _, c := range serving {
					wantSlow = wantSlow || c.Action == last.Action
					if !rec.start.After(c.end) {
						t.Errorf("the record's %s was sent %v before %s on the new %s was answered: the name pointed at a load balancer not serving yet",
							move, c.end.Sub(rec.start).Round(time.Millisecond), c, id)
					}
				}
				if !wantSlow || len(serving) < 3 {
					t.Fatalf("the calls that make %s serve: %v; want the listener's (%s) among them", id, serving, last.Action)
				}
				if !replace {
					return
				}
				deletes := 0
				for _, c := range calls {
					if c.Write && (c.Params["LoadBalancerId"] == old || c.Action == "DeleteListener" || c.Action == "DeleteVServerGroup") {
						deletes++
						if !c.start.After(rec.end) {
							t.Errorf("%s on the old %s was sent before the record's %s was answered", c, old, move)
						}
					}
				}
				if deletes < 2 {
					t.Fatalf("%d writes on the old %s, want its listener's and its own deletion", deletes, old)
				}
			})
		}
	}
}

// TestRecordOnANamedLBWaitsForItsListeners: on a load balancer named by ID
// (alb.id, clb.id), the first `up` creates the record only after every call
// that puts the listener and the backends on it has been answered (the
// last of them is held a second, so a record sent alongside is caught).
func TestRecordOnANamedLBWaitsForItsListeners(t *testing.T) {
	t.Parallel()
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			tl := &timeline{}
			e := newEnvOptions(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 30 * time.Millisecond, RequestLog: tl})
			id := "alb-fake01"
			last := fakecloud.Fault{Name: "slow listener", Product: "alb", Action: "CreateListener", Times: 1, Delay: time.Second}
			if lb == "clb" {
				id = "lb-fake01"
				e.write(strings.Replace(stackYAML, "alb: {id: alb-fake01}", "alb: {id: alb-fake01}\nclb: {id: lb-fake01}", 1))
				last = fakecloud.Fault{Name: "slow listener start", Product: "slb", Action: "StartLoadBalancerListener", Times: 1, Delay: time.Second}
			}
			if err := e.fc.SetFaults([]fakecloud.Fault{last}); err != nil {
				t.Fatal(err)
			}
			r := e.mustRun("up", "--lb", lb, "--yes")
			if rec := ownedRecord(t, e.fc.Snapshot(), "chat"); rec.Value == "" {
				t.Fatalf("no record after up\n%s", r.stdout)
			}
			calls := tl.all()
			var recs []timedCall
			for _, c := range calls {
				if c.Product == "alidns" && c.Action == "AddDomainRecord" && c.Status == 200 {
					recs = append(recs, c)
				}
			}
			if len(recs) != 1 {
				t.Fatalf("%d answered AddDomainRecord calls, want 1", len(recs))
			}
			serving := servingCalls(lb, id, calls)
			sawSlow := false
			for _, c := range serving {
				sawSlow = sawSlow || c.Action == last.Action
				if !recs[0].start.After(c.end) {
					t.Errorf("the record's AddDomainRecord was sent %v before %s on %s was answered: the name answered before anything listened",
						c.end.Sub(recs[0].start).Round(time.Millisecond), c, id)
				}
			}
			if !sawSlow || len(serving) < 3 {
				t.Fatalf("the calls that make %s serve: %v; want the listener's (%s) among them", id, serving, last.Action)
			}
		})
	}
}
