package cli_test

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// benchLatency is the latency model of the benchmarks: every call takes 50 ms
// (`wsdeploy fakecloud --latency 50ms`).
var benchLatency = fakecloud.Latency{Base: 50 * time.Millisecond, Seed: 1}

// benchModels are the fakes BenchmarkUp runs against:
//
//   - latency: the latency model, `--latency 50ms --async-duration 2s`;
//   - realistic: the realistic profile (async durations drawn per action,
//     jobs that fail, reads that lag, throttling) at BENCH_TIME_SCALE
//     (default 0.25) and BENCH_FAULT_SEED (the profile's draws; default 1),
//     with the same 50 ms per call.
var benchModels = []struct {
	name string
	opts func(b *testing.B) fakecloud.Options
}{
	{"latency", func(*testing.B) fakecloud.Options {
		return fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 2 * time.Second, Latency: benchLatency}
	}},
	{"realistic", func(b *testing.B) fakecloud.Options {
		scale := 0.25
		if s := os.Getenv("BENCH_TIME_SCALE"); s != "" {
			var err error
			if scale, err = strconv.ParseFloat(s, 64); err != nil {
				b.Fatalf("BENCH_TIME_SCALE: %v", err)
			}
		}
		seed := int64(1)
		if s := os.Getenv("BENCH_FAULT_SEED"); s != "" {
			var err error
			if seed, err = strconv.ParseInt(s, 10, 64); err != nil {
				b.Fatalf("BENCH_FAULT_SEED: %v", err)
			}
		}
		return fakecloud.Options{Seed: fakecloud.DemoSeed(), Profile: fakecloud.ProfileRealistic, TimeScale: scale, FaultSeed: seed, Latency: benchLatency}
	}},
}

// benchEnv is a fake cloud with opts.
func benchEnv(b *testing.B, opts fakecloud.Options, trace *benchTrace) *env {
	b.Helper()
	opts.RequestLog = trace.writer()
	fc := fakecloud.NewTestServer(b, opts)
	e := &env{fc: fc, dir: b.TempDir()}
	e.fakeCredentials()
	e.cfg = e.dir + "/wsdeploy.yaml"
	return e
}

// BenchmarkUp measures `up` of the README's example stack against slow fakes
// (benchModels), on ALB and CLB: from nothing (create), and when converged
// (the no-op re-run that CI pipelines pay on every push). Reported: wall
// time, API calls per run, and for create the ratio of the wall time to the
// run's critical path (x-critical-path; see criticalPath), the measure of
// how much longer than the cloud itself `up` takes.
func BenchmarkUp(b *testing.B) {
	for _, m := range benchModels {
		for _, lb := range []string{"alb", "clb"} {
			b.Run(m.name+"/"+lb+"/create", func(b *testing.B) {
				trace := newBenchTrace()
				e := benchEnv(b, m.opts(b), trace)
				e.writeB(b, clbStack(lb))
				var reads, writes int
				var took, critical time.Duration
				for range b.N {
					b.StopTimer()
					e.runB(b, "down", "--lb", lb, "--yes")
					p := e.planB(b, lb)
					trace.reset()
					b.StartTimer()
					start := time.Now()
					r := e.runB(b, "up", "--lb", lb, "--yes")
					took += time.Since(start)
					b.StopTimer()
					cp, ends := criticalPath(b, p, r.calls)
					critical += cp
					trace.print(b, start, p, ends)
					reads += r.reads()
					writes += len(r.writes())
					b.StartTimer()
				}
				b.ReportMetric(float64(reads)/float64(b.N), "reads/op")
				b.ReportMetric(float64(writes)/float64(b.N), "writes/op")
				b.ReportMetric(critical.Seconds()/float64(b.N), "critical-s/op")
				b.ReportMetric(took.Seconds()/critical.Seconds(), "x-critical-path")
			})
			if m.name != "latency" {
				continue
			}
			b.Run(m.name+"/"+lb+"/converged", func(b *testing.B) {
				e := benchEnv(b, m.opts(b), nil)
				e.writeB(b, clbStack(lb))
				e.runB(b, "up", "--lb", lb, "--yes")
				b.ResetTimer()
				var reads int
				for range b.N {
					reads += e.runB(b, "up", "--lb", lb, "--yes").reads()
				}
				b.ReportMetric(float64(reads)/float64(b.N), "reads/op")
			})
		}
	}
}

// planB returns the plan `up --lb lb` will apply (`plan -o json`).
func (e *env) planB(b *testing.B, lb string) *plan.Plan {
	b.Helper()
	r := e.runB(b, "plan", "--lb", lb, "-o", "json")
	var p plan.Plan
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		b.Fatalf("plan -o json: %v\n%s", err, r.stdout)
	}
	if len(p.Actions) == 0 {
		b.Fatal("plan -o json: no actions: the benchmark needs a stack to create")
	}
	return &p
}

// planningWaves is how many rounds of reads `up` makes before it applies:
// its reads go out in two parallel waves (README, "What `up` and `down` do").
const planningWaves = 2

// criticalPath is the least time `up` of p could take against the fake that
// answered calls: the planning reads (planningWaves round trips of the
// latency model), then the longest chain of p's dependency graph, where an
// action takes the time of the writes it must make, one after another (see
// stepCost). The durations come from the fake's request log (Call.LatencyMS,
// AsyncMS, HiddenMS): the latency model's values, or the realistic profile's
// draws. The poll that sees the work done is not counted (it can be sent so
// as to arrive as the work ends), nor are retried busy or throttled answers:
// a perfect client makes none.
//
// Faults of the realistic profile count as the cloud's time where the cloud
// imposes them, and as overshoot where the client chooses:
//   - an ALB job that failed on its own (5 % of them): its write, its whole
//     async duration (the job reports Failed only when it ends) and the
//     write sent again with its job all count, since no client can know
//     sooner or skip the resend; the pause the executor takes before that
//     resend (alb.Executor's busy pause, 0.5 s) and a read for what the
//     failed job left behind do not: they are the client's policy;
//   - the read-after-write window: an ALB job cannot be seen Succeeded
//     before both its work and its window end; a new CLB listener cannot be
//     seen running before its window ends, whatever its start took (see
//     stepCost); the windows of objects the step never reads (a vServer
//     group) do not count;
//   - reads `up` makes between writes of one step (the CLB vServer group
//     race check) are the client's time.
//
// It also returns when each action can end at the earliest, from the end of
// the planning reads.
func criticalPath(b *testing.B, p *plan.Plan, calls []fakecloud.Call) (time.Duration, map[plan.Addr]time.Duration) {
	b.Helper()
	cost := map[plan.Addr]time.Duration{}
	for _, a := range p.Actions {
		writes := stepWrites(a, calls)
		if len(writes) == 0 {
			b.Fatalf("critical path: no write of %s in the request log", a.ID)
		}
		cost[a.ID] = stepCost(writes)
	}
	done := map[plan.Addr]time.Duration{} // earliest end of each action
	var end func(id plan.Addr) time.Duration
	byID := map[plan.Addr]plan.Action{}
	for _, a := range p.Actions {
		byID[a.ID] = a
	}
	end = func(id plan.Addr) time.Duration {
		if d, ok := done[id]; ok {
			return d
		}
		var start time.Duration
		for _, dep := range byID[id].DependsOn {
			start = max(start, end(dep))
		}
		done[id] = start + cost[id]
		return done[id]
	}
	var longest time.Duration
	for _, a := range p.Actions {
		longest = max(longest, end(a.ID))
	}
	return planningWaves*benchLatency.Base + longest, done
}

// stepWrites are the successful writes in calls that carried out action a
// of an `up` plan (creates, the benchmark's plans).
func stepWrites(a plan.Action, calls []fakecloud.Call) []fakecloud.Call {
	want := map[string]bool{}
	port := ""
	switch a.Kind {
	case plan.KindServerGroup:
		want["alb/CreateServerGroup"], want["slb/CreateVServerGroup"] = true, true
	case plan.KindServers:
		want["alb/AddServersToServerGroup"], want["slb/AddVServerGroupBackendServers"] = true, true
	case plan.KindListener:
		want["alb/CreateListener"], want["slb/StartLoadBalancerListener"] = true, true
		want["slb/CreateLoadBalancerHTTPListener"], want["slb/CreateLoadBalancerHTTPSListener"] = true, true
		port = strconv.Itoa(a.Listener.Spec.Port)
	case plan.KindDNSRecord:
		want["alidns/AddDomainRecord"], want["alidns/UpdateDomainRecordRemark"] = true, true
	case plan.KindLBTag:
		want["alb/TagResources"] = true
	}
	var out []fakecloud.Call
	for _, c := range calls {
		if c.Write && c.Status == 200 && want[c.Product+"/"+c.Action] && (port == "" || c.Params["ListenerPort"] == port) {
			out = append(out, c)
		}
	}
	return out
}

// stepCost is the least time a step whose writes are writes takes: each
// write its call's latency; a write whose work the step waits for (an ALB
// job, a CLB listener start) then blocks the step until that work is done
// and, for an ALB job, until the job can be read (its read-after-write
// window); a new CLB listener's status, or a new vServer group in the list
// the race check reads, cannot be seen before its window ends, so the step
// cannot end before then.
func stepCost(writes []fakecloud.Call) time.Duration {
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	var t, end time.Duration
	for _, c := range writes {
		t += ms(c.LatencyMS)
		switch {
		case c.Product == fakecloud.ProductALB && c.Action != "TagResources":
			t += max(ms(c.AsyncMS), ms(c.HiddenMS))
		case c.Product == fakecloud.ProductSLB && c.Action == "StartLoadBalancerListener":
			t += ms(c.AsyncMS)
		case c.Product == fakecloud.ProductSLB && (c.Action == "CreateLoadBalancerHTTPListener" || c.Action == "CreateLoadBalancerHTTPSListener" ||
			c.Action == "CreateVServerGroup"):
			// A new vServer group too: the check that settles concurrent
			// runs decides only on a list that shows it (clb/groupcheck.go).
			end = max(end, t+ms(c.HiddenMS))
		}
	}
	return max(t, end)
}
