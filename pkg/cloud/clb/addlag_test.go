package clb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// TestAddServersLostAnswerToAGroupStillHidden: the answer to the first
// AddVServerGroupBackendServers on a group just created is lost after the
// cloud added the servers, while reads lag behind writes (the realistic
// profile at time scale 1: a new group is missing from reads, by ID too,
// for 1-3 s: DescribeVServerGroupAttribute answers 404). The look-up for
// what the add did must wait for the group to show, as the look-up after a
// lost group create does. It read the group once and took the 404 for "not
// added": the add went again (it met "already in vServer group", or the
// write quota), each look-up still read 404, and the add failed.
func TestAddServersLostAnswerToAGroupStillHidden(t *testing.T) {
	lost := lostAnswers("AddVServerGroupBackendServers")
	batch := []resource.Backend{{InstanceID: "i-fake01", Port: 5000, Weight: 100}, {InstanceID: "i-fake02", Port: 5000, Weight: 100}}
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
				id, err := x.StartGroup(ctx, "lb-fake01", resource.ServerGroup{Name: "wsdeploy-t", Tags: owner}, "", nil)
				if err != nil {
					t.Fatal(err)
				}
				if err := x.AddServers(ctx, id, batch, "", nil); err != nil {
					t.Fatalf("add servers to %s: %v", id, err)
				}
				got, err := x.Settle(ctx, id, nil)
				if err != nil {
					t.Fatal(err)
				}
				adds, committed := 0, 0
				for _, call := range fc.Calls() {
					if call.Action == "AddVServerGroupBackendServers" {
						adds++
						if call.Committed {
							committed++
						}
					}
				}
				if committed != 1 {
					t.Fatalf("%d adds lost after committing, want 1", committed)
				}
				if adds != 1 {
					t.Errorf("AddVServerGroupBackendServers sent %d times, want once: the lost add found by the look-up", adds)
				}
				if gs := groupsNamed(fc, "wsdeploy-t"); len(gs) != 1 || gs[0].ID != got {
					t.Fatalf("%d groups in the cloud, settled on %s: want one", len(gs), got)
				}
				if s := serversOf(fc, got); !slices.Equal(s, []string{"i-fake01", "i-fake02"}) {
					t.Errorf("servers of %s: %v, want i-fake01 and i-fake02", got, s)
				}
			})
		}
	}
}
