// Package chatload is a load client for wschat: it opens many WebSocket
// connections, drives them in idle, broadcast and latency runs, and reads the
// server processes' memory and CPU time from /proc, so that the figures are
// the servers' alone (run it in its own process). cmd/wschat-bench is its
// command line.
//
// Its WebSocket client is minimal on purpose (a load client must be cheap):
// it answers pings, reads text frames into a reused buffer and writes masked
// text frames; no extensions, no fragmentation on send.
package chatload

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
)

// Opcodes the client deals with.
const (
	OpText  = 0x1
	OpClose = 0x8
	opPing  = 0x9
	opPong  = 0xA
)

// Conn is one client WebSocket connection.
type Conn struct {
	nc  net.Conn
	br  *bufio.Reader
	buf []byte // the last payload; reused

	wmu  sync.Mutex
	wbuf []byte

	sio     bool     // Socket.IO (Engine.IO v4) framing; see engineio.go
	pending [][]byte // Socket.IO events that arrived before the connect ack
}

// Dial opens a WebSocket to rawURL (ws://host:port/path).
func Dial(ctx context.Context, rawURL string) (*Conn, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "ws" {
		return nil, fmt.Errorf("WebSocket URL %q: want ws://host:port/path", rawURL)
	}
	sio := IsSocketIO(rawURL)
	if sio {
		socketIOURL(u)
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", u.Host, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	var k [16]byte
	_, _ = rand.Read(k[:])
	req := "GET " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " +
		base64.StdEncoding.EncodeToString(k[:]) + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := io.WriteString(nc, req); err != nil {
		nc.Close()
		return nil, fmt.Errorf("send the upgrade request: %w", err)
	}
	br := bufio.NewReaderSize(nc, 4096)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("read the upgrade response: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		nc.Close()
		return nil, fmt.Errorf("upgrade refused: %s", resp.Status)
	}
	c := &Conn{nc: nc, br: br, sio: sio}
	if sio {
		// Join the default namespace and wait for 40{"sid":...}: a server
		// closes a session that sends an event before its connect is done.
		if err := c.write(OpText, []byte("40")); err != nil {
			nc.Close()
			return nil, fmt.Errorf("Socket.IO connect: %w", err)
		}
		c.sio = false // raw frames until connected
		for {
			p, err := c.Next()
			if err != nil {
				nc.Close()
				return nil, fmt.Errorf("Socket.IO connect: %w", err)
			}
			kind, ev, err := DecodeSocketIO(p)
			if err != nil {
				nc.Close()
				return nil, fmt.Errorf("Socket.IO connect: %w", err)
			}
			if kind == sioEvent {
				// python-socketio sends what the connect handler emits
				// (the welcome) before the ack.
				c.pending = append(c.pending, append([]byte(nil), ev...))
			}
			if kind == sioConnected {
				break
			}
			if kind == sioConnErr || kind == sioClose {
				nc.Close()
				return nil, fmt.Errorf("Socket.IO connect refused: %s", p)
			}
		}
		c.sio = true
	}
	_ = nc.SetDeadline(timeZero)
	return c, nil
}

// ErrClosed is returned by Next when the server sent a close frame.
var ErrClosed = errors.New("closed by the server")

// Next returns the next text frame's payload, valid until the next call. It
// answers pings on the way.
func (c *Conn) Next() ([]byte, error) {
	if c.sio && len(c.pending) > 0 {
		p := c.pending[0]
		c.pending = c.pending[1:]
		return p, nil
	}
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.br, h[:]); err != nil {
			return nil, err
		}
		op := h[0] & 0x0F
		n := uint64(h[1] & 0x7F)
		switch n {
		case 126:
			var l [2]byte
			if _, err := io.ReadFull(c.br, l[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(l[:]))
		case 127:
			var l [8]byte
			if _, err := io.ReadFull(c.br, l[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(l[:])
		}
		if n > 1<<24 {
			return nil, fmt.Errorf("frame of %d bytes", n)
		}
		if uint64(cap(c.buf)) < n {
			c.buf = make([]byte, n)
		}
		c.buf = c.buf[:n]
		if _, err := io.ReadFull(c.br, c.buf); err != nil {
			return nil, err
		}
		switch op {
		case opPing:
			if err := c.write(opPong, c.buf); err != nil {
				return nil, err
			}
		case OpClose:
			return c.buf, ErrClosed
		case opPong:
		default:
			if !c.sio {
				return c.buf, nil
			}
			kind, p, err := DecodeSocketIO(c.buf)
			switch {
			case err != nil:
				return nil, err
			case kind == sioPing:
				if err := c.write(OpText, []byte("3")); err != nil {
					return nil, err
				}
			case kind == sioEvent:
				return p, nil
			case kind == sioClose:
				return nil, ErrClosed
			case kind == sioConnErr:
				return nil, fmt.Errorf("Socket.IO connect refused: %s", p)
			}
		}
	}
}

// WriteText sends one text frame: a wschat frame object, which a Socket.IO
// connection sends as the argument of a "chat message" event.
func (c *Conn) WriteText(b []byte) error {
	if c.sio {
		b = EncodeSocketIOEvent(b)
	}
	return c.write(OpText, b)
}

// write sends a masked frame. The mask key is zero (the bytes go as they
// are): the server must accept any key, and the load client saves the work.
func (c *Conn) write(op byte, b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	w := append(c.wbuf[:0], 0x80|op)
	switch n := len(b); {
	case n < 126:
		w = append(w, 0x80|byte(n))
	case n <= 0xFFFF:
		w = append(w, 0x80|126, byte(n>>8), byte(n))
	default:
		w = append(w, 0x80|127)
		w = binary.BigEndian.AppendUint64(w, uint64(n))
	}
	w = append(w, 0, 0, 0, 0)
	w = append(w, b...)
	c.wbuf = w
	_, err := c.nc.Write(w)
	return err
}

// Close closes the connection without a close frame.
func (c *Conn) Close() error { return c.nc.Close() }
