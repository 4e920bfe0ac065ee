package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// A kill point is a call the fake holds (a delay rule) while the test kills
// or interrupts the run that made it. The test does not guess when that is:
// it polls the fake until the chosen call is in flight, alone, with exactly
// the writes done that must come first, then acts.
type killPoint struct {
	name string
	// hold selects the call (the first that matches): product, action and,
	// to tell listeners apart, params.
	product, action string
	params          map[string]string
	// done are the writes the run has made when it reaches the held call
	// (as okWriteSet names them): everything the held call does not wait
	// for. Every other planned write waits for the held call.
	done []string
}

// holdRule is the delay rule of a kill point: it holds the call for d, once.
func (kp killPoint) holdRule(d time.Duration) fakecloud.Fault {
	return fakecloud.Fault{Name: "hold " + kp.name, Product: kp.product, Action: kp.action, Params: kp.params, Times: 1, Delay: d}
}

// okWriteSet names the successful writes among calls, sorted, as "product
// Action", with ":port" when the call names a listener port.
func okWriteSet(calls []fakecloud.Call) []string {
	var out []string
	for _, c := range calls {
		if c.Write && c.Status == 200 {
			out = append(out, callName(c))
		}
	}
	slices.Sort(out)
	return out
}

func callName(c fakecloud.Call) string {
	n := c.Product + " " + c.Action
	if p := c.Params["ListenerPort"]; p != "" {
		n += ":" + p
	}
	return n
}

// process is wsdeploy running as a real process (this test binary as the CLI).
type process struct {
	cmd    *exec.Cmd
	out    *syncBuffer
	exited chan struct{} // closed when it has exited; then err is set
	err    error
}

// startCLI starts wsdeploy with args as a real process in e's sandbox.
func (e *env) startCLI(t *testing.T, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(os.Args[0], args...), out: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Env = append(e.environ(), "WSDEPLOY_AS_CLI=1")
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.exited
	})
	return p
}

// wait waits (with a deadline) until the process has exited.
func (p *process) wait(t *testing.T) {
	t.Helper()
	select {
	case <-p.exited:
	case <-time.After(time.Minute):
		t.Fatalf("wsdeploy did not exit:\n%s", p.out.String())
	}
}

// syncBuffer is a bytes.Buffer for a process's output, read while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// poll waits until cond holds (see waitFor), failing the test, with the
// process's output, if it times out or, when running, the process exits first.
func poll(t *testing.T, p *process, running bool, what string, cond func() (bool, string)) {
	t.Helper()
	waitFor(t, what, func() (bool, string) {
		if !running {
			return false, ""
		}
		select {
		case <-p.exited:
			return true, fmt.Sprintf("wsdeploy exited (%v)", p.err)
		default:
			return false, ""
		}
	}, func() (bool, string) {
		ok, state := cond()
		return ok, state + "\noutput:\n" + p.out.String()
	})
}

// waitFor polls cond until it holds. It fails the test after a minute, or as
// soon as stopped says there is no point waiting on; cond and stopped
// describe the state for the message. It is the only place pkg/cli tests
// sleep, between two polls of what they wait for (truth_test.go checks).
func waitFor(t *testing.T, what string, stopped, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if stop, why := stopped(); stop {
			t.Fatalf("%s before %s; %s", why, what, state)
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s; %s", what, state)
		}
		time.Sleep(2 * time.Millisecond) // the polling interval
	}
}

// waitHeld waits until the kill point's call is the only call in flight and
// the run's successful writes are exactly kp.done; it returns the held call.
func waitHeld(t *testing.T, fc *fakecloud.TestServer, p *process, kp killPoint) fakecloud.Call {
	t.Helper()
	var held fakecloud.Call
	poll(t, p, true, kp.name+" is held", func() (bool, string) {
		inflight, done := fc.InFlight(), okWriteSet(fc.Calls())
		state := fmt.Sprintf("in flight %v, done %v, want %s alone and done %v", names(inflight), done, kp.name, kp.done)
		if len(inflight) != 1 || inflight[0].Product != kp.product || inflight[0].Action != kp.action || !slices.Equal(done, kp.done) {
			return false, state
		}
		for k, v := range kp.params {
			if inflight[0].Params[k] != v {
				return false, state
			}
		}
		held = inflight[0]
		return true, state
	})
	return held
}

func names(calls []fakecloud.Call) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = callName(c)
	}
	return out
}

// assertLandedMidApply checks, from the fake's request log, that the killed
// run stopped while the held call was pending: that call never ran (its
// client went away), no write came after it (when it is a write, it is the
// run's last), and the writes made are exactly kp.done, fewer than the
// planned ones.
func assertLandedMidApply(t *testing.T, fc *fakecloud.TestServer, p *process, kp killPoint, held fakecloud.Call, planned int) {
	t.Helper()
	var calls []fakecloud.Call
	i := -1
	poll(t, p, false, "the held call is answered", func() (bool, string) {
		calls = fc.Calls()
		i = slices.IndexFunc(calls, func(c fakecloud.Call) bool { return c.RequestID == held.RequestID })
		return i >= 0, fmt.Sprintf("%d calls logged", len(calls))
	})
	if c := calls[i]; !c.Canceled || c.Status != 0 {
		t.Errorf("the held %s: status %d, canceled %v; want it never run, its client gone", kp.name, c.Status, c.Canceled)
	}
	for _, c := range calls[i+1:] {
		if c.Write {
			t.Errorf("write %s after the held %s", callName(c), kp.name)
		}
	}
	if done := okWriteSet(calls); !slices.Equal(done, kp.done) || len(done) >= planned {
		t.Errorf("the killed run made the writes %v, want exactly %v of the %d planned", done, kp.done, planned)
	}
}

// TestKilledUpIsFinishedByTheNextUp SIGKILLs `up`, run as a real process,
// at one call after another: each kill lands while the chosen call is in
// flight, with some planned writes not made yet. The next `up` finishes the
// job with exactly one of each resource, and `down` then leaves nothing owned.
func TestKilledUpIsFinishedByTheNextUp(t *testing.T) {
	t.Parallel()
	// The load balancer's chain goes group, backends, listener 5000,
	// listener 443; the record is made and marked (alidns) once it serves.
	with := func(base []string, more ...string) []string {
		out := append(append([]string{}, base...), more...)
		slices.Sort(out)
		return out
	}
	port := func(p int) map[string]string { return map[string]string{"ListenerPort": strconv.Itoa(p)} }
	albGroup := []string{"alb CreateServerGroup"}
	albServers := with(albGroup, "alb AddServersToServerGroup")
	albListener := with(albServers, "alb CreateListener:5000")
	albAll := with(albListener, "alb CreateListener:443")
	clbGroup := []string{"slb CreateVServerGroup"}
	clbServers := with(clbGroup, "slb AddVServerGroupBackendServers")
	clbHTTP := with(clbServers, "slb CreateLoadBalancerHTTPListener:5000")
	clbStarted := with(clbHTTP, "slb StartLoadBalancerListener:5000")
	clbHTTPS := with(clbStarted, "slb CreateLoadBalancerHTTPSListener:443")
	clbAll := with(clbHTTPS, "slb StartLoadBalancerListener:443")
	points := map[string][]killPoint{
		"alb": {
			{name: "create server group", product: "alb", action: "CreateServerGroup", done: nil},
			{name: "server group job", product: "alb", action: "ListAsynJobs", done: albGroup},
			{name: "add servers", product: "alb", action: "AddServersToServerGroup", done: albGroup},
			{name: "create listener 5000", product: "alb", action: "CreateListener", params: port(5000), done: albServers},
			{name: "create listener 443", product: "alb", action: "CreateListener", params: port(443), done: albListener},
			{name: "create the record", product: "alidns", action: "AddDomainRecord", done: albAll},
			{name: "mark the record", product: "alidns", action: "UpdateDomainRecordRemark", done: with(albAll, "alidns AddDomainRecord")},
		},
		"clb": {
			{name: "create vserver group", product: "slb", action: "CreateVServerGroup", done: nil},
			{name: "add backends", product: "slb", action: "AddVServerGroupBackendServers", done: clbGroup},
			{name: "create listener 5000", product: "slb", action: "CreateLoadBalancerHTTPListener", done: clbServers},
			{name: "start listener 5000", product: "slb", action: "StartLoadBalancerListener", params: port(5000), done: clbHTTP},
			{name: "wait for listener 5000", product: "slb", action: "DescribeLoadBalancerHTTPListenerAttribute", done: clbStarted},
			{name: "create listener 443", product: "slb", action: "CreateLoadBalancerHTTPSListener", done: clbStarted},
			{name: "start listener 443", product: "slb", action: "StartLoadBalancerListener", params: port(443), done: clbHTTPS},
			{name: "create the record", product: "alidns", action: "AddDomainRecord", done: clbAll},
			{name: "mark the record", product: "alidns", action: "UpdateDomainRecordRemark", done: with(clbAll, "alidns AddDomainRecord")},
		},
	}
	planned := map[string]int{"alb": 6, "clb": 8}
	for _, lb := range []string{"alb", "clb"} {
		for _, kp := range points[lb] {
			t.Run(lb+"/"+strings.ReplaceAll(kp.name, " ", "-"), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				e.write(clbStack(lb))
				if err := e.fc.SetFaults([]fakecloud.Fault{kp.holdRule(time.Hour)}); err != nil {
					t.Fatal(err)
				}
				p := e.startCLI(t, "up", "--lb", lb, "--yes", "-f", e.cfg, "--endpoint", e.fc.URL())
				held := waitHeld(t, e.fc, p, kp)
				_ = p.cmd.Process.Kill() // SIGKILL: no chance to clean up
				p.wait(t)
				assertLandedMidApply(t, e.fc, p, kp, held, planned[lb])
				t.Logf("killed holding %v", countOwned(e.fc.Snapshot(), "chat"))

				if err := e.fc.SetFaults(nil); err != nil {
					t.Fatal(err)
				}
				e.mustRun("up", "--lb", lb, "--yes")
				checkConverged(t, e, "after the re-run", "killed run said:\n"+p.out.String())
				if r := e.mustRun("plan", "--lb", lb); !strings.Contains(r.stdout, "No changes.") {
					t.Fatalf("plan after the re-run:\n%s", r.stdout)
				}
				e.mustRun("down", "--lb", lb, "--yes")
				if n := countOwned(e.fc.Snapshot(), "chat"); n["group"]+n["listener"]+n["record"] != 0 {
					t.Fatalf("after down: %v", n)
				}
			})
		}
	}
}

// TestKilledDownIsFinishedByTheNextDown kills `down` at one call after
// another, each while that call is in flight: the next `down` removes the
// rest, nothing is orphaned, and a fresh `up` creates everything anew.
func TestKilledDownIsFinishedByTheNextDown(t *testing.T) {
	t.Parallel()
	points := map[string][]killPoint{
		"alb": {
			{name: "move the epoch", product: "alb", action: "TagResources", done: []string{"alidns DeleteDomainRecord"}},
			{name: "delete the record", product: "alidns", action: "DeleteDomainRecord", done: []string{"alb TagResources"}},
			{name: "delete a listener", product: "alb", action: "DeleteListener", done: []string{"alb TagResources", "alidns DeleteDomainRecord"}},
			{name: "delete the server group", product: "alb", action: "DeleteServerGroup",
				done: []string{"alb DeleteListener", "alb DeleteListener", "alb TagResources", "alidns DeleteDomainRecord"}},
		},
		"clb": {
			{name: "delete the record", product: "alidns", action: "DeleteDomainRecord"},
			{name: "delete listener 5000", product: "slb", action: "DeleteLoadBalancerListener", params: map[string]string{"ListenerPort": "5000"},
				done: []string{"alidns DeleteDomainRecord", "slb DeleteLoadBalancerListener:443"}},
			{name: "delete the vserver group", product: "slb", action: "DeleteVServerGroup",
				done: []string{"alidns DeleteDomainRecord", "slb DeleteLoadBalancerListener:443", "slb DeleteLoadBalancerListener:5000"}},
		},
	}
	planned := map[string]int{"alb": 5, "clb": 4}
	for _, lb := range []string{"alb", "clb"} {
		for _, kp := range points[lb] {
			t.Run(lb+"/"+strings.ReplaceAll(kp.name, " ", "-"), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				e.write(clbStack(lb))
				e.mustRun("up", "--lb", lb)
				if err := e.fc.SetFaults([]fakecloud.Fault{kp.holdRule(time.Hour)}); err != nil {
					t.Fatal(err)
				}
				e.fc.ResetCalls()
				p := e.startCLI(t, "down", "--lb", lb, "--yes", "-f", e.cfg, "--endpoint", e.fc.URL())
				held := waitHeld(t, e.fc, p, kp)
				_ = p.cmd.Process.Kill()
				p.wait(t)
				assertLandedMidApply(t, e.fc, p, kp, held, planned[lb])

				if err := e.fc.SetFaults(nil); err != nil {
					t.Fatal(err)
				}
				e.mustRun("down", "--lb", lb, "--yes")
				if n := countOwned(e.fc.Snapshot(), "chat"); n["group"]+n["listener"]+n["record"] != 0 {
					t.Fatalf("after down: %v", n)
				}
				// A fresh up after the teardown creates everything anew (the epoch moved on).
				e.mustRun("up", "--lb", lb)
				checkConverged(t, e, "up after down")
			})
		}
	}
}

// TestConcurrentUp runs two `up` of one stack at once: both succeed, and the
// cloud ends with exactly one copy of each resource. The second run starts
// with the first (round 0), once the first has created its server group
// (round 1), or once it has created its first listener (round 2), as the
// fake sees them (twoConcurrentUps). TestConcurrentUpUnderReadAfterWriteLag
// is the same against the realistic profile.
func TestConcurrentUp(t *testing.T) {
	t.Parallel()
	for _, lb := range []string{"alb", "clb"} {
		for round := range concurrentStart {
			t.Run(fmt.Sprintf("%s/%d", lb, round), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				e.write(clbStack(lb))
				twoConcurrentUps(t, e, lb, round)
				// One more up finds nothing to do.
				if r := e.run("up", "--lb", lb, "--yes"); r.code != 0 || len(r.writes()) != 0 {
					t.Fatalf("a third up: exit %d, writes %v, want none\n%s", r.code, r.writes(), r.stderr)
				}
			})
		}
	}
}

// TestCtrlCStopsBetweenSteps sends SIGINT to a running `up` while the fake
// holds a poll of the server group's job (for a second): the step running
// finishes, no new one starts, the process exits 130, the message repeats
// the command line to resume with, and the next `up` completes the stack.
func TestCtrlCStopsBetweenSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(clbStack("alb"))
	kp := killPoint{name: "server group job", product: "alb", action: "ListAsynJobs",
		done: []string{"alb CreateServerGroup"}}
	if err := e.fc.SetFaults([]fakecloud.Fault{kp.holdRule(time.Second)}); err != nil {
		t.Fatal(err)
	}
	p := e.startCLI(t, "up", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL())
	held := waitHeld(t, e.fc, p, kp)
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	p.wait(t)
	out := p.out.String()
	if p.err == nil {
		t.Fatalf("up finished despite the interrupt:\n%s", out)
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("exit %d after Ctrl-C, want 130:\n%s", code, out)
	}
	resume := "run `wsdeploy up --yes -f " + e.cfg + " --endpoint " + e.fc.URL() + "` again to finish"
	for _, w := range []string{"Interrupt: finishing the steps already running", "interrupted:", "not started", resume} {
		if !strings.Contains(out, w) {
			t.Fatalf("output lacks %q:\n%s", w, out)
		}
	}
	// The held poll was answered (the step ran to its end), and no write came after the interrupt.
	calls := e.fc.Calls()
	i := slices.IndexFunc(calls, func(c fakecloud.Call) bool { return c.RequestID == held.RequestID })
	if i < 0 || calls[i].Status != 200 || calls[i].Canceled {
		t.Fatalf("the held job poll: %+v, want it answered", calls[max(i, 0):])
	}
	if done := okWriteSet(calls); !slices.Equal(done, kp.done) {
		t.Fatalf("writes of the interrupted run: %v, want %v (none after the interrupt)", done, kp.done)
	}
	// The step that was running finished: its job is done, nothing is left mid-way.
	n := countOwned(e.fc.Snapshot(), "chat")
	if n["group"] != 1 || n["servers"] != 0 || n["listener"] != 0 || n["record"] != 0 {
		t.Fatalf("after the interrupt: %v, want the server group finished (no server added), no listener, no record (it waits for the listeners)\n%s", n, out)
	}
	e.mustRun("up", "--yes")
	checkConverged(t, e, "after resuming")
}

// A second `up` that starts while the first one's server group is still being
// created, after the first has already written the DNS record (the stack's
// record, there already, gets its TTL: a change that does not wait for the
// listeners): both plans see no group, and must send the same ClientToken
// for it (the record the first run changed must not change the token), so
// the stack ends with one group.
func TestConcurrentUpWhileTheGroupIsBeingCreated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(clbStack("alb"))
	e.arrange(func(st *fakecloud.State) error {
		id, err := putRecord(st, "chat", "CNAME", "alb-fake01.cn-hangzhou.alb.aliyuncs.com")
		for i := range st.DNS.Domains {
			for j := range st.DNS.Domains[i].Records {
				if r := &st.DNS.Domains[i].Records[j]; r.ID == id {
					r.TTL, r.Remark = 300, resource.RecordRemark("chat")
				}
			}
		}
		return err
	})
	if err := e.fc.SetFaults([]fakecloud.Fault{{Product: "alb", Action: "CreateServerGroup", Times: 1, Delay: 2 * time.Second}}); err != nil {
		t.Fatal(err)
	}
	first := make(chan int, 1)
	var firstErr bytes.Buffer
	go func() {
		var out bytes.Buffer
		first <- e.runCLI(t.Context(), []string{"up", "--yes", "-f", e.cfg, "--endpoint", e.fc.URL()},
			cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &firstErr}, cli.Build{})
	}()
	waitFor(t, "the first up's CreateServerGroup is held with its DNS record written", func() (bool, string) {
		select {
		case code := <-first:
			first <- code
			return true, fmt.Sprintf("the first up ended (exit %d)", code)
		default:
			return false, ""
		}
	}, func() (bool, string) {
		in := e.fc.InFlight()
		writes := okWriteSet(e.fc.Calls())
		return len(in) == 1 && in[0].Action == "CreateServerGroup" &&
				slices.Equal(writes, []string{"alidns UpdateDomainRecord", "alidns UpdateDomainRecordRemark"}),
			fmt.Sprintf("in flight %v, writes %v", in, writes)
	})
	second := e.run("up", "--yes")
	if code := <-first; code != 0 || second.code != 0 {
		t.Fatalf("exit codes %d and %d\n%s\n%s", code, second.code, firstErr.String(), second.stderr)
	}
	if n := countOwned(e.fc.Snapshot(), "chat"); n["group"] != 1 || n["listener"] != 2 || n["record"] != 1 {
		t.Fatalf("two concurrent ups left %v\n%s", n, second.stderr)
	}
}
