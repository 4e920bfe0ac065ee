package cli_test

// `up --wait-healthy`: the CLI against the fake cloud, whose health fault
// rules make backends report Initial or Unhealthy on the health reads they
// fire on.

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/health"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// testPace polls fast; a backend unhealthy on every round for 100ms fails.
var testPace = health.Pace{First: 5 * time.Millisecond, Max: 20 * time.Millisecond, StaysUnhealthy: 100 * time.Millisecond}

// runPaced is e.run with the health wait at testPace.
func (e *env) runPaced(args ...string) result {
	e.t.Helper()
	e.fc.ResetCalls()
	full := append(append([]string{}, args...), "--endpoint", e.fc.URL(), "-f", e.cfg)
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := cli.RunWith(ctx, full, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{Version: "test"}, e.getenv,
		func(f *cmdutil.Factory) {
			f.WorkDir = e.workDir
			f.HealthPace = func(resource.HealthCheck) health.Pace { return testPace }
		})
	return result{stdout: out.String(), stderr: errb.String(), code: code, calls: e.fc.Calls()}
}

// healthProduct is the fault product of a load balancer kind.
func healthProduct(lb string) string {
	if lb == "clb" {
		return "slb"
	}
	return "alb"
}

// healthReads counts the health reads in calls.
func healthReads(calls []fakecloud.Call) int {
	n := 0
	for _, c := range calls {
		if c.Action == "GetListenerHealthStatus" || c.Action == "DescribeHealthStatus" {
			n++
		}
	}
	return n
}

// After the apply, up waits, showing progress, until the backends the fake
// reports Initial (for its first health reads) are healthy; no write comes
// after the first health read. A converged run then makes the plan's reads
// and one round of health reads, and no write.
func TestUpWaitHealthy(t *testing.T) {
	t.Parallel()
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(clbStack(lb))
			// Two rounds on ALB (a read per listener), two on CLB.
			times := map[string]int{"alb": 4, "clb": 2}[lb]
			if err := e.fc.AddFaults(fakecloud.Fault{Product: healthProduct(lb), Times: times, Health: &fakecloud.HealthFault{Status: "Initial"}}); err != nil {
				t.Fatal(err)
			}
			r := e.runPaced("up", "--lb", lb, "--wait-healthy")
			if r.code != 0 {
				t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			if st := e.fc.Faults(); st[0].Fired != times {
				t.Fatalf("the Initial rule fired %d times, want %d: up stopped waiting early", st[0].Fired, times)
			}
			first := -1
			for i, c := range r.calls {
				if healthReads([]fakecloud.Call{c}) == 1 && first < 0 {
					first = i
				}
				if first >= 0 && c.Write {
					t.Fatalf("write %s %s after the wait began", c.Product, c.Action)
				}
			}
			if first < 0 || healthReads(r.calls) <= times {
				t.Fatalf("%d health reads, want more than the %d that reported Initial", healthReads(r.calls), times)
			}
			status := map[string]string{"alb": "initial", "clb": "unavailable"}[lb]
			for _, want := range []string{
				"Apply complete: 5 created",
				"Waiting for 2 backend(s) to be healthy on HTTP:5000, HTTPS:443 (GET /healthz every 2s, healthy after 3 passes in a row)…",
				"  waiting: 0 of 2 backend(s) healthy; ECS01 (i-fake01):5000 " + status + " on HTTP:5000, HTTPS:443; i-fake02:5000 " + status + " on HTTP:5000, HTTPS:443 (",
				"✔ 2 backend(s) healthy on HTTP:5000, HTTPS:443 (",
			} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if !strings.Contains(r.stdout, "is up on "+strings.ToUpper(lb)) {
				t.Errorf("stdout:\n%s", r.stdout)
			}

			base := e.mustRun("up", "--lb", lb)
			again := e.runPaced("up", "--lb", lb, "--wait-healthy")
			if again.code != 0 || len(again.writes()) != 0 {
				t.Fatalf("converged: exit %d, writes %v\n%s", again.code, again.writes(), again.stderr)
			}
			round := map[string]int{"alb": 2, "clb": 1}[lb]
			if healthReads(again.calls) != round || again.reads() != base.reads()+round {
				t.Fatalf("converged up --wait-healthy: %d reads (%d of health), want the %d of up and %d of health", again.reads(), healthReads(again.calls), base.reads(), round)
			}
		})
	}
}

// errorTail is stderr from the error line on.
func errorTail(t *testing.T, stderr string) string {
	t.Helper()
	i := strings.Index(stderr, "Error: ")
	if i < 0 {
		t.Fatalf("no error on stderr:\n%s", stderr)
	}
	return stderr[i:]
}

// A backend the load balancer keeps reporting unhealthy ends the wait: the
// error names it, its port and listeners, and why, from the cloud's answer
// (ALB's reason with the expected and actual response; CLB gives none) and
// the health check; the hint fits the reason; exit 1. The deployment is
// still printed: it is up.
func TestUpWaitHealthyUnhealthy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lb    string
		fault fakecloud.HealthFault
		wants []string
	}{
		{lb: "alb", fault: fakecloud.HealthFault{Server: "i-fake01", ReasonCode: "RESPONSE_MISMATCH", ActualResponse: "404"}, wants: []string{
			"Error: 1 of 2 backend(s) not healthy; the load balancer kept reporting unhealthy for 100ms:\n" +
				"  ECS01 (i-fake01):5000 on listener HTTP:5000, HTTPS:443: unhealthy (RESPONSE_MISMATCH): GET /healthz answered 404, the health check expects HTTP_2xx,HTTP_3xx\n",
			"To fix: make GET /healthz on port 5000 answer http_2xx or http_3xx on ECS01",
		}},
		{lb: "alb", fault: fakecloud.HealthFault{}, wants: []string{
			"Error: 2 of 2 backend(s) not healthy",
			"  ECS01 (i-fake01):5000 on listener HTTP:5000, HTTPS:443: unhealthy (CONNECT_FAILED): the connection to port 5000 failed (refused or reset)\n" +
				"  i-fake02:5000 on listener HTTP:5000, HTTPS:443: unhealthy (CONNECT_FAILED)",
			"To fix: check that the app runs and listens on port 5000 on ECS01, i-fake02",
			"security group lets the load balancer in on port 5000",
		}},
		{lb: "clb", fault: fakecloud.HealthFault{Server: "i-fake02"}, wants: []string{
			"Error: 1 of 2 backend(s) not healthy",
			"  i-fake02:5000 on listener HTTP:5000, HTTPS:443: unhealthy (abnormal): the health check GET /healthz on port 5000 failed, expecting http_2xx or http_3xx (CLB does not say why)\n",
			"To fix: check on i-fake02 that the app listens on port 5000 and that GET /healthz answers http_2xx or http_3xx there",
		}},
	}
	for i, tt := range tests {
		t.Run(tt.lb+"-"+tt.fault.ReasonCode, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(clbStack(tt.lb))
			if err := e.fc.AddFaults(fakecloud.Fault{Product: healthProduct(tt.lb), Health: &tt.fault}); err != nil {
				t.Fatal(err)
			}
			r := e.runPaced("up", "--lb", tt.lb, "--wait-healthy")
			if r.code != cli.ExitError {
				t.Fatalf("exit %d, want %d\n%s", r.code, cli.ExitError, r.stderr)
			}
			tail := errorTail(t, r.stderr)
			for _, want := range tt.wants {
				if !strings.Contains(tail, want) {
					t.Errorf("error lacks %q:\n%s", want, tail)
				}
			}
			if i == 0 || tt.lb == "clb" {
				goldenAt(t, "waithealthy/"+tt.lb+"-unhealthy.txt", tail)
			}
			if !strings.Contains(r.stdout, "is up on "+strings.ToUpper(tt.lb)) {
				t.Errorf("no deployment on stdout:\n%s", r.stdout)
			}
			if g, l, _ := owned(e.fc.Snapshot(), "chat"); tt.lb == "alb" && (g != 1 || l != 2) {
				t.Errorf("the fake holds %d groups, %d listeners of the stack", g, l)
			}
		})
	}
}

// --timeout ends a wait for backends still Initial: the error says the
// timeout ran out while waiting for them, names them, and the hint gives
// the command with a longer --timeout.
func TestUpWaitHealthyTimeout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(clbStack("alb"))
	e.mustRun("up")
	if err := e.fc.AddFaults(fakecloud.Fault{Product: "alb", Health: &fakecloud.HealthFault{Server: "i-fake02", Status: "Initial"}}); err != nil {
		t.Fatal(err)
	}
	r := e.runPaced("up", "--wait-healthy", "--timeout", "5s")
	if r.code != cli.ExitError {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"Error: --timeout 5s ran out while waiting for the backends to be healthy\n1 of 2 backend(s) not healthy yet:\n" +
			"  i-fake02:5000 on listener HTTP:5000, HTTPS:443: initial: the load balancer has not finished its first health checks\n",
		"To fix: the load balancer had not finished checking i-fake02: it checks every 2s and needs 3 passes in a row; if it only needed more time, give it a longer --timeout (it was 5s): run `wsdeploy up --wait-healthy --timeout 10s",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if len(r.writes()) != 0 {
		t.Errorf("writes %v", r.writes())
	}
}

// -o json: stderr carries health.started, health.waiting (the backends not
// healthy, with their state) and health.ready as JSON lines; a failed wait
// ends with the error event, exit code 1 and the hint.
func TestUpWaitHealthyJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(clbStack("alb"))
	if err := e.fc.AddFaults(fakecloud.Fault{Product: "alb", Times: 2, Health: &fakecloud.HealthFault{Server: "i-fake01", Status: "Initial"}}); err != nil {
		t.Fatal(err)
	}
	type line struct {
		Level, Event, Message, Hint string
		Backends, Healthy, ExitCode int
		Listeners                   []string
		NotHealthy                  []health.State
	}
	events := func(stderr string) []line {
		t.Helper()
		var out []line
		for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
			var v line
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Fatalf("stderr line %q is not JSON: %v", l, err)
			}
			out = append(out, v)
		}
		return out
	}
	r := e.runPaced("up", "--wait-healthy", "-o", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var got []string
	for _, ev := range events(r.stderr) {
		if !strings.HasPrefix(ev.Event, "health.") {
			continue
		}
		got = append(got, ev.Event)
		switch ev.Event {
		case "health.started", "health.ready":
			if ev.Backends != 2 || strings.Join(ev.Listeners, ",") != "HTTP:5000,HTTPS:443" {
				t.Errorf("%s: %+v", ev.Event, ev)
			}
		case "health.waiting":
			want := []health.State{
				{InstanceID: "i-fake01", Name: "ECS01", Port: 5000, Listener: "HTTP:5000", Health: "initial"},
				{InstanceID: "i-fake01", Name: "ECS01", Port: 5000, Listener: "HTTPS:443", Health: "initial"},
			}
			if ev.Backends != 2 || ev.Healthy != 1 || len(ev.NotHealthy) != 2 || ev.NotHealthy[0] != want[0] || ev.NotHealthy[1] != want[1] {
				t.Errorf("health.waiting: %+v", ev)
			}
		}
	}
	if strings.Join(got, " ") != "health.started health.waiting health.ready" {
		t.Fatalf("health events %v, want started, one waiting, ready\n%s", got, r.stderr)
	}
	var d struct{ Stack string }
	if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || d.Stack != "chat" {
		t.Fatalf("stdout is not the deployment: %v\n%s", err, r.stdout)
	}

	if err := e.fc.SetFaults([]fakecloud.Fault{{Product: "alb", Health: &fakecloud.HealthFault{Server: "i-fake02", ReasonCode: "CONNECT_TIMEOUT"}}}); err != nil {
		t.Fatal(err)
	}
	r = e.runPaced("up", "--wait-healthy", "-o", "json")
	evs := events(r.stderr)
	last := evs[len(evs)-1]
	if r.code != 1 || last.Event != "error" || last.ExitCode != 1 || !strings.Contains(last.Hint, "listens on port 5000 on i-fake02") {
		t.Fatalf("exit %d, last event %+v", r.code, last)
	}
	if evs[len(evs)-2].Event != "health.waiting" || evs[len(evs)-2].NotHealthy[0].Reason != "CONNECT_TIMEOUT" {
		t.Fatalf("before the error: %+v", evs[len(evs)-2])
	}
}

// A plan makes no health read: neither --dry-run nor `plan`.
func TestUpWaitHealthyDryRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.runPaced("up", "--dry-run", "--wait-healthy")
	if r.code != 0 || len(r.writes()) != 0 || healthReads(r.calls) != 0 {
		t.Fatalf("exit %d, writes %v, %d health reads\n%s", r.code, r.writes(), healthReads(r.calls), r.stderr)
	}
}
