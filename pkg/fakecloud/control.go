package fakecloud

// The control endpoints under /_fake/ are the test harness' side door into a
// running fake (wsdeploy fakecloud, testscript, a chaos test in another
// process). They are NOT signed and not part of any Alibaba API: anyone who
// can reach the port can change the world, so the fake listens on localhost
// by default. They are not written to the request log.
//
// A web page the developer happens to open can reach localhost too. So the
// control side answers only requests addressed to a loopback Host (a DNS
// rebinding attack names the attacker's domain in Host) and refuses any
// request a browser marks as coming from another origin (Origin,
// Sec-Fetch-Site): a page cannot POST faults or read the world. Programs
// (curl, Go tests) send neither header; from another machine they send
// "Host: localhost" explicitly.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// controlPrefix is the path prefix of the control endpoints.
const controlPrefix = "/_fake/"

// maxControlBody bounds a control request body.
const maxControlBody = 1 << 20

// controlEndpoints is the list shown by an unknown control path.
var controlEndpoints = []string{
	"GET /_fake/faults", "PUT /_fake/faults", "POST /_fake/faults", "DELETE /_fake/faults",
	"GET /_fake/calls", "DELETE /_fake/calls",
	"GET /_fake/state",
	"PUT /_fake/instances/{id}/health",
}

// FaultsView is the answer of GET /_fake/faults (and of PUT, POST and DELETE
// on it): the seed and every rule with its counters.
type FaultsView struct {
	Seed   int64         `json:"seed"`
	Faults []FaultStatus `json:"faults"`
}

func (s *Server) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_fake/faults", s.ctlGetFaults)
	mux.HandleFunc("PUT /_fake/faults", s.ctlPutFaults)
	mux.HandleFunc("POST /_fake/faults", s.ctlPostFaults)
	mux.HandleFunc("DELETE /_fake/faults", s.ctlDeleteFaults)
	mux.HandleFunc("GET /_fake/calls", s.ctlGetCalls)
	mux.HandleFunc("DELETE /_fake/calls", s.ctlDeleteCalls)
	mux.HandleFunc("GET /_fake/state", s.ctlGetState)
	mux.HandleFunc("PUT /_fake/instances/{id}/health", s.ctlPutHealth)
	mux.HandleFunc(controlPrefix, func(w http.ResponseWriter, r *http.Request) {
		ctlError(w, http.StatusNotFound, fmt.Sprintf("no control endpoint %s %s; there are: %s",
			r.Method, r.URL.Path, strings.Join(controlEndpoints, ", ")))
	})
	return guardControl(mux)
}

// guardControl refuses control requests that a web browser was made to send
// (see the top of this file) with 403, before they reach next.
func guardControl(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if msg := controlRefusal(r); msg != "" {
			ctlError(w, http.StatusForbidden, msg)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// controlRefusal says why r may not use the control endpoints, or "".
func controlRefusal(r *http.Request) string {
	if !IsLoopbackHost(r.Host) {
		return fmt.Sprintf("the control endpoints answer only requests addressed to localhost, 127.0.0.1 or [::1], not Host %q "+
			"(a web page could otherwise reach them through DNS rebinding); from another machine send the header \"Host: localhost\"", r.Host)
	}
	if origin := r.Header.Get("Origin"); origin != "" && !sameOrigin(origin, r.Host) {
		return fmt.Sprintf("the control endpoints refuse requests from web pages of another origin (Origin %q)", origin)
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return fmt.Sprintf("the control endpoints refuse requests from web pages of another origin (Sec-Fetch-Site %q)", site)
	}
	return ""
}

// sameOrigin reports whether a browser's Origin header names this server
// itself, as reached through host.
func sameOrigin(origin, host string) bool {
	for _, scheme := range []string{"http://", "https://"} {
		if strings.EqualFold(origin, scheme+host) {
			return true
		}
	}
	return false
}

// IsLoopbackHost reports whether host (a Host header or listen address, with or
// without a port) is a loopback name or address: localhost, 127.0.0.0/8, ::1.
// An unspecified address (0.0.0.0, ::) is not: it listens on every interface.
func IsLoopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

func ctlJSON(w http.ResponseWriter, status int, v any) {
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		ctlError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(out, '\n'))
}

func ctlError(w http.ResponseWriter, status int, msg string) {
	out, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(out, '\n'))
}

func ctlBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxControlBody))
	if err != nil {
		ctlError(w, http.StatusBadRequest, "read body: "+err.Error())
		return nil, false
	}
	return body, true
}

func (s *Server) faultsView() FaultsView {
	seed, st := s.faults.status()
	return FaultsView{Seed: seed, Faults: st}
}

func (s *Server) ctlGetFaults(w http.ResponseWriter, r *http.Request) {
	ctlJSON(w, http.StatusOK, s.faultsView())
}

// ctlPutFaults replaces the rules (and the seed, if the body has one). The
// body is YAML or JSON, as ParseFaults reads it.
func (s *Server) ctlPutFaults(w http.ResponseWriter, r *http.Request) {
	s.ctlChangeFaults(w, r, func(fs *FaultSet) error { return s.SetFaultSet(*fs) })
}

// ctlPostFaults appends rules, keeping the others and their counters.
func (s *Server) ctlPostFaults(w http.ResponseWriter, r *http.Request) {
	s.ctlChangeFaults(w, r, func(fs *FaultSet) error {
		if fs.Seed != nil {
			return errors.New("the seed can only be set with PUT /_fake/faults")
		}
		return s.AddFaults(fs.Faults...)
	})
}

// ctlChangeFaults parses the body as a faults document, applies it and
// answers the rules as they are then.
func (s *Server) ctlChangeFaults(w http.ResponseWriter, r *http.Request, apply func(*FaultSet) error) {
	body, ok := ctlBody(w, r)
	if !ok {
		return
	}
	fs, err := ParseFaults(body)
	if err == nil {
		err = apply(fs)
	}
	if err != nil {
		ctlError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctlJSON(w, http.StatusOK, s.faultsView())
}

func (s *Server) ctlDeleteFaults(w http.ResponseWriter, r *http.Request) {
	s.faults.set(nil, nil)
	ctlJSON(w, http.StatusOK, s.faultsView())
}

// ctlGetCalls answers the request log, or with ?inflight=1 the calls in
// flight (InFlight).
func (s *Server) ctlGetCalls(w http.ResponseWriter, r *http.Request) {
	var calls []Call
	switch v := r.URL.Query().Get("inflight"); v {
	case "", "0", "false":
		calls = s.Calls()
	case "1", "true":
		calls = s.InFlight()
	default:
		ctlError(w, http.StatusBadRequest, fmt.Sprintf("inflight=%q: use inflight=1 for the calls in flight, or leave it out for the request log", v))
		return
	}
	if calls == nil {
		calls = []Call{}
	}
	ctlJSON(w, http.StatusOK, calls)
}

func (s *Server) ctlDeleteCalls(w http.ResponseWriter, r *http.Request) {
	s.ResetCalls()
	w.WriteHeader(http.StatusNoContent)
}

// ctlGetState answers the world, access key secrets redacted (a harness may
// print it).
func (s *Server) ctlGetState(w http.ResponseWriter, r *http.Request) {
	st := s.Snapshot()
	for i := range st.Keys {
		st.Keys[i].Secret = "<redacted>"
	}
	for i := range st.STS.Credentials {
		st.STS.Credentials[i].Secret, st.STS.Credentials[i].SecurityToken = "<redacted>", "<redacted>"
	}
	for i := range st.OOS.SecretParameters {
		for j := range st.OOS.SecretParameters[i].Values {
			st.OOS.SecretParameters[i].Values[j] = "<redacted>"
		}
	}
	ctlJSON(w, http.StatusOK, st)
}

// ctlPutHealth sets the load balancers' view of an ECS instance: body
// "healthy" or "unhealthy" (plain text or a JSON string).
func (s *Server) ctlPutHealth(w http.ResponseWriter, r *http.Request) {
	body, ok := ctlBody(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	health := strings.Trim(strings.TrimSpace(string(body)), `"`)
	if !contains(healthValues, health) {
		ctlError(w, http.StatusBadRequest, fmt.Sprintf("health %q is not one of %s", health, strings.Join(healthValues, ", ")))
		return
	}
	err := s.SetInstanceHealth(id, health)
	if errors.Is(err, errNoInstance) {
		ctlError(w, http.StatusNotFound, err.Error())
		return
	}
	if err != nil {
		ctlError(w, http.StatusInternalServerError, err.Error())
		return
	}
	ctlJSON(w, http.StatusOK, map[string]string{"id": id, "health": health})
}

var errNoInstance = errors.New("no such ECS instance")

// SetInstanceHealth sets the load balancers' view of an ECS instance
// ("healthy" or "unhealthy"), as ALB GetListenerHealthStatus and CLB
// DescribeHealthStatus report it.
func (s *Server) SetInstanceHealth(id, health string) error {
	if !contains(healthValues, health) {
		return fmt.Errorf("fakecloud: health %q is not one of %s", health, strings.Join(healthValues, ", "))
	}
	return s.Update(func(st *State) error {
		in, ok := st.Instance(id)
		if !ok {
			return fmt.Errorf("fakecloud: %w %s", errNoInstance, id)
		}
		in.Health = health
		return nil
	})
}
