package alb_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
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

// httpListener is the spec of the stack's HTTP:5000 listener.
func httpListener() resource.Listener {
	return resource.Listener{Protocol: "HTTP", Port: 5000, IdleTimeout: 15, RequestTimeout: 60, Description: "wsdeploy-t-http-5000", Tags: owner}
}

// groupWithListener creates a server group and the HTTP:5000 listener
// forwarding to it (without tokens).
func groupWithListener(t *testing.T, x alb.Executor) (gid, lid string) {
	t.Helper()
	ctx := context.Background()
	gid, err := x.CreateGroup(ctx, "alb-fake01", group(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if lid, err = x.CreateListener(ctx, "alb-fake01", httpListener(), gid, "", nil); err != nil {
		t.Fatal(err)
	}
	return gid, lid
}

// TestExecutorJobFailed: for every kind of step, a job that fails while the
// step waits for it is a *JobFailedError naming the job, its API, the job's
// code and message (as the fake recorded them) and the request that started
// it, with a hint; the step sent its write once, and returns with the change
// undone.
func TestExecutorJobFailed(t *testing.T) {
	ctx := context.Background()
	batch := []resource.Backend{{InstanceID: "i-fake01", Port: 5000, Weight: 100}, {InstanceID: "i-fake02", Port: 5000, Weight: 100}}
	spec := httpListener()
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

// TestExecutorSendsAgainAfterAnEarlierFailure: the step's token answers the
// job that failed in an earlier run (the change undone, so a re-run derives
// the same token). The step is sent again with the next token of the chain
// and succeeds. Two runs doing so at once derive the same next token and
// meet on one server group, and a later re-run walks the same chain to it.
func TestExecutorSendsAgainAfterAnEarlierFailure(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: jobAsync, Faults: []fakecloud.Fault{jobFails("CreateServerGroup", 1)}}, alb.New)
	x := c.Executor()
	ctx := context.Background()
	var mu sync.Mutex
	var notes []string
	p := func(s string, _ time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		notes = append(notes, s)
	}

	if _, err := x.CreateGroup(ctx, "alb-fake01", group(), "tok", nil); !errors.As(err, new(*alb.JobFailedError)) {
		t.Fatalf("first run: %v, want the job's failure", err)
	}
	failed := failedJobIDs(fc, "CreateServerGroup")
	if len(failed) != 1 || len(liveGroups(fc)) != 0 {
		t.Fatalf("after the failed job: jobs %v, groups %v", failed, liveGroups(fc))
	}
	fc.ResetCalls()

	// Two runs at once from the same state.
	var wg sync.WaitGroup
	ids := make([]string, 2)
	errs := make([]error, 2)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], errs[i] = x.CreateGroup(ctx, "alb-fake01", group(), "tok", p)
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || ids[0] != ids[1] || ids[0] == "" {
		t.Fatalf("concurrent re-runs: %q %v, %q %v; want one group for both", ids[0], errs[0], ids[1], errs[1])
	}
	id := ids[0]
	next := alb.NextToken("tok", failed[0])
	sent := map[string]int{}
	for _, tok := range writes(fc, "CreateServerGroup") {
		sent[tok]++
	}
	if sent["tok"] != 2 || sent[next] < 2 || len(sent) != 2 {
		t.Fatalf("ClientTokens sent: %v, want tok twice, then %s (at least twice: a repeat while the job runs is answered IdempotenceProcessing and retried)", sent, next)
	}
	if g := liveGroups(fc); len(g) != 1 || g[id] == nil {
		t.Fatalf("groups %v, want one: %s", g, id)
	}
	if !strings.Contains(strings.Join(notes, "\n"), "job "+failed[0]+" failed in an earlier run (InternalError): sending the step again") {
		t.Errorf("progress did not say why the step was sent again: %q", notes)
	}

	// A later re-run from the same state meets the same group.
	fc.ResetCalls()
	if again, err := x.CreateGroup(ctx, "alb-fake01", group(), "tok", nil); err != nil || again != id {
		t.Fatalf("re-run: %q, %v; want %s", again, err, id)
	}
	if got, want := writes(fc, "CreateServerGroup"), []string{"tok", next}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("re-run sent %v, want %v", got, want)
	}
	if g := liveGroups(fc); len(g) != 1 {
		t.Fatalf("%d groups after the re-run, want 1", len(g))
	}
	if n := len(failedJobIDs(fc, "CreateServerGroup")); n != 1 {
		t.Fatalf("%d failed jobs, want 1", n)
	}
}

// TestExecutorReportsAFailureOfItsOwnRun: while the cause persists, each run
// walks past the earlier runs' failed jobs, sends the step once with a new
// token, and reports that job's failure; it never sends again a job that
// failed in the run itself. Once the cause is gone, the next run succeeds.
func TestExecutorReportsAFailureOfItsOwnRun(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: jobAsync, Faults: []fakecloud.Fault{jobFails("UpdateListenerAttribute", 0)}}, alb.New)
	x := c.Executor()
	ctx := context.Background()
	gid, lid := groupWithListener(t, x)
	spec := httpListener()
	spec.IdleTimeout = 30
	tokens := []string{"tok"}
	for run := 1; run <= 3; run++ {
		fc.ResetCalls()
		err := x.UpdateListener(ctx, "alb-fake01", resource.Listener{ID: lid}, spec, gid, "tok", nil)
		var jf *alb.JobFailedError
		failed := failedJobIDs(fc, "UpdateListenerAttribute")
		if !errors.As(err, &jf) || len(failed) != run || jf.JobID != failed[run-1] {
			t.Fatalf("run %d: %v; failed jobs %v, want the newest reported", run, err, failed)
		}
		if got := writes(fc, "UpdateListenerAttribute"); fmt.Sprint(got) != fmt.Sprint(tokens) {
			t.Fatalf("run %d sent %v, want %v", run, got, tokens)
		}
		tokens = append(tokens, alb.NextToken(tokens[len(tokens)-1], jf.JobID))
		if l := liveListeners(fc); l[0].IdleTimeout != 15 {
			t.Fatalf("run %d: idle timeout %d after the failed job", run, l[0].IdleTimeout)
		}
	}
	if err := fc.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	fc.ResetCalls()
	if err := x.UpdateListener(ctx, "alb-fake01", resource.Listener{ID: lid}, spec, gid, "tok", nil); err != nil {
		t.Fatalf("after the cause is gone: %v", err)
	}
	if got := writes(fc, "UpdateListenerAttribute"); fmt.Sprint(got) != fmt.Sprint(tokens) {
		t.Fatalf("the run that succeeds sent %v, want %v", got, tokens)
	}
	if l := liveListeners(fc); l[0].IdleTimeout != 30 {
		t.Fatalf("idle timeout %d, want 30", l[0].IdleTimeout)
	}
}

// TestExecutorJobFailedClocks: whether a failed job is an earlier run's is
// decided by two signs that must both hold (the first look finds it Failed,
// and it ended before the write was sent by this machine's clock), the
// stricter choice: a job that fails during the step is reported even when
// the cloud's clock is an hour behind, or when the job fails before the
// first look; when the cloud's clock is ahead, an earlier failure looks new
// and is reported, not sent again.
func TestExecutorJobFailedClocks(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		skew  time.Duration
		async time.Duration
		// repeat: the step is run twice, the second time with the cause
		// gone, and must report the first run's job again (one write).
		repeat bool
		// held: the fake's clock stands still until the step reports the
		// job running, then moves on past its end, so that the first look
		// finds it running however slowly the machine runs.
		held bool
	}{
		{name: "cloud behind, seen running", skew: -time.Hour, async: jobAsync, held: true},
		{name: "same clock, failed before the first look", async: time.Microsecond},
		{name: "cloud ahead, earlier failure", skew: time.Hour, async: jobAsync, repeat: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			now := func() time.Time { return time.Now().Add(tt.skew) }
			var progress cloud.Progress
			if tt.held {
				clock := &heldClock{t: now()}
				now = clock.Now
				progress = func(status string, _ time.Duration) {
					if status == "Processing" {
						clock.Add(tt.async)
					}
				}
			}
			c, fc := cloudtest.Client(t, fakecloud.Options{
				AsyncDuration: tt.async, Now: now,
				Faults: []fakecloud.Fault{jobFails("CreateServerGroup", 1)},
			}, alb.New)
			x := c.Executor()
			_, err := x.CreateGroup(ctx, "alb-fake01", group(), "tok", progress)
			var jf *alb.JobFailedError
			if !errors.As(err, &jf) {
				t.Fatalf("%v, want the job's failure", err)
			}
			first := jf.JobID
			if tt.repeat {
				_, err = x.CreateGroup(ctx, "alb-fake01", group(), "tok", nil)
				if !errors.As(err, &jf) || jf.JobID != first {
					t.Fatalf("repeat: %v, want job %s reported again", err, first)
				}
			}
			want := []string{"tok"}
			if tt.repeat {
				want = append(want, "tok")
			}
			if got := writes(fc, "CreateServerGroup"); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("sent %v, want %v", got, want)
			}
			if n := len(liveGroups(fc)); n != 0 {
				t.Fatalf("%d groups", n)
			}
		})
	}
}

// heldClock is a world clock for the fake that moves only when told to.
type heldClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *heldClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *heldClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestExecutorChainIsBounded: should both signs mislead (the cloud's clock
// far behind and jobs that fail before the first look), a step stops after
// walking alb.MaxChain failed jobs and reports the last.
func TestExecutorChainIsBounded(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{
		AsyncDuration: time.Microsecond, Now: func() time.Time { return time.Now().Add(-time.Hour) },
		Faults: []fakecloud.Fault{jobFails("CreateServerGroup", 0)},
	}, alb.New)
	_, err := c.Executor().CreateGroup(context.Background(), "alb-fake01", group(), "tok", nil)
	failed := failedJobIDs(fc, "CreateServerGroup")
	var jf *alb.JobFailedError
	if !errors.As(err, &jf) || len(failed) != alb.MaxChain+1 || jf.JobID != failed[len(failed)-1] {
		t.Fatalf("%v after %d failed jobs, want the last of %d", err, len(failed), alb.MaxChain+1)
	}
}

// TestExecutorNoTokenNoChain: a write without a ClientToken is never sent
// again (there is no chain to follow).
func TestExecutorNoTokenNoChain(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{
		AsyncDuration: time.Microsecond, Now: func() time.Time { return time.Now().Add(-time.Hour) },
		Faults: []fakecloud.Fault{jobFails("CreateServerGroup", 0)},
	}, alb.New)
	if _, err := c.Executor().CreateGroup(context.Background(), "alb-fake01", group(), "", nil); !errors.As(err, new(*alb.JobFailedError)) {
		t.Fatalf("%v, want the job's failure", err)
	}
	if n := cloudtest.Count(fc, "CreateServerGroup"); n != 1 {
		t.Fatalf("sent %d times, want once", n)
	}
}
