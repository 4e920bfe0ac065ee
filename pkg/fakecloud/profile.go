package fakecloud

// Profiles: how slow and how flaky the fake is. The default (fast) profile is
// ideal and quick, for unit tests; the realistic profile models what the
// references say of the real cloud (see "The realistic profile" in doc.go).

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Profile names accepted in Options.Profile and `wsdeploy fakecloud --profile`.
const (
	// ProfileFast (the default, also ""): async work takes
	// Options.AsyncDuration, jobs never fail on their own, backends are
	// healthy as soon as they are attached, reads reflect writes at once and
	// nothing is throttled unless a fault rule says so.
	ProfileFast = "fast"
	// ProfileRealistic: async durations drawn per operation from realistic
	// ranges, a share of ALB jobs ending Failed, health checks that take
	// interval × healthy threshold, a read-after-write window on lists and
	// reads by ID, and per-action throttling, all scaled by Options.TimeScale
	// (throttling excepted) and drawn from a source seeded by
	// Options.FaultSeed.
	ProfileRealistic = "realistic"
)

// Profiles lists the profile names, default first.
func Profiles() []string { return []string{ProfileFast, ProfileRealistic} }

// ValidateProfile checks a profile name and a time scale as Options takes
// them.
func ValidateProfile(profile string, scale float64) error {
	_, err := newRealism(profile, scale, 0)
	return err
}

// checkAsyncWithProfile refuses an AsyncDuration with the realistic
// profile, which would ignore it (it draws each operation's duration from
// its own range): the caller meant something the fake would not do.
func checkAsyncWithProfile(opts Options) error {
	if opts.Profile == ProfileRealistic && opts.AsyncDuration != 0 {
		return fmt.Errorf("fakecloud: AsyncDuration %s does not apply to the %s profile, which draws each operation's duration from its own range; "+
			"leave it 0 and set TimeScale to make that profile faster or slower", opts.AsyncDuration, ProfileRealistic)
	}
	return nil
}

// realism is the realistic profile's model. A nil *realism is the fast
// profile: every method answers "as before".
type realism struct {
	scale float64
	seed  int64

	mu sync.Mutex
	// durations draws async durations (writes only), jobs the job failures
	// (ALB job writes only): separate sources, so that a run's draws do not
	// depend on how often it reads.
	durations, jobs *rand.Rand
	buckets         map[string]*tokenBucket // product/action → bucket
}

// newRealism returns the model for profile, nil for the fast profile.
func newRealism(profile string, scale float64, seed int64) (*realism, error) {
	if math.IsNaN(scale) || math.IsInf(scale, 0) || scale < 0 {
		return nil, fmt.Errorf("time scale %v must be a positive number", scale)
	}
	if scale == 0 {
		scale = 1
	}
	switch profile {
	case "", ProfileFast:
		return nil, nil
	case ProfileRealistic:
		return &realism{
			scale: scale, seed: seed,
			durations: rand.New(rand.NewPCG(uint64(seed), 0x7ea1)),
			jobs:      rand.New(rand.NewPCG(uint64(seed), 0x70b5)),
			buckets:   map[string]*tokenBucket{},
		}, nil
	}
	return nil, fmt.Errorf("unknown profile %q (want one of %s)", profile, strings.Join(Profiles(), ", "))
}

// span is a range of durations in seconds.
type span struct{ min, max float64 }

// asyncSpans are how long asynchronous work takes in the realistic profile,
// per product and action, before scaling. Sources: facts sheet §0.1 and §2
// (ALB seconds to about a minute; Terraform polls ALB jobs every 5 s; the
// ingress controller waits up to 15 s for a listener and 60 s for servers),
// §3.4 (a CLB listener start takes a few seconds; Terraform polls every 3 s).
var asyncSpans = map[string]span{
	"alb/CreateServerGroup":                     {2, 10},
	"alb/UpdateServerGroupAttribute":            {2, 10},
	"alb/DeleteServerGroup":                     {2, 10},
	"alb/AddServersToServerGroup":               {3, 20},
	"alb/RemoveServersFromServerGroup":          {3, 20},
	"alb/ReplaceServersInServerGroup":           {3, 20},
	"alb/UpdateServerGroupServersAttribute":     {3, 20},
	"alb/CreateListener":                        {5, 30},
	"alb/UpdateListenerAttribute":               {5, 30},
	"alb/DeleteListener":                        {5, 30},
	"alb/StartListener":                         {3, 15},
	"alb/StopListener":                          {3, 15},
	"alb/CreateLoadBalancer":                    {30, 90},
	"alb/DeleteLoadBalancer":                    {10, 40},
	"alb/UpdateLoadBalancerEdition":             {5, 40}, // unconfirmed: no source gives its duration
	"slb/StartLoadBalancerListener":             {1, 5},
	"slb/SetLoadBalancerHTTPListenerAttribute":  {1, 5},
	"slb/SetLoadBalancerHTTPSListenerAttribute": {1, 5},
	"slb/CreateVServerGroup":                    {0.5, 3},
	"slb/AddVServerGroupBackendServers":         {0.5, 3},
	"slb/RemoveVServerGroupBackendServers":      {0.5, 3},
	"slb/SetVServerGroupAttribute":              {0.5, 3},
	"slb/ModifyVServerGroupBackendServers":      {0.5, 3},
}

// defaultSpan is the async duration of any other action.
var defaultSpan = span{1, 3}

// asyncDuration is how long the asynchronous work of one call takes: fallback
// in the fast profile, else a draw from the action's span, scaled.
func (m *realism) asyncDuration(product, action string, fallback time.Duration) time.Duration {
	if m == nil {
		return fallback
	}
	sp, ok := asyncSpans[product+"/"+action]
	if !ok {
		sp = defaultSpan
	}
	m.mu.Lock()
	f := m.durations.Float64()
	m.mu.Unlock()
	return m.seconds(sp.min + f*(sp.max-sp.min))
}

// seconds is s seconds of model time, scaled.
func (m *realism) seconds(s float64) time.Duration {
	d := time.Duration(s * m.scale * float64(time.Second))
	if d < time.Millisecond {
		d = time.Millisecond
	}
	return d
}

// jobFailShare is the share of ALB jobs that end Failed in the realistic
// profile, and jobFailCodes the codes they fail with: the transient kind (the
// resource or the instance was busy), which a careful client can get past by
// trying again.
const jobFailShare = 0.05

var jobFailCodes = []string{"SystemBusy", "Conflict.Lock"}

// failJob decides whether the ALB job one call starts fails on its own.
func (m *realism) failJob() *jobFailure {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.jobs.Float64() >= jobFailShare {
		return nil
	}
	code := jobFailCodes[m.jobs.IntN(len(jobFailCodes))]
	c, _ := lookupFaultCode(code)
	return &jobFailure{code: code, message: c.message}
}

// Read-after-write: a new object is missing from lists and reads by ID for
// a window after its creation, drawn per object (from its ID and the seed,
// so that no state is needed) in [windowMin, windowMax] seconds, scaled.
const windowMin, windowMax = 1.0, 3.0

// hidden reports whether an object created at created, with ID id, is still
// invisible to reads at now.
func (m *realism) hidden(id string, created, now time.Time) bool {
	if m == nil || created.IsZero() {
		return false
	}
	return now.Before(created.Add(m.window(id)))
}

// window is how long the object id is missing from reads after its
// creation; 0 in the fast profile.
func (m *realism) window(id string) time.Duration {
	if m == nil {
		return 0
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", m.seed, id)
	f := float64(h.Sum64()%1000) / 1000
	return m.seconds(windowMin + f*(windowMax-windowMin))
}

// healthDelay is how long health checks take to call a new backend healthy
// (interval × healthy threshold) or unhealthy (× unhealthy threshold); zero
// in the fast profile.
func (m *realism) healthDelay(interval, threshold int) time.Duration {
	if m == nil {
		return 0
	}
	return m.seconds(float64(interval * threshold))
}

// Throttling: a token bucket per product and action, refilled at the
// documented rate; it holds one second's share at most (at least one call),
// the stricter reading of "N calls per window" (the references do not say
// how bursts count).
type rateLimit struct {
	calls  int
	window time.Duration
}

// rateLimitFor is the documented rate limit of an action. ALB and CLB: the
// SLB family's published per-API quotas (NLB and GWLB pages: writes 200/60 s,
// reads 600/60 s, GetListenerHealthStatus 10/1 s; ALB's and CLB's own tables
// were not found); Alidns: 20/1 s (community notes, personal edition).
// ECS is not throttled.
func rateLimitFor(product, action string, write bool) (rateLimit, bool) {
	switch product {
	case ProductALB, ProductSLB:
		switch {
		case action == "GetListenerHealthStatus" || action == "DescribeHealthStatus":
			return rateLimit{10, time.Second}, true
		case write:
			return rateLimit{200, time.Minute}, true
		}
		return rateLimit{600, time.Minute}, true
	case ProductAlidns:
		return rateLimit{20, time.Second}, true
	}
	return rateLimit{}, false
}

type tokenBucket struct {
	tokens, max, perSec float64
	last                time.Time
}

// throttle takes a token for one call at now (the wall clock: the limit is
// on the client's real call rate) and answers Throttling.User when there is
// none. The fast profile never throttles.
func (m *realism) throttle(product, action string, write bool, now time.Time) *APIError {
	if m == nil {
		return nil
	}
	lim, ok := rateLimitFor(product, action, write)
	if !ok {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	key := product + "/" + action
	b := m.buckets[key]
	if b == nil {
		perSec := float64(lim.calls) / lim.window.Seconds()
		b = &tokenBucket{perSec: perSec, max: math.Max(1, math.Floor(perSec)), last: now}
		b.tokens = b.max
		m.buckets[key] = b
	}
	b.tokens = math.Min(b.max, b.tokens+now.Sub(b.last).Seconds()*b.perSec)
	b.last = now
	if b.tokens < 1 {
		c, _ := lookupFaultCode("Throttling.User")
		return &APIError{HTTPStatus: http.StatusBadRequest, Code: "Throttling.User", Message: c.message}
	}
	b.tokens--
	return nil
}

// created notes that this request created the object id, which its client
// will wait for (an ALB job, a CLB listener or vServer group): the request
// log gives its read-after-write window (Call.HiddenMS).
func (r *Request) created(id string) {
	r.hiddenFor = max(r.hiddenFor, r.realism.window(id))
}

// hidden reports whether the object id, created at created, is still
// missing from this request's reads (the read-after-write window).
func (r *Request) hidden(id string, created time.Time) bool {
	return r.realism.hidden(id, created, r.Now)
}
