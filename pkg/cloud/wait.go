package cloud

import (
	"context"
	"math"
	"sync"
	"time"
)

// Waiting for asynchronous work (an ALB job, a CLB listener starting) is
// paced by what this run expects of that kind of work: polls are sparse
// while the work cannot be done yet, dense around when it usually ends, and
// back off once it is overdue. A poll every few seconds would make `up` pay
// a good part of a poll interval per step, a poll every 100 ms would spend
// reads (each one counted against the account's rate limits) for nothing.
//
// What a kind of work takes is seeded by Typical and learned while the run
// goes on (Waits): a run that sees its cloud finish work faster or slower
// than the seeds say moves its expectations for every kind.

// Typical is how long one kind of asynchronous work takes: Min, the least it
// is expected to take, and Usual, a usual duration.
type Typical struct{ Min, Usual time.Duration }

// TypicalDurations seed the expectations of every run, per kind of work:
// "<product>/<the write's action>". Sources (the facts sheet of
// /work/shared/reference): ALB jobs take seconds to about a minute, listener
// jobs the longest (Alibaba's ingress controller gives a listener 15 s, a
// server change 60 s; Terraform polls listener jobs every 5 s); a CLB
// listener start takes a few seconds (Terraform polls it every 3 s).
var TypicalDurations = map[string]Typical{
	"alb/CreateServerGroup":                 {2 * time.Second, 5 * time.Second},
	"alb/UpdateServerGroupAttribute":        {2 * time.Second, 5 * time.Second},
	"alb/DeleteServerGroup":                 {2 * time.Second, 5 * time.Second},
	"alb/AddServersToServerGroup":           {3 * time.Second, 8 * time.Second},
	"alb/RemoveServersFromServerGroup":      {3 * time.Second, 8 * time.Second},
	"alb/UpdateServerGroupServersAttribute": {3 * time.Second, 8 * time.Second},
	"alb/CreateListener":                    {5 * time.Second, 12 * time.Second},
	"alb/UpdateListenerAttribute":           {5 * time.Second, 12 * time.Second},
	"alb/DeleteListener":                    {5 * time.Second, 12 * time.Second},
	"slb/StartLoadBalancerListener":         {time.Second, 3 * time.Second},
	// A new vServer group showing in lists (the race check reads it; see
	// clb.WaitGroupVisible): usually at once; the realistic profile hides
	// one for 1–3 s, which no public source confirms or denies.
	"slb/CreateVServerGroup": {500 * time.Millisecond, 2 * time.Second},
	// An ALB instance takes a minute or two to provision (Terraform's default
	// create timeout is 10 minutes); deleting one, tens of seconds.
	"alb/CreateLoadBalancer":          {20 * time.Second, 90 * time.Second},
	"alb/DeleteLoadBalancer":          {5 * time.Second, 30 * time.Second},
	"alb/UpdateLoadBalancerAttribute": {2 * time.Second, 5 * time.Second},
	// An edition change (no source gives its duration; the fake's realistic
	// profile draws 5-40 s).
	"alb/UpdateLoadBalancerEdition": {5 * time.Second, 20 * time.Second},
}

// defaultTypical is the expectation for a kind TypicalDurations does not name.
var defaultTypical = Typical{time.Second, 5 * time.Second}

// Pacing of the polls (see Waits.schedule).
const (
	// MinPollGap is the shortest time between two polls of one wait, and
	// the first poll of a run that has seen no work end yet: the floor
	// against the real cloud. A wait polls this often only while it has
	// waited less than MinPollGap/denseGap (1 s); after that its polls are
	// at least denseGap of the time waited apart. The read quota of the SLB
	// family (600 calls a minute per action: 10/s; see pkg/fakecloud's
	// realistic profile) thus holds one wait's first second; waits of one
	// run rarely overlap in that second (the plan's async steps chain), and
	// a throttled poll is retried with backoff (cloud.Retry).
	MinPollGap = 100 * time.Millisecond
	// MaxPollGap is the longest.
	MaxPollGap = 3 * time.Second
	// probeGrowth: before the work can be done, each poll is this factor
	// later than the one before (from the start of the wait).
	probeGrowth = 1.3
	// denseGap: around the expected end, polls are this fraction of the
	// time waited so far apart, so that the wait overshoots the work's end
	// by at most this fraction (half of it on average; 15 % left `up` about
	// 1.11× the cloud's own time against the realistic profile).
	denseGap = 0.10
	// backoffGap: once the work is overdue, this fraction.
	backoffGap = 0.5
)

// Waits holds what one run expects of asynchronous work and learns from
// each wait that ends. The zero value is not usable: NewWaits. A nil *Waits
// waits with the seeds and learns nothing. Safe for concurrent use.
type Waits struct {
	mu    sync.Mutex
	seeds map[string]Typical
	seen  map[string][]span // per kind, the waits that ended
}

// span is what one wait saw: the work was not done at lo (the last poll
// that found it unfinished was sent lo after the wait began; 0 if none) and
// was done by hi (the poll that found it done was sent hi after).
type span struct{ lo, hi time.Duration }

// NewWaits returns an empty memory seeded with TypicalDurations.
func NewWaits() *Waits {
	return &Waits{seeds: TypicalDurations, seen: map[string][]span{}}
}

// pace is the schedule of one wait (Waits.schedule): polls start at first,
// grow by probeGrowth up to dense, are denseGap apart until overdue, then
// back off.
type pace struct{ first, dense, overdue time.Duration }

// schedule says how to poll for the work of kind, from what the seeds say
// and what this run has seen:
//
//   - dense (the earliest the work is expected to end): at once while this
//     run has seen no work end; then the kind's Min, or less when this run
//     has seen work of any kind end sooner (0.85 × the shortest time any
//     work was seen unfinished: a fast cloud, or a fake);
//   - overdue: twice the usual duration, the seed scaled by how much slower
//     than the seeds this run's work has been (never shortened by a fast
//     run), or twice the longest of this kind seen;
//   - first: the first poll, MinPollGap before any work was seen to end,
//     then 0.3 × the shortest time any work was seen unfinished.
func (w *Waits) schedule(kind string) pace {
	seed, ok := TypicalDurations[kind]
	if w != nil {
		w.mu.Lock()
		defer w.mu.Unlock()
		seed, ok = w.seeds[kind]
	}
	if !ok {
		seed = defaultTypical
	}
	p := pace{first: MinPollGap, dense: seed.Min, overdue: 2 * seed.Usual}
	if w == nil {
		return p
	}
	if len(w.seen) == 0 {
		// The run has seen no work end: its cloud's pace is unknown (the
		// fake at a quarter of the real pace ends a CLB listener start in
		// 0.25 s, the real cloud in seconds), so the work may end at any
		// moment and polls are dense from the start: MinPollGap apart for
		// the first second, then denseGap. That costs a few more polls,
		// once per run, where probing by probeGrowth up to the seed's Min
		// left the first wait up to 30 % late.
		p.dense = 0
		return p
	}
	shortest := time.Duration(math.MaxInt64)
	var logSpeed float64
	n := 0
	for k, spans := range w.seen {
		s, ok := w.seeds[k]
		if !ok {
			s = defaultTypical
		}
		for _, sp := range spans {
			shortest = min(shortest, sp.lo)
			mid := (sp.lo + sp.hi) / 2
			logSpeed += math.Log(float64(max(mid, MinPollGap)) / float64(s.Usual))
			n++
		}
	}
	p.first = max(MinPollGap, shortest/2)
	p.dense = min(p.dense, shortest*85/100)
	// A run faster than the seeds may have work overdue sooner, a slower one
	// later; but one short job says little of the next (the realistic spread
	// of one kind is about 1:7), so a fast run never brings overdue below
	// the seed's: backing off at 50 % gaps on a job that is merely on the
	// slow side of its kind made `up` up to 2 s late on a 5 s job.
	p.overdue = time.Duration(float64(2*seed.Usual) * max(1, math.Exp(logSpeed/float64(n))))
	for _, sp := range w.seen[kind] {
		p.overdue = max(p.overdue, 2*sp.hi)
	}
	p.overdue = max(p.overdue, 2*p.dense, 2*p.first)
	return p
}

// next is when, from the start of the wait, to poll after a poll sent t
// after it.
func (p pace) next(t time.Duration) time.Duration {
	var n time.Duration
	switch {
	case t < p.dense:
		n = min(time.Duration(float64(t)*probeGrowth), p.dense)
	case t < p.overdue:
		n = t + time.Duration(float64(t)*denseGap)
	default:
		n = t + min(time.Duration(float64(t)*backoffGap), MaxPollGap)
	}
	return max(n, t+MinPollGap)
}

// learn records a wait for work of kind that ended.
func (w *Waits) learn(kind string, s span) {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seen[kind] = append(w.seen[kind], s)
}

// Wait polls check, paced for work of kind (see Waits), until it reports
// done, fails, or ctx ends; a wait that ends done is learned from. The wait
// begins now: call it as soon as the write that started the work answered.
func (w *Waits) Wait(ctx context.Context, kind string, check func(ctx context.Context) (bool, error)) error {
	return w.wait(ctx, kind, false, check)
}

// WaitNow is Wait with a first look at once, before the paced polls: for a
// caller that must know how the work stood right after the write (an ALB
// job that had already failed; see alb.Executor). It costs one read.
func (w *Waits) WaitNow(ctx context.Context, kind string, check func(ctx context.Context) (bool, error)) error {
	return w.wait(ctx, kind, true, check)
}

func (w *Waits) wait(ctx context.Context, kind string, now bool, check func(ctx context.Context) (bool, error)) error {
	start := time.Now()
	p := w.schedule(kind)
	var last, at time.Duration // the last unfinished poll; this poll (sent at, from start)
	if !now {
		at = p.first
	}
	for {
		if d := time.Until(start.Add(at)); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
		sent := time.Since(start)
		look := now && at == 0 // WaitNow's first look, right after the write
		done, err := check(ctx)
		if err != nil {
			return err
		}
		if done {
			if !look { // done at the first look: nothing was pending, nothing to learn of the pace
				w.learn(kind, span{lo: last, hi: sent})
			}
			return nil
		}
		last = sent
		if at == 0 {
			at = p.first
			continue
		}
		at = p.next(max(at, sent))
	}
}
