package chat_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
	"github.com/wsdeploy/wsdeploy/pkg/internal/redistest"
	"github.com/wsdeploy/wsdeploy/templates"
)

func isMessage(text string) func(chat.Frame) bool {
	return func(f chat.Frame) bool { return f.Type == chat.TypeMessage && f.Text == text }
}

func isCode(code string) func(chat.Frame) bool {
	return func(f chat.Frame) bool { return f.Type == chat.TypeSystem && f.Code == code }
}

func isType(typ string) func(chat.Frame) bool {
	return func(f chat.Frame) bool { return f.Type == typ }
}

func TestWelcomeUsernameAndWarning(t *testing.T) {
	t.Parallel()
	b := chattest.Start(t, chat.Options{Name: "solo"})
	anon := chattest.Dial(t, b.WSURL(), "")
	bob := chattest.Dial(t, b.WSURL(), "")

	w := anon.Expect(isType(chat.TypeSystem))
	if w.Code != chat.CodeWelcome || w.Backend != "solo" || !strings.Contains(w.Text, "Welcome") {
		t.Fatalf("first frame = %+v, want the welcome from backend solo", w)
	}
	bob.SetUsername("bob")

	anon.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: "secret"})
	warn := anon.Expect(isType(chat.TypeSystem))
	if warn.Code != chat.CodeUsernameRequired || !strings.Contains(warn.Text, "username") {
		t.Fatalf("message without a username: got %+v, want a username_required warning", warn)
	}
	// Delivery is in publish order, so had "secret" been broadcast bob would see it before his own line.
	bob.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: "after"})
	got := bob.Expect(isType(chat.TypeMessage))
	if got.Text != "bob: after" || got.Username != "bob" || got.Backend != "solo" {
		t.Fatalf("bob's next chat line = %+v, want \"bob: after\" (the unnamed message must not be broadcast)", got)
	}
	anon.Expect(isMessage("bob: after"))
}

func TestUsernameValidation(t *testing.T) {
	t.Parallel()
	b := chattest.Start(t, chat.Options{Name: "solo"})
	c := chattest.Dial(t, b.WSURL(), "")
	c.Expect(isCode(chat.CodeWelcome))
	tests := []struct {
		name, username, wantCode string
	}{
		{"empty", "   ", chat.CodeInvalid},
		{"too long", strings.Repeat("x", chat.MaxUsernameLength+1), chat.CodeInvalid},
		{"control character", "a\x07b", chat.CodeInvalid},
		{"longest allowed", strings.Repeat("é", chat.MaxUsernameLength), chat.CodeUsernameSet},
		{"trimmed", "  carol ", chat.CodeUsernameSet},
	}
	for _, tt := range tests {
		c.Send(chat.ClientFrame{Type: chat.TypeSetUsername, Username: tt.username})
		f := c.Expect(isType(chat.TypeSystem))
		if f.Code != tt.wantCode {
			t.Errorf("%s: set_username %q answered %+v, want code %s", tt.name, tt.username, f, tt.wantCode)
		}
	}
	c.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: "hello"})
	c.Expect(isMessage("carol: hello"))
	for _, raw := range []string{`not json`, `{"type":"shout","text":"x"}`, `{"type":"message","text":"   "}`} {
		if err := c.SendRaw([]byte(raw)); err != nil {
			t.Fatal(err)
		}
		if f := c.Expect(isType(chat.TypeSystem)); f.Code != chat.CodeInvalid {
			t.Errorf("frame %s answered %+v, want an invalid notice", raw, f)
		}
	}
}

func TestCrossBackendBroadcastAndLeave(t *testing.T) {
	t.Parallel()
	_, a, b := chattest.StartRedisPair(t, chat.Options{})
	alice := chattest.Dial(t, a.WSURL(), "")
	bob := chattest.Dial(t, b.WSURL(), "")
	if f := alice.Expect(isCode(chat.CodeWelcome)); f.Backend != "web-a" {
		t.Fatalf("alice's welcome came from %q, want web-a", f.Backend)
	}
	if f := bob.Expect(isCode(chat.CodeWelcome)); f.Backend != "web-b" {
		t.Fatalf("bob's welcome came from %q, want web-b", f.Backend)
	}
	alice.SetUsername("alice")
	bob.SetUsername("bob")

	alice.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: "hi from A"})
	got := bob.Expect(isType(chat.TypeMessage))
	want := chat.Frame{Type: chat.TypeMessage, Text: "alice: hi from A", Backend: "web-b", Username: "alice", Origin: "web-a"}
	if got != want {
		t.Fatalf("bob on web-b got %+v\nwant %+v", got, want)
	}
	if own := alice.Expect(isType(chat.TypeMessage)); own.Text != "alice: hi from A" || own.Backend != "web-a" {
		t.Fatalf("alice's own line came back as %+v", own)
	}
	bob.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: "hi from B"})
	if f := alice.Expect(isType(chat.TypeMessage)); f.Text != "bob: hi from B" || f.Origin != "web-b" || f.Backend != "web-a" {
		t.Fatalf("alice got %+v, want bob's line from web-b", f)
	}

	// An unnamed client leaving is not announced; a named one is, on every backend.
	anon := chattest.Dial(t, b.WSURL(), "")
	anon.Expect(isCode(chat.CodeWelcome))
	if err := anon.Conn.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Fatal(err)
	}
	carol := chattest.Dial(t, b.WSURL(), "")
	carol.SetUsername("carol")
	if err := carol.Conn.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Fatal(err)
	}
	left := alice.Expect(isType(chat.TypeSystem))
	if left.Code != chat.CodeLeft || left.Text != "carol left the chat." || left.Origin != "web-b" || left.Backend != "web-a" {
		t.Fatalf("alice's next notice = %+v, want carol's leave notice from web-b (and none for the unnamed client)", left)
	}
	if err := bob.Conn.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Fatal(err)
	}
	if f := alice.Expect(isType(chat.TypeSystem)); f.Code != chat.CodeLeft || f.Text != "bob left the chat." || f.Origin != "web-b" {
		t.Fatalf("alice's next notice = %+v, want bob's leave notice from web-b", f)
	}
}

func TestRedisDownHealthFailsAndRecovers(t *testing.T) {
	t.Parallel()
	rs, a, b := chattest.StartRedisPair(t, chat.Options{})
	alice := chattest.Dial(t, a.WSURL(), "")
	bob := chattest.Dial(t, b.WSURL(), "")
	alice.SetUsername("alice")
	bob.SetUsername("bob")

	rs.Stop()
	for _, be := range []*chattest.Backend{a, b} {
		if err := chattest.PollHealth(be, http.StatusServiceUnavailable, 10*time.Second); err != nil {
			t.Fatalf("Redis is down: %v", err)
		}
	}
	resp, err := http.Get(a.HTTPURL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if bytes.Contains(body, []byte(rs.Addr)) || bytes.Contains(body, []byte(redistest.Password)) {
		t.Errorf("/healthz leaks the Redis address or password: %s", body)
	}
	alice.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: "lost?"})
	if f := alice.Expect(isType(chat.TypeSystem)); f.Code != chat.CodeUnavailable {
		t.Fatalf("sending while Redis is down answered %+v, want an unavailable notice", f)
	}

	rs.Restart()
	chattest.WaitHealthy(t, a, 10*time.Second)
	chattest.WaitHealthy(t, b, 10*time.Second)
	alice.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: "back"})
	if f := bob.Expect(isType(chat.TypeMessage)); f.Text != "alice: back" || f.Origin != "web-a" {
		t.Fatalf("after recovery bob got %+v, want alice's line from web-a", f)
	}
}

// TestRedisSilentHealthFailsAndRecovers: a Redis that falls silent, its
// connections open and nothing answering (paused, like a host gone without a
// word), is found by the subscription's health pings: the subscription is
// given up for that silence, /healthz fails, and both recover once Redis
// answers again. The bus has wschat's default interval: the failure is driven,
// not a short interval racing the machine's load.
func TestRedisSilentHealthFailsAndRecovers(t *testing.T) {
	t.Parallel()
	rs := redistest.Start(t)
	tap := newLineTap(t, "lost the Redis subscription")
	bus := chattest.RedisBusWith(t, chat.RedisOptions{URL: rs.URL(), Logger: slog.New(slog.NewTextHandler(tap, nil))})
	a := chattest.Start(t, chat.Options{Name: "web-a", Bus: bus})
	chattest.WaitHealthy(t, a, 10*time.Second)
	alice := chattest.Dial(t, a.WSURL(), "")
	alice.SetUsername("alice")

	resume := rs.Pause()
	select {
	case line := <-tap.got:
		if !strings.Contains(line, "no answer from Redis") {
			t.Fatalf("the subscription was given up, but not for Redis's silence: %s", line)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Redis has been silent for 30s and the subscription is still up")
	}
	if err := chattest.PollHealth(a, http.StatusServiceUnavailable, 10*time.Second); err != nil {
		t.Fatalf("Redis is silent: %v", err)
	}
	resume()
	chattest.WaitHealthy(t, a, 30*time.Second)
	alice.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: "back"})
	alice.Expect(isMessage("alice: back")) // through Redis and back
}

// TestRedisBusStopsAtOnce: Run returns as soon as its context ends, not when
// the read in progress times out (a health interval later: wschat's shutdown
// would wait for it). The interval here is an hour, so a Run that waits for
// it fails the test whatever the machine's load.
func TestRedisBusStopsAtOnce(t *testing.T) {
	t.Parallel()
	rs := redistest.Start(t)
	bus := chattest.RedisBusWith(t, chat.RedisOptions{URL: rs.URL(), HealthInterval: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- bus.Run(ctx, func(chat.Event) {}) }()
	deadline := time.Now().Add(10 * time.Second)
	for bus.Check(ctx) != nil { // subscribed: Run is in its read
		if time.Now().After(deadline) {
			t.Fatalf("not subscribed within 10s: %v", bus.Check(ctx))
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Run still runs 30s after its context ended: it waits for the read in progress (up to the health interval, 1h)")
	}
}

// lineTap passes log lines to t.Log while the test runs, and hands the first
// line that contains want to got.
type lineTap struct {
	t    *testing.T
	want string
	got  chan string

	mu    sync.Mutex
	done  bool
	found bool
}

func newLineTap(t *testing.T, want string) *lineTap {
	w := &lineTap{t: t, want: want, got: make(chan string, 1)}
	t.Cleanup(func() { w.mu.Lock(); w.done = true; w.mu.Unlock() })
	return w
}

func (w *lineTap) Write(p []byte) (int, error) {
	line := strings.TrimRight(string(p), "\n")
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(line)
	}
	if !w.found && strings.Contains(line, w.want) {
		w.found = true
		w.got <- line
	}
	return len(p), nil
}

// TestSlowConsumerDoesNotStallOthers: a client that stops reading does not
// hold anyone up, has the lines it cannot take shed, and is disconnected once
// its socket has taken nothing for the write timeout.
func TestSlowConsumerDoesNotStallOthers(t *testing.T) {
	t.Parallel()
	b := chattest.Start(t, chat.Options{Name: "solo", SendQueue: 8, RateLimit: -1, MaxMessageBytes: 4096, WriteTimeout: 500 * time.Millisecond})
	dialSmallBuffer(t, b.WSURL()) // the slow client: a tiny receive buffer, and it never reads
	fast := chattest.Dial(t, b.WSURL(), "")
	fast.SetUsername("fast")

	payload := strings.Repeat("x", 1000)
	const n = 8000 // 8 MB: more than the kernel buffers between the server and the slow client
	for i := range n {
		// One message in flight at a time, so the fast client's own queue never fills.
		if err := fast.SendRaw([]byte(`{"type":"message","text":"` + payload + `"}`)); err != nil {
			t.Fatal(err)
		}
		if _, err := fast.Find(isType(chat.TypeMessage), 10*time.Second); err != nil {
			t.Fatalf("the fast client got %d of %d messages: %v", i, n, err)
		}
	}
	// The server let go of the slow connection: it stopped draining.
	deadline := time.Now().Add(20 * time.Second)
	for st := b.Server.Stats(); st.Connections != 1 || st.SlowDropped != 1; st = b.Server.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("stats %+v: want the slow client dropped and its connection released", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st := b.Server.Stats(); st.Shed == 0 {
		t.Fatalf("stats %+v: no line was shed for the slow client", st)
	}
}

func dialSmallBuffer(t *testing.T, url string) *websocket.Conn {
	t.Helper()
	return dialBuffer(t, url, 4096)
}

// dialBuffer opens a WebSocket whose socket has a receive buffer of size bytes.
func dialBuffer(t *testing.T, url string, size int) *websocket.Conn {
	t.Helper()
	dialer := &net.Dialer{}
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err == nil {
			_ = c.(*net.TCPConn).SetReadBuffer(size)
		}
		return c, err
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	return c
}

func TestOversizedMessageClosesWith1009(t *testing.T) {
	t.Parallel()
	b := chattest.Start(t, chat.Options{Name: "solo", MaxMessageBytes: 256})
	big := chattest.Dial(t, b.WSURL(), "")
	other := chattest.Dial(t, b.WSURL(), "")
	big.SetUsername("big")
	other.SetUsername("other")
	if err := big.SendRaw([]byte(`{"type":"message","text":"` + strings.Repeat("x", 1000) + `"}`)); err != nil {
		t.Fatal(err)
	}
	err := big.WaitClosed(5 * time.Second)
	if got := websocket.CloseStatus(err); got != websocket.StatusMessageTooBig {
		t.Fatalf("after an oversized frame the connection ended with %v (%v), want 1009", got, err)
	}
	// A frame at the limit still works for everybody else.
	msg := `{"type":"message","text":"` + strings.Repeat("y", 256-len(`{"type":"message","text":""}`)) + `"}`
	if len(msg) != 256 {
		t.Fatalf("test frame is %d bytes", len(msg))
	}
	if err := other.SendRaw([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	other.Expect(isType(chat.TypeMessage))
}

func TestOrigins(t *testing.T) {
	t.Parallel()
	b := chattest.Start(t, chat.Options{Name: "solo", AllowedOrigins: []string{"chat.example.com", "*.example.org"}})
	tests := []struct {
		name, origin string
		ok           bool
	}{
		{"no origin (not a browser)", "", true},
		{"same origin", "http://" + b.Addr, true},
		{"listed host", "https://chat.example.com", true},
		{"listed wildcard", "https://app.example.org", true},
		{"other site", "https://evil.example.net", false},
		{"suffix trick", "https://chat.example.com.evil.net", false},
		{"null origin", "null", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := chattest.TryDial(b.WSURL(), tt.origin)
			if tt.ok {
				if err != nil {
					t.Fatalf("origin %q refused: %v", tt.origin, err)
				}
				_ = c.Conn.CloseNow()
				return
			}
			if err == nil {
				_ = c.Conn.CloseNow()
				t.Fatalf("origin %q was accepted", tt.origin)
			}
			if !strings.Contains(err.Error(), "403") {
				t.Fatalf("origin %q refused with %v, want 403", tt.origin, err)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts chat.Options
		want string
	}{
		{"no name", chat.Options{}, "backend name"},
		{"any origin", chat.Options{Name: "a", AllowedOrigins: []string{"*"}}, "any web site"},
		{"bad pattern", chat.Options{Name: "a", AllowedOrigins: []string{"[x"}}, "syntax error in pattern"},
		{"tiny limit", chat.Options{Name: "a", MaxMessageBytes: 10}, "at least 64 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := chat.New(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New: err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	// Practically no refill during the test: the burst is all a client gets.
	b := chattest.Start(t, chat.Options{Name: "solo", RateLimit: 0.001, RateBurst: 4})
	c := chattest.Dial(t, b.WSURL(), "")
	c.Expect(isCode(chat.CodeWelcome))
	c.SetUsername("flood") // 1 token; 3 left
	for i := range 5 {
		c.Send(chat.ClientFrame{Type: chat.TypeMessage, Text: fmt.Sprint("m", i)})
	}
	var echoed, limited int
	for range 5 {
		f, err := c.Next(chattest.Wait)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case f.Type == chat.TypeMessage:
			echoed++
		case f.Code == chat.CodeRateLimited:
			limited++
		default:
			t.Fatalf("unexpected frame %+v", f)
		}
	}
	if echoed != 3 || limited != 2 {
		t.Fatalf("5 messages with 3 tokens left: %d broadcast, %d rate-limited; want 3 and 2", echoed, limited)
	}
	// A client that keeps going is disconnected with 1008.
	for range 30 {
		if err := c.SendRaw([]byte(`{"type":"message","text":"more"}`)); err != nil {
			break
		}
	}
	if got := websocket.CloseStatus(c.WaitClosed(5 * time.Second)); got != websocket.StatusPolicyViolation {
		t.Fatalf("a client ignoring the rate limit was closed with %v, want 1008", got)
	}
}

func TestKeepaliveClosesDeadPeers(t *testing.T) {
	t.Parallel()
	b := chattest.Start(t, chat.Options{Name: "solo", PingInterval: 50 * time.Millisecond})
	dial := func(answer bool) (*websocket.Conn, chan error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, _, err := websocket.Dial(ctx, b.WSURL(), &websocket.DialOptions{
			OnPingReceived: func(context.Context, []byte) bool { return answer },
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = c.CloseNow() })
		done := make(chan error, 1)
		go func() {
			for {
				if _, _, err := c.Read(context.Background()); err != nil {
					done <- err
					return
				}
			}
		}()
		return c, done
	}
	_, deadDone := dial(false)
	live, liveDone := dial(true)
	select {
	case <-deadDone:
	case <-time.After(5 * time.Second):
		t.Fatal("a peer that never answers pings was not disconnected")
	}
	// The answering peer outlived it by many ping intervals and still works.
	select {
	case err := <-liveDone:
		t.Fatalf("a peer answering pings was disconnected: %v", err)
	case <-time.After(500 * time.Millisecond):
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := live.Write(ctx, websocket.MessageText, []byte(`{"type":"set_username","username":"live"}`)); err != nil {
		t.Fatalf("write on the live connection: %v", err)
	}
}

func TestShutdownSaysGoingAway(t *testing.T) {
	t.Parallel()
	_, a, b := chattest.StartRedisPair(t, chat.Options{})
	alice := chattest.Dial(t, a.WSURL(), "")
	bob := chattest.Dial(t, b.WSURL(), "")
	alice.SetUsername("alice")
	bob.SetUsername("bob")
	a.Stop()
	err := alice.WaitClosed(5 * time.Second)
	var ce websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.StatusGoingAway {
		t.Fatalf("on shutdown alice's connection ended with %v, want close 1001 going away", err)
	}
	if f := bob.Expect(isType(chat.TypeSystem)); f.Code != chat.CodeLeft || f.Username != "alice" || f.Origin != "web-a" {
		t.Fatalf("bob got %+v, want alice's leave notice from web-a", f)
	}
	if _, err := http.Get(a.HTTPURL() + "/healthz"); err == nil {
		t.Fatal("the stopped backend still answers")
	}
}

func TestHealthzAndPage(t *testing.T) {
	t.Parallel()
	page, err := templates.App.ReadFile("app/index.html")
	if err != nil {
		t.Fatal(err)
	}
	b := chattest.Start(t, chat.Options{Name: "solo", Page: page})
	resp, err := http.Get(b.HTTPURL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h struct{ Status, Backend string }
	err = json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || h.Status != "ok" || h.Backend != "solo" {
		t.Fatalf("/healthz: %d %+v (%v), want 200 ok from solo", resp.StatusCode, h, err)
	}

	resp, err = http.Get(b.HTTPURL() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(body, page) {
		t.Fatal("/ does not serve index.html")
	}
	csp := resp.Header.Get("Content-Security-Policy")
	script := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindSubmatch(page)
	if script == nil {
		t.Fatal("index.html has no inline script")
	}
	sum := sha256.Sum256(script[1])
	if want := "script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, want) {
		t.Errorf("CSP %q does not allow the page's own script (%s)", csp, want)
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows any inline script: %s", csp)
	}
	if resp, err := http.Get(b.HTTPURL() + "/nope"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nope: %v %v, want 404", resp.StatusCode, err)
	}
}
