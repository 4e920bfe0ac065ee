package health

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

var check = resource.HealthCheck{Enabled: true, Path: "/healthz", Method: "GET", Codes: []string{"http_2xx", "http_3xx"}, Interval: 2, Timeout: 5, HealthyThreshold: 3, UnhealthyThreshold: 3}

var fast = Pace{First: time.Millisecond, Max: 2 * time.Millisecond}

func TestPaceFor(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		interval, threshold int
		want                Pace
	}{
		{2, 3, Pace{2 * time.Second, 6 * time.Second, 30 * time.Second}},
		{1, 2, Pace{time.Second, 2 * time.Second, 30 * time.Second}},
		{50, 10, Pace{5 * time.Second, 15 * time.Second, 1500 * time.Second}},
		{0, 0, Pace{time.Second, 2 * time.Second, 30 * time.Second}},
	} {
		if got := PaceFor(resource.HealthCheck{Interval: tt.interval, HealthyThreshold: tt.threshold}); got != tt.want {
			t.Errorf("PaceFor(interval %d, threshold %d) = %+v, want %+v", tt.interval, tt.threshold, got, tt.want)
		}
	}
}

// rounds is a Read that answers the rounds in turn, then the last one again.
func rounds(n *int, rs ...[]resource.BackendHealth) func(context.Context) ([]resource.BackendHealth, error) {
	return func(context.Context) ([]resource.BackendHealth, error) {
		*n++
		return rs[min(*n, len(rs))-1], nil
	}
}

func bh(id, listener, health, reason string) resource.BackendHealth {
	return resource.BackendHealth{InstanceID: id, Port: 5000, Listener: listener, Health: health, Reason: reason}
}

var two = []Backend{{InstanceID: "i-1", Name: "web-a", Port: 5000}, {InstanceID: "i-2", Name: "i-2", Port: 5000}}

// On ALB a backend absent from the answer is healthy; the wait reports each
// round that is not all healthy, and ends at the first that is.
func TestWaitALB(t *testing.T) {
	t.Parallel()
	reads := 0
	var seen []Progress
	p, err := Wait(context.Background(), Options{
		Read: rounds(&reads,
			[]resource.BackendHealth{bh("i-1", "HTTP:80", "initial", ""), bh("i-1", "HTTPS:443", "initial", ""), bh("i-2", "HTTP:80", "initial", "")},
			[]resource.BackendHealth{bh("i-1", "HTTPS:443", "unhealthy", "CONNECT_FAILED"), bh("i-9", "HTTP:80", "unhealthy", "CONNECT_FAILED")},
			nil,
		),
		Kind: "alb", Listeners: []string{"HTTP:80", "HTTPS:443"}, Backends: two, Check: check, Pace: Pace{First: time.Millisecond, Max: time.Millisecond, StaysUnhealthy: time.Hour},
		Progress: func(p Progress) { seen = append(seen, p) },
	})
	if err != nil || reads != 3 || p.Healthy != 2 || len(p.NotHealthy) != 0 {
		t.Fatalf("Wait = %+v, %v after %d reads", p, err, reads)
	}
	if len(seen) != 2 || seen[0].Healthy != 0 || len(seen[0].NotHealthy) != 3 || seen[1].Healthy != 1 {
		t.Fatalf("progress %+v", seen)
	}
	if got := strings.Join(seen[0].Waiting(), "; "); got != "web-a (i-1):5000 initial on HTTP:80, HTTPS:443; i-2:5000 initial on HTTP:80" {
		t.Fatalf("waiting: %s", got)
	}
	if got := strings.Join(seen[1].Waiting(), "; "); got != "web-a (i-1):5000 unhealthy (CONNECT_FAILED) on HTTPS:443" {
		t.Fatalf("waiting: %s (a backend the stack does not have is no concern)", got)
	}
}

// On CLB every backend is listed: one missing is not healthy yet; CLB's
// abnormal carries no reason of the cloud's.
func TestWaitCLB(t *testing.T) {
	t.Parallel()
	reads := 0
	var seen []Progress
	_, err := Wait(context.Background(), Options{
		Read: rounds(&reads,
			[]resource.BackendHealth{bh("i-1", "HTTP:80", "unhealthy", "health check failed")},
			[]resource.BackendHealth{bh("i-1", "HTTP:80", "healthy", ""), bh("i-2", "HTTP:80", "healthy", "")},
		),
		Kind: "clb", Listeners: []string{"HTTP:80"}, Backends: two, Check: check, Pace: Pace{First: time.Millisecond, Max: time.Millisecond, StaysUnhealthy: time.Hour},
		Progress: func(p Progress) { seen = append(seen, p) },
	})
	if err != nil || reads != 2 || len(seen) != 1 {
		t.Fatalf("%v after %d reads, progress %+v", err, reads, seen)
	}
	want := []State{
		{InstanceID: "i-1", Name: "web-a", Port: 5000, Listener: "HTTP:80", Health: "unhealthy"},
		{InstanceID: "i-2", Name: "i-2", Port: 5000, Listener: "HTTP:80", Health: Unreported},
	}
	if len(seen[0].NotHealthy) != 2 || seen[0].NotHealthy[0] != want[0] || seen[0].NotHealthy[1] != want[1] {
		t.Fatalf("not healthy: %+v", seen[0].NotHealthy)
	}
}

// A backend reported unhealthy on every round for StaysUnhealthy ends the
// wait; one that turns initial in between starts counting again.
func TestWaitStaysUnhealthy(t *testing.T) {
	t.Parallel()
	unhealthy := []resource.BackendHealth{bh("i-2", "HTTP:80", "unhealthy", "RESPONSE_MISMATCH")}
	unhealthy[0].Expected, unhealthy[0].Actual = "HTTP_2xx,HTTP_3xx", "404"
	initial := []resource.BackendHealth{bh("i-2", "HTTP:80", "initial", "")}
	reads := 0
	_, err := Wait(context.Background(), Options{
		Read: rounds(&reads, unhealthy, initial, unhealthy, unhealthy),
		Kind: "alb", Listeners: []string{"HTTP:80"}, Backends: two, Check: check, Pace: fast,
	})
	var ne *NotHealthyError
	if !errors.As(err, &ne) || ne.Stopped || reads != 4 {
		t.Fatalf("%v after %d reads: want a NotHealthyError at the 4th (the 2nd unhealthy in a row)", err, reads)
	}
	want := "1 of 2 backend(s) not healthy; the load balancer kept reporting unhealthy for 0s:\n" +
		"  i-2:5000 on listener HTTP:80: unhealthy (RESPONSE_MISMATCH): GET /healthz answered 404, the health check expects HTTP_2xx,HTTP_3xx"
	if err.Error() != want {
		t.Fatalf("error:\n%s\nwant:\n%s", err, want)
	}
	if h := ne.Hint(); !strings.Contains(h, "make GET /healthz on port 5000 answer http_2xx or http_3xx on i-2") || strings.Contains(h, "Redis") {
		t.Fatalf("hint: %s", h)
	}
}

// When ctx ends (--timeout, Ctrl-C) the error is the last round's; a read
// error before any round is the read's own.
func TestWaitStopped(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	reads := 0
	_, err := Wait(ctx, Options{
		Read: func(ctx context.Context) ([]resource.BackendHealth, error) {
			reads++
			if reads == 3 {
				cancel()
				return nil, ctx.Err()
			}
			return []resource.BackendHealth{bh("i-1", "HTTP:80", "initial", "")}, nil
		},
		Kind: "alb", Listeners: []string{"HTTP:80"}, Backends: two, Check: check, Pace: fast,
	})
	var ne *NotHealthyError
	if !errors.As(err, &ne) || !ne.Stopped || reads != 3 || !strings.HasPrefix(err.Error(), "1 of 2 backend(s) not healthy yet:\n  web-a (i-1):5000 on listener HTTP:80: initial") {
		t.Fatalf("%v after %d reads", err, reads)
	}
	if ne.Waiting() == "" || !strings.Contains(ne.Hint(), "had not finished checking web-a: it checks every 2s and needs 3 passes in a row") {
		t.Fatalf("hint: %s", ne.Hint())
	}

	boom := errors.New("read backend health of listener HTTP:80: boom")
	_, err = Wait(context.Background(), Options{
		Read: func(context.Context) ([]resource.BackendHealth, error) { return nil, boom },
		Kind: "alb", Listeners: []string{"HTTP:80"}, Backends: two, Check: check, Pace: fast,
	})
	if !errors.Is(err, boom) {
		t.Fatalf("read error: %v", err)
	}
}

// Nothing to wait for: no read.
func TestWaitNothing(t *testing.T) {
	t.Parallel()
	read := func(context.Context) ([]resource.BackendHealth, error) {
		t.Fatal("read")
		return nil, nil
	}
	for _, o := range []Options{{Read: read, Listeners: []string{"HTTP:80"}}, {Read: read, Backends: two}} {
		if p, err := Wait(context.Background(), o); err != nil || len(p.NotHealthy) != 0 {
			t.Fatalf("%+v, %v", p, err)
		}
	}
}

// Each reason gets the hint of its class, once, naming its backends.
func TestHints(t *testing.T) {
	t.Parallel()
	st := func(id, health, reason, actual string) State {
		return State{InstanceID: id, Name: id, Port: 5000, Listener: "HTTP:80", Health: health, Reason: reason, Actual: actual}
	}
	tests := []struct {
		kind   string
		states []State
		wants  []string
		not    []string
	}{
		{"alb", []State{st("a", "unhealthy", "CONNECT_TIMEOUT", ""), st("b", "unhealthy", "CONNECT_FAILED", "")},
			[]string{"check that the app runs and listens on port 5000 on a, b", "security group lets the load balancer in on port 5000"}, []string{"curl"}},
		{"alb", []State{st("a", "unhealthy", "RESPONSE_MISMATCH", "503")},
			[]string{"answer http_2xx or http_3xx on a", "wschat answers 503 on /healthz while it cannot reach Redis"}, []string{"listens"}},
		{"alb", []State{st("a", "unhealthy", "RECV_RESPONSE_TIMEOUT", ""), st("b", "initial", "", "")},
			[]string{"a answers GET /healthz too slowly", "backends.healthCheck.timeout (now 5s)"}, []string{"had not finished"}},
		{"clb", []State{st("a", "unhealthy", "", "")},
			[]string{"check on a that the app listens on port 5000 and that GET /healthz answers http_2xx or http_3xx there", "security group"}, nil},
	}
	for _, tt := range tests {
		e := &NotHealthyError{Last: Progress{Backends: 2, NotHealthy: tt.states, Check: check}, Kind: tt.kind, StayedFor: 30 * time.Second}
		h := e.Hint()
		for _, w := range tt.wants {
			if !strings.Contains(h, w) {
				t.Errorf("%s %v: hint lacks %q: %s", tt.kind, tt.states, w, h)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(h, w) {
				t.Errorf("%s %v: hint has %q: %s", tt.kind, tt.states, w, h)
			}
		}
		if !strings.Contains(e.Error(), "kept reporting unhealthy for 30s") {
			t.Errorf("error: %s", e.Error())
		}
	}
}
