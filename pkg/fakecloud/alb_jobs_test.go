package fakecloud

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// albJobEnv is a fake cloud with a hand-moved clock and a real ALB client.
type albJobEnv struct {
	t     *testing.T
	ts    *TestServer
	c     *alb.Client
	clock *testClock
}

func newALBJobEnv(t *testing.T, opts Options) *albJobEnv {
	t.Helper()
	clock := &testClock{now: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
	opts.AsyncDuration, opts.Now = albTestAsync, clock.Now
	ts, c := newALBClient(t, opts)
	return &albJobEnv{t: t, ts: ts, c: c, clock: clock}
}

var albRT = &dara.RuntimeOptions{}

// job returns the one job ListAsynJobs reports for id.
func (e *albJobEnv) job(id *string) *alb.ListAsynJobsResponseBodyJobs {
	e.t.Helper()
	out, err := e.c.ListAsynJobsWithContext(context.Background(), &alb.ListAsynJobsRequest{JobIds: []*string{id}}, albRT)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(out.Body.Jobs) != 1 {
		e.t.Fatalf("ListAsynJobs %s: %d jobs", tea.StringValue(id), len(out.Body.Jobs))
	}
	return out.Body.Jobs[0]
}

// settle makes an ALB call, which brings the world to the current clock.
func (e *albJobEnv) settle() {
	e.t.Helper()
	if _, err := e.c.ListAsynJobsWithContext(context.Background(), &alb.ListAsynJobsRequest{}, albRT); err != nil {
		e.t.Fatal(err)
	}
}

// createGroup creates a server group and waits for its job.
func (e *albJobEnv) createGroup(name string) string {
	e.t.Helper()
	out, err := e.c.CreateServerGroupWithContext(context.Background(), &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String(name), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(),
	}, albRT)
	if err != nil {
		e.t.Fatal(err)
	}
	e.clock.Add(albTestAsync)
	return tea.StringValue(out.Body.ServerGroupId)
}

func (e *albJobEnv) createListener(port int32, group string) *alb.CreateListenerResponseBody {
	e.t.Helper()
	out, err := e.c.CreateListenerWithContext(context.Background(), &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(port),
		DefaultActions: []*alb.CreateListenerRequestDefaultActions{{
			Type: tea.String("ForwardGroup"),
			ForwardGroupConfig: &alb.CreateListenerRequestDefaultActionsForwardGroupConfig{
				ServerGroupTuples: []*alb.CreateListenerRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: tea.String(group)}},
			},
		}},
	}, albRT)
	if err != nil {
		e.t.Fatal(err)
	}
	return out.Body
}

// TestALBJobFailsCreateListener: a JobFails rule lets CreateListener answer
// its JobId; the job shows Processing, then Failed with the rule's code and
// the SDK's ErrorCode/ErrorMessage fields, and the listener is gone. The
// state file keeps the failure; the next call (times: 1) succeeds.
func TestALBJobFailsCreateListener(t *testing.T) {
	e := newALBJobEnv(t, Options{
		StatePath: filepath.Join(t.TempDir(), "state.json"), Seed: DemoSeed(),
		Faults: []Fault{{Name: "listener job fails", Product: "alb", Action: "CreateListener", JobFails: true,
			Code: "Conflict.Lock", Times: 1}},
	})
	group := e.createGroup("web")
	created := e.createListener(80, group)
	if tea.StringValue(created.JobId) == "" || tea.StringValue(created.ListenerId) == "" {
		t.Fatalf("CreateListener answered %v", created)
	}
	if j := e.job(created.JobId); tea.StringValue(j.Status) != "Processing" || j.ErrorCode != nil {
		t.Fatalf("job while running: %v", j)
	}
	get := func() (*alb.GetListenerAttributeResponse, error) {
		return e.c.GetListenerAttributeWithContext(context.Background(), &alb.GetListenerAttributeRequest{ListenerId: created.ListenerId}, albRT)
	}
	if l, err := get(); err != nil || tea.StringValue(l.Body.ListenerStatus) != "Provisioning" {
		t.Fatalf("listener while the job runs: %v %v", l, err)
	}

	e.clock.Add(albTestAsync)
	j := e.job(created.JobId)
	if tea.StringValue(j.Status) != "Failed" || tea.StringValue(j.ErrorCode) != "Conflict.Lock" ||
		tea.StringValue(j.ErrorMessage) != "The resource is locked by another request, please try again later." ||
		tea.StringValue(j.ApiName) != "CreateListener" || tea.StringValue(j.ResourceId) != tea.StringValue(created.ListenerId) ||
		tea.Int64Value(j.ModifyTime) != tea.Int64Value(j.CreateTime)+albTestAsync.Milliseconds() {
		t.Fatalf("failed job: %v", j)
	}
	_, err := get()
	wantSDKError(t, err, http.StatusNotFound, "ResourceNotFound.Listener")
	st := e.ts.Snapshot()
	if len(st.ALB.Listeners) != 0 {
		t.Fatalf("listeners after the failed create: %+v", st.ALB.Listeners)
	}
	var failed []*ALBJob
	for _, j := range st.ALB.Jobs {
		if j.Failure != nil {
			failed = append(failed, j)
		}
	}
	if len(failed) != 1 || failed[0].ID != tea.StringValue(created.JobId) || !failed[0].Failure.RolledBack {
		t.Fatalf("jobs in the state: %+v", st.ALB.Jobs)
	}
	var logged []string
	for _, c := range e.ts.Calls() {
		if c.Injected {
			logged = append(logged, fmt.Sprintf("%s %d %v", c.Action, c.Status, c.Faults))
		}
	}
	if fmt.Sprint(logged) != "[CreateListener 200 [listener job fails]]" {
		t.Fatalf("calls the rule fired on: %v", logged)
	}

	// The rule fired once: a second try succeeds.
	again := e.createListener(80, group)
	e.clock.Add(albTestAsync)
	if j := e.job(again.JobId); tea.StringValue(j.Status) != "Succeeded" || j.ErrorCode != nil {
		t.Fatalf("second job: %v", j)
	}
	if l, err := e.c.GetListenerAttributeWithContext(context.Background(), &alb.GetListenerAttributeRequest{ListenerId: again.ListenerId}, albRT); err != nil ||
		tea.StringValue(l.Body.ListenerStatus) != "Running" {
		t.Fatalf("listener after the second try: %v %v", l, err)
	}
}

// TestALBJobFailsRollsBack: every kind of job write, made to fail, leaves the
// resource as it was once the job has ended, but keeps the tags set meanwhile
// (tagging is synchronous and no part of the job).
func TestALBJobFailsRollsBack(t *testing.T) {
	ctx := context.Background()
	servers := func(port int32) []*alb.AddServersToServerGroupRequestServers {
		return []*alb.AddServersToServerGroupRequestServers{{ServerType: tea.String("Ecs"), ServerId: tea.String("i-fake01"), Port: tea.Int32(port)}}
	}
	type world struct {
		groups, listeners string
	}
	look := func(st State) world {
		var w world
		for _, g := range st.ALB.ServerGroups {
			w.groups += fmt.Sprintf("%s/%s/%s/%s", g.ID, g.Name, g.Scheduler, g.Transit)
			for _, s := range g.Servers {
				w.groups += fmt.Sprintf("[%s:%d w%d %s]", s.ServerID, s.Port, s.Weight, s.Transit)
			}
			w.groups += " "
		}
		for _, l := range st.ALB.Listeners {
			w.listeners += fmt.Sprintf("%s/%d/%s/%d/%s/%v ", l.ID, l.Port, l.Status, l.IdleTimeout, l.Transit, l.DefaultServerGroups)
		}
		return w
	}
	tests := []struct {
		action string
		write  func(e *albJobEnv, group, other, listener string) (*string, error)
	}{
		{"UpdateServerGroupAttribute", func(e *albJobEnv, group, _, _ string) (*string, error) {
			out, err := e.c.UpdateServerGroupAttributeWithContext(ctx, &alb.UpdateServerGroupAttributeRequest{
				ServerGroupId: tea.String(group), ServerGroupName: tea.String("renamed"), Scheduler: tea.String("Wlc"),
			}, albRT)
			return jobID(out, err, func() *string { return out.Body.JobId })
		}},
		{"AddServersToServerGroup", func(e *albJobEnv, group, _, _ string) (*string, error) {
			out, err := e.c.AddServersToServerGroupWithContext(ctx, &alb.AddServersToServerGroupRequest{ServerGroupId: tea.String(group), Servers: servers(5001)}, albRT)
			return jobID(out, err, func() *string { return out.Body.JobId })
		}},
		{"RemoveServersFromServerGroup", func(e *albJobEnv, group, _, _ string) (*string, error) {
			out, err := e.c.RemoveServersFromServerGroupWithContext(ctx, &alb.RemoveServersFromServerGroupRequest{
				ServerGroupId: tea.String(group),
				Servers:       []*alb.RemoveServersFromServerGroupRequestServers{{ServerType: tea.String("Ecs"), ServerId: tea.String("i-fake01"), Port: tea.Int32(5000)}},
			}, albRT)
			return jobID(out, err, func() *string { return out.Body.JobId })
		}},
		{"UpdateServerGroupServersAttribute", func(e *albJobEnv, group, _, _ string) (*string, error) {
			out, err := e.c.UpdateServerGroupServersAttributeWithContext(ctx, &alb.UpdateServerGroupServersAttributeRequest{
				ServerGroupId: tea.String(group),
				Servers: []*alb.UpdateServerGroupServersAttributeRequestServers{{
					ServerType: tea.String("Ecs"), ServerId: tea.String("i-fake01"), Port: tea.Int32(5000), Weight: tea.Int32(7),
				}},
			}, albRT)
			return jobID(out, err, func() *string { return out.Body.JobId })
		}},
		{"ReplaceServersInServerGroup", func(e *albJobEnv, group, _, _ string) (*string, error) {
			out, err := e.c.ReplaceServersInServerGroupWithContext(ctx, &alb.ReplaceServersInServerGroupRequest{
				ServerGroupId: tea.String(group),
				AddedServers: []*alb.ReplaceServersInServerGroupRequestAddedServers{{
					ServerType: tea.String("Ecs"), ServerId: tea.String("i-fake02"), Port: tea.Int32(5000),
				}},
				RemovedServers: []*alb.ReplaceServersInServerGroupRequestRemovedServers{{
					ServerType: tea.String("Ecs"), ServerId: tea.String("i-fake01"), Port: tea.Int32(5000),
				}},
			}, albRT)
			return jobID(out, err, func() *string { return out.Body.JobId })
		}},
		{"DeleteServerGroup", func(e *albJobEnv, _, other, _ string) (*string, error) {
			out, err := e.c.DeleteServerGroupWithContext(ctx, &alb.DeleteServerGroupRequest{ServerGroupId: tea.String(other)}, albRT)
			return jobID(out, err, func() *string { return out.Body.JobId })
		}},
		{"UpdateListenerAttribute", func(e *albJobEnv, _, other, listener string) (*string, error) {
			out, err := e.c.UpdateListenerAttributeWithContext(ctx, &alb.UpdateListenerAttributeRequest{
				ListenerId: tea.String(listener), IdleTimeout: tea.Int32(42),
				DefaultActions: []*alb.UpdateListenerAttributeRequestDefaultActions{{
					Type: tea.String("ForwardGroup"),
					ForwardGroupConfig: &alb.UpdateListenerAttributeRequestDefaultActionsForwardGroupConfig{
						ServerGroupTuples: []*alb.UpdateListenerAttributeRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: tea.String(other)}},
					},
				}},
			}, albRT)
			return jobID(out, err, func() *string { return out.Body.JobId })
		}},
		{"StopListener", func(e *albJobEnv, _, _, listener string) (*string, error) {
			out, err := e.c.StopListenerWithContext(ctx, &alb.StopListenerRequest{ListenerId: tea.String(listener)}, albRT)
			return jobID(out, err, func() *string { return out.Body.JobId })
		}},
		{"DeleteListener", func(e *albJobEnv, _, _, listener string) (*string, error) {
			out, err := e.c.DeleteListenerWithContext(ctx, &alb.DeleteListenerRequest{ListenerId: tea.String(listener)}, albRT)
			return jobID(out, err, func() *string { return out.Body.JobId })
		}},
		{"CreateServerGroup", func(e *albJobEnv, _, _, _ string) (*string, error) {
			out, err := e.c.CreateServerGroupWithContext(ctx, &alb.CreateServerGroupRequest{
				ServerGroupName: tea.String("new"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(),
			}, albRT)
			return jobID(out, err, func() *string { return out.Body.JobId })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			e := newALBJobEnv(t, Options{})
			group, other := e.createGroup("web"), e.createGroup("spare")
			if _, err := e.c.AddServersToServerGroupWithContext(ctx, &alb.AddServersToServerGroupRequest{ServerGroupId: tea.String(group), Servers: servers(5000)}, albRT); err != nil {
				t.Fatal(err)
			}
			e.clock.Add(albTestAsync)
			listener := tea.StringValue(e.createListener(80, group).ListenerId)
			e.clock.Add(albTestAsync)
			e.settle()
			before := look(e.ts.Snapshot())

			if err := e.ts.SetFaults([]Fault{{Product: "alb", Action: tt.action, JobFails: true, Code: "InternalError", Message: "backend exploded"}}); err != nil {
				t.Fatal(err)
			}
			id, err := tt.write(e, group, other, listener)
			if err != nil {
				t.Fatalf("%s: %v", tt.action, err)
			}
			if during := look(e.ts.Snapshot()); during == before {
				t.Fatalf("%s changed nothing while its job ran: %+v", tt.action, during)
			}
			// Tags set while the job runs stay.
			target, typ := group, "servergroup"
			if strings.Contains(tt.action, "Listener") {
				target, typ = listener, "listener"
			} else if tt.action == "DeleteServerGroup" {
				target = other
			}
			if tt.action != "CreateServerGroup" {
				if _, err := e.c.TagResourcesWithContext(ctx, &alb.TagResourcesRequest{
					ResourceType: tea.String(typ), ResourceId: []*string{tea.String(target)},
					Tag: []*alb.TagResourcesRequestTag{{Key: tea.String("during"), Value: tea.String("job")}},
				}, albRT); err != nil {
					t.Fatal(err)
				}
			}

			e.clock.Add(albTestAsync)
			j := e.job(id)
			if tea.StringValue(j.Status) != "Failed" || tea.StringValue(j.ErrorCode) != "InternalError" || tea.StringValue(j.ErrorMessage) != "backend exploded" {
				t.Fatalf("job: %v", j)
			}
			st := e.ts.Snapshot()
			if after := look(st); after != before {
				t.Fatalf("after the failed %s:\n got  %+v\n want %+v", tt.action, after, before)
			}
			if tt.action != "CreateServerGroup" {
				tags, err := albTaggable(&st, typ, target)
				if err != nil || fmt.Sprint(*tags) != "[{during job}]" {
					t.Fatalf("tags of %s after the rollback: %v %v", target, tags, err)
				}
			}
		})
	}
}

// jobID returns the JobId of a write's answer, or its error.
func jobID[T any](out *T, err error, id func() *string) (*string, error) {
	if err != nil {
		return nil, err
	}
	return id(), nil
}

// TestALBJobFailsOnlyJobWrites: a JobFails rule without an action matches
// only the ALB writes that start a job: reads and tagging go through
// uncounted, and a DryRun counts but starts no job.
func TestALBJobFailsOnlyJobWrites(t *testing.T) {
	e := newALBJobEnv(t, Options{Faults: []Fault{{Product: "alb", JobFails: true, Code: "InternalError"}}})
	ctx := context.Background()
	if _, err := e.c.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{}, albRT); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.TagResourcesWithContext(ctx, &alb.TagResourcesRequest{
		ResourceType: tea.String("loadbalancer"), ResourceId: []*string{tea.String("alb-fake01")},
		Tag: []*alb.TagResourcesRequestTag{{Key: tea.String("k"), Value: tea.String("v")}},
	}, albRT); err != nil {
		t.Fatal(err)
	}
	if got := e.ts.Faults()[0]; got.Matched != 0 || got.Fired != 0 {
		t.Fatalf("counters after a read and a tag call: %+v", got)
	}
	req := &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("web"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(), DryRun: tea.Bool(true),
	}
	_, err := e.c.CreateServerGroupWithContext(ctx, req, albRT)
	wantSDKError(t, err, http.StatusBadRequest, "DryRunOperation")
	if st := e.ts.Snapshot(); len(st.ALB.Jobs) != 0 || len(st.ALB.ServerGroups) != 0 {
		t.Fatalf("a dry run left jobs %v, groups %v", st.ALB.Jobs, st.ALB.ServerGroups)
	}
	req.DryRun = nil
	out, err := e.c.CreateServerGroupWithContext(ctx, req, albRT)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(albTestAsync)
	if j := e.job(out.Body.JobId); tea.StringValue(j.Status) != "Failed" {
		t.Fatalf("job: %v", j)
	}
	if got := e.ts.Faults()[0]; got.Matched != 2 || got.Fired != 2 {
		t.Fatalf("counters after a dry run and a create: %+v", got)
	}
}

// TestALBJobFailsClientToken: a repeat with the ClientToken of a write whose
// job failed answers that failed job again (the fake's stricter choice): a
// client must send a new token to try again.
func TestALBJobFailsClientToken(t *testing.T) {
	e := newALBJobEnv(t, Options{Faults: []Fault{{Product: "alb", Action: "CreateServerGroup", JobFails: true, Code: "InternalError", Times: 1}}})
	ctx := context.Background()
	req := &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("web"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(), ClientToken: tea.String("tok-1"),
	}
	first, err := e.c.CreateServerGroupWithContext(ctx, req, albRT)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(albTestAsync)
	again, err := e.c.CreateServerGroupWithContext(ctx, req, albRT)
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(again.Body.JobId) != tea.StringValue(first.Body.JobId) || tea.StringValue(e.job(again.Body.JobId).Status) != "Failed" {
		t.Fatalf("repeat answered %v, first %v", again.Body, first.Body)
	}
	req.ClientToken = tea.String("tok-2")
	fresh, err := e.c.CreateServerGroupWithContext(ctx, req, albRT)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(albTestAsync)
	if j := e.job(fresh.Body.JobId); tea.StringValue(j.Status) != "Succeeded" {
		t.Fatalf("job with a new token: %v", j)
	}
	if st := e.ts.Snapshot(); len(st.ALB.ServerGroups) != 1 || st.ALB.ServerGroups[0].ID != tea.StringValue(fresh.Body.ServerGroupId) {
		t.Fatalf("groups: %+v", st.ALB.ServerGroups)
	}
}

func TestParseFaultsJobFails(t *testing.T) {
	fs, err := ParseFaults([]byte("- {product: alb, action: DeleteListener, jobFails: true, code: Conflict.Lock, message: busy}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Fault{Product: "alb", Action: "DeleteListener", JobFails: true, Code: "Conflict.Lock", Message: "busy"}
	if len(fs.Faults) != 1 || fmt.Sprint(fs.Faults[0]) != fmt.Sprint(want) {
		t.Fatalf("parsed %+v", fs.Faults)
	}
	// A code without a default HTTP status is fine: the call itself succeeds.
	if _, err := ParseFaults([]byte(`[{"product": "alb", "jobFails": true, "code": "Made.Up"}]`)); err != nil {
		t.Fatal(err)
	}
	bad := []struct{ doc, want string }{
		{"- {jobFails: true, code: X}\n", "jobFails needs product alb"},
		{"- {product: slb, action: CreateVServerGroup, jobFails: true, code: X}\n", "jobFails needs product alb"},
		{"- {product: alb, action: ListListeners, jobFails: true, code: X}\n", `action "ListListeners" does not start an ALB job; use one of AddServersToServerGroup, CreateListener,`},
		{"- {product: alb, action: TagResources, jobFails: true, code: X}\n", "does not start an ALB job"},
		{"- {product: alb, jobFails: true}\n", "jobFails needs the code the job fails with"},
		{"- {product: alb, jobFails: true, code: X, drop: true}\n", "jobFails lets the call succeed"},
		{"- {product: alb, jobFails: true, code: X, httpStatus: 500}\n", "jobFails lets the call succeed"},
		{"- {product: alb, jobFails: true, code: X, commitThenFail: true}\n", "jobFails lets the call succeed"},
	}
	for _, tt := range bad {
		_, err := ParseFaults([]byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseFaults(%q) = %v, want an error containing %q", tt.doc, err, tt.want)
		}
	}
}
