package cli_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// hiddenListener puts a listener on HTTP:5000 of the stack's load balancer
// into the world, as another run would have created it a moment ago: its
// CreateTime is an hour ahead, so that the realistic profile's
// read-after-write window keeps it out of every read until reveal. It
// forwards to a group of its own, has idle timeout 30 (the stack file says
// 60) and, when owned, the stack's tag. It returns reveal, which ends the
// window, and the listener's ID.
func (e *env) hiddenListener(lb string, owned bool) (reveal func(), id string) {
	e.t.Helper()
	var tags []fakecloud.Tag
	if owned {
		tags = []fakecloud.Tag{{Key: resource.OwnerTagKey, Value: "chat"}}
	}
	ahead := time.Now().Add(time.Hour)
	e.arrange(func(st *fakecloud.State) error {
		if lb == "alb" {
			gid := fmt.Sprintf("sgp-fake%04d", st.NextSeq())
			st.ALB.ServerGroups = append(st.ALB.ServerGroups, &fakecloud.ALBServerGroup{
				ID: gid, Name: "another-copy", Type: "Instance", VpcID: "vpc-fake01", Protocol: "HTTP",
				Scheduler: "Wrr", ResourceGroupID: "rg-fake", ConnectionDrainTimeout: 300, SlowStartDuration: 30, CrossZoneEnabled: true,
				CreateTime: time.Now(),
			})
			id = fmt.Sprintf("lsn-fake%04d", st.NextSeq())
			st.ALB.Listeners = append(st.ALB.Listeners, &fakecloud.ALBListener{
				ID: id, LoadBalancerID: "alb-fake01", Protocol: "HTTP", Port: 5000,
				Description: resource.ListenerDescription("chat", "HTTP", 5000), IdleTimeout: 30, RequestTimeout: 60, GzipEnabled: true,
				DefaultServerGroups: []string{gid}, Status: "Running", Tags: tags, CreateTime: ahead,
			})
			return nil
		}
		gid := fmt.Sprintf("rsp-fake%04d", st.NextSeq())
		st.CLB.VServerGroups = append(st.CLB.VServerGroups, &fakecloud.CLBVServerGroup{
			ID: gid, Name: "another-copy", LoadBalancerID: "lb-fake01", CreateTime: time.Now(),
		})
		id = "lb-fake01_http_5000"
		st.CLB.Listeners = append(st.CLB.Listeners, &fakecloud.CLBListener{
			LoadBalancerID: "lb-fake01", Protocol: "http", Port: 5000, Status: "running",
			VServerGroupID: gid, Bandwidth: -1, Description: resource.ListenerDescription("chat", "HTTP", 5000), Scheduler: "wrr",
			IdleTimeout: 30, RequestTimeout: 60,
			Flags: map[string]string{
				"XForwardedFor": "on", "XForwardedFor_SLBIP": "off", "XForwardedFor_SLBID": "off", "XForwardedFor_proto": "off",
				"XForwardedFor_SLBPORT": "off", "XForwardedFor_ClientSrcPort": "off", "Gzip": "on", "ListenerForward": "off",
			},
			Tags: tags, CreateTime: ahead,
		})
		return nil
	})
	return func() {
		e.arrange(func(st *fakecloud.State) error {
			for _, l := range st.ALB.Listeners {
				if l.ID == id {
					l.CreateTime = time.Now().Add(-time.Hour)
				}
			}
			for _, l := range st.CLB.Listeners {
				if l.Port == 5000 && l.LoadBalancerID == "lb-fake01" {
					l.CreateTime = time.Now().Add(-time.Hour)
				}
			}
			return nil
		})
	}, id
}

// upMeetingHiddenListener runs `up --lb lb` in the background, waits until
// its create of HTTP:5000 is refused because the port is taken (by the
// hidden listener, which no read of the plan showed), reveals the listener
// and returns the run's exit code and stderr.
func upMeetingHiddenListener(t *testing.T, e *env, lb string, reveal func()) (int, string) {
	t.Helper()
	done := make(chan int, 1)
	var errb bytes.Buffer
	go func() {
		var out bytes.Buffer
		done <- e.runCLI(t.Context(), []string{"up", "--lb", lb, "--yes", "-f", e.cfg, "--endpoint", e.fc.URL()},
			cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{})
	}()
	waitFor(t, "the create of HTTP:5000 is refused: the port is taken", func() (bool, string) {
		select {
		case code := <-done:
			done <- code
			return true, fmt.Sprintf("up ended (exit %d)", code)
		default:
			return false, ""
		}
	}, func() (bool, string) {
		return slices.ContainsFunc(e.fc.Calls(), func(c fakecloud.Call) bool {
			return c.Params["ListenerPort"] == "5000" && (c.Code == "ResourceAlreadyExist.Listener" || c.Code == "ListenerAlreadyExists")
		}), fmt.Sprintf("%d calls logged", len(e.fc.Calls()))
	})
	reveal()
	code := <-done
	return code, errb.String()
}

// TestUpAdoptsTheStacksListenerReadsDidNotShow: a listener of the stack on
// HTTP:5000, created by another run a moment ago (with idle timeout 30
// where this run's file says 60, forwarding elsewhere), is missing from
// every read of this run's plan (the read-after-write window), so the run
// plans its create, and the cloud refuses it: the port is taken. The run
// must wait for reads to show that listener, see it is the stack's, take it
// over and update what differs, as for drift: exit 0, the same listener
// (no second one), set as the file says, forwarding to the stack's group;
// a next up writes nothing.
func TestUpAdoptsTheStacksListenerReadsDidNotShow(t *testing.T) {
	t.Parallel()
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			e := newRealisticEnv(t, realisticScale[lb], 1)
			e.write(clbStack(lb))
			reveal, id := e.hiddenListener(lb, true)
			code, out := upMeetingHiddenListener(t, e, lb, reveal)
			if code != 0 {
				t.Fatalf("up: exit %d, want 0 (the listener on the port is the stack's)\n%s", code, out)
			}
			if !strings.Contains(out, "created by another run of the stack ("+id+"), differing in idleTimeout 30 → 60") {
				t.Errorf("the output does not say the listener was taken over and updated:\n%s", out)
			}
			if testing.Verbose() {
				t.Log(out)
			}
			checkConverged(t, e, "after up", out)
			st := e.fc.Snapshot()
			var group string
			for _, g := range st.ALB.ServerGroups {
				if tagged(g.Tags, "chat") && !g.Deleted {
					group = g.ID
				}
			}
			for _, g := range st.CLB.VServerGroups {
				if tagged(g.Tags, "chat") {
					group = g.ID
				}
			}
			var idle int
			var fwd, gotID string
			for _, l := range st.ALB.Listeners {
				if l.Port == 5000 && !l.Deleted {
					gotID, idle, fwd = l.ID, l.IdleTimeout, strings.Join(l.DefaultServerGroups, ",")
				}
			}
			for _, l := range st.CLB.Listeners {
				if l.Port == 5000 && l.LoadBalancerID == "lb-fake01" {
					gotID, idle, fwd = "lb-fake01_http_5000", l.IdleTimeout, l.VServerGroupID
					if l.Status != "running" {
						t.Errorf("CLB listener status %s, want running", l.Status)
					}
				}
			}
			if gotID != id || idle != 60 || fwd != group {
				t.Fatalf("listener on 5000: %s, idle timeout %d, forwards to %s; want %s, 60, the stack's group %s\n%s", gotID, idle, fwd, id, group, out)
			}
			if r := e.run("up", "--lb", lb, "--yes"); r.code != 0 || len(r.writes()) != 0 {
				t.Fatalf("a second up: exit %d, writes %v, want none\n%s", r.code, r.writes(), r.stderr)
			}
		})
	}
}

// TestUpDoesNotAdoptAForeignListenerReadsDidNotShow: the same, but the
// listener on the port is not the stack's (no wsdeploy tag). The run must
// not take it over: it fails, naming that listener, with a To fix: to pick
// another port or remove it, and leaves it as it was.
func TestUpDoesNotAdoptAForeignListenerReadsDidNotShow(t *testing.T) {
	t.Parallel()
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			e := newRealisticEnv(t, realisticScale[lb], 1)
			e.write(clbStack(lb))
			reveal, id := e.hiddenListener(lb, false)
			code, out := upMeetingHiddenListener(t, e, lb, reveal)
			if code == 0 {
				t.Fatalf("up succeeded over a listener the stack does not own:\n%s", out)
			}
			for _, w := range []string{"port 5000 of ", "is taken by listener " + id, "which this stack does not own",
				"To fix: listener " + id + " on port 5000 is not this stack's (no wsdeploy tag for it): choose another port in the stack file, or remove that listener"} {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			st := e.fc.Snapshot()
			for _, l := range st.ALB.Listeners {
				if l.ID == id && (l.IdleTimeout != 30 || len(l.Tags) != 0 || l.DefaultServerGroups[0] == "") {
					t.Errorf("the foreign listener changed: %+v", l)
				}
			}
			for _, l := range st.CLB.Listeners {
				if l.Port == 5000 && l.LoadBalancerID == "lb-fake01" && (l.IdleTimeout != 30 || len(l.Tags) != 0) {
					t.Errorf("the foreign listener changed: %+v", l)
				}
			}
		})
	}
}
