package chat

// The WebSocket protocol (RFC 6455), server side, as much as wschat needs:
// the opening handshake, reading the clients' (masked) frames, and encoding
// the server's frames once so that the same bytes go to every receiver.
//
// wschat speaks it itself rather than through github.com/coder/websocket
// because an idle connection must cost next to nothing: that library keeps
// net/http's 4 KB read and write buffers for the life of every connection,
// needs a goroutine per connection for writes besides the reader, and writes
// each frame through its own buffer, so a broadcast cannot hand one encoded
// frame to a thousand sockets. Here an idle connection is one goroutine
// blocked reading a 2-byte header, no buffer, no timer.

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"unicode/utf8"
)

// Opcodes.
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// Close codes wschat sends.
const (
	closeNormal          = 1000
	closeGoingAway       = 1001
	closeProtocolError   = 1002
	closeUnsupportedData = 1003
	closePolicyViolation = 1008
	closeMessageTooBig   = 1009
)

// websocketGUID is the constant of the accept key (RFC 6455 section 1.3).
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// pingFrame is the server's ping: empty payload, so every connection can
// share it.
var pingFrame = []byte{0x80 | opPing, 0}

// upgradeError is a refused handshake: the HTTP status to answer with.
type upgradeError struct {
	status int
	msg    string
}

func (e *upgradeError) Error() string { return e.msg }

// checkUpgrade validates a WebSocket opening handshake and the page's
// origin; it returns the Sec-WebSocket-Accept value.
func checkUpgrade(r *http.Request, origins []string) (string, error) {
	if !headerHasToken(r.Header, "Connection", "upgrade") || !headerHasToken(r.Header, "Upgrade", "websocket") {
		return "", &upgradeError{http.StatusUpgradeRequired, "WebSocket protocol violation: the request is not a WebSocket upgrade"}
	}
	if v := r.Header.Get("Sec-WebSocket-Version"); v != "13" {
		return "", &upgradeError{http.StatusBadRequest, fmt.Sprintf("unsupported WebSocket protocol version %q: only 13", v)}
	}
	key := strings.TrimSpace(r.Header.Get("Sec-WebSocket-Key"))
	if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 16 {
		return "", &upgradeError{http.StatusBadRequest, "invalid Sec-WebSocket-Key"}
	}
	if err := checkOrigin(r, origins); err != nil {
		return "", &upgradeError{http.StatusForbidden, err.Error()}
	}
	sum := sha1.Sum([]byte(key + websocketGUID))
	return base64.StdEncoding.EncodeToString(sum[:]), nil
}

// checkOrigin allows requests without an Origin (not browsers), pages of
// the same host, and hosts matching a pattern (path.Match, case-insensitive;
// a pattern with "://" is matched against scheme://host).
func checkOrigin(r *http.Request, patterns []string) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return fmt.Errorf("request Origin %q is not a valid URL with a host", origin)
	}
	if strings.EqualFold(r.Host, u.Host) {
		return nil
	}
	for _, p := range patterns {
		target := u.Host
		if strings.Contains(p, "://") {
			target = u.Scheme + "://" + u.Host
		}
		if ok, _ := path.Match(strings.ToLower(p), strings.ToLower(target)); ok {
			return nil
		}
	}
	return fmt.Errorf("request Origin %q is not authorized for Host %q", origin, r.Host)
}

func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// upgrade answers 101 on a hijacked connection. It returns the connection
// and the bytes the client sent after its request (already buffered by
// net/http); net/http's buffers are not kept.
func upgrade(w http.ResponseWriter, accept string) (net.Conn, []byte, error) {
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, nil, fmt.Errorf("take over the connection: %w", err)
	}
	var early []byte
	if n := brw.Reader.Buffered(); n > 0 {
		b, _ := brw.Reader.Peek(n)
		early = append([]byte(nil), b...)
	}
	_ = conn.SetDeadline(timeZero)
	resp := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n"
	if _, err := io.WriteString(conn, resp); err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("answer the upgrade: %w", err)
	}
	return conn, early, nil
}

// appendFrameHeader appends the header of an unmasked server frame.
func appendFrameHeader(b []byte, op byte, n int) []byte {
	b = append(b, 0x80|op)
	switch {
	case n < 126:
		return append(b, byte(n))
	case n <= 0xFFFF:
		return append(b, 126, byte(n>>8), byte(n))
	default:
		b = append(b, 127)
		return binary.BigEndian.AppendUint64(b, uint64(n))
	}
}

// textFrame encodes payload as one complete server text frame.
func textFrame(payload []byte) []byte {
	b := make([]byte, 0, len(payload)+10)
	b = appendFrameHeader(b, opText, len(payload))
	return append(b, payload...)
}

// closeFrame encodes a close frame with code and reason (cut to fit 125 bytes).
func closeFrame(code int, reason string) []byte {
	if len(reason) > 123 {
		reason = reason[:123]
		for !utf8.ValidString(reason) {
			reason = reason[:len(reason)-1]
		}
	}
	b := appendFrameHeader(make([]byte, 0, 4+len(reason)), opClose, 2+len(reason))
	b = binary.BigEndian.AppendUint16(b, uint16(code))
	return append(b, reason...)
}

// controlFrame encodes a control frame (a pong) with payload.
func controlFrame(op byte, payload []byte) []byte {
	b := appendFrameHeader(make([]byte, 0, 2+len(payload)), op, len(payload))
	return append(b, payload...)
}

// frameError ends a connection because of what the client sent.
type frameError struct {
	code   int
	reason string // sent in the close frame
	why    string // logged
}

func (e *frameError) Error() string { return e.why }

var errUnmasked = &frameError{closeProtocolError, "client frames must be masked", "sent an unmasked frame"}

// clientFrame is one frame read from a client.
type clientFrame struct {
	op      byte
	fin     bool
	payload []byte
}

// readFrame reads one client frame. It blocks on the first two bytes with
// nothing allocated, and allocates the payload only once its length is
// known and within limit (a data frame over it is refused with 1009).
func (c *client) readFrame(limit int64, sofar int) (clientFrame, error) {
	h := c.hdr[:]
	if err := c.readFull(h[:2]); err != nil {
		return clientFrame{}, err
	}
	f := clientFrame{op: h[0] & 0x0F, fin: h[0]&0x80 != 0}
	if h[0]&0x70 != 0 {
		return f, &frameError{closeProtocolError, "reserved bits set", "sent a frame with reserved bits (no extension was negotiated)"}
	}
	if h[1]&0x80 == 0 {
		return f, errUnmasked
	}
	n := int64(h[1] & 0x7F)
	switch n {
	case 126:
		if err := c.readFull(h[2:4]); err != nil {
			return f, err
		}
		n = int64(binary.BigEndian.Uint16(h[2:4]))
	case 127:
		if err := c.readFull(h[2:10]); err != nil {
			return f, err
		}
		n = int64(binary.BigEndian.Uint64(h[2:10]) &^ (1 << 63))
	}
	if f.op >= opClose {
		if n > 125 || !f.fin {
			return f, &frameError{closeProtocolError, "invalid control frame", "sent an invalid control frame"}
		}
	} else if int64(sofar)+n > limit {
		return f, &frameError{closeMessageTooBig, fmt.Sprintf("message too big: limit %d bytes", limit), "sent a frame over the size limit (closed with 1009)"}
	}
	var mask [4]byte
	if err := c.readFull(mask[:]); err != nil {
		return f, err
	}
	f.payload = make([]byte, n)
	if err := c.readFull(f.payload); err != nil {
		return f, err
	}
	for i := range f.payload {
		f.payload[i] ^= mask[i&3]
	}
	return f, nil
}

// readFull reads len(b) bytes, the early bytes of the handshake first.
func (c *client) readFull(b []byte) error {
	for len(b) > 0 {
		if len(c.early) > 0 {
			n := copy(b, c.early)
			c.early = c.early[n:]
			if len(c.early) == 0 {
				c.early = nil
			}
			b = b[n:]
			continue
		}
		n, err := c.conn.Read(b)
		b = b[n:]
		if err != nil {
			if len(b) > 0 {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				return err
			}
		}
	}
	return nil
}
