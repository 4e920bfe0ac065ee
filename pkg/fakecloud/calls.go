package fakecloud

import (
	"crypto/rand"
	"encoding/hex"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Call is one entry of the request log: every request the server answered,
// including unroutable and unauthenticated ones. A call enters the log when
// it is answered; until then it is in the in-flight view (InFlight).
type Call struct {
	Product    string            `json:"product"` // alb, slb, alidns, ecs ("" if unroutable)
	Action     string            `json:"action"`
	Write      bool              `json:"write"`
	Status     int               `json:"status"` // HTTP status; 0 if no answer was sent (Dropped, Canceled)
	Code       string            `json:"code"`   // error code or ""
	RequestID  string            `json:"requestId"`
	DurationMS float64           `json:"durationMs"`
	Params     map[string]string `json:"params,omitempty"` // never holds signatures, keys or tokens

	// LatencyMS is the delay the latency model (Options.Latency) drew for
	// the call, included in DurationMS; 0 when the model is off.
	LatencyMS float64 `json:"latencyMs,omitempty"`
	// AsyncMS is, for a write that succeeded, how long the asynchronous
	// work it may start was given (an ALB job, a CLB listener starting or
	// configuring, a vServer group busy window): Options.AsyncDuration, or
	// the realistic profile's draw for the action. Writes that start no
	// asynchronous work carry it too; 0 for reads. Benchmarks compute the
	// critical path of a run from it.
	AsyncMS float64 `json:"asyncMs,omitempty"`
	// HiddenMS is, for a write that succeeded and created an ALB job, a CLB
	// listener or a CLB vServer group, how long the realistic profile keeps
	// it missing from reads (the read-after-write window); 0 otherwise.
	HiddenMS float64 `json:"hiddenMs,omitempty"`

	// AssumedRole is the identity of a call signed with STS credentials:
	// acs:ram::<account>:assumed-role/<role>/<session> ("" for a seeded key
	// or an anonymous call).
	AssumedRole string `json:"assumedRole,omitempty"`

	// Injected is set when a fault rule fired on the call (faults.go);
	// Faults names the rules (their Name, or faults[i]).
	Injected bool     `json:"injected,omitempty"`
	Faults   []string `json:"faults,omitempty"`
	// Committed: a CommitThenFail rule kept the handler's change although
	// the client got an error or a dropped connection.
	Committed bool `json:"committed,omitempty"`
	// Dropped: the connection was closed without an answer (Status is 0).
	Dropped bool `json:"dropped,omitempty"`
	// Canceled: the client went away, or the server shut down, during a
	// delay; the call did not run (Status is 0).
	Canceled bool `json:"canceled,omitempty"`
	// InFlight marks an entry of the in-flight view (InFlight, GET
	// /_fake/calls?inflight=1): a call not answered yet, being delayed or
	// run. Its Status is 0, its Code and fault fields are empty and
	// DurationMS is the time so far. Request log entries never have it.
	InFlight bool `json:"inFlight,omitempty"`
}

// pendingCall is a call in flight: what the log will say of it, so far.
type pendingCall struct {
	call  Call
	start time.Time
}

// begin puts a call into the in-flight view and returns its key for finish.
func (s *Server) begin(c Call, start time.Time) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastCall++
	if s.inflight == nil {
		s.inflight = map[uint64]pendingCall{}
	}
	s.inflight[s.lastCall] = pendingCall{call: c, start: start}
	return s.lastCall
}

// finish moves an answered call from the in-flight view to the request log,
// in one step: a reader sees it in one or the other, never in both or
// neither. Caller holds s.mu.
func (s *Server) finish(key uint64, c Call) {
	delete(s.inflight, key)
	s.calls = append(s.calls, c)
}

// InFlight returns the calls the server has received but not answered yet
// (delayed by a fault or the latency model, or running), oldest first. A
// test can wait for a chosen call to be in flight, then act (kill the
// client, send it an interrupt) while it is.
func (s *Server) InFlight() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := make([]uint64, 0, len(s.inflight))
	for k := range s.inflight {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	now := time.Now()
	out := make([]Call, len(keys))
	for i, k := range keys {
		p := s.inflight[k]
		out[i] = copyCall(p.call)
		out[i].InFlight = true
		out[i].DurationMS = float64(now.Sub(p.start).Microseconds()) / 1000
	}
	return out
}

// Calls returns a copy of the request log so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.calls))
	for i, c := range s.calls {
		out[i] = copyCall(c)
	}
	return out
}

// millis is d in milliseconds, to the microsecond.
func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// copyCall copies a call and the slices and maps it holds.
func copyCall(c Call) Call {
	c.Faults = append([]string(nil), c.Faults...)
	if c.Params != nil {
		c.Params = maps.Clone(c.Params)
	}
	return c
}

// ResetCalls empties the request log. Calls in flight are not forgotten:
// they enter the log when they are answered.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// logParams copies request parameters for the log, dropping anything that
// could be a credential. Names are compared case-insensitively.
func logParams(params url.Values) map[string]string {
	if len(params) == 0 {
		return nil
	}
	out := make(map[string]string, len(params))
	for k, v := range params {
		if secretParam(k) || len(v) == 0 {
			continue
		}
		out[k] = v[0]
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// secretParam reports whether a parameter name may carry a credential
// (v2-style query signing puts Signature, AccessKeyId, SecurityToken in the query).
func secretParam(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "accesskeyid", "accesskeysecret", "securitytoken", "bearertoken", "oidctoken":
		return true
	}
	return strings.Contains(n, "signature") || strings.Contains(n, "secret") ||
		strings.Contains(n, "securitytoken") || strings.Contains(n, "password")
}

// newRequestID returns a random request ID shaped like Alibaba's
// (uppercase UUID, e.g. 473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E). Random, not a
// counter: several servers may share one state file, and ALB uses the request
// ID as the default ClientToken.
func newRequestID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
