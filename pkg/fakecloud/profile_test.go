package fakecloud

// The realistic profile, end to end through the real SDKs, on a clock the
// test moves (throttling excepted: it counts the client's real call rate).

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

func TestProfileOptions(t *testing.T) {
	for _, tt := range []struct {
		profile string
		scale   float64
		ok      bool
	}{
		{"", 0, true}, {ProfileFast, 1, true}, {ProfileRealistic, 0.05, true}, {ProfileRealistic, 0, true},
		{"slow", 1, false}, {ProfileRealistic, -1, false},
	} {
		_, err := New(Options{Seed: DemoSeed(), Profile: tt.profile, TimeScale: tt.scale})
		if (err == nil) != tt.ok || (ValidateProfile(tt.profile, tt.scale) == nil) != tt.ok {
			t.Errorf("profile %q scale %v: %v, want ok %t", tt.profile, tt.scale, err, tt.ok)
		}
	}
}

// jobOf returns the fake's job for an ID.
func jobOf(t *testing.T, ts *TestServer, id string) *ALBJob {
	t.Helper()
	for _, j := range ts.Snapshot().ALB.Jobs {
		if j.ID == id {
			return j
		}
	}
	t.Fatalf("no job %s", id)
	return nil
}

// wantSpan checks that job took between min and max (seconds, at scale).
func wantSpan(t *testing.T, j *ALBJob, scale, min, max float64) {
	t.Helper()
	d := j.DoneAt.Sub(j.CreateTime).Seconds()
	if d < min*scale || d > max*scale {
		t.Errorf("%s took %.2fs, want %.2f-%.2fs", j.APIName, d, min*scale, max*scale)
	}
}

// TestRealisticALB: async work takes the operation's realistic time, a new
// server group is missing from lists for a moment, and a new backend is
// Initial until interval × healthy threshold after checks start.
func TestRealisticALB(t *testing.T) {
	const scale = 0.5
	clock := &testClock{now: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
	ts, c := newALBClient(t, Options{Profile: ProfileRealistic, TimeScale: scale, FaultSeed: 3, Now: clock.Now})
	ctx, rt := context.Background(), &dara.RuntimeOptions{}

	hc := sdkHealthCheck()
	hc.HealthCheckInterval, hc.HealthyThreshold = tea.Int32(4), tea.Int32(3) // checks decide after 12 s, scaled: 6 s
	cg, err := c.CreateServerGroupWithContext(ctx, &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("web"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: hc,
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	gid := tea.StringValue(cg.Body.ServerGroupId)
	wantSpan(t, jobOf(t, ts, tea.StringValue(cg.Body.JobId)), scale, 2, 10)
	listed := func() bool {
		out, err := c.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{}, rt)
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Body.ServerGroups) == 1
	}
	if listed() {
		t.Fatal("a server group created this instant is listed: no read-after-write window")
	}
	clock.Add(time.Duration(3 * scale * float64(time.Second))) // the window is 1-3 s
	if !listed() {
		t.Fatal("the server group is still not listed after the window")
	}
	clock.Add(10 * time.Second)

	add, err := c.AddServersToServerGroupWithContext(ctx, &alb.AddServersToServerGroupRequest{
		ServerGroupId: tea.String(gid),
		Servers:       []*alb.AddServersToServerGroupRequestServers{{ServerType: tea.String("Ecs"), ServerId: tea.String("i-fake01"), Port: tea.Int32(5000)}},
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	wantSpan(t, jobOf(t, ts, tea.StringValue(add.Body.JobId)), scale, 3, 20)
	clock.Add(10 * time.Second)
	cl, err := c.CreateListenerWithContext(ctx, &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80),
		DefaultActions: []*alb.CreateListenerRequestDefaultActions{{Type: tea.String("ForwardGroup"),
			ForwardGroupConfig: &alb.CreateListenerRequestDefaultActionsForwardGroupConfig{
				ServerGroupTuples: []*alb.CreateListenerRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: tea.String(gid)}}}}},
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	job := jobOf(t, ts, tea.StringValue(cl.Body.JobId))
	wantSpan(t, job, scale, 5, 30)

	health := func() string {
		out, err := c.GetListenerHealthStatusWithContext(ctx, &alb.GetListenerHealthStatusRequest{ListenerId: cl.Body.ListenerId}, rt)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range out.Body.ListenerHealthStatus[0].ServerGroupInfos {
			for _, s := range g.NonNormalServers {
				return tea.StringValue(s.Status)
			}
		}
		return "healthy"
	}
	clock.Add(job.DoneAt.Sub(clock.Now())) // the listener runs: checks start now
	if h := health(); h != "Initial" {
		t.Fatalf("health as the listener starts: %s, want Initial", h)
	}
	clock.Add(6*time.Second - time.Millisecond)
	if h := health(); h != "Initial" {
		t.Fatalf("health just before interval × threshold: %s, want Initial", h)
	}
	clock.Add(time.Millisecond)
	if h := health(); h != "healthy" {
		t.Fatalf("health after interval × threshold: %s, want healthy", h)
	}
}

// TestRealisticCLB: a listener start takes a few seconds, a new listener is
// missing from reads for a moment (InvalidParameter "does not exist", as for
// a missing one), and its backends are unavailable until the checks decide.
func TestRealisticCLB(t *testing.T) {
	const scale = 0.5
	e := newCLBEnv(t, Options{Profile: ProfileRealistic, TimeScale: scale, FaultSeed: 5})
	g := e.createGroup("g", `[{"ServerId":"i-fake01","Port":5000}]`)
	req := e.httpListener(80, g)
	req.HealthCheckInterval, req.HealthyThreshold = tea.Int32(5), tea.Int32(2) // 10 s, scaled: 5 s
	if _, err := e.c.CreateLoadBalancerHTTPListener(req); err != nil {
		t.Fatal(err)
	}
	_, err := e.c.DescribeLoadBalancerHTTPListenerAttribute(&slb.DescribeLoadBalancerHTTPListenerAttributeRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80),
	})
	wantSDKError(t, err, http.StatusBadRequest, "InvalidParameter")
	if err := e.start(80); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(time.Duration(3 * scale * float64(time.Second)))
	if st := e.listenerStatus(80); st != "starting" && st != "running" {
		t.Fatalf("status %s after the window, want starting or running", st)
	}
	l := e.ts.Snapshot().CLB.Listeners[0]
	if d := l.ReadyAt.Sub(l.CreateTime).Seconds(); d < 1*scale || d > 5*scale {
		t.Errorf("start took %.2fs, want %.2f-%.2fs", d, 1*scale, 5*scale)
	}
	health := func() string {
		out, err := e.c.DescribeHealthStatus(&slb.DescribeHealthStatusRequest{RegionId: clbRegion, LoadBalancerId: clbLB})
		if err != nil {
			t.Fatal(err)
		}
		return tea.StringValue(out.Body.BackendServers.BackendServer[0].ServerHealthStatus)
	}
	e.clock.Add(l.ReadyAt.Sub(e.clock.Now()))
	if e.listenerStatus(80) != "running" || health() != "unavailable" {
		t.Fatalf("as the listener runs: %s, health %s; want running, unavailable", e.listenerStatus(80), health())
	}
	e.clock.Add(5*time.Second - time.Millisecond)
	if h := health(); h != "unavailable" {
		t.Fatalf("just before interval × threshold: %s, want unavailable", h)
	}
	e.clock.Add(time.Millisecond)
	if h := health(); h != "normal" {
		t.Fatalf("after interval × threshold: %s, want normal", h)
	}
}

// TestRealisticThrottling: calls of one action faster than its documented
// rate are answered 400 Throttling.User; the fast profile never throttles.
func TestRealisticThrottling(t *testing.T) {
	for _, profile := range []string{ProfileFast, ProfileRealistic} {
		_, c := newALBClient(t, Options{Profile: profile})
		throttled := 0
		for range 60 {
			_, err := c.ListServerGroups(&alb.ListServerGroupsRequest{})
			if err != nil {
				wantSDKError(t, err, http.StatusBadRequest, "Throttling.User")
				throttled++
			}
		}
		// 600 calls a minute, at most a second's share (10) at once: 60
		// calls in under 5 s leave some throttled.
		if (throttled > 0) != (profile == ProfileRealistic) {
			t.Errorf("%s: %d of 60 back-to-back calls throttled", profile, throttled)
		}
	}
}

// TestRealisticJobFailures: a share of ALB jobs end Failed with a transient
// code, drawn from the seed: the same seed fails the same jobs.
func TestRealisticJobFailures(t *testing.T) {
	draws := func(seed int64) []int {
		m, err := newRealism(ProfileRealistic, 1, seed)
		if err != nil {
			t.Fatal(err)
		}
		var failed []int
		for i := range 2000 {
			if f := m.failJob(); f != nil {
				if !slices.Contains(jobFailCodes, f.code) || f.message == "" {
					t.Fatalf("failure %+v", f)
				}
				failed = append(failed, i)
			}
		}
		return failed
	}
	a, b := draws(7), draws(7)
	if !slices.Equal(a, b) {
		t.Fatal("the same seed failed other jobs")
	}
	if share := float64(len(a)) / 2000; share < 0.03 || share > 0.07 {
		t.Fatalf("%.3f of jobs failed, want about %.2f", share, jobFailShare)
	}

	// Through the SDK: the first seed whose first draw fails.
	seed := int64(0)
	for ; ; seed++ {
		if m, _ := newRealism(ProfileRealistic, 1, seed); m.failJob() != nil {
			break
		}
	}
	clock := &testClock{now: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
	ts, c := newALBClient(t, Options{Profile: ProfileRealistic, FaultSeed: seed, Now: clock.Now})
	cg, err := c.CreateServerGroup(&alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("web"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(),
	})
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(20 * time.Second)
	jobs, err := c.ListAsynJobs(&alb.ListAsynJobsRequest{JobIds: []*string{cg.Body.JobId}})
	if err != nil {
		t.Fatal(err)
	}
	j := jobs.Body.Jobs[0]
	if tea.StringValue(j.Status) != "Failed" || !slices.Contains(jobFailCodes, tea.StringValue(j.ErrorCode)) {
		t.Fatalf("job %v, want Failed with one of %v", j, jobFailCodes)
	}
	if n := len(ts.Snapshot().ALB.ServerGroups); n != 0 {
		t.Fatalf("%d server groups after the failed create, want it undone", n)
	}
	if calls := ts.Calls(); !calls[0].Injected || !slices.Contains(calls[0].Faults, ProfileRealistic) {
		t.Fatalf("the write's log entry %+v does not say the profile failed its job", calls[0])
	}
}

// TestRealisticRefusesAsyncDuration: the realistic profile draws its own
// durations, so an AsyncDuration with it is refused rather than ignored.
func TestRealisticRefusesAsyncDuration(t *testing.T) {
	_, err := New(Options{Seed: DemoSeed(), Profile: ProfileRealistic, AsyncDuration: 2 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "AsyncDuration 2s does not apply to the realistic profile") || !strings.Contains(err.Error(), "TimeScale") {
		t.Fatalf("New(realistic, AsyncDuration 2s): %v", err)
	}
	if _, err := New(Options{Seed: DemoSeed(), Profile: ProfileFast, AsyncDuration: 2 * time.Second}); err != nil {
		t.Fatalf("New(fast, AsyncDuration 2s): %v", err)
	}
}
