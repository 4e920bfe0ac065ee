package cli_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// TestConcurrentUpCreatesOneCLB: two `up`s of a stack with clb.create at
// the same moment; both plans have no CLB. The fake holds a call of the
// first run, and the second run starts then:
//   - "create": the first run's CreateLoadBalancer is held; the second run
//     creates one, then the first's create goes through too. The run whose
//     CLB was created later deletes it and goes on with the other.
//   - "list before create": the first run's look-up right before its
//     create is held (the second DescribeLoadBalancers, after the plan's);
//     it then finds the second run's CLB and uses it instead of creating.
//   - "create, answer lost": as "create", and the first run's create, once
//     it went through, loses its answer (the connection is dropped). Its
//     look-up finds two new CLBs and cannot tell which one is its own: it
//     keeps the earlier one, as the second run does, and deletes the other
//     (taking the lowest ID for its own left its own CLB behind).
//
// Either way the stack ends with one CLB (and, after one more up,
// everything on it, no write left).
func TestConcurrentUpCreatesOneCLB(t *testing.T) {
	t.Parallel()
	holds := map[string]fakecloud.Fault{
		"create":             {Name: "hold the first create", Product: "slb", Action: "CreateLoadBalancer", Times: 1, Delay: 2 * time.Second},
		"create-answer-lost": {Name: "hold the first create, then lose its answer", Product: "slb", Action: "CreateLoadBalancer", Times: 1, Delay: 2 * time.Second, CommitThenFail: true, Drop: true},
		"list-before-create": {Name: "hold the look-up before the create", Product: "slb", Action: "DescribeLoadBalancers", After: 1, Times: 1, Delay: 2 * time.Second},
	}
	for name, hold := range holds {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			concurrentCLBCreate(t, hold)
		})
	}
}

func concurrentCLBCreate(t *testing.T, hold fakecloud.Fault) {
	e := newEnv(t)
	e.write(createCLBConfig("payType: PayByCLCU, deletionProtection: false"))
	// The hold is what makes the two runs meet; the assertions hold
	// whichever run's create lands first.
	if err := e.fc.SetFaults([]fakecloud.Fault{hold}); err != nil {
		t.Fatal(err)
	}
	first := make(chan int, 1)
	var firstErr bytes.Buffer
	go func() {
		var out bytes.Buffer
		first <- e.runCLI(t.Context(), []string{"up", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL()},
			cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &firstErr}, cli.Build{})
	}()
	waitFor(t, "the first up's "+hold.Action+" is held", func() (bool, string) {
		select {
		case code := <-first:
			first <- code
			return true, fmt.Sprintf("the first up ended (exit %d)", code)
		default:
			return false, ""
		}
	}, func() (bool, string) {
		in := e.fc.InFlight()
		return len(in) == 1 && in[0].Action == hold.Action, fmt.Sprintf("in flight %v", names(in))
	})
	second := e.run("up", "--yes")
	code := <-first
	outs := []string{firstErr.String(), second.stderr}
	for i, c := range []int{code, second.code} {
		if c != 0 && !strings.Contains(outs[i], "To fix:") {
			t.Fatalf("run %d failed without a clear message:\n%s", i+1, outs[i])
		}
	}
	st := e.fc.Snapshot()
	if lbs := stackCLBs(st, "chat"); len(lbs) != 1 {
		var ids []string
		for _, lb := range lbs {
			ids = append(ids, lb.ID)
		}
		t.Fatalf("two concurrent ups left the stack's CLBs %v, want one\nfirst:\n%s\nsecond:\n%s", ids, outs[0], outs[1])
	}
	created, deleted := 0, 0
	for _, c := range e.fc.Calls() {
		switch {
		case c.Action == "CreateLoadBalancer" && (c.Status == 200 || c.Committed):
			created++
		case c.Action == "DeleteLoadBalancer" && c.Status == 200:
			deleted++
		}
	}
	if created-deleted != 1 {
		t.Fatalf("%d CLBs created and %d deleted since the second up started, want one kept", created, deleted)
	}
	t.Logf("CreateLoadBalancer answered %d times since the second up started; exit codes %d and %d", created, code, second.code)

	e.mustRun("up", "--yes")
	st = e.fc.Snapshot()
	lbs := stackCLBs(st, "chat")
	if len(lbs) != 1 {
		t.Fatalf("after one more up: %d CLBs", len(lbs))
	}
	if g, l, rec := clbCounts(st, "chat"); g != 1 || l != 1 || rec != 1 {
		t.Fatalf("after one more up: %d groups, %d listeners, %d records", g, l, rec)
	}
	for _, l := range st.CLB.Listeners {
		if tagged(l.Tags, "chat") && l.LoadBalancerID != lbs[0].ID {
			t.Fatalf("listener on %s, want %s", l.LoadBalancerID, lbs[0].ID)
		}
	}
	if rec := ownedRecord(t, st, "chat"); rec.Value != lbs[0].Address {
		t.Fatalf("record %q, want the CLB's %q", rec.Value, lbs[0].Address)
	}
	if r := e.mustRun("up", "--yes"); len(r.writes()) != 0 {
		t.Fatalf("a further up wrote %v", r.writes())
	}
}
