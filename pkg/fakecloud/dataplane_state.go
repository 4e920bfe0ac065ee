package fakecloud

// The data plane's part of the world, the control endpoints that read and
// change it (/_fake/dataplane, /_fake/ca.pem, /_fake/instances/{id}/ports),
// and probedHealth, the one function the health APIs ask about probed
// backends. The running part is dataplane.go.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// DataPlaneState is what the data plane publishes into the world, so that
// every process sharing a state file (and Snapshot) sees it: the per-world
// CA, the listeners being served and where, and the probes' verdicts.
type DataPlaneState struct {
	CA        *DataPlaneCA        `json:"ca,omitempty"`
	Listeners []DataPlaneListener `json:"listeners,omitempty"`
	Health    []ProbedHealth      `json:"health,omitempty"`
}

// DataPlaneCA is the world's certificate authority: HTTPS listeners present
// certificates it signs. The key never leaves the state file (GET
// /_fake/state redacts it).
type DataPlaneCA struct {
	CertPEM string `json:"certPem"`
	KeyPEM  string `json:"keyPem"`
}

// DataPlaneListener is one listener served on a local port, as GET
// /_fake/dataplane lists it. ListenerID is the ALB listener ID, or the CLB
// listener's tag resource ID (<LoadBalancerId>_<protocol>_<port>).
type DataPlaneListener struct {
	LBType     string `json:"lbType"` // alb | clb
	LBID       string `json:"lbId"`
	ListenerID string `json:"listenerId"`
	Protocol   string `json:"protocol"` // HTTP | HTTPS
	Port       int    `json:"port"`     // the listener's port in the cloud
	Address    string `json:"address"`  // where it listens here: 127.0.0.1:PORT
}

// ProbedHealth is the verdict of the data plane's health checks on one
// backend: initial (not decided yet), healthy or unhealthy with a reason
// (ALB reason codes: CONNECT_FAILED, CONNECT_TIMEOUT, RESPONSE_TIMEOUT,
// RESPONSE_MISMATCH). Key is albProbeKey or clbProbeKey.
type ProbedHealth struct {
	Key    string `json:"key"`
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
}

// Probe states.
const (
	probeInitial   = "initial"
	probeHealthy   = "healthy"
	probeUnhealthy = "unhealthy"
)

// albProbeKey names the health of an ALB backend: ALB checks per server group.
func albProbeKey(groupID, serverID string, port int) string {
	return fmt.Sprintf("alb/%s/%s:%d", groupID, serverID, port)
}

// clbProbeKey names the health of a CLB backend: CLB checks per listener.
func clbProbeKey(lbID string, listenerPort int, serverID string, port int) string {
	return fmt.Sprintf("clb/%s:%d/%s:%d", lbID, listenerPort, serverID, port)
}

// probedHealth is what the health APIs (GetListenerHealthStatus,
// DescribeHealthStatus) report for a backend whose instance maps port to a
// real address: the data plane's verdict under key, or initial while no
// probe has decided (also when no process serves the data plane: nothing
// checks it). ok is false for backends without a mapped port, which keep
// the simulated health.
func probedHealth(st *State, serverID string, port int, key string) (h ProbedHealth, ok bool) {
	in, found := st.Instance(serverID)
	if !found || in.Ports[port] == "" {
		return ProbedHealth{}, false
	}
	for _, p := range st.DataPlane.Health {
		if p.Key == key {
			return p, true
		}
	}
	return ProbedHealth{Key: key, State: probeInitial}, true
}

// checkPortMap validates an instance's port map (seed or control endpoint).
func checkPortMap(ports map[int]string) error {
	keys := make([]int, 0, len(ports))
	for p := range ports {
		keys = append(keys, p)
	}
	sort.Ints(keys)
	var errs []error
	for _, p := range keys {
		if p < 1 || p > 65535 {
			errs = append(errs, fmt.Errorf("port %d is not 1-65535", p))
			continue
		}
		if err := checkHostPort(ports[p]); err != nil {
			errs = append(errs, fmt.Errorf("port %d: %w", p, err))
		}
	}
	return errors.Join(errs...)
}

func checkHostPort(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return fmt.Errorf("%q is not host:port (like 127.0.0.1:5101)", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%q: port %q is not 1-65535", addr, port)
	}
	return nil
}

var errBadPorts = errors.New("bad port map")

// SetInstancePorts sets where an ECS instance's ports really listen (instance
// port -> host:port); an empty map unmaps them all. The data plane then
// probes and proxies to those addresses.
func (s *Server) SetInstancePorts(id string, ports map[int]string) error {
	if err := checkPortMap(ports); err != nil {
		return fmt.Errorf("fakecloud: %w: %w", errBadPorts, err)
	}
	return s.Update(func(st *State) error {
		in, ok := st.Instance(id)
		if !ok {
			return fmt.Errorf("fakecloud: %w %s", errNoInstance, id)
		}
		in.Ports = nil
		if len(ports) > 0 {
			in.Ports = make(map[int]string, len(ports))
			for k, v := range ports {
				in.Ports[k] = v
			}
		}
		return nil
	})
}

// ctlPutPorts sets an instance's port map from a JSON object {"5000": "127.0.0.1:5101"}.
func (s *Server) ctlPutPorts(w http.ResponseWriter, r *http.Request) {
	body, ok := ctlBody(w, r)
	if !ok {
		return
	}
	var raw map[string]string
	if err := json.Unmarshal(body, &raw); err != nil {
		ctlError(w, http.StatusBadRequest, `the body must be a JSON object of instance port to address, like {"5000": "127.0.0.1:5101"}: `+err.Error())
		return
	}
	ports := make(map[int]string, len(raw))
	for k, v := range raw {
		p, err := strconv.Atoi(k)
		if err != nil {
			ctlError(w, http.StatusBadRequest, fmt.Sprintf("key %q is not a port number", k))
			return
		}
		ports[p] = v
	}
	id := r.PathValue("id")
	err := s.SetInstancePorts(id, ports)
	switch {
	case errors.Is(err, errNoInstance):
		ctlError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, errBadPorts):
		ctlError(w, http.StatusBadRequest, err.Error())
	case err != nil:
		ctlError(w, http.StatusInternalServerError, err.Error())
	default:
		ctlJSON(w, http.StatusOK, map[string]any{"id": id, "ports": ports})
	}
}

// DataPlaneView is the answer of GET /_fake/dataplane.
type DataPlaneView struct {
	Listeners []DataPlaneListener `json:"listeners"`
	CAPath    string              `json:"caPath"`
}

// caPath is where the world's CA certificate is served.
const caPath = "/_fake/ca.pem"

// DataPlane returns the listeners being served on local ports (by whichever
// process serves the world's data plane) and where the CA is.
func (s *Server) DataPlane() DataPlaneView {
	st := s.Snapshot()
	ls := slices.Clone(st.DataPlane.Listeners)
	if ls == nil {
		ls = []DataPlaneListener{}
	}
	return DataPlaneView{Listeners: ls, CAPath: caPath}
}

func (s *Server) ctlGetDataPlane(w http.ResponseWriter, r *http.Request) {
	ctlJSON(w, http.StatusOK, s.DataPlane())
}

func (s *Server) ctlGetCA(w http.ResponseWriter, r *http.Request) {
	ca, err := s.worldCA()
	if err != nil {
		ctlError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/x-pem-file")
	w.Write([]byte(ca.certPEM))
}

// redactDataPlane hides the CA key of a world about to be shown.
func redactDataPlane(st *State) {
	if st.DataPlane.CA != nil {
		ca := *st.DataPlane.CA
		ca.KeyPEM = "<redacted>"
		st.DataPlane.CA = &ca
	}
}

// sortListeners orders published listeners (stable answers, cheap comparison).
func sortListeners(ls []DataPlaneListener) {
	sort.Slice(ls, func(i, j int) bool {
		a, b := ls[i], ls[j]
		if a.LBType != b.LBType {
			return a.LBType < b.LBType
		}
		return strings.Compare(a.ListenerID, b.ListenerID) < 0
	})
}
