package chat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
)

// dialXFF opens a WebSocket sending X-Forwarded-For (when not empty) and
// returns the connection, or the HTTP status of the refusal.
func dialXFF(t *testing.T, b *chattest.Backend, xff string) (*websocket.Conn, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	opts := &websocket.DialOptions{HTTPHeader: http.Header{}}
	if xff != "" {
		opts.HTTPHeader.Set("X-Forwarded-For", xff)
	}
	c, resp, err := websocket.Dial(ctx, b.WSURL(), opts)
	if err != nil {
		if resp == nil {
			t.Fatalf("dial with X-Forwarded-For %q: %v", xff, err)
		}
		return nil, resp.StatusCode
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	return c, http.StatusSwitchingProtocols
}

// waitConnections polls the backend's own count until it is n.
func waitConnections(t *testing.T, b *chattest.Backend, n int64) {
	t.Helper()
	deadline := time.Now().Add(chattest.Wait)
	for b.Server.Stats().Connections != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections, want %d", b.Server.Stats().Connections, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestMaxConnectionsPerClientAddress(t *testing.T) {
	t.Parallel()
	lb := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")} // the test's "load balancer" is loopback
	behindLB := chattest.Start(t, chat.Options{Name: "behind-lb", MaxConnectionsPerIP: 2, TrustedProxies: lb})
	steps := []struct {
		xff  string
		want int
		why  string
	}{
		{"203.0.113.7", 101, "first from .7"},
		{"203.0.113.7", 101, "second from .7"},
		{"203.0.113.7", 429, "third from .7: over the cap"},
		{"203.0.113.8", 101, "another client"},
		{"198.51.100.1, 203.0.113.7", 429, "a forged entry on the left does not make .7 someone else"},
		{"203.0.113.7, 127.0.0.9", 429, "trusted hops on the right are skipped"},
		{"2001:db8::1", 101, "IPv6 client"},
		{"2001:db8::2", 101, "same /64"},
		{"2001:db8::3", 429, "a third address in that /64"},
		{"2001:db8:0:1::1", 101, "another /64"},
		{"not-an-address", 101, "unreadable header: counted as the proxy (1st)"},
	}
	var first *websocket.Conn
	for i, s := range steps {
		c, got := dialXFF(t, behindLB, s.xff)
		if got != s.want {
			t.Fatalf("step %d (%s): X-Forwarded-For %q answered %d, want %d", i, s.why, s.xff, got, s.want)
		}
		if i == 0 {
			first = c
		}
	}
	// A closed connection frees its place.
	waitConnections(t, behindLB, 7)
	_ = first.Close(websocket.StatusNormalClosure, "")
	waitConnections(t, behindLB, 6)
	if _, got := dialXFF(t, behindLB, "203.0.113.7"); got != 101 {
		t.Fatalf("after one of .7's connections closed: %d, want 101", got)
	}

	// A peer that is not a trusted proxy is counted by its own address,
	// whatever X-Forwarded-For it sends.
	direct := chattest.Start(t, chat.Options{Name: "direct", MaxConnectionsPerIP: 2,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("100.64.0.0/10")}})
	for i, xff := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.3", ""} {
		want := 101
		if i >= 2 {
			want = 429
		}
		if _, got := dialXFF(t, direct, xff); got != want {
			t.Fatalf("untrusted peer, connection %d with X-Forwarded-For %q: %d, want %d", i+1, xff, got, want)
		}
	}
}

func TestMaxConnections(t *testing.T) {
	t.Parallel()
	b := chattest.Start(t, chat.Options{Name: "capped", MaxConnections: 3})
	for i := 1; i <= 4; i++ {
		want := 101
		if i == 4 {
			want = http.StatusServiceUnavailable
		}
		if _, got := dialXFF(t, b, ""); got != want {
			t.Fatalf("connection %d: %d, want %d", i, got, want)
		}
	}
}

// logBuffer collects JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestDefaultConnectionCapIsLogged(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	b := chattest.Start(t, chat.Options{Name: "default", Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	chattest.WaitHealthy(t, b, chattest.Wait)
	b.Stop()
	for _, l := range logs.lines(t) {
		if l["msg"] == "serving" {
			if l["maxConns"] != float64(chat.DefaultMaxConnections) || chat.DefaultMaxConnections != 20000 {
				t.Fatalf("serving with maxConns %v, want the default 20000", l["maxConns"])
			}
			return
		}
	}
	t.Fatal("no serving line")
}

// TestConnectionLogSampling: a burst of connections writes at most
// ConnLogRate lines per second of the sampler's clock; the others are
// counted in summary lines, and nothing goes unaccounted.
func TestConnectionLogSampling(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	var clock atomic.Int64
	clock.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	b := chattest.StartWith(t, chat.Options{Name: "flood", ConnLogRate: 5, Logger: slog.New(slog.NewJSONHandler(logs, nil))}, func(s *chat.Server) {
		chat.SetLogClock(s, func() time.Time { return time.Unix(0, clock.Load()) })
	})
	// welcomed dials and reads the welcome, which the server sends after
	// its "connected" line: that line's fate is then decided.
	welcomed := func() *websocket.Conn {
		c, _ := dialXFF(t, b, "")
		ctx, cancel := context.WithTimeout(context.Background(), chattest.Wait)
		defer cancel()
		if _, data, err := c.Read(ctx); err != nil || !strings.Contains(string(data), chat.CodeWelcome) {
			t.Fatalf("first frame %s, %v: want the welcome", data, err)
		}
		return c
	}
	const burst = 30
	var conns []*websocket.Conn
	for range burst {
		conns = append(conns, welcomed())
	}
	clock.Add(int64(time.Second)) // the next second
	c := welcomed()
	for _, c := range append(conns, c) {
		_ = c.CloseNow()
	}
	waitConnections(t, b, 0)
	b.Stop() // writes the final summary

	count := map[string]float64{}
	var summaries []map[string]any
	for _, l := range logs.lines(t) {
		switch l["msg"] {
		case "connected", "disconnected":
			count[l["msg"].(string)]++
		case "suppressed connection log lines: too many per second":
			summaries = append(summaries, l)
			count["connected"] += num(l["connected"])
			count["disconnected"] += num(l["disconnected"])
			if num(l["suppressed"]) != num(l["connected"])+num(l["disconnected"]) {
				t.Errorf("summary total does not add up: %v", l)
			}
		}
	}
	if count["connected"] != burst+1 || count["disconnected"] != burst+1 {
		t.Errorf("logged or summarised %v connects and %v disconnects, want %d each", count["connected"], count["disconnected"], burst+1)
	}
	// First second: 5 connect lines, 25 summarised; second second: 1 connect
	// line and 4 disconnect lines, 27 disconnects summarised at shutdown.
	if len(summaries) != 2 || num(summaries[0]["connected"]) != burst-5 || num(summaries[1]["disconnected"]) != burst+1-4 {
		t.Errorf("summaries %v, want 25 connects then 27 disconnects", summaries)
	}
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

// TestPerAddressCapWithoutProxiesWarns: behind an ALB a per-address cap with
// no trusted proxy would count every client as the ALB; wschat says so.
func TestPerAddressCapWithoutProxiesWarns(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		opts chat.Options
		warn bool
	}{
		{chat.Options{MaxConnectionsPerIP: 10}, true},
		{chat.Options{MaxConnectionsPerIP: 10, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("100.64.0.0/10")}}, false},
		{chat.Options{}, false},
	} {
		logs := &logBuffer{}
		tt.opts.Name, tt.opts.Logger = "w", slog.New(slog.NewJSONHandler(logs, nil))
		b := chattest.Start(t, tt.opts)
		chattest.WaitHealthy(t, b, chattest.Wait)
		b.Stop()
		warned := false
		for _, l := range logs.lines(t) {
			if msg, _ := l["msg"].(string); l["level"] == "WARN" && strings.Contains(msg, "--trusted-proxies") {
				warned = true
			}
		}
		if warned != tt.warn {
			t.Errorf("per-address cap %d, %d trusted proxies: warned %v, want %v", tt.opts.MaxConnectionsPerIP, len(tt.opts.TrustedProxies), warned, tt.warn)
		}
	}
}
