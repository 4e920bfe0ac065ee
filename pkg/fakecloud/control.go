package fakecloud

// The control endpoints under /_fake/ are the test harness' side door into a
// running fake (wsdeploy fakecloud, testscript, a chaos test in another
// process). They are NOT signed and not part of any Alibaba API: anyone who
// can reach the port can change the world, so the fake listens on localhost
// by default. They are not written to the request log.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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
	return mux
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

func (s *Server) ctlGetCalls(w http.ResponseWriter, r *http.Request) {
	calls := s.Calls()
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
