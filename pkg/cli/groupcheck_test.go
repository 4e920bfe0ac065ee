package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// TestUpCLBAddsServersDuringTheGroupCheck: after creating the stack's vServer
// group, `up` on CLB lists the stack's groups to check that no concurrent run
// made another (the race check). Adding the servers does not wait for that
// read; creating a listener, which needs the group to be the one the stack
// keeps, does. With the check's read held by the fake, the request log shows
// AddVServerGroupBackendServers answered while the read is still in flight,
// and no listener created.
func TestUpCLBAddsServersDuringTheGroupCheck(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(clbStack("clb"))
	// The first DescribeVServerGroups is the planning read; the second is the
	// check. Without the overlap the servers wait for the check: once the
	// hold ends, the read is answered first and the test fails.
	hold := fakecloud.Fault{Name: "hold the race check", Product: "slb", Action: "DescribeVServerGroups", After: 1, Times: 1, Delay: 10 * time.Second}
	if err := e.fc.SetFaults([]fakecloud.Fault{hold}); err != nil {
		t.Fatal(err)
	}
	e.fc.ResetCalls()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	code := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		var out bytes.Buffer
		code <- e.runCLI(ctx, []string{"up", "--lb", "clb", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL()},
			cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &stderr}, cli.Build{})
	}()
	listener := func(c fakecloud.Call) bool {
		return strings.HasPrefix(c.Action, "CreateLoadBalancerHTTP") || c.Action == "StartLoadBalancerListener"
	}
	waitFor(t, "the servers are added while the race check's read is held", func() (bool, string) {
		select {
		case c := <-code:
			code <- c
			return true, fmt.Sprintf("the up ended (exit %d)", c)
		default:
			return false, ""
		}
	}, func() (bool, string) {
		in, calls := e.fc.InFlight(), e.fc.Calls()
		held, added := false, false
		for _, c := range in {
			held = held || c.Action == "DescribeVServerGroups"
			if listener(c) {
				t.Fatalf("%s sent while the race check's read is in flight", callName(c))
			}
		}
		for _, c := range calls {
			added = added || (c.Action == "AddVServerGroupBackendServers" && c.Status == 200)
			if listener(c) && held {
				t.Fatalf("%s sent while the race check's read is in flight", callName(c))
			}
		}
		return held && added, fmt.Sprintf("in flight %v, answered %v", names(in), names(calls))
	})
	cancel() // the run stops once its steps in flight end (the held read, when its hold ends)
	<-code
}
