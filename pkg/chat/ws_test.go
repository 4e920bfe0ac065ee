package chat_test

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
)

// rawWS is a hand-written client, to send what a library would not.
type rawWS struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

// clientFrame encodes a masked client frame.
func clientFrame(fin bool, op byte, payload []byte) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	mask := [4]byte{1, 2, 3, 4}
	var b []byte
	switch n := len(payload); {
	case n < 126:
		b = []byte{b0, 0x80 | byte(n)}
	default:
		b = []byte{b0, 0x80 | 126, byte(n >> 8), byte(n)}
	}
	b = append(b, mask[:]...)
	for i, x := range payload {
		b = append(b, x^mask[i&3])
	}
	return b
}

// dialRaw sends the upgrade request followed at once, in the same write, by
// extra (frames the server must find in net/http's buffer).
func dialRaw(t *testing.T, addr string, extra []byte) *rawWS {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	req := fmt.Sprintf("GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", addr)
	if _, err := c.Write(append([]byte(req), extra...)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Sec-WebSocket-Accept") != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("upgrade answered %s, accept %q", resp.Status, resp.Header.Get("Sec-WebSocket-Accept"))
	}
	return &rawWS{t: t, c: c, br: br}
}

// next reads one server frame.
func (w *rawWS) next() (op byte, payload []byte) {
	w.t.Helper()
	var h [2]byte
	if _, err := io.ReadFull(w.br, h[:]); err != nil {
		w.t.Fatalf("read a frame: %v", err)
	}
	if h[1]&0x80 != 0 {
		w.t.Fatal("the server masked a frame")
	}
	n := int(h[1] & 0x7F)
	if n == 126 {
		var l [2]byte
		_, _ = io.ReadFull(w.br, l[:])
		n = int(binary.BigEndian.Uint16(l[:]))
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(w.br, payload); err != nil {
		w.t.Fatal(err)
	}
	return h[0] & 0x0F, payload
}

func (w *rawWS) nextText() chat.Frame {
	w.t.Helper()
	for {
		op, p := w.next()
		if op != 0x1 {
			continue
		}
		var f chat.Frame
		if err := json.Unmarshal(p, &f); err != nil {
			w.t.Fatalf("decode %q: %v", p, err)
		}
		return f
	}
}

// TestWebSocketProtocolDetails: frames sent together with the upgrade
// request are read, a fragmented message is put together, a client's ping
// is answered with its payload, and an unmasked frame closes with 1002.
func TestWebSocketProtocolDetails(t *testing.T) {
	t.Parallel()
	b := chattest.Start(t, chat.Options{Name: "solo", RateLimit: -1})
	early := clientFrame(true, 0x1, []byte(`{"type":"set_username","username":"early"}`))
	w := dialRaw(t, b.Addr, early)
	if f := w.nextText(); f.Code != chat.CodeWelcome {
		t.Fatalf("first frame %+v, want the welcome", f)
	}
	if f := w.nextText(); f.Code != chat.CodeUsernameSet {
		t.Fatalf("then %+v, want the username set by the frame sent with the upgrade", f)
	}

	msg := []byte(`{"type":"message","text":"in three parts"}`)
	parts := append(clientFrame(false, 0x1, msg[:10]), clientFrame(true, 0x9, []byte("ping!"))...) // a ping between fragments
	parts = append(parts, clientFrame(false, 0x0, msg[10:20])...)
	parts = append(parts, clientFrame(true, 0x0, msg[20:])...)
	if _, err := w.c.Write(parts); err != nil {
		t.Fatal(err)
	}
	op, p := w.next()
	if op != 0xA || string(p) != "ping!" {
		t.Fatalf("answer to a ping: opcode %x payload %q, want a pong with the ping's payload", op, p)
	}
	if f := w.nextText(); f.Type != chat.TypeMessage || f.Text != "early: in three parts" {
		t.Fatalf("after a fragmented message: %+v", f)
	}

	unmasked := []byte{0x81, 2, '{', '}'}
	if _, err := w.c.Write(unmasked); err != nil {
		t.Fatal(err)
	}
	for {
		op, p := w.next()
		if op == 0x8 {
			if code := binary.BigEndian.Uint16(p); code != 1002 {
				t.Fatalf("unmasked frame closed with %d (%s), want 1002", code, p[2:])
			}
			return
		}
	}
}
