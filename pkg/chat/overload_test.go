package chat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
)

// tally reads one client's frames and counts the chat lines it gets and the
// lines its gap notices say it missed.
type tally struct {
	mu       sync.Mutex
	lines    int
	missed   int
	gaps     int
	lastLine int // number of the last line seen, to check the order
	disorder bool
	err      error // why reading stopped
	done     chan struct{}
	welcome  chan struct{} // closed at the welcome: the server has registered the client
}

func readTally(c *websocket.Conn, prefix string) *tally {
	t := &tally{done: make(chan struct{}), welcome: make(chan struct{}), lastLine: -1}
	go func() {
		defer close(t.done)
		for {
			_, data, err := c.Read(context.Background())
			if err != nil {
				t.mu.Lock()
				t.err = err
				t.mu.Unlock()
				return
			}
			var f chat.Frame
			if err := json.Unmarshal(data, &f); err != nil {
				t.mu.Lock()
				t.err = fmt.Errorf("decode %q: %w", data, err)
				t.mu.Unlock()
				return
			}
			t.mu.Lock()
			switch {
			case f.Type == chat.TypeMessage && strings.HasPrefix(f.Text, prefix):
				var n int
				if _, err := fmt.Sscanf(f.Text[len(prefix):], "%d", &n); err != nil || n <= t.lastLine {
					t.disorder = true
				}
				t.lastLine = n
				t.lines++
			case f.Type == chat.TypeSystem && f.Code == chat.CodeGap:
				t.gaps++
				t.missed += f.Missed
			case f.Type == chat.TypeSystem && f.Code == chat.CodeWelcome:
				close(t.welcome)
			}
			t.mu.Unlock()
		}
	}()
	return t
}

// awaitWelcome reads c's frames up to the server's welcome, which the server
// writes once it has registered c for the fan-out (the 101 comes before).
func awaitWelcome(t *testing.T, c *websocket.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), stallWait)
	defer cancel()
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for the welcome: %v", err)
		}
		var f chat.Frame
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatalf("decode %q: %v", data, err)
		}
		if f.Type == chat.TypeSystem && f.Code == chat.CodeWelcome {
			return
		}
	}
}

// stallWait is how long a test that waits for the server to work through a
// burst lets nothing move on before it fails: it bounds a hang, not the
// server's speed.
const stallWait = 2 * time.Minute

// stallCheck tells a stall (the watched counts unchanged for stallWait)
// from slow progress.
type stallCheck struct {
	last  []uint64
	since time.Time
}

func newStallCheck() *stallCheck { return &stallCheck{since: time.Now()} }

// stuck reports whether counts are the same as stallWait ago and since.
func (c *stallCheck) stuck(counts ...uint64) bool {
	if !slices.Equal(counts, c.last) {
		c.last, c.since = counts, time.Now()
		return false
	}
	return time.Since(c.since) > stallWait
}

func (t *tally) accounted() (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lines + t.missed, t.err
}

// TestBurstOnBusyServerDropsNobody: a burst of 256 chat lines to 1,000
// clients on a server with one processor (it cannot write as fast as the
// lines come) disconnects nobody, and every client ends with every line, in
// order, or a gap notice for the ones it missed.
func TestBurstOnBusyServerDropsNobody(t *testing.T) {
	// Not parallel: the whole process, server and clients, gets one processor.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const clients, burst = 1000, 256
	raiseFDLimit(4 * clients)
	// No pings during the burst: the clients share the one processor with the
	// server, and under the race detector one of them can take longer than a
	// pong timeout to get to a ping behind 256 lines (keepalive has its own test).
	b := chattest.Start(t, chat.Options{Name: "busy", RateLimit: -1, MaxConnections: -1, PingInterval: time.Hour, Logger: quiet()})
	tallies := make([]*tally, clients)
	for i := range tallies {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, _, err := websocket.Dial(ctx, b.WSURL(), nil)
		cancel()
		if err != nil {
			t.Fatalf("dial client %d: %v", i, err)
		}
		t.Cleanup(func() { _ = c.CloseNow() })
		tallies[i] = readTally(c, "s: line ")
	}
	// The 101 reaches a client before the server registers it for the
	// fan-out; the welcome comes after. Lines sent before a client's welcome
	// are not its to get: wait for every welcome before the burst.
	for i, tl := range tallies {
		select {
		case <-tl.welcome:
		case <-tl.done:
			t.Fatalf("client %d stopped reading before its welcome: %v", i, tl.err)
		case <-time.After(stallWait):
			t.Fatalf("client %d got no welcome within %s", i, stallWait)
		}
	}
	sender := dialSender(t, b)
	for i := range burst {
		if err := sender.SendRaw([]byte(fmt.Sprintf(`{"type":"message","text":"line %d"}`, i))); err != nil {
			t.Fatal(err)
		}
	}
	// How long the server takes is the machine's speed (one processor shared
	// with everything else that runs): the test fails on a stall, when
	// neither the server nor the client moves on for stallWait.
	stall := newStallCheck()
	for i, tl := range tallies {
		for {
			n, err := tl.accounted()
			if err != nil {
				t.Fatalf("client %d was disconnected after %d of %d lines: %v (server stats %+v)", i, n, burst, err, b.Server.Stats())
			}
			if n == burst {
				break
			}
			if n > burst {
				t.Fatalf("client %d accounts for %d lines, more than the %d sent", i, n, burst)
			}
			st := b.Server.Stats()
			if stall.stuck(st.Delivered+st.Shed+st.SlowDropped, uint64(n)) {
				t.Fatalf("client %d has %d of %d lines (got or missed), and nothing moved on for %s (server stats %+v)", i, n, burst, stallWait, st)
			}
			time.Sleep(5 * time.Millisecond) // polling interval, not synchronisation
		}
		if tl.disorder {
			t.Fatalf("client %d got lines out of order", i)
		}
	}
	st := b.Server.Stats()
	if st.SlowDropped != 0 || st.Connections != clients+1 {
		t.Fatalf("server stats %+v: want nobody dropped, %d connections", st, clients+1)
	}
	t.Logf("server stats %+v", st)
}

// TestPausedReaderGetsGapNotice: a client that stops reading for a moment
// while more arrives than its socket buffers hold is not disconnected: the
// lines it could not take are shed, and when it reads again it gets
// everything else in order and a gap notice saying how many it missed.
func TestPausedReaderGetsGapNotice(t *testing.T) {
	t.Parallel()
	// A long write timeout: the pause (the burst) must not count as "stopped reading".
	b := chattest.Start(t, chat.Options{Name: "solo", SendQueue: 8, RateLimit: -1, WriteTimeout: time.Minute, Logger: quiet()})
	// Its receive buffer is small, but not below the loopback MSS (64 KB): a
	// smaller one makes TCP wait for window probes once the client reads again.
	paused := dialBuffer(t, b.WSURL(), 128<<10)
	awaitWelcome(t, paused) // registered for the fan-out: every line from now on is its to get
	waitConnections(t, b, 1)
	sender := chattest.Dial(t, b.WSURL(), "")
	sender.SetUsername("s")
	payload := strings.Repeat("x", 1000)
	const n = 6000    // 6 MB: more than the kernel buffers between the server and the paused client
	const window = 32 // lines in flight: the sender itself never falls behind
	for i := range n {
		if err := sender.SendRaw([]byte(fmt.Sprintf(`{"type":"message","text":"%d %s"}`, i, payload))); err != nil {
			t.Fatal(err)
		}
		if i%window == window-1 {
			for range window {
				if _, err := sender.Find(isType(chat.TypeMessage), 10*time.Second); err != nil {
					t.Fatalf("the sender's own lines, at %d of %d: %v", i, n, err)
				}
			}
		}
	}
	if st := b.Server.Stats(); st.Shed == 0 {
		t.Fatalf("stats %+v: nothing shed; the test did not fill the paused client's socket", st)
	}
	tl := readTally(paused, "s: ")
	stall := newStallCheck()
	for {
		got, err := tl.accounted()
		if err != nil {
			t.Fatalf("the paused client was disconnected after %d of %d lines: %v", got, n, err)
		}
		if got == n {
			break
		}
		if st := b.Server.Stats(); stall.stuck(st.Delivered+st.Shed, uint64(got)) {
			t.Fatalf("the paused client accounts for %d of %d lines (%d gap notices), and nothing moved on for %s; server stats %+v", got, n, tl.gaps, stallWait, st)
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not synchronisation
	}
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tl.gaps == 0 || tl.missed == 0 || tl.disorder {
		t.Fatalf("paused client: %d lines, %d gap notices for %d lines, out of order %v: want lines in order and a gap notice", tl.lines, tl.gaps, tl.missed, tl.disorder)
	}
	if st := b.Server.Stats(); st.SlowDropped != 0 {
		t.Fatalf("stats %+v: a client that reads again was dropped", st)
	}
}

// TestDrainingClientOutlivesPongTimeout: when a client is behind, the
// server's ping waits behind the lines queued before it, and the pong comes
// late; and the server's write of that backlog takes longer than the write
// timeout. A client whose socket keeps draining is alive and keeps its
// connection: neither timeout may count against it. The server's debug log
// shows both were reached and waived (so the test fails if the backlog never
// got long enough to test anything).
func TestDrainingClientOutlivesPongTimeout(t *testing.T) {
	// Not parallel: beside the 1,000-client tests under -race, this process's
	// goroutines (the server's reader that takes the pong, this test's reader)
	// have waited seconds for a CPU, which no timeout a test can afford covers.
	// The server tells a draining client from a dead one by the bytes it
	// acknowledges, which advance in steps of a window update (tens of KB
	// read). The timeout leaves room for a step even when this process gets
	// little CPU.
	const pongTimeout = 2 * time.Second
	// A queue long enough to hold the whole backlog: nothing is shed. The
	// write timeout is as short as the pong timeout, so reading the backlog
	// spans several of each.
	var logs logBuffer
	b := chattest.Start(t, chat.Options{Name: "solo", RateLimit: -1, PingInterval: pongTimeout, WriteTimeout: pongTimeout, SendQueue: 10000,
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	serverLog := func() string { logs.mu.Lock(); defer logs.mu.Unlock(); return logs.buf.String() }
	// A receive buffer small enough that most of the backlog waits on the
	// server's side (the client's kernel acknowledges what it buffers), and
	// above the loopback MSS.
	c := dialBuffer(t, b.WSURL(), 128<<10)
	waitConnections(t, b, 1)
	sender := dialSender(t, b)
	// The client reads from the start, and slowly: at least 3 ms a line of
	// 4 KB (6 s in all, about 1.3 MB/s), so the lines arrive far faster than
	// it reads them. 8 MB is more than both sockets' buffers hold (the
	// server's send buffer grows to 4 MB on loopback), so the rest waits in
	// the server's queue and its flusher's write runs past the write timeout;
	// the first ping (2 s in) sits behind seconds of reading. Yet the socket
	// never stops draining. (A client that stops reading for longer than the
	// timeouts is dead as far as anyone can tell, and is dropped.)
	const n = 2000 // 8 MB
	type result struct {
		got, missed int
		err         error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		var r result
		for r.got+r.missed < n {
			_, data, err := c.Read(context.Background())
			if err != nil {
				r.err = err
				break
			}
			var f chat.Frame
			if err := json.Unmarshal(data, &f); err != nil {
				r.err = err
				break
			}
			switch {
			case f.Type == chat.TypeMessage:
				r.got++
			case f.Code == chat.CodeGap:
				r.missed += f.Missed
			}
			time.Sleep(3 * time.Millisecond)
		}
		done <- r
	}()
	payload := strings.Repeat("x", 3900) // the frame stays under MaxMessageBytes (4 KB)
	for i := range n {
		if err := sender.SendRaw([]byte(fmt.Sprintf(`{"type":"message","text":"%d %s"}`, i, payload))); err != nil {
			t.Fatal(err)
		}
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("a client that was reading was disconnected after %d of %d lines: %v (server stats %+v); server log:\n%s", r.got+r.missed, n, r.err, b.Server.Stats(), serverLog())
	}
	if st := b.Server.Stats(); st.SlowDropped != 0 {
		t.Fatalf("stats %+v: dropped as slow", st)
	}
	log := serverLog()
	for _, want := range []string{"pong late, socket draining", "write still going at the write timeout, socket draining"} {
		if !strings.Contains(log, want) {
			t.Fatalf("the server never logged %q: the backlog (read in %s) did not reach that timeout, so this run tested nothing there; server log:\n%s", want, time.Since(start).Round(time.Millisecond), log)
		}
	}
	// Caught up, the client goes on being served once the flusher's write
	// deadline is behind it. The flusher used to leave that deadline on the
	// socket, and the next direct write past it (a ping, a chat line) failed
	// at once with "i/o timeout": a client that had been behind once was
	// disconnected for nothing. The client keeps a read pending all along, as
	// a browser does (this library answers pings only inside Read); the wait
	// is the scenario (time passing with nothing to write, as between any two
	// chat lines), not a synchronisation.
	after := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*pongTimeout+chattest.Wait)
		defer cancel()
		for got := 0; got < 3; {
			_, data, err := c.Read(ctx)
			if err != nil {
				after <- err
				return
			}
			if bytes.Contains(data, []byte(`"text":"s: after `)) {
				got++
			}
		}
		after <- nil
	}()
	time.Sleep(pongTimeout + pongTimeout/2)
	for i := range 3 {
		if err := sender.SendRaw([]byte(fmt.Sprintf(`{"type":"message","text":"after %d"}`, i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-after; err != nil {
		t.Fatalf("a client that had caught up was disconnected: %v (server stats %+v); server log:\n%s", err, b.Server.Stats(), serverLog())
	}
}

// dialSender connects client "s" to b, whose own copies of its lines are read
// and dropped, so that it never stalls.
func dialSender(t *testing.T, b *chattest.Backend) *chattest.Client {
	t.Helper()
	sender := chattest.Dial(t, b.WSURL(), "")
	sender.SetUsername("s")
	go func() {
		for {
			if _, err := sender.Next(time.Hour); err != nil {
				return
			}
		}
	}()
	return sender
}
