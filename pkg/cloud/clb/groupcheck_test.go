package clb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func serversOf(fc *fakecloud.TestServer, id string) []string {
	var out []string
	for _, g := range fc.Snapshot().CLB.VServerGroups {
		if g.ID == id {
			for _, s := range g.Servers {
				out = append(out, s.ServerID)
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestExecutorServersAddedDuringTheCheckFollowIt: servers added to a new
// group while its race check runs (StartGroup, then AddServers before
// Settle) end up in the group every run keeps. Without a race they stay in
// the new group, at the cost of the create, one list and the add; when
// another run's group won, whichever of AddServers and Settle ends last
// removes the copy, and the servers are in the winner, whatever the order.
func TestExecutorServersAddedDuringTheCheckFollowIt(t *testing.T) {
	batch := []resource.Backend{{InstanceID: "i-fake01", Port: 5000, Weight: 100}, {InstanceID: "i-fake02", Port: 5000, Weight: 100}}
	want := []string{"i-fake01", "i-fake02"}
	spec := resource.ServerGroup{Name: "wsdeploy-t", Tags: owner}
	ctx := context.Background()

	t.Run("no race", func(t *testing.T) {
		c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: 20 * time.Millisecond}, clb.New)
		x := c.Executor()
		mine, err := x.StartGroup(ctx, "lb-fake01", spec, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.AddServers(ctx, mine, batch, "", nil); err != nil {
			t.Fatal(err)
		}
		got, err := x.Settle(ctx, mine, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got != mine || !slices.Equal(serversOf(fc, mine), want) {
			t.Fatalf("settled on %s (created %s) with servers %v", got, mine, serversOf(fc, mine))
		}
		for action, n := range map[string]int{"CreateVServerGroup": 1, "DescribeVServerGroups": 1, "AddVServerGroupBackendServers": 1, "DeleteVServerGroup": 0} {
			if got := cloudtest.Count(fc, action); got != n {
				t.Errorf("%s sent %d times, want %d", action, got, n)
			}
		}
	})
	for _, settleFirst := range []bool{false, true} {
		name := "race, servers added first"
		if settleFirst {
			name = "race, settled first"
		}
		t.Run(name, func(t *testing.T) {
			c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: 20 * time.Millisecond}, clb.New)
			first, err := c.CreateGroup(ctx, "lb-fake01", "wsdeploy-t", owner) // the other run's
			if err != nil {
				t.Fatal(err)
			}
			x := c.Executor()
			mine, err := x.StartGroup(ctx, "lb-fake01", spec, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			if settleFirst {
				if got, err = x.Settle(ctx, mine, nil); err != nil {
					t.Fatal(err)
				}
			}
			if err := x.AddServers(ctx, mine, batch, "", nil); err != nil {
				t.Fatal(err)
			}
			if !settleFirst {
				if got, err = x.Settle(ctx, mine, nil); err != nil {
					t.Fatal(err)
				}
			}
			if got != first {
				t.Errorf("settled on %s, want the other run's %s", got, first)
			}
			if gs := groupsNamed(fc, "wsdeploy-t"); len(gs) != 1 || gs[0].ID != first {
				t.Fatalf("%d groups left, want only %s", len(gs), first)
			}
			if s := serversOf(fc, first); !slices.Equal(s, want) {
				t.Errorf("servers of %s: %v, want %v", first, s, want)
			}
		})
	}
}
