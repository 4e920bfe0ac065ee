package fakecloud

// CLB backend servers as the vServer-group actions take them: a JSON array in
// one parameter (BackendServers, OldBackendServers, NewBackendServers).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// BackendServers fields.
var (
	clbServerDescRE = regexp.MustCompile(`^[A-Za-z0-9\-/._]{1,80}$`)
	clbIntRE        = regexp.MustCompile(`^-?[0-9]+$`)
)

type clbServerSpec struct {
	ServerID       string
	Port           int
	Weight         int
	HasWeight      bool
	Type           string
	ServerIP       string
	Description    string
	HasDescription bool
}

func (s clbServerSpec) key() string { return s.ServerID + ":" + strconv.Itoa(s.Port) }

// key is a member's identity, as clbServerSpec.key.
func (b CLBBackend) key() string { return b.ServerID + ":" + strconv.Itoa(b.Port) }

func (s clbServerSpec) backend() CLBBackend {
	w := 100
	if s.HasWeight {
		w = s.Weight
	}
	return CLBBackend{ServerID: s.ServerID, Port: s.Port, Weight: w, Type: s.Type, ServerIP: s.ServerIP, Description: s.Description}
}

var clbServerFields = map[string]bool{"ServerId": true, "Port": true, "Weight": true, "Type": true, "ServerIp": true, "Description": true}

// clbJSONString decodes a JSON string.
func clbJSONString(raw json.RawMessage) (string, bool) {
	var s string
	if raw == nil || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// clbJSONInt decodes an integer sent as a JSON number or a numeric string:
// (value, present, valid).
func clbJSONInt(raw json.RawMessage) (int, bool, bool) {
	if raw == nil {
		return 0, false, false
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return 0, true, false
	}
	var text string
	switch x := v.(type) {
	case json.Number:
		text = x.String()
	case string:
		text = x
	default:
		return 0, true, false
	}
	if !clbIntRE.MatchString(text) {
		return 0, true, false
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, true, false
	}
	return n, true, true
}

// clbParseServers reads a BackendServers-style parameter: a JSON array of at
// most 20 servers. It checks syntax and ranges only (not the world).
func clbParseServers(r *Request, name string, required bool) ([]clbServerSpec, bool, error) {
	raw, ok := r.Str(name)
	if !ok || raw == "" {
		if required {
			return nil, false, MissingParameter(name)
		}
		return nil, false, nil
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &items); err != nil {
		// Terraform sends single-quoted pseudo-JSON, which the real API takes.
		items = nil
		if !strings.Contains(raw, "'") || json.Unmarshal([]byte(strings.ReplaceAll(raw, "'", `"`)), &items) != nil {
			return nil, true, clbMalformed()
		}
	}
	if items == nil {
		return nil, true, clbMalformed()
	}
	if len(items) > 20 {
		return nil, true, Errorf(http.StatusBadRequest, "TooManyBackendServers", "The total number of input real servers exceeds max supported number: 20")
	}
	bad := func(i int, format string, args ...any) *APIError {
		return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified %s is invalid: server %d: %s", name, i+1, fmt.Sprintf(format, args...))
	}
	out := make([]clbServerSpec, 0, len(items))
	seen := map[string]bool{}
	for i, it := range items {
		if it == nil {
			return nil, true, clbMalformed()
		}
		for k := range it {
			if !clbServerFields[k] {
				return nil, true, clbMalformed()
			}
		}
		s := clbServerSpec{Type: "ecs"}
		id, ok := clbJSONString(it["ServerId"])
		if !ok || id == "" {
			return nil, true, bad(i, "ServerId must be a non-empty string")
		}
		s.ServerID = id
		port, _, ok := clbJSONInt(it["Port"])
		if !ok || port < 1 || port > 65535 {
			return nil, true, Errorf(http.StatusBadRequest, "InvalidParameter", "The specified BackendServers is invalid, as the Port value should be in [1, 65535].")
		}
		s.Port = port
		if w, present, ok := clbJSONInt(it["Weight"]); present {
			if !ok || w < 0 || w > 100 {
				return nil, true, Errorf(http.StatusBadRequest, "InvalidWeight.Malformed", "A specified weight is not valid.")
			}
			s.Weight, s.HasWeight = w, true
		}
		if raw, present := it["Type"]; present {
			t, ok := clbJSONString(raw)
			if !ok || (t != "ecs" && t != "eni" && t != "eci") {
				return nil, true, Errorf(http.StatusBadRequest, "InvalidParameter", "The type is invalid.")
			}
			s.Type = t
		}
		if raw, present := it["ServerIp"]; present {
			ip, ok := clbJSONString(raw)
			if !ok || !isIPv4(ip) {
				return nil, true, bad(i, "ServerIp must be an IPv4 address")
			}
			s.ServerIP = ip
		}
		if raw, present := it["Description"]; present {
			d, ok := clbJSONString(raw)
			if !ok || !clbServerDescRE.MatchString(d) {
				return nil, true, bad(i, "Description must be 1-80 letters, digits, hyphens (-), forward slashes (/), periods (.) or underscores (_)")
			}
			s.Description, s.HasDescription = d, true
		}
		if seen[s.key()] {
			return nil, true, bad(i, "server %s port %d is listed twice", s.ServerID, s.Port)
		}
		seen[s.key()] = true
		out = append(out, s)
	}
	return out, true, nil
}

// clbParseServerList is clbParseServers for calls that need at least one server.
func clbParseServerList(r *Request, name string) ([]clbServerSpec, error) {
	servers, _, err := clbParseServers(r, name, true)
	if err != nil {
		return nil, err
	}
	if len(servers) == 0 {
		return nil, InvalidParameter(name, r.Get(name), "a JSON array of 1 to 20 backend servers")
	}
	return servers, nil
}

// clbCheckNewServer checks that a server may join a group of lb, filling in ServerIp.
func clbCheckNewServer(st *State, lb *CLBInstance, s *clbServerSpec) error {
	if s.Type != "ecs" {
		return clbObtainIPFail()
	}
	inst, ok := st.Instance(s.ServerID)
	if !ok || inst.Status != "Running" {
		return clbObtainIPFail()
	}
	if inst.VpcID != lb.VpcID {
		return Errorf(http.StatusBadRequest, "InvalidBackendServers.Inconsistent", "All BackendServers on one Specified LoadBalancer have to be in the same vpc or all classic")
	}
	if s.ServerIP != "" && s.ServerIP != inst.PrivateIP {
		return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified BackendServers is invalid: ServerIp %s is not the private IP of %s.", s.ServerIP, s.ServerID)
	}
	s.ServerIP = inst.PrivateIP
	return nil
}

func clbAlreadyInGroup(s clbServerSpec, g *CLBVServerGroup) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", "The resource already exists: backend server %s port %d is already in vServer group %s.", s.ServerID, s.Port, g.ID)
}

func clbNotInGroup(s clbServerSpec, g *CLBVServerGroup) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified resource does not exist: backend server %s port %d is not in vServer group %s.", s.ServerID, s.Port, g.ID)
}

// clbBackendMaps renders backend servers for a response; desc/ip select the
// optional fields the target SDK type has.
func clbBackendMaps(servers []CLBBackend, desc, ip bool) []any {
	out := make([]any, 0, len(servers))
	for _, s := range servers {
		m := map[string]any{"ServerId": s.ServerID, "Port": s.Port, "Weight": s.Weight, "Type": s.Type}
		if desc && s.Description != "" {
			m["Description"] = s.Description
		}
		if ip && s.ServerIP != "" {
			m["ServerIp"] = s.ServerIP
		}
		out = append(out, m)
	}
	return out
}
