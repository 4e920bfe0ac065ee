package chatload_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/chat/chatload"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
)

// The load client against an in-process backend: the counts come from the
// server's own Stats, and the process read from /proc is this one.
func TestBroadcastCountsEveryDelivery(t *testing.T) {
	b := chattest.Start(t, chat.Options{Name: "solo", RateLimit: -1})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := chatload.Broadcast(ctx, chatload.BroadcastConfig{URLs: []string{b.WSURL()}, Receivers: 20, Messages: 50, Window: 4, PIDs: []int{os.Getpid()}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Deliveries != 20*50 || r.Missed != 0 || r.Lost != 0 {
		t.Fatalf("result %+v: want 1000 deliveries, none missed or lost", r)
	}
	// The server wrote them: 50 lines to 21 clients (the sender included;
	// Broadcast returns once the sender has its own echo of every line). The
	// only other line it writes is the sender's departure notice ("bench
	// left"), to those of the 20 receivers still connected when the server
	// sees the sender go: Broadcast has closed every client when it returns,
	// in an order the server may see either way. So wait until the server has
	// released every connection, then want the 1,050 lines plus at most the
	// departure notices.
	const lines, notices = 21 * 50, 20
	deadline := time.Now().Add(30 * time.Second)
	st := b.Server.Stats()
	for ; st.Connections != 0; st = b.Server.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("server stats %+v: want every connection released", st)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if st.Delivered < lines || st.Delivered > lines+notices {
		t.Fatalf("server stats %+v: want %d lines delivered, plus at most %d departure notices", st, lines, notices)
	}
	if r.ServerCPU < 0 {
		t.Fatalf("server CPU time %s", r.ServerCPU)
	}
}

func TestLatencyTimesEveryDelivery(t *testing.T) {
	b := chattest.Start(t, chat.Options{Name: "solo", RateLimit: -1})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := chatload.Latency(ctx, chatload.LatencyConfig{From: []string{b.WSURL()}, To: []string{b.WSURL()}, Receivers: 3, Count: 40})
	if err != nil {
		t.Fatal(err)
	}
	if r.Samples != 3*40 || r.P50 <= 0 || r.P99 < r.P50 || r.Max < r.P99 {
		t.Fatalf("result %+v: want 120 timed deliveries with ordered percentiles", r)
	}
}

func TestReadProcReadsThisProcess(t *testing.T) {
	s, err := chatload.ReadProc(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.RSS < 1<<20 {
		t.Fatalf("RSS %d bytes: a Go test binary holds more than 1 MB", s.RSS)
	}
	// CPU time counts in 10 ms ticks: burn until one shows (bounded).
	deadline := time.Now().Add(10 * time.Second)
	x := 0
	for {
		for i := range 1_000_000 {
			x += i
		}
		now, err := chatload.ReadProc(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if now.CPU > s.CPU {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("CPU time stayed at %s while this test computed (%d)", s.CPU, x)
		}
	}
	if _, err := chatload.ReadProc(-1); err == nil {
		t.Fatal("ReadProc of no process: no error")
	}
}
