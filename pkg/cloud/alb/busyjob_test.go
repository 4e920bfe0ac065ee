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

// busyJob makes the next job of action fail with code, a busy code
// (times: 0 = every time).
func busyJob(action, code string, times int) fakecloud.Fault {
	return fakecloud.Fault{Name: "busy job", Product: "alb", Action: action, JobFails: true, Code: code, Times: times}
}

// TestExecutorSendsAgainAfterABusyJob: when the step's own job fails because
// something was busy (as a share of real ALB jobs do), the step is sent again
// with the next token of the chain and succeeds, leaving exactly what it
// should: one group, one listener, the servers once.
func TestExecutorSendsAgainAfterABusyJob(t *testing.T) {
	alb.SetBusyPause(t, 10*time.Millisecond)
	ctx := context.Background()
	batch := []resource.Backend{{InstanceID: "i-fake01", Port: 5000, Weight: 100}}
	steps := []struct {
		action, code string
		run          func(x alb.Executor, gid, lid string) error
		want         string
	}{
		{"CreateServerGroup", "Conflict.Lock", func(x alb.Executor, _, _ string) error {
			g := group()
			g.Name = "wsdeploy-new"
			_, err := x.CreateGroup(ctx, "alb-fake01", g, "tok", nil)
			return err
		}, "groups 2 listeners 1 servers 0"},
		{"AddServersToServerGroup", "SystemBusy", func(x alb.Executor, gid, _ string) error {
			return x.AddServers(ctx, gid, batch, "tok", nil)
		}, "groups 1 listeners 1 servers 1"},
		{"CreateListener", "IncorrectStatus.LoadBalancer", func(x alb.Executor, gid, _ string) error {
			s := httpListener()
			s.Port = 6000
			_, err := x.CreateListener(ctx, "alb-fake01", s, gid, "tok", nil)
			return err
		}, "groups 1 listeners 2 servers 0"},
		{"DeleteListener", "Conflict.Lock", func(x alb.Executor, _, lid string) error {
			return x.DeleteListener(ctx, "alb-fake01", resource.Listener{ID: lid}, "tok", nil)
		}, "groups 1 listeners 0 servers 0"},
	}
	for _, s := range steps {
		t.Run(s.action, func(t *testing.T) {
			t.Parallel()
			c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: jobAsync}, alb.New)
			x := c.Executor()
			gid, lid := groupWithListener(t, x)
			if err := fc.SetFaults([]fakecloud.Fault{busyJob(s.action, s.code, 1)}); err != nil {
				t.Fatal(err)
			}
			fc.ResetCalls()
			if err := s.run(x, gid, lid); err != nil {
				t.Fatalf("%s: %v", s.action, err)
			}
			failed := failedJobIDs(fc, s.action)
			if len(failed) != 1 {
				t.Fatalf("failed jobs %v, want one", failed)
			}
			if got, want := fmt.Sprint(writes(fc, s.action)), fmt.Sprint([]string{"tok", alb.NextToken("tok", failed[0])}); got != want {
				t.Fatalf("sent %s, want %s", got, want)
			}
			n := 0
			for _, g := range liveGroups(fc) {
				n += len(g.Servers)
			}
			if got := fmt.Sprintf("groups %d listeners %d servers %d", len(liveGroups(fc)), len(liveListeners(fc)), n); got != s.want {
				t.Fatalf("after the step: %s, want %s", got, s.want)
			}
		})
	}
}

// TestExecutorBusyResendsAreBounded: a job that keeps failing as busy is
// sent again at most MaxBusyResends times, then reported.
func TestExecutorBusyResendsAreBounded(t *testing.T) {
	alb.SetBusyPause(t, time.Millisecond)
	c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: jobAsync, Faults: []fakecloud.Fault{busyJob("CreateServerGroup", "SystemBusy", 0)}}, alb.New)
	_, err := c.Executor().CreateGroup(context.Background(), "alb-fake01", group(), "tok", nil)
	var jf *alb.JobFailedError
	failed := failedJobIDs(fc, "CreateServerGroup")
	if !errors.As(err, &jf) || jf.Code != "SystemBusy" || len(failed) != alb.MaxBusyResends+1 || jf.JobID != failed[len(failed)-1] {
		t.Fatalf("%v after %d failed jobs, want the last of %d", err, len(failed), alb.MaxBusyResends+1)
	}
}

// TestExecutorUsesTheGroupABusyJobLeftBehind: the references do not say
// that a failed job undoes its change. When the group a failed create named
// is there all the same (the fake is made to leave it), the step uses it
// instead of creating a second one.
func TestExecutorUsesTheGroupABusyJobLeftBehind(t *testing.T) {
	alb.SetBusyPause(t, 10*time.Millisecond)
	c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: jobAsync, Faults: []fakecloud.Fault{busyJob("CreateServerGroup", "Conflict.Lock", 1)}}, alb.New)
	leave := func(status string, _ time.Duration) {
		if !strings.Contains(status, "(busy)") {
			return
		}
		jobs := failedJobIDs(fc, "CreateServerGroup")
		err := fc.Update(func(st *fakecloud.State) error {
			for _, j := range st.ALB.Jobs {
				if len(jobs) == 1 && j.ID == jobs[0] {
					st.ALB.ServerGroups = append(st.ALB.ServerGroups, &fakecloud.ALBServerGroup{
						ID: j.ResourceID, Name: "wsdeploy-t", Type: "Instance", VpcID: "vpc-fake01", Protocol: "HTTP", Scheduler: "Wrr",
						Tags: []fakecloud.Tag{{Key: resource.OwnerTagKey, Value: "t"}},
					})
				}
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
	id, err := c.Executor().CreateGroup(context.Background(), "alb-fake01", group(), "tok", leave)
	if err != nil {
		t.Fatal(err)
	}
	groups := liveGroups(fc)
	if len(groups) != 1 || groups[id] == nil {
		t.Fatalf("step returned %s; groups %v, want just that one", id, groups)
	}
	if n := cloudtest.Count(fc, "CreateServerGroup"); n != 1 {
		t.Fatalf("CreateServerGroup sent %d times, want once", n)
	}
}
