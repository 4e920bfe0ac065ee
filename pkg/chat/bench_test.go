package chat_test

// Benchmarks for the README's figures (go test ./pkg/chat -run '^$' -bench . -benchtime 1x).
// They measure; they assert nothing about speed.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
)

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

type mem struct{ goBytes, rss uint64 }

// measure returns the Go heap and stacks in use and the process's resident
// set, after collecting garbage and returning free memory to the OS.
func measure() mem {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := mem{goBytes: ms.HeapInuse + ms.StackInuse}
	if b, err := os.ReadFile("/proc/self/statm"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 1 {
			pages, _ := strconv.ParseUint(f[1], 10, 64)
			m.rss = pages * uint64(os.Getpagesize())
		}
	}
	return m
}

// rawDial opens a WebSocket the cheapest way possible: a bare TCP
// connection, the handshake written by hand, the welcome frame read and
// nothing kept.
func rawDial(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c, "GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", addr)
	br := bufio.NewReaderSize(c, 1024)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		c.Close()
		return nil, fmt.Errorf("upgrade: %v %v", resp, err)
	}
	var h [2]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		c.Close()
		return nil, err
	}
	n := int(h[1] & 0x7f)
	if n == 126 {
		var l [2]byte
		if _, err := io.ReadFull(br, l[:]); err != nil {
			c.Close()
			return nil, err
		}
		n = int(l[0])<<8 | int(l[1])
	}
	if _, err := io.CopyN(io.Discard, br, int64(n)); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// BenchmarkIdleConnections holds WSCHAT_BENCH_CONNS (default 10,000) idle
// WebSocket connections on one backend and reports the memory each costs the
// server. The clients live in a child process (this test binary, re-run as a
// helper), so the figures are the server's alone.
func BenchmarkIdleConnections(b *testing.B) {
	n := envInt("WSCHAT_BENCH_CONNS", 10000)
	raiseFDLimit(uint64(n + 1024))
	for range b.N {
		// No pings during the measurement: the raw clients do not answer them.
		be := chattest.Start(b, chat.Options{Name: "bench", PingInterval: time.Hour, MaxConnections: -1, Logger: quiet()})
		before := measure()
		helper := exec.Command(os.Args[0], "-test.run=^$")
		helper.Env = append(os.Environ(), "WSCHAT_BENCH_HELPER_ADDR="+be.Addr, "WSCHAT_BENCH_HELPER_CONNS="+strconv.Itoa(n))
		helper.Stderr = os.Stderr
		stdin, _ := helper.StdinPipe()
		stdout, _ := helper.StdoutPipe()
		if err := helper.Start(); err != nil {
			b.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil || strings.TrimSpace(line) != "ready" {
			_ = helper.Process.Kill()
			b.Fatalf("client process: %q %v", line, err)
		}
		if got := be.Server.Stats().Connections; got != int64(n) {
			b.Fatalf("server holds %d connections, want %d", got, n)
		}
		after := measure()
		stdin.Close() // the helper closes its connections and exits
		if err := helper.Wait(); err != nil {
			b.Fatalf("client process: %v", err)
		}
		goPer := float64(after.goBytes-before.goBytes) / float64(n)
		b.ReportMetric(float64(n), "conns")
		b.ReportMetric(goPer, "heap+stack-B/conn")
		if after.rss > 0 {
			rssPer := float64(after.rss-before.rss) / float64(n)
			b.ReportMetric(rssPer, "RSS-B/conn")
			b.ReportMetric(float64(1<<30)/rssPer, "conns/GiB")
		}
		be.Stop()
	}
}

// TestMain runs the test binary as BenchmarkIdleConnections' client process
// when asked to.
func TestMain(m *testing.M) {
	if addr := os.Getenv("WSCHAT_BENCH_HELPER_ADDR"); addr != "" {
		os.Exit(holdClients(addr, envInt("WSCHAT_BENCH_HELPER_CONNS", 1)))
	}
	os.Exit(m.Run())
}

// holdClients opens n raw WebSocket connections to addr, says "ready", and
// holds them until stdin closes.
func holdClients(addr string, n int) int {
	raiseFDLimit(uint64(n + 256))
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	var failed atomic.Value
	const dialers = 8
	for w := range dialers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += dialers {
				c, err := rawDial(addr)
				if err != nil {
					failed.Store(err)
					return
				}
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		fmt.Fprintln(os.Stderr, "dial:", err)
		return 1
	}
	fmt.Println("ready")
	_, _ = io.Copy(io.Discard, os.Stdin)
	for _, c := range conns {
		c.Close()
	}
	return 0
}

// receivers connects n WebSocket clients round-robin over the backends; each
// counts the chat lines it gets into total. It returns once every client has
// its welcome, that is once every backend has registered its clients.
func receivers(b *testing.B, n int, backends []*chattest.Backend, total *atomic.Int64) []*websocket.Conn {
	b.Helper()
	conns := make([]*websocket.Conn, n)
	var welcomed sync.WaitGroup
	welcomed.Add(n)
	for i := range n {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, _, err := websocket.Dial(ctx, backends[i%len(backends)].WSURL(), nil)
		cancel()
		if err != nil {
			b.Fatalf("dial receiver %d: %v", i, err)
		}
		conns[i] = c
		go func() {
			first := true
			for {
				_, data, err := c.Read(context.Background())
				if first {
					welcomed.Done()
					first = false
				}
				if err != nil {
					return
				}
				if bytes.Contains(data, []byte(`"type":"message"`)) {
					total.Add(1)
				}
			}
		}()
	}
	welcomed.Wait()
	b.Cleanup(func() {
		for _, c := range conns {
			_ = c.CloseNow()
		}
	})
	return conns
}

func redisPair(b *testing.B, opts chat.Options) []*chattest.Backend {
	b.Helper()
	_, a, bb := chattest.StartRedisPair(b, opts)
	return []*chattest.Backend{a, bb}
}

// BenchmarkBroadcast sends b.N chat lines from one client to 1,000 others and
// reports deliveries per second. At most window lines are in flight, so no
// client's send queue overflows: every delivery is counted, none is dropped.
func BenchmarkBroadcast(b *testing.B) {
	const clients, window = 1000, 16
	opts := chat.Options{RateLimit: -1, Logger: quiet()}
	cases := []struct {
		name     string
		backends func(*testing.B) []*chattest.Backend
	}{
		{"1000-clients-2-backends-redis", func(b *testing.B) []*chattest.Backend { return redisPair(b, opts) }},
		{"1000-clients-1-backend-local", func(b *testing.B) []*chattest.Backend {
			o := opts
			o.Name = "solo"
			return []*chattest.Backend{chattest.Start(b, o)}
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			raiseFDLimit(4 * clients)
			backends := tc.backends(b)
			var total atomic.Int64
			receivers(b, clients, backends, &total)
			sender := chattest.Dial(b, backends[0].WSURL(), "")
			sender.SetUsername("bench")
			go func() { // the sender's own copies
				for {
					if _, err := sender.Next(time.Hour); err != nil {
						return
					}
				}
			}()
			msg := []byte(`{"type":"message","text":"benchmark line of about sixty bytes, like a chat message"}`)
			b.ResetTimer()
			start := time.Now()
			for i := range b.N {
				for total.Load() < int64(i-window)*clients {
					time.Sleep(50 * time.Microsecond)
				}
				if err := sender.SendRaw(msg); err != nil {
					b.Fatal(err)
				}
			}
			want := int64(b.N) * clients
			deadline := time.Now().Add(time.Minute)
			for total.Load() < want {
				if time.Now().After(deadline) {
					b.Fatalf("%d of %d deliveries", total.Load(), want)
				}
				time.Sleep(50 * time.Microsecond)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			for _, be := range backends {
				if st := be.Server.Stats(); st.SlowDropped != 0 {
					b.Fatalf("%s dropped %d slow clients", be.Name, st.SlowDropped)
				}
			}
			b.ReportMetric(float64(want)/elapsed.Seconds(), "deliveries/s")
		})
	}
}

// BenchmarkCrossBackendLatency times a chat line from a client on web-a to a
// client on web-b, through Redis, one line at a time.
func BenchmarkCrossBackendLatency(b *testing.B) {
	backends := redisPair(b, chat.Options{RateLimit: -1, Logger: quiet()})
	from := chattest.Dial(b, backends[0].WSURL(), "")
	to := chattest.Dial(b, backends[1].WSURL(), "")
	from.SetUsername("a")
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		text := strconv.Itoa(i)
		start := time.Now()
		if err := from.SendRaw([]byte(`{"type":"message","text":"` + text + `"}`)); err != nil {
			b.Fatal(err)
		}
		if _, err := to.Find(func(f chat.Frame) bool { return f.Type == chat.TypeMessage && f.Text == "a: "+text }, 10*time.Second); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p int) float64 { return float64(lat[max(0, (p*len(lat)+99)/100-1)].Microseconds()) }
	b.ReportMetric(pct(50), "p50-µs")
	b.ReportMetric(pct(99), "p99-µs")
}
