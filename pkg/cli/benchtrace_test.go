package cli_test

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// benchTrace, with BENCH_TRACE=1, is the fake's request log of each `up`
// with when every call was sent and answered (the time its line was
// written, less its DurationMS), printed with each step's critical-path
// end next to its actual end: where a run's overshoot goes.
type benchTrace struct {
	mu    sync.Mutex
	lines []tracedCall
}

type tracedCall struct {
	call fakecloud.Call
	end  time.Time
}

func newBenchTrace() *benchTrace {
	if os.Getenv("BENCH_TRACE") == "" {
		return nil
	}
	return &benchTrace{}
}

// writer is the fake's Options.RequestLog: one JSON line per answered call.
func (t *benchTrace) writer() io.Writer {
	if t == nil {
		return nil
	}
	return t
}

func (t *benchTrace) Write(p []byte) (int, error) {
	now := time.Now()
	var c fakecloud.Call
	if err := json.Unmarshal(p, &c); err == nil {
		t.mu.Lock()
		t.lines = append(t.lines, tracedCall{c, now})
		t.mu.Unlock()
	}
	return len(p), nil
}

func (t *benchTrace) reset() {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.lines = nil
	t.mu.Unlock()
}

// print writes the calls since start (sent, answered, from start) and each
// action's critical-path end (criticalEnds) next to the end of its last write.
func (t *benchTrace) print(b *testing.B, start time.Time, p *plan.Plan, ends map[plan.Addr]time.Duration) {
	if t == nil {
		return
	}
	t.mu.Lock()
	lines := append([]tracedCall(nil), t.lines...)
	t.mu.Unlock()
	ms := func(d time.Duration) string { return fmt.Sprintf("%7.0f", float64(d)/float64(time.Millisecond)) }
	sort.Slice(lines, func(i, j int) bool {
		return lines[i].end.Add(-time.Duration(lines[i].call.DurationMS * 1e6)).Before(lines[j].end.Add(-time.Duration(lines[j].call.DurationMS * 1e6)))
	})
	var sb strings.Builder
	fmt.Fprintf(&sb, "   sent  answered  call (latency/async/hidden ms)\n")
	for _, l := range lines {
		c := l.call
		sent := l.end.Add(-time.Duration(c.DurationMS * 1e6)).Sub(start)
		name := c.Product + " " + c.Action
		if port := c.Params["ListenerPort"]; port != "" {
			name += ":" + port
		}
		if c.Code != "" {
			name += " " + c.Code
		}
		fmt.Fprintf(&sb, "%s %s  %s (%.0f/%.0f/%.0f)\n", ms(sent), ms(l.end.Sub(start)), name, c.LatencyMS, c.AsyncMS, c.HiddenMS)
	}
	fmt.Fprintf(&sb, "critical-path end of each step (ms from start, after the planning reads):\n")
	for _, a := range p.Actions {
		fmt.Fprintf(&sb, "  %s %s\n", ms(planningWaves*benchLatency.Base+ends[a.ID]), a.ID)
	}
	b.Log(sb.String())
}
