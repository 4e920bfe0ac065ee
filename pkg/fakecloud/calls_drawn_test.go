package fakecloud

import (
	"context"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// TestCallsSayWhatWasDrawn: the request log gives each call the delay the
// latency model drew for it and each write the async duration its work was
// given, the realistic profile's draw: the job's own span, as the state has
// it, and the read-after-write window of the job it created: the job is
// missing from ListAsynJobs until then, and listed from then on. Reads
// carry neither.
func TestCallsSayWhatWasDrawn(t *testing.T) {
	clock := &testClock{now: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
	ts, c := newALBClient(t, Options{
		Profile: ProfileRealistic, TimeScale: 0.5, FaultSeed: 3, Now: clock.Now,
		Latency: Latency{Base: 2 * time.Millisecond, Jitter: 3 * time.Millisecond, Seed: 1},
	})
	ctx, rt := context.Background(), &dara.RuntimeOptions{}
	cg, err := c.CreateServerGroupWithContext(ctx, &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("web"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(),
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	listed := func() bool {
		out, err := c.ListAsynJobsWithContext(ctx, &alb.ListAsynJobsRequest{JobIds: []*string{cg.Body.JobId}}, rt)
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Body.Jobs) == 1
	}
	job := jobOf(t, ts, tea.StringValue(cg.Body.JobId))
	hidden := time.Duration(ts.Calls()[0].HiddenMS * float64(time.Millisecond))
	if hidden <= 0 {
		t.Fatalf("CreateServerGroup HiddenMS %v, want the job's read-after-write window", ts.Calls()[0].HiddenMS)
	}
	clock.Add(hidden - time.Millisecond)
	if listed() {
		t.Errorf("job listed %s after its creation, before the logged window %s ended", hidden-time.Millisecond, hidden)
	}
	clock.Add(time.Millisecond + time.Microsecond) // the log rounds down to the microsecond
	if !listed() {
		t.Errorf("job not listed once the logged window %s ended", hidden)
	}
	calls := ts.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d calls logged, want 3", len(calls))
	}
	w, r := calls[0], calls[1]
	if want := float64(job.DoneAt.Sub(job.CreateTime).Microseconds()) / 1000; w.AsyncMS != want || want <= 0 {
		t.Errorf("CreateServerGroup AsyncMS %v, want the job's span %v ms", w.AsyncMS, want)
	}
	if r.AsyncMS != 0 || r.HiddenMS != 0 {
		t.Errorf("ListAsynJobs AsyncMS %v HiddenMS %v, want 0 for a read", r.AsyncMS, r.HiddenMS)
	}
	for _, c := range calls {
		if c.LatencyMS < 2 || c.LatencyMS > 5 || c.LatencyMS > c.DurationMS {
			t.Errorf("%s LatencyMS %v, want the model's 2-5 ms, within DurationMS %v", c.Action, c.LatencyMS, c.DurationMS)
		}
	}
}
