package cli_test

import (
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// benchEnv is a fake cloud with the latency model on: every call takes
// 50 ms (± 10 ms) and ALB jobs / CLB listener starts take 500 ms.
func benchEnv(b *testing.B, lb string) *env {
	b.Helper()
	fc := fakecloud.NewTestServer(b, fakecloud.Options{
		Seed: fakecloud.DemoSeed(), AsyncDuration: 500 * time.Millisecond,
		Latency: fakecloud.Latency{Base: 50 * time.Millisecond, Jitter: 10 * time.Millisecond, Seed: 1},
	})
	e := &env{fc: fc, dir: b.TempDir()}
	e.fakeCredentials()
	e.cfg = e.dir + "/wsdeploy.yaml"
	return e
}

// BenchmarkUp measures `up` of the README's example stack against the slow
// fake: from nothing (create), and when converged (the no-op re-run that CI
// pipelines pay on every push). Reported: wall time, API calls per run.
func BenchmarkUp(b *testing.B) {
	for _, lb := range []string{"alb", "clb"} {
		b.Run(lb+"/create", func(b *testing.B) {
			e := benchEnv(b, lb)
			e.writeB(b, clbStack(lb))
			var reads, writes int
			for range b.N {
				b.StopTimer()
				e.runB(b, "down", "--lb", lb, "--yes")
				b.StartTimer()
				r := e.runB(b, "up", "--lb", lb, "--yes")
				reads += r.reads()
				writes += len(r.writes())
			}
			b.ReportMetric(float64(reads)/float64(b.N), "reads/op")
			b.ReportMetric(float64(writes)/float64(b.N), "writes/op")
		})
		b.Run(lb+"/converged", func(b *testing.B) {
			e := benchEnv(b, lb)
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
