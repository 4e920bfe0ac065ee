package cloud

import (
	"context"
	"errors"
	"testing"
	"time"
)

// polls lists the send times of the polls of a wait paced by p that ends
// when the work is done at end (a poll sent at or after end sees it done),
// with a first look at once when now.
func polls(p pace, end time.Duration, now bool) []time.Duration {
	var out []time.Duration
	at := p.first
	if now {
		at = 0
	}
	for {
		out = append(out, at)
		if at >= end {
			return out
		}
		if at == 0 {
			at = p.first
			continue
		}
		at = p.next(at)
	}
}

// oldPolls is the same for the pacing before cloud.Waits: a look at once,
// then intervals from 100 ms growing by half up to 3 s, each counted from
// the answer to the poll before, which takes rtt. (Waits counts from the
// start of the wait, so its polls do not drift by the round trips.)
func oldPolls(end, rtt time.Duration) []time.Duration {
	var out []time.Duration
	at, d := time.Duration(0), 100*time.Millisecond
	for {
		out = append(out, at)
		if at >= end {
			return out
		}
		at += rtt + d
		d = min(d*3/2, 3*time.Second)
	}
}

// TestWaitPace: before anything is learned, the first poll comes soon (a
// fast cloud, or the fake, is not made to wait), polls grow by probeGrowth up to the
// kind's documented minimum and then are at most denseGap (10 %) of the time
// waited apart, so a wait ends at most 10 % after the work did (the old pacing:
// up to 50 %, and a 3 s cap), then back off up to MaxPollGap once overdue.
func TestWaitPace(t *testing.T) {
	p := (*Waits)(nil).schedule("alb/CreateListener") // the seeds' pace
	if p.first != MinPollGap || p.dense != 5*time.Second || p.overdue != 24*time.Second {
		t.Fatalf("pace %+v, want first 100ms, dense from 5s (the seed's Min), overdue after 24s (2 × Usual)", p)
	}
	for _, end := range []time.Duration{5 * time.Second, 7 * time.Second, 11 * time.Second, 23 * time.Second} {
		got := polls(p, end, false)
		last := got[len(got)-1]
		if over := float64(last-end) / float64(end); over > denseGap {
			t.Errorf("work done at %s: seen at %s, %.0f%% late, want at most %.0f%%", end, last, 100*over, 100*denseGap)
		}
	}
	old := oldPolls(11*time.Second, 0)
	if over := float64(old[len(old)-1]-11*time.Second) / float64(11*time.Second); over < 0.15 {
		t.Fatalf("the old pacing was %.0f%% late: the comparison above proves nothing", 100*over)
	}
	for at := 30 * time.Second; at < 5*time.Minute; at = p.next(at) {
		if gap := p.next(at) - at; gap > MaxPollGap || gap < MinPollGap {
			t.Fatalf("overdue gap %s at %s, want %s-%s", gap, at, MinPollGap, MaxPollGap)
		}
	}
}

// TestWaitLearns: a run whose work ends sooner than the seeds say moves
// every kind's dense polling earlier, so that the next wait of another kind
// of about the same length is not late by more than denseGap, for at most
// one more poll than the old pacing; a kind it has not seen keeps its seed while the
// run has seen nothing.
func TestWaitLearns(t *testing.T) {
	w := NewWaits()
	first := polls(w.schedule("alb/CreateServerGroup"), 2*time.Second, true)
	w.learn("alb/CreateServerGroup", span{lo: first[len(first)-2], hi: first[len(first)-1]})

	before := (*Waits)(nil).schedule("alb/AddServersToServerGroup")
	p := w.schedule("alb/AddServersToServerGroup")
	if p.dense >= before.dense || p.first <= before.first {
		t.Fatalf("after a 2s job: pace %+v, want dense polling earlier than the seed's %s and a later first poll", p, before.dense)
	}
	// Work of this kind ending anywhere from 1.5 s to 3 s: seen at most
	// denseGap late, where the old pacing was up to half late, for at most
	// one more poll on average.
	var n, nOld int
	var worstOld float64
	for end := 1500 * time.Millisecond; end <= 3*time.Second; end += 50 * time.Millisecond {
		got, old := polls(p, end, true), oldPolls(end, 50*time.Millisecond)
		if late := float64(got[len(got)-1]-end) / float64(end); late > denseGap {
			t.Errorf("work done at %s seen %.0f%% late (polls %v)", end, 100*late, got)
		}
		worstOld = max(worstOld, float64(old[len(old)-1]-end)/float64(end))
		n, nOld = n+len(got), nOld+len(old)
	}
	if worstOld < 2*denseGap {
		t.Errorf("the old pacing was at worst %.0f%% late: the comparison proves nothing", 100*worstOld)
	}
	if n > nOld+31 {
		t.Errorf("%d polls over 31 waits, the old pacing %d: more than one more per wait", n, nOld)
	}
	t.Logf("31 waits of 1.5-3 s: %d polls (old pacing %d, at worst %.0f%% late)", n, nOld, 100*worstOld)
	if (&Waits{seeds: TypicalDurations, seen: map[string][]span{}}).schedule("slb/StartLoadBalancerListener").dense != 0 {
		t.Error("a run that saw nothing does not poll densely from the start")
	}
}

// TestWaitNowLooksAtOnce: WaitNow's first look is immediate, Wait's is not;
// both stop at the first error and learn only from waits that end done.
func TestWaitNowLooksAtOnce(t *testing.T) {
	w := NewWaits()
	n := 0
	if err := w.WaitNow(context.Background(), "alb/CreateServerGroup", func(context.Context) (bool, error) { n++; return true, nil }); err != nil || n != 1 {
		t.Fatalf("WaitNow on done work: %v after %d looks, want one look", err, n)
	}
	// Done at the first look: nothing was pending, so nothing is learned of
	// the cloud's pace (a span from 0 would make every later wait of the run
	// poll densely from its start: more reads for nothing).
	if s := w.seen["alb/CreateServerGroup"]; len(s) != 0 {
		t.Fatalf("learned %v from work done at the first look, want nothing", s)
	}
	n = 0
	if err := w.WaitNow(context.Background(), "alb/CreateServerGroup", func(context.Context) (bool, error) { n++; return n == 2, nil }); err != nil || n != 2 {
		t.Fatalf("WaitNow: %v after %d looks, want two", err, n)
	}
	if s := w.seen["alb/CreateServerGroup"]; len(s) != 1 || s[0].hi <= 0 {
		t.Fatalf("learned %v from work seen pending once, want one span", s)
	}
	boom := errors.New("boom")
	if err := w.Wait(context.Background(), "x", func(context.Context) (bool, error) { return false, boom }); !errors.Is(err, boom) {
		t.Fatalf("Wait: %v, want boom", err)
	}
	if len(w.seen["x"]) != 0 {
		t.Fatal("a failed wait was learned from")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := w.Wait(ctx, "x", func(context.Context) (bool, error) { return false, nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait after cancel: %v", err)
	}
}

// TestWaitFastRunSlowJob: a run whose first job ended far sooner than its
// seed (a server group in 0.65 s, seeded at 5 s) still polls densely through
// a later job of another kind that takes longer than that speed predicts (a
// server change of 4.6 s: within the realistic spread of 1:7 for one kind),
// instead of backing off as if it were overdue; the realistic profile at
// time scale 0.25 drew exactly this pair, and the old rule saw the job done
// 2 s late.
func TestWaitFastRunSlowJob(t *testing.T) {
	w := NewWaits()
	w.learn("alb/CreateServerGroup", span{lo: 456 * time.Millisecond, hi: 685 * time.Millisecond})
	p := w.schedule("alb/AddServersToServerGroup")
	seed := TypicalDurations["alb/AddServersToServerGroup"]
	if p.overdue < 2*seed.Usual {
		t.Errorf("overdue after %s, want no sooner than the seed's %s", p.overdue, 2*seed.Usual)
	}
	for end := time.Second; end <= 2*seed.Usual; end += 100 * time.Millisecond {
		got := polls(p, end, true)
		if late := float64(got[len(got)-1]-end) / float64(end); late > denseGap {
			t.Fatalf("work done at %s seen %.0f%% late, want at most %.0f%% (polls %v)", end, 100*late, 100*denseGap, got)
		}
	}
}

// TestWaitFirstOfRun: the first wait of a run, which knows nothing of its
// cloud's pace, sees work that ends at any time at most MinPollGap or
// denseGap late (probing by probeGrowth up to the seed's Min was up to 30 %
// late on work that a fast cloud ended in half a second), for a handful more
// polls than probing, and never polls more often than MinPollGap.
func TestWaitFirstOfRun(t *testing.T) {
	p := NewWaits().schedule("slb/StartLoadBalancerListener")
	probe := (*Waits)(nil).schedule("slb/StartLoadBalancerListener")
	var n, nProbe int
	for end := 200 * time.Millisecond; end < p.overdue; end += 50 * time.Millisecond {
		got := polls(p, end, false)
		late := got[len(got)-1] - end
		if late > max(MinPollGap, time.Duration(denseGap*float64(end))) {
			t.Fatalf("work done at %s seen %s late (polls %v)", end, late, got)
		}
		for i := 1; i < len(got); i++ {
			if got[i]-got[i-1] < MinPollGap {
				t.Fatalf("polls %s and %s closer than %s", got[i-1], got[i], MinPollGap)
			}
		}
		n += len(got)
		nProbe += len(polls(probe, end, false))
	}
	pr := polls(probe, 700*time.Millisecond, false)
	if late := pr[len(pr)-1] - 700*time.Millisecond; late <= MinPollGap {
		t.Fatalf("probing saw work done at 700ms %s late: the comparison proves nothing", late)
	}
	if waits := (p.overdue - 200*time.Millisecond) / (50 * time.Millisecond); n > nProbe+6*int(waits+1) {
		t.Errorf("%d polls over %d waits, probing %d: more than 6 more per wait", n, waits+1, nProbe)
	}
	t.Logf("first waits of 0.2-%s: %d polls, probing %d", p.overdue, n, nProbe)
}
