// Package chat is wschat's server: a chat room over WebSocket whose messages
// reach every client on every backend.
//
// # Wire protocol
//
// The WebSocket endpoint is /ws; every frame is a JSON text message. Clients
// send {"type":"set_username","username":"alice"} and
// {"type":"message","text":"hi"}. The server sends chat lines as
// {"type":"message","text":"alice: hi","backend":"web-a"} and notices (the
// welcome, the username confirmation, warnings, leave notices) as
// {"type":"system","text":"...","backend":"web-a"}. backend is the name of
// the instance the receiving client is connected to. Extra fields: code
// (a machine-readable kind of system notice, see the Code constants),
// username (the author of a chat line), origin (the backend the line or
// notice was sent from, which differs from backend when it crossed), and
// missed (with code "gap": how many chat lines this client did not get
// because its connection could not keep up; the lines after the notice
// arrive in order).
//
// # Fan-out
//
// A Bus carries events between backends, the sending one included: every
// chat line is published once and delivered by each backend to its own
// clients. LocalBus is the single-node bus; RedisBus uses Redis pub/sub.
//
// # Hardening
//
// Origins are checked against an allow-list (same-origin pages are always
// allowed), frames are size-limited and rate-limited per connection, and
// the server pings every connection so the load balancer never sees it idle
// and dead peers are closed. Shutdown closes every connection with 1001
// "going away" so clients reconnect to another backend.
//
// # Overload
//
// A broadcast never waits for a client. Each chat line is encoded once and
// the same bytes are written to every socket without blocking; a hub shard
// that falls behind writes every waiting line to each client in one system
// call, so a busy server gets cheaper per line instead of dropping anyone. A
// client whose socket is full gets a queue (bounded by SendQueue lines; the
// lines beyond it are shed and replaced by one gap notice) and is
// disconnected (1008 "too slow") only when its socket takes nothing for
// WriteTimeout: a client that reads, however late, keeps its connection,
// and a late pong does not close a client whose socket is draining.
//
// # Memory
//
// An idle connection is one goroutine blocked reading a frame header, with
// no buffer, timer or logger of its own (see ws.go for why wschat speaks
// WebSocket itself), and pings come from one scheduler per hub shard.
package chat
