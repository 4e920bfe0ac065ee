package clb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// TestStartGroupLostAnswerUnderLag: the answer to CreateVServerGroup is
// lost after the cloud made the group (a dropped connection, or a 503),
// and lists lag behind writes (the realistic profile at time scale 1: a new
// group is missing from them for 1-3 s). The look-up for what the create
// made must wait until the list can show it, as the race check does: one
// look right after the lost answer does not show the group, and sending
// the create again made a second group. With seed 1 the race check then
// removed the second (a create and a delete for nothing); with seed 4 the
// lost group stayed hidden longer than the second, so the check kept the
// second and left the first behind.
func TestStartGroupLostAnswerUnderLag(t *testing.T) {
	lost := lostAnswers("CreateVServerGroup")
	for name, rule := range lost {
		for _, seed := range []int64{1, 4} {
			t.Run(fmt.Sprintf("%s/seed-%d", name, seed), func(t *testing.T) {
				t.Parallel()
				c, fc := cloudtest.Client(t, fakecloud.Options{Profile: fakecloud.ProfileRealistic, TimeScale: 1, FaultSeed: seed}, clb.New)
				if err := fc.AddFaults(rule); err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				x := c.Executor()
				mine, err := x.StartGroup(ctx, "lb-fake01", resource.ServerGroup{Name: "wsdeploy-t", Tags: owner}, "", nil)
				if err != nil {
					t.Fatal(err)
				}
				got, err := x.Settle(ctx, mine, nil)
				if err != nil {
					t.Fatal(err)
				}
				var creates, committed, deletes int
				for _, call := range fc.Calls() {
					switch call.Action {
					case "CreateVServerGroup":
						creates++
						if call.Committed {
							committed++
						}
					case "DeleteVServerGroup":
						deletes++
					}
				}
				if committed != 1 {
					t.Fatalf("%d creates lost after committing, want 1", committed)
				}
				if creates != 1 || deletes != 0 {
					t.Errorf("%d CreateVServerGroup and %d DeleteVServerGroup, want the lost create alone: its group found, not made again", creates, deletes)
				}
				if gs := groupsNamed(fc, "wsdeploy-t"); len(gs) != 1 || gs[0].ID != got || got != mine {
					t.Fatalf("%d groups in the cloud; StartGroup gave %s, Settle %s: want one, the one the lost create made", len(gs), mine, got)
				}
			})
		}
	}
}

// TestStartGroupLostAnswerWhileAnotherRunCreates: this run's
// CreateVServerGroup answer is lost after the cloud made the group, and
// another run of the stack created its group (and settled on it) just
// before. The look-up finds two groups of the stack and cannot tell which
// one is this run's. Every run keeps the earliest; the later one may be
// this run's, so this run removes it: taking the lowest ID for its own
// left its own, later group behind once the check's wait for it ended.
// (The check's wait is 2 s here instead of 30 s.)
func TestStartGroupLostAnswerWhileAnotherRunCreates(t *testing.T) {
	fc, cfg := cloudtest.Fake(t, fakecloud.Options{AsyncDuration: 20 * time.Millisecond})
	ctx := context.Background()
	spec := resource.ServerGroup{Name: "wsdeploy-t", Tags: owner}
	other, err := clb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var theirs string
	var theirErr error
	otherDone := make(chan struct{})
	mineCfg := interpose(t, cfg, "CreateVServerGroup", func(forward func()) {
		theirs, theirErr = other.Executor().CreateGroup(ctx, "lb-fake01", spec, "", nil)
		close(otherDone)
		forward()
	})
	if err := fc.AddFaults(fakecloud.Fault{Product: "slb", Action: "CreateVServerGroup", After: 1, Times: 1, CommitThenFail: true, Code: "ServiceUnavailable", HTTPStatus: 503}); err != nil {
		t.Fatal(err)
	}
	mine, err := clb.New(mineCfg)
	if err != nil {
		t.Fatal(err)
	}
	x := mine.Executor()
	x.GroupCheckWait = 2 * time.Second
	id, err := x.StartGroup(ctx, "lb-fake01", spec, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.AddServers(ctx, id, []resource.Backend{{InstanceID: "i-fake01", Port: 5000, Weight: 100}}, "", nil); err != nil {
		t.Fatal(err)
	}
	got, err := x.Settle(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-otherDone:
	default:
		t.Fatal("this run's create never went through the interposer")
	}
	if theirErr != nil {
		t.Fatalf("the other run: %v", theirErr)
	}
	var lost, answered int
	for _, c := range fc.Calls() {
		switch {
		case c.Action != "CreateVServerGroup":
		case c.Committed:
			lost++
		case c.Status == 200:
			answered++
		}
	}
	if lost != 1 || answered != 1 {
		t.Fatalf("%d creates lost after committing and %d answered, want 1 and 1", lost, answered)
	}
	gs := groupsNamed(fc, "wsdeploy-t")
	if len(gs) != 1 || gs[0].ID != got || got != theirs {
		var ids []string
		for _, g := range gs {
			ids = append(ids, g.ID)
		}
		t.Fatalf("groups %v; this run settled on %s, the other on %s: want one, used by both", ids, got, theirs)
	}
	if s := serversOf(fc, got); len(s) != 1 {
		t.Errorf("servers of %s: %v, want this run's i-fake01", got, s)
	}
}

// lostAnswers are the two ways a CLB write's answer is lost after the cloud
// made it, once each: a dropped connection, and a 503.
func lostAnswers(action string) map[string]fakecloud.Fault {
	return map[string]fakecloud.Fault{
		"dropped": {Product: "slb", Action: action, CommitThenFail: true, Drop: true, Times: 1},
		"503":     {Product: "slb", Action: action, CommitThenFail: true, Code: "ServiceUnavailable", HTTPStatus: 503, Times: 1},
	}
}
