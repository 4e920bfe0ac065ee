package fakecloud

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"strings"
)

// Call is one entry of the request log: every request the server answered,
// including unroutable and unauthenticated ones.
type Call struct {
	Product    string            `json:"product"` // alb, slb, alidns, ecs ("" if unroutable)
	Action     string            `json:"action"`
	Write      bool              `json:"write"`
	Status     int               `json:"status"` // HTTP status; 0 if no answer was sent (Dropped, Canceled)
	Code       string            `json:"code"`   // error code or ""
	RequestID  string            `json:"requestId"`
	DurationMS float64           `json:"durationMs"`
	Params     map[string]string `json:"params,omitempty"` // never holds signatures, keys or tokens

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
}

// Calls returns a copy of the request log so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.calls))
	for i, c := range s.calls {
		out[i] = c
		out[i].Faults = append([]string(nil), c.Faults...)
		if c.Params != nil {
			out[i].Params = make(map[string]string, len(c.Params))
			for k, v := range c.Params {
				out[i].Params[k] = v
			}
		}
	}
	return out
}

// ResetCalls empties the request log.
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
	case "authorization", "accesskeyid", "accesskeysecret", "securitytoken", "bearertoken":
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
