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
// username (the author of a chat line) and origin (the backend the line or
// notice was sent from, which differs from backend when it crossed).
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
// allowed), frames are size-limited and rate-limited per connection, every
// connection has a bounded send queue (a client that cannot keep up is
// disconnected instead of slowing the broadcast down), the server pings every
// connection so the load balancer never sees it idle and dead peers are
// closed, and shutdown closes every connection with 1001 "going away" so
// clients reconnect to another backend.
package chat
