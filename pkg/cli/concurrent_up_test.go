package cli_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// concurrentStart names when the second of two concurrent `up`s starts: with
// the first (0), once the fake has answered the first run's server group
// create (1), or its first listener create (2).
var concurrentStart = []string{"together", "after the group", "after a listener"}

// twoConcurrentUps runs two `up --lb lb` of e's stack at once, the second
// starting at the point round names (concurrentStart), and fails t unless
// both end with exit 0 and the fake's state then holds exactly one of
// everything (checkConverged). It returns the two runs' stderr.
func twoConcurrentUps(t *testing.T, e *env, lb string, round int) [2]string {
	t.Helper()
	var wg sync.WaitGroup
	var codes [2]int
	var outs [2]string
	firstDone := make(chan struct{})
	start := func(i int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out, errb bytes.Buffer
			codes[i] = e.runCLI(t.Context(), []string{"up", "--lb", lb, "--yes", "-f", e.cfg, "--endpoint", e.fc.URL()},
				cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{})
			outs[i] = errb.String()
			if i == 0 {
				close(firstDone)
			}
		}()
	}
	start(0)
	// When the second run starts: the first run is the only one calling until then.
	answered := func(actions ...string) func() bool {
		return func() bool {
			return slices.ContainsFunc(e.fc.Calls(), func(c fakecloud.Call) bool { return c.Status == 200 && slices.Contains(actions, c.Action) })
		}
	}
	ready := map[int]func() bool{
		0: func() bool { return true },
		1: answered("CreateServerGroup", "CreateVServerGroup"),
		2: answered("CreateListener", "CreateLoadBalancerHTTPListener"),
	}[round]
	waitFor(t, "the point to start the second up", func() (bool, string) {
		select {
		case <-firstDone:
			return true, fmt.Sprintf("the first up ended (exit %d):\n%s", codes[0], outs[0])
		default:
			return false, ""
		}
	}, func() (bool, string) { return ready(), fmt.Sprintf("%d calls logged", len(e.fc.Calls())) })
	start(1)
	wg.Wait()
	for i, c := range codes {
		if c != 0 {
			t.Errorf("run %d of two concurrent ups (second started %s): exit %d, want both to succeed\n%s", i+1, concurrentStart[round], c, outs[i])
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	checkConverged(t, e, "after two concurrent ups", "run 1:\n"+outs[0], "run 2:\n"+outs[1])
	return outs
}

// TestConcurrentUpUnderReadAfterWriteLag is TestConcurrentUp against the
// realistic profile, several seeds: a listener or group the other run has
// just created is missing from reads for a moment, so a run may plan a
// create of what the other run is creating, and its create then meets the
// other run's listener (ListenerAlreadyExists, ResourceAlreadyExist.Listener)
// while its lists do not show it yet. Both runs must succeed all the same,
// leaving exactly one of everything, and a third run must write nothing.
func TestConcurrentUpUnderReadAfterWriteLag(t *testing.T) {
	t.Parallel()
	seeds := seedCount(t, "WSDEPLOY_REALISTIC_SEEDS", 2, 3)
	for _, lb := range []string{"alb", "clb"} {
		for round := range concurrentStart {
			for seed := 1; seed <= seeds; seed++ {
				t.Run(fmt.Sprintf("%s/%d/seed-%d", lb, round, seed), func(t *testing.T) {
					t.Parallel()
					e := newRealisticEnv(t, realisticScale[lb], int64(seed))
					e.write(clbStack(lb))
					outs := twoConcurrentUps(t, e, lb, round)
					if r := e.run("up", "--lb", lb, "--yes"); r.code != 0 || len(r.writes()) != 0 {
						t.Fatalf("a third up: exit %d, writes %v, want none\n%s\nrun 1:\n%s\nrun 2:\n%s", r.code, r.writes(), r.stderr, outs[0], outs[1])
					}
				})
			}
		}
	}
}
