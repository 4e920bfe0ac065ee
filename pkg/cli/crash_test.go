package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// TestKilledUpIsFinishedByTheNextUp starts `up` as a real process against a
// slow fake cloud, SIGKILLs it at several points, and checks that the next
// `up` finishes the job with exactly one of each resource, and `down` then
// leaves nothing owned.
//
// It stays serial (no t.Parallel), as do the other tests here that kill or
// interrupt a process after a sleep: they run before the parallel tests, on
// a quiet machine, so that the kill points land where they are meant to.
func TestKilledUpIsFinishedByTheNextUp(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: kills real processes at several points")
	}
	for _, lb := range []string{"alb", "clb"} {
		for _, after := range []time.Duration{150 * time.Millisecond, 400 * time.Millisecond, 700 * time.Millisecond, 1000 * time.Millisecond, 1400 * time.Millisecond} {
			t.Run(fmt.Sprintf("%s/kill-after-%s", lb, after), func(t *testing.T) {
				fc := fakecloud.NewTestServer(t, fakecloud.Options{
					Seed: fakecloud.DemoSeed(), AsyncDuration: 250 * time.Millisecond,
					Latency: fakecloud.Latency{Base: 25 * time.Millisecond, Jitter: 10 * time.Millisecond, Seed: 1},
				})
				e := &env{t: t, fc: fc, dir: t.TempDir()}
				e.cfg = e.dir + "/wsdeploy.yaml"
				e.write(clbStack(lb))
				e.fakeCredentials()

				cmd := exec.Command(os.Args[0], "up", "--lb", lb, "--yes", "-f", e.cfg, "--endpoint", fc.URL())
				cmd.Env = append(e.environ(), "WSDEPLOY_AS_CLI=1")
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				time.Sleep(after)
				_ = cmd.Process.Kill() // SIGKILL: no chance to clean up
				_ = cmd.Wait()
				killed := countOwned(fc.Snapshot(), "chat")
				t.Logf("killed after %s holding %v", after, killed)

				e.mustRun("up", "--lb", lb, "--yes")
				if n := countOwned(fc.Snapshot(), "chat"); n["group"] != 1 || n["listener"] != 2 || n["record"] != 1 || n["servers"] != 2 {
					t.Fatalf("after the re-run: %v, want exactly one group with 2 servers, 2 listeners, 1 record\nkilled run said:\n%s", n, out.String())
				}
				if r := e.mustRun("plan", "--lb", lb); !strings.Contains(r.stdout, "No changes.") {
					t.Fatalf("plan after the re-run:\n%s", r.stdout)
				}
				e.mustRun("down", "--lb", lb, "--yes")
				if n := countOwned(fc.Snapshot(), "chat"); n["group"]+n["listener"]+n["record"] != 0 {
					t.Fatalf("after down: %v", n)
				}
			})
		}
	}
}

// TestKilledDownIsFinishedByTheNextDown kills `down` midway: the next `down`
// removes the rest, and nothing is orphaned.
func TestKilledDownIsFinishedByTheNextDown(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 250 * time.Millisecond,
				Latency: fakecloud.Latency{Base: 25 * time.Millisecond, Seed: 1}})
			e := &env{t: t, fc: fc, dir: t.TempDir()}
			e.cfg = e.dir + "/wsdeploy.yaml"
			e.write(clbStack(lb))
			e.fakeCredentials()
			e.mustRun("up", "--lb", lb)
			cmd := exec.Command(os.Args[0], "down", "--lb", lb, "--yes", "-f", e.cfg, "--endpoint", fc.URL())
			cmd.Env = append(e.environ(), "WSDEPLOY_AS_CLI=1")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(500 * time.Millisecond)
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			e.mustRun("down", "--lb", lb, "--yes")
			if n := countOwned(fc.Snapshot(), "chat"); n["group"]+n["listener"]+n["record"] != 0 {
				t.Fatalf("after down: %v", n)
			}
			// A fresh up after the teardown creates everything anew (the epoch moved on).
			e.mustRun("up", "--lb", lb)
			if n := countOwned(fc.Snapshot(), "chat"); n["group"] != 1 || n["listener"] != 2 || n["record"] != 1 {
				t.Fatalf("up after down: %v", n)
			}
		})
	}
}

// TestConcurrentUp runs two `up` of one stack at once: the cloud ends with
// exactly one copy of each resource.
func TestConcurrentUp(t *testing.T) {
	t.Parallel()
	for _, lb := range []string{"alb", "clb"} {
		for round := range 3 {
			t.Run(fmt.Sprintf("%s/%d", lb, round), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				e.write(clbStack(lb))
				var wg sync.WaitGroup
				codes := make([]int, 2)
				outs := make([]string, 2)
				for i := range 2 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						time.Sleep(time.Duration(i*round*40) * time.Millisecond)
						var out, errb bytes.Buffer
						codes[i] = e.runCLI(t.Context(), []string{"up", "--lb", lb, "--yes", "-f", e.cfg, "--endpoint", e.fc.URL()},
							cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{})
						outs[i] = errb.String()
					}()
				}
				wg.Wait()
				n := countOwned(e.fc.Snapshot(), "chat")
				if n["group"] > 1 || n["listener"] > 2 || n["record"] > 1 {
					t.Fatalf("duplicates after two concurrent ups: %v\n%s\n%s", n, outs[0], outs[1])
				}
				for i, c := range codes {
					if c != 0 && !strings.Contains(outs[i], "To fix:") {
						t.Fatalf("run %d failed without a clear message:\n%s", i, outs[i])
					}
					if c != 0 {
						t.Logf("run %d backed off:\n%s", i, outs[i])
					}
				}
				// Whatever happened, one more up converges with no duplicate.
				e.mustRun("up", "--lb", lb, "--yes")
				if n := countOwned(e.fc.Snapshot(), "chat"); n["group"] != 1 || n["listener"] != 2 || n["record"] != 1 || n["servers"] != 2 {
					t.Fatalf("after converging: %v", n)
				}
			})
		}
	}
}

// TestCtrlCStopsBetweenSteps sends SIGINT to a running `up`: the steps
// already running finish, no new one starts, the process exits 130, the
// message repeats the command line to resume with, and the next `up`
// completes the stack.
func TestCtrlCStopsBetweenSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 400 * time.Millisecond,
		Latency: fakecloud.Latency{Base: 20 * time.Millisecond, Seed: 1}})
	e := &env{t: t, fc: fc, dir: t.TempDir()}
	e.cfg = e.dir + "/wsdeploy.yaml"
	e.write(clbStack("alb"))
	e.fakeCredentials()

	cmd := exec.Command(os.Args[0], "up", "--yes", "-f", e.cfg, "--endpoint", fc.URL())
	cmd.Env = append(e.environ(), "WSDEPLOY_AS_CLI=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // inside the server group's job
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if err == nil {
		t.Fatalf("up finished despite the interrupt:\n%s", out.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Fatalf("exit %d after Ctrl-C, want 130:\n%s", code, out.String())
	}
	resume := "run `wsdeploy up --yes -f " + e.cfg + " --endpoint " + fc.URL() + "` again to finish"
	for _, w := range []string{"Interrupt: finishing the steps already running", "interrupted:", "not started", resume} {
		if !strings.Contains(out.String(), w) {
			t.Fatalf("output lacks %q:\n%s", w, out.String())
		}
	}
	// The step that was running finished: its job is done, nothing is left mid-way.
	n := countOwned(fc.Snapshot(), "chat")
	if n["group"] != 1 || n["listener"] != 0 {
		t.Fatalf("after the interrupt: %v, want the server group finished and no listener started\n%s", n, out.String())
	}
	e.mustRun("up", "--yes")
	if n := countOwned(fc.Snapshot(), "chat"); n["group"] != 1 || n["listener"] != 2 || n["record"] != 1 || n["servers"] != 2 {
		t.Fatalf("after resuming: %v", n)
	}
}
