package chatload

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
)

// Socket.IO over Engine.IO v4, WebSocket transport only: each Engine.IO
// packet is one text frame whose first byte is its type ('0' open, '2' ping,
// '3' pong, '4' message); a Socket.IO packet rides in a message ('40'
// connect, '42' event). The peers under testdata/peers carry wschat's frame
// objects as the one argument of the "chat message" event, so the rest of
// chatload reads them as it reads wschat's frames.

// IsSocketIO says whether rawURL names a Socket.IO endpoint (its path starts
// with /socket.io/), which Dial then speaks Engine.IO v4 to.
func IsSocketIO(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && strings.HasPrefix(u.Path, "/socket.io")
}

// socketIOURL adds the Engine.IO query (EIO=4, transport=websocket).
func socketIOURL(u *url.URL) {
	q := u.Query()
	q.Set("EIO", "4")
	q.Set("transport", "websocket")
	u.RawQuery = q.Encode()
}

// sioEventPrefix starts every chat event the client sends and receives.
const sioEventPrefix = `42["chat message",`

// EncodeSocketIOEvent wraps a wschat frame object (JSON) in a Socket.IO
// "chat message" event.
func EncodeSocketIOEvent(obj []byte) []byte {
	b := make([]byte, 0, len(sioEventPrefix)+len(obj)+1)
	b = append(b, sioEventPrefix...)
	b = append(b, obj...)
	return append(b, ']')
}

// sioKind is what a received Engine.IO text frame is to the client.
type sioKind int

const (
	sioOther     sioKind = iota // open, pong, noop: skipped
	sioConnected                // the namespace connect was acknowledged (40{...})
	sioPing                     // answer with a pong
	sioEvent                    // a "chat message" event: payload is its argument
	sioClose                    // the server closed the session (Engine.IO 1, Socket.IO 41)
	sioConnErr                  // the namespace connection was refused (44)
)

// DecodeSocketIO classifies one Engine.IO text frame; for an event it
// returns the event's argument (the wschat frame object).
func DecodeSocketIO(p []byte) (sioKind, []byte, error) {
	if len(p) == 0 {
		return sioOther, nil, fmt.Errorf("empty Engine.IO packet")
	}
	switch p[0] {
	case '0', '6': // open, noop
		return sioOther, nil, nil
	case '1':
		return sioClose, nil, nil
	case '2':
		return sioPing, nil, nil
	case '3':
		return sioOther, nil, nil
	case '4':
	default:
		return sioOther, nil, fmt.Errorf("unknown Engine.IO packet type %q", p[0])
	}
	if len(p) < 2 {
		return sioOther, nil, fmt.Errorf("Engine.IO message without a Socket.IO packet")
	}
	switch p[1] {
	case '0':
		return sioConnected, nil, nil
	case '1':
		return sioClose, nil, nil
	case '4':
		return sioConnErr, p[2:], nil
	case '2':
	default:
		return sioOther, nil, nil
	}
	if !bytes.HasPrefix(p, []byte(sioEventPrefix)) || p[len(p)-1] != ']' {
		return sioOther, nil, nil // another event: not the chat's
	}
	return sioEvent, p[len(sioEventPrefix) : len(p)-1], nil
}
