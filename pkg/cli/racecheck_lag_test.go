package cli_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// TestConcurrentUpCLBUnderReadAfterWriteLag: two `up`s of one CLB stack,
// started together against the realistic profile (time scale 0.25: a new
// vServer group is missing from reads for 0.25-0.75 s, drawn per group),
// both create the stack's vServer group. The fake's state must then show
// exactly one stack group, the one every listener forwards to, holding all
// the servers. A race check that decides on the first list after its
// create (which under this lag shows neither group) keeps both. One that
// waits for a list showing its own group is not enough either: the earlier
// group may stay hidden longer than the later one, so the later run keeps
// its copy; the earlier run, which then sees that copy, must find out
// whether its run kept it (a listener forwards to it) or removes it.
func TestConcurrentUpCLBUnderReadAfterWriteLag(t *testing.T) {
	t.Parallel()
	for _, seed := range []int64{1, 2, 3, 4, 5, 6, 7, 8} {
		t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) {
			t.Parallel()
			e := newRealisticEnv(t, realisticScale["clb"], seed)
			e.write(clbStack("clb"))
			e.fc.ResetCalls()
			var wg sync.WaitGroup
			codes := make([]int, 2)
			outs := make([]string, 2)
			for i := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var out, errb bytes.Buffer
					codes[i] = e.runCLI(t.Context(), []string{"up", "--lb", "clb", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL()},
						cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{})
					outs[i] = errb.String()
				}()
			}
			wg.Wait()
			var created, reads int
			for _, c := range e.fc.Calls() {
				switch {
				case c.Action == "CreateVServerGroup" && c.Status == 200:
					created++
					t.Logf("created %s, hidden from reads for %.0f ms", c.Params["VServerGroupName"], c.HiddenMS)
				case c.Action == "DescribeVServerGroups":
					reads++
				}
			}
			t.Logf("%d groups created, %d DescribeVServerGroups by both runs", created, reads)
			st := e.fc.Snapshot()
			var groups []*fakecloud.CLBVServerGroup
			for _, g := range st.CLB.VServerGroups {
				if tagged(g.Tags, "chat") {
					groups = append(groups, g)
				}
			}
			if len(groups) != 1 {
				t.Fatalf("%d stack vServer groups after two concurrent ups, want 1 (%d created)\nrun 1:\n%s\nrun 2:\n%s", len(groups), created, outs[0], outs[1])
			}
			if created < 2 {
				t.Logf("only %d group created: the runs did not race on the group this time", created)
			}
			if n := len(groups[0].Servers); n != 2 {
				t.Errorf("the kept group %s holds %d servers, want 2", groups[0].ID, n)
			}
			for _, l := range st.CLB.Listeners {
				if tagged(l.Tags, "chat") && l.VServerGroupID != groups[0].ID {
					t.Errorf("listener %d forwards to %s, want the kept group %s", l.Port, l.VServerGroupID, groups[0].ID)
				}
			}
			for i, c := range codes {
				if c != 0 && !strings.Contains(outs[i], "To fix:") {
					t.Fatalf("run %d failed without a clear message:\n%s", i+1, outs[i])
				}
				if c != 0 {
					t.Logf("run %d backed off:\n%s", i+1, outs[i])
				}
			}
		})
	}
}
