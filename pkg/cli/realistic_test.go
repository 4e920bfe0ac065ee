package cli_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// realisticScale runs the realistic profile's timing faster, so that one
// run takes a few seconds: 20 times for ALB (a listener operation takes
// 0.25-1.5 s instead of 5-30 s), 4 times for CLB (a listener start takes
// 0.25-1.25 s instead of 1-5 s).
var realisticScale = map[string]float64{"alb": 0.05, "clb": 0.25}

// newRealisticEnv is newEnv on a fake with the realistic profile at time
// scale, its random draws seeded by seed.
func newRealisticEnv(t *testing.T, scale float64, seed int64) *env {
	t.Helper()
	return newEnvOptions(t, fakecloud.Options{
		Seed: fakecloud.DemoSeed(), Profile: fakecloud.ProfileRealistic, TimeScale: scale, FaultSeed: seed,
	})
}

func realisticSeeds(t *testing.T) int { return seedCount(t, "WSDEPLOY_REALISTIC_SEEDS", 2, 8) }

// TestSurvivesRealisticProfile: against a fake as slow and flaky as the real
// cloud (async work of seconds, ALB jobs that fail, a read-after-write
// window, throttling), over many seeds and both load balancers, one `up`
// leaves exactly one of each resource, a second one writes nothing, and one
// `down` leaves nothing owned, each in a single run, as the fake's own state
// and request log show.
func TestSurvivesRealisticProfile(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	total := map[string]int{}
	seeds := realisticSeeds(t)
	t.Cleanup(func() {
		t.Logf("all seeds: %v", total)
		// The seeded draws of the first 8 seeds make some ALB jobs fail (the
		// job draws depend only on the order of the job writes): if none
		// failed, the profile no longer bites.
		if seeds >= 8 && total["failed jobs"] == 0 {
			t.Errorf("no ALB job failed over %d seeds: the profile's job failures are not reaching wsdeploy", seeds)
		}
	})
	for _, lb := range []string{"alb", "clb"} {
		for seed := 1; seed <= seeds; seed++ {
			t.Run(fmt.Sprintf("%s/seed-%d", lb, seed), func(t *testing.T) {
				t.Parallel()
				e := newRealisticEnv(t, realisticScale[lb], int64(seed))
				e.write(clbStack(lb))
				stats := map[string]int{}
				count := func(r result) {
					mu.Lock()
					defer mu.Unlock()
					for _, c := range r.calls {
						k := "calls"
						switch {
						case c.Code == "Throttling.User":
							k = "throttled"
						case c.Injected:
							k = "failed jobs"
						case !c.Write && c.Code != "":
							k = "reads missing a new object" // the read-after-write window
						}
						stats[k]++
						total[k]++
					}
				}
				r := e.run("up", "--lb", lb, "--yes")
				count(r)
				if r.code != 0 {
					t.Fatalf("up: exit %d\n%s", r.code, r.stderr)
				}
				checkConverged(t, e, "after up", r.stderr)
				r = e.run("up", "--lb", lb, "--yes")
				count(r)
				if r.code != 0 || len(r.writes()) != 0 {
					t.Fatalf("up again: exit %d, writes %v, want none\n%s", r.code, r.writes(), r.stderr)
				}
				r = e.run("down", "--lb", lb, "--yes")
				count(r)
				if r.code != 0 {
					t.Fatalf("down: exit %d\n%s", r.code, r.stderr)
				}
				if n := countOwned(e.fc.Snapshot(), "chat"); n["group"]+n["listener"]+n["record"]+n["servers"] != 0 {
					t.Fatalf("after down: %v still there\n%s", n, r.stderr)
				}
				t.Logf("%v", stats)
			})
		}
	}
}

// TestFakecloudCommandRealisticProfile: `wsdeploy fakecloud --profile
// realistic --time-scale F --fault-seed N` serves the realistic profile at
// that scale: `up` against it works, and the ALB jobs it started took their
// operations' realistic time, scaled (read from the fake's own state).
func TestFakecloudCommandRealisticProfile(t *testing.T) {
	t.Parallel()
	sb := &sandbox{workDir: t.TempDir()}
	for _, k := range []string{"WSDEPLOY_ENDPOINT", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"} {
		sb.setenv(k, "")
	}
	if _, errOut, code := runCLI(t, sb, "init"); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	const scale = 0.02
	fake := startFakecloud(t, sb, "--profile", "realistic", "--time-scale", "0.02", "--fault-seed", "3")
	for k, v := range exportLine(t, fake.Banner) {
		sb.setenvT(t, k, v)
	}
	if out, errOut, code := runCLI(t, sb, "up", "--yes"); code != 0 {
		t.Fatalf("up against the realistic profile: exit %d\n%s\n%s", code, out, errOut)
	}
	spans := map[string][2]float64{"CreateServerGroup": {2, 10}, "AddServersToServerGroup": {3, 20}, "CreateListener": {5, 30}}
	seen := 0
	for _, j := range fakeState(t, fake.URL).ALB.Jobs {
		sp, ok := spans[j.APIName]
		if !ok {
			continue
		}
		seen++
		if d := j.DoneAt.Sub(j.CreateTime).Seconds(); d < sp[0]*scale || d > sp[1]*scale {
			t.Errorf("%s took %.3fs, want %.3f-%.3fs", j.APIName, d, sp[0]*scale, sp[1]*scale)
		}
	}
	if seen < 3 {
		t.Fatalf("%d ALB jobs of up in the fake's state, want at least 3", seen)
	}
}
