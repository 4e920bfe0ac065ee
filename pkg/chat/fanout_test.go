package chat

import (
	"encoding/json"
	"io"
	"net"
	"testing"
)

// fanoutShard is a shard of a server that is not serving, with n clients on
// real loopback sockets whose other ends are read and discarded.
func fanoutShard(tb testing.TB, n int) *shard {
	tb.Helper()
	s, err := New(Options{Name: "bench", RateLimit: -1})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	for range n {
		peer, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			tb.Fatal(err)
		}
		conn, err := ln.Accept()
		if err != nil {
			tb.Fatal(err)
		}
		go func() { _, _ = io.Copy(io.Discard, peer) }()
		c := newClient(s, conn, nil)
		if !s.hub.add(c) {
			tb.Fatal("hub closed")
		}
		tb.Cleanup(func() { conn.Close(); peer.Close() })
	}
	sh := s.hub.shards[0]
	for _, other := range s.hub.shards[1:] { // one shard holds them all
		sh.clients = append(sh.clients, other.clients...)
		other.clients = nil
	}
	return sh
}

// encodeLine is what deliver does once per chat line: JSON, then the frame.
func encodeLine(s *Server) []byte {
	b, _ := json.Marshal(Frame{Type: TypeMessage, Text: "alice: benchmark line of about sixty bytes, like a chat message", Username: "alice", Origin: "web-a", Backend: s.opts.Name})
	return textFrame(b)
}

// TestFanoutAllocatesNothingPerReceiver: handing an encoded chat line to
// every client allocates nothing, however many clients there are.
func TestFanoutAllocatesNothingPerReceiver(t *testing.T) {
	sh := fanoutShard(t, 200)
	frame := encodeLine(sh.s)
	if allocs := testing.AllocsPerRun(200, func() { sh.fanout(frame, 1) }); allocs != 0 {
		t.Fatalf("fan-out of one line to 200 clients: %v allocations, want 0", allocs)
	}
	if got := sh.s.Stats().Delivered; got < 200*200 {
		t.Fatalf("delivered %d, want at least %d", got, 200*200)
	}
}

// BenchmarkFanout1000 encodes one chat line and writes it to 1,000 client
// sockets, as deliver and a hub shard do: allocs/op is per line (the
// encoding), not per receiver.
func BenchmarkFanout1000(b *testing.B) {
	const n = 1000
	sh := fanoutShard(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		sh.fanout(encodeLine(sh.s), 1)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/delivery")
}
