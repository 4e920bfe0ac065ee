package alb_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud/alb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

const jobAsync = 20 * time.Millisecond

// jobFails is a rule that makes the jobs of action fail with InternalError
// (times: 0 = every time).
func jobFails(action string, times int) fakecloud.Fault {
	return fakecloud.Fault{Name: "job fails", Product: "alb", Action: action, JobFails: true, Code: "InternalError", Message: "backend exploded", Times: times}
}

// writes are the ClientTokens of the calls of action in the fake's log, in order.
func writes(fc *fakecloud.TestServer, action string) []string {
	var out []string
	for _, c := range fc.Calls() {
		if c.Action == action {
			out = append(out, c.Params["ClientToken"])
		}
	}
	return out
}

// failedJobIDs are the IDs of the fake's failed jobs of action, oldest first.
func failedJobIDs(fc *fakecloud.TestServer, action string) []string {
	var out []string
	for _, j := range fc.Snapshot().ALB.Jobs {
		if j.APIName == action && j.Failure != nil {
			out = append(out, j.ID)
		}
	}
	return out
}

// world sums up the fake's live server groups and listeners.
func world(fc *fakecloud.TestServer) string {
	var b strings.Builder
	for _, g := range fc.Snapshot().ALB.ServerGroups {
		if !g.Deleted {
			fmt.Fprintf(&b, "group %s %s health %s [%s]\n", g.ID, g.Name, g.HealthCheck.Path, servers(g))
		}
	}
	for _, l := range liveListeners(fc) {
		fmt.Fprintf(&b, "listener %s %s:%d idle %d -> %v\n", l.ID, l.Protocol, l.Port, l.IdleTimeout, l.DefaultServerGroups)
	}
	return b.String()
}

// TestExecutorJobFailed: for every kind of step, a job that fails while the
// step waits for it is a *JobFailedError naming the job, its API, the job's
// code and message (as the fake recorded them) and the request that started
// it, with a hint; the step sent its write once, and returns with the change
// undone.
func TestExecutorJobFailed(t *testing.T) {
	ctx := context.Background()
	batch := []resource.Backend{{InstanceID: "i-fake01", Port: 5000, Weight: 100}, {InstanceID: "i-fake02", Port: 5000, Weight: 100}}
	spec := resource.Listener{Protocol: "HTTP", Port: 5000, IdleTimeout: 15, RequestTimeout: 60, Description: "wsdeploy-t-http-5000", Tags: owner}
	steps := []struct {
		action string
		run    func(x alb.Executor, gid, spare, lid string) error
	}{
		{"CreateServerGroup", func(x alb.Executor, _, _, _ string) error {
			g := group()
			g.Name = "wsdeploy-new"
			_, err := x.CreateGroup(ctx, "alb-fake01", g, "tok", nil)
			return err
		}},
		{"UpdateServerGroupAttribute", func(x alb.Executor, gid, _, _ string) error {
			g := group()
			g.HealthCheck.Path = "/ready"
			return x.UpdateGroup(ctx, gid, g, "tok", nil)
		}},
		{"AddServersToServerGroup", func(x alb.Executor, gid, _, _ string) error {
			return x.AddServers(ctx, gid, []resource.Backend{{InstanceID: "i-fake03", Port: 5000, Weight: 100}}, "tok", nil)
		}},
		{"RemoveServersFromServerGroup", func(x alb.Executor, gid, _, _ string) error {
			return x.RemoveServers(ctx, gid, batch[:1], "tok", nil)
		}},
		{"UpdateServerGroupServersAttribute", func(x alb.Executor, gid, _, _ string) error {
			return x.SetWeights(ctx, gid, []resource.Backend{{InstanceID: "i-fake02", Port: 5000, Weight: 10}}, "tok", nil)
		}},
		{"CreateListener", func(x alb.Executor, gid, _, _ string) error {
			s := spec
			s.Port = 6000
			_, err := x.CreateListener(ctx, "alb-fake01", s, gid, "tok", nil)
			return err
		}},
		{"UpdateListenerAttribute", func(x alb.Executor, gid, _, lid string) error {
			s := spec
			s.IdleTimeout = 30
			return x.UpdateListener(ctx, "alb-fake01", resource.Listener{ID: lid}, s, gid, "tok", nil)
		}},
		{"DeleteListener", func(x alb.Executor, _, _, lid string) error {
			return x.DeleteListener(ctx, "alb-fake01", resource.Listener{ID: lid}, "tok", nil)
		}},
		{"DeleteServerGroup", func(x alb.Executor, _, spare, _ string) error {
			return x.DeleteGroup(ctx, spare, "tok", nil)
		}},
	}
	for _, s := range steps {
		t.Run(s.action, func(t *testing.T) {
			t.Parallel()
			c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: jobAsync}, alb.New)
			x := c.Executor()
			gid, err := x.CreateGroup(ctx, "alb-fake01", group(), "", nil)
			if err != nil {
				t.Fatal(err)
			}
			spareSpec := group()
			spareSpec.Name = "wsdeploy-spare"
			spare, err := x.CreateGroup(ctx, "alb-fake01", spareSpec, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := x.AddServers(ctx, gid, batch, "", nil); err != nil {
				t.Fatal(err)
			}
			lid, err := x.CreateListener(ctx, "alb-fake01", spec, gid, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			before := world(fc)
			if err := fc.SetFaults([]fakecloud.Fault{jobFails(s.action, 0)}); err != nil {
				t.Fatal(err)
			}
			fc.ResetCalls()

			err = s.run(x, gid, spare, lid)
			var jf *alb.JobFailedError
			if !errors.As(err, &jf) {
				t.Fatalf("%s: %v, want a *JobFailedError", s.action, err)
			}
			var call fakecloud.Call
			for _, c := range fc.Calls() {
				if c.Action == s.action {
					if call.Action != "" {
						t.Fatalf("%s was sent more than once: %v", s.action, writes(fc, s.action))
					}
					call = c
				}
			}
			var job *fakecloud.ALBJob
			for _, j := range fc.Snapshot().ALB.Jobs {
				if j.Failure != nil {
					job = j
				}
			}
			if job == nil || job.APIName != s.action {
				t.Fatalf("the fake's failed job: %+v", job)
			}
			want := alb.JobFailedError{JobID: job.ID, API: s.action, Code: "InternalError", Message: "backend exploded", RequestID: call.RequestID}
			if got := (alb.JobFailedError{JobID: jf.JobID, API: jf.API, Code: jf.Code, Message: jf.Message, RequestID: jf.RequestID}); got != want || call.RequestID == "" {
				t.Fatalf("error %+v\nwant  %+v", got, want)
			}
			if !jf.Created.Equal(job.CreateTime.Truncate(time.Millisecond)) || !jf.Ended.Equal(job.DoneAt.Truncate(time.Millisecond)) {
				t.Errorf("times %v-%v, the fake's %v-%v", jf.Created, jf.Ended, job.CreateTime, job.DoneAt)
			}
			msg := err.Error()
			for _, w := range []string{job.ID, s.action, "InternalError: backend exploded", "(request " + call.RequestID + ")"} {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			if h := jf.Hint(); !strings.Contains(h, "InternalError") || !strings.Contains(h, call.RequestID) || strings.Contains(h, "wsdeploy") {
				t.Errorf("hint %q: want the code and request, and no command (the apply error adds it)", h)
			}
			if after := world(fc); after != before {
				t.Errorf("the step returned before its change was undone:\n%s\nwant\n%s", after, before)
			}
		})
	}
}

// TestJobFailedHint: a code that says the resource was busy asks to wait;
// any other asks to look the code up, naming the job and request.
func TestJobFailedHint(t *testing.T) {
	for _, tt := range []struct{ code, want string }{
		{"Conflict.Lock", "was busy with another change"},
		{"IncorrectStatus.Listener", "was busy with another change"},
		{"ResourceInConfiguring.Listener", "was busy with another change"},
		{"QuotaExceeded.ServersNum", "look the code up in ALB's error codes, and if it does not say what to change, ask Alibaba Cloud support, quoting job job-1, request R-1"},
	} {
		e := &alb.JobFailedError{JobID: "job-1", API: "AddServersToServerGroup", Code: tt.code, RequestID: "R-1"}
		if h := e.Hint(); !strings.Contains(h, tt.want) || !strings.Contains(h, tt.code) {
			t.Errorf("%s: hint %q, want %q", tt.code, h, tt.want)
		}
	}
}
