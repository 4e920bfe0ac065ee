package chatload

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestDecodeSocketIO(t *testing.T) {
	for _, tc := range []struct {
		in      string
		kind    sioKind
		payload string
		err     bool
	}{
		{in: `0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000}`, kind: sioOther},
		{in: `2`, kind: sioPing},
		{in: `3`, kind: sioOther},
		{in: `1`, kind: sioClose},
		{in: `40{"sid":"b"}`, kind: sioConnected},
		{in: `41`, kind: sioClose},
		{in: `44{"message":"not allowed"}`, kind: sioConnErr, payload: `{"message":"not allowed"}`},
		{in: `42["chat message",{"type":"message","text":"a: L1"}]`, kind: sioEvent, payload: `{"type":"message","text":"a: L1"}`},
		{in: `42["other",{}]`, kind: sioOther},
		{in: `4`, err: true},
		{in: ``, err: true},
		{in: `x`, err: true},
	} {
		kind, p, err := DecodeSocketIO([]byte(tc.in))
		if (err != nil) != tc.err || kind != tc.kind || string(p) != tc.payload {
			t.Errorf("DecodeSocketIO(%q) = %v, %q, %v; want %v, %q, error %v", tc.in, kind, p, err, tc.kind, tc.payload, tc.err)
		}
	}
}

func TestEncodeSocketIOEvent(t *testing.T) {
	got := string(EncodeSocketIOEvent([]byte(`{"type":"message","text":"hi"}`)))
	if want := `42["chat message",{"type":"message","text":"hi"}]`; got != want {
		t.Fatalf("EncodeSocketIOEvent = %s, want %s", got, want)
	}
	kind, p, err := DecodeSocketIO([]byte(got))
	if err != nil || kind != sioEvent || string(p) != `{"type":"message","text":"hi"}` {
		t.Fatalf("round trip: %v %q %v", kind, p, err)
	}
}

func TestIsSocketIO(t *testing.T) {
	for u, want := range map[string]bool{
		"ws://127.0.0.1:5101/socket.io/": true,
		"ws://127.0.0.1:5101/socket.io":  true,
		"ws://127.0.0.1:5000/ws":         false,
	} {
		if got := IsSocketIO(u); got != want {
			t.Errorf("IsSocketIO(%s) = %v, want %v", u, got, want)
		}
	}
}

// serverFrame is an unmasked server-to-client text frame.
func serverFrame(s string) []byte { return append([]byte{0x81, byte(len(s))}, s...) }

// readClientFrame reads one masked client frame (short payloads only).
func readClientFrame(br *bufio.Reader) (string, error) {
	var h [2]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		return "", err
	}
	n := int(h[1] & 0x7F)
	if n >= 126 || h[1]&0x80 == 0 {
		return "", fmt.Errorf("frame header %x: want a short masked frame", h)
	}
	b := make([]byte, 4+n)
	if _, err := io.ReadFull(br, b); err != nil {
		return "", err
	}
	for i := range n {
		b[4+i] ^= b[i%4]
	}
	return string(b[4:]), nil
}

// TestDialSocketIO plays a Socket.IO server over loopback the way
// python-socketio does (an event before the connect ack) and checks the
// client's handshake, its pong, its event framing and the event it returns.
func TestDialSocketIO(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 8)
	go func() {
		defer close(got)
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		br := bufio.NewReader(nc)
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		got <- "GET " + req.URL.String()
		io.WriteString(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n")
		nc.Write(serverFrame(`0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}`))
		for i := range 3 { // 40, the event, 3 (the pong)
			f, err := readClientFrame(br)
			if err != nil {
				return
			}
			got <- f
			if i == 0 { // connected: the welcome comes first, as python-socketio sends it
				nc.Write(serverFrame(`42["chat message",{"type":"system","code":"welcome"}]`))
				nc.Write(serverFrame(`40{"sid":"n"}`))
				nc.Write(serverFrame(`2`))
			}
		}
	}()
	c, err := Dial(context.Background(), "ws://"+ln.Addr().String()+"/socket.io/")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.nc.SetDeadline(time.Now().Add(5 * time.Second)) // a missing frame fails, not hangs
	p, err := c.Next()
	if err != nil || string(p) != `{"type":"system","code":"welcome"}` {
		t.Fatalf("first Next = %q, %v; want the welcome sent before the connect ack", p, err)
	}
	if err := c.WriteText([]byte(`{"type":"message","text":"hi"}`)); err != nil {
		t.Fatal(err)
	}
	go c.Next() // reads the ping and answers it
	var frames []string
	for f := range got {
		frames = append(frames, f)
	}
	want := []string{"GET /socket.io/?EIO=4&transport=websocket", "40", `42["chat message",{"type":"message","text":"hi"}]`, "3"}
	if strings.Join(frames, "\n") != strings.Join(want, "\n") {
		t.Fatalf("server saw:\n%s\nwant:\n%s", strings.Join(frames, "\n"), strings.Join(want, "\n"))
	}
}
