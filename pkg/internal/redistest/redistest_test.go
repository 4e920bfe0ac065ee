package redistest_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/wsdeploy/wsdeploy/pkg/internal/redistest"
)

// TestServerAuthPubSubRestart checks what the chat and verify tests rely on,
// against whatever Start provides here (redis-server when installed): a
// password is required, pub/sub works, Stop cuts the subscription, and after
// Restart on the same address the subscriber receives again.
func TestServerAuthPubSubRestart(t *testing.T) {
	s := redistest.Start(t)
	t.Logf("embedded=%v", s.Embedded)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	anon := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1})
	defer anon.Close()
	if err := anon.Ping(ctx).Err(); err == nil || !strings.Contains(err.Error(), "NOAUTH") {
		t.Fatalf("PING without the password: %v, want NOAUTH", err)
	}
	wrong := redis.NewClient(&redis.Options{Addr: s.Addr, Password: "wrong", MaxRetries: -1})
	defer wrong.Close()
	if err := wrong.Ping(ctx).Err(); err == nil {
		t.Fatal("PING with a wrong password succeeded")
	}

	opt, err := redis.ParseURL(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	opt.MaxRetries = -1
	pub := redis.NewClient(opt)
	defer pub.Close()
	sub := redis.NewClient(opt)
	defer sub.Close()
	ps := sub.Subscribe(ctx, "room")
	defer ps.Close()
	if _, err := ps.Receive(ctx); err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	roundTrip := func(payload string) {
		t.Helper()
		for {
			n, err := pub.Publish(ctx, "room", payload).Result()
			if err == nil && n == 1 {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("publish %q: %d receivers, %v", payload, n, err)
			}
			time.Sleep(20 * time.Millisecond) // the subscriber is re-subscribing: poll
		}
		msg, err := ps.ReceiveMessage(ctx)
		if err != nil || msg.Payload != payload {
			t.Fatalf("received %v, %v; want %q", msg, err, payload)
		}
	}
	roundTrip("one")

	s.Stop()
	if err := pub.Ping(ctx).Err(); err == nil {
		t.Fatal("PING succeeded while the server is stopped")
	}
	// The subscriber's connection was cut: its next receive fails.
	rctx, rcancel := context.WithTimeout(ctx, 5*time.Second)
	_, err = ps.ReceiveMessage(rctx)
	rcancel()
	if err == nil || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("receive after Stop: %v, want a connection error", err)
	}

	addr := s.Addr
	s.Restart()
	if s.Addr != addr {
		t.Fatalf("Restart moved the server from %s to %s", addr, s.Addr)
	}
	// The subscriber reconnects and subscribes again on its next call.
	for {
		err := ps.Ping(ctx)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("the subscriber did not reconnect after Restart: %v", err)
		}
		time.Sleep(20 * time.Millisecond) // polling the reconnect, not synchronising on time
	}
	roundTrip("two")
}

// helper re-runs TestServerAuthPubSubRestart in a child process whose PATH
// has no redis-server, with CI set or not.
func helper(t *testing.T, ci bool) (string, error) {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "CI=") {
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+t.TempDir())
	if ci {
		env = append(env, "CI=1")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestServerAuthPubSubRestart$", "-test.v", "-test.count=1")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestWithoutRedisServerUsesTheEmbeddedServer: on a machine with only Go
// the Redis-backed tests run (not skip) against the embedded server, and
// the test log says so.
func TestWithoutRedisServerUsesTheEmbeddedServer(t *testing.T) {
	out, err := helper(t, false)
	if err != nil {
		t.Fatalf("without redis-server: %v\n%s", err, out)
	}
	for _, want := range []string{"--- PASS: TestServerAuthPubSubRestart", "redis-server is not on PATH; using the embedded Redis stand-in (github.com/alicebob/miniredis/v2)", "embedded=true"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "--- SKIP") {
		t.Errorf("the test was skipped:\n%s", out)
	}
}

// TestCIWithoutRedisServerFails: under CI a missing redis-server is a
// failure with a To fix: line, never a silent skip or a fallback.
func TestCIWithoutRedisServerFails(t *testing.T) {
	out, err := helper(t, true)
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("with CI=1 and no redis-server: %v, want a failing exit\n%s", err, out)
	}
	for _, want := range []string{"--- FAIL: TestServerAuthPubSubRestart", "redis-server is not installed and CI is set", "To fix: install it (apt-get install redis-server"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "miniredis") && !strings.Contains(out, "embedded miniredis") {
		t.Errorf("fell back to miniredis under CI:\n%s", out)
	}
}
