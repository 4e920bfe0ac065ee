package fakecloud

// ALB backend servers of a server group: add, remove, update, replace and list.

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// albServerSpec is one entry of Servers.N / AddedServers.N / RemovedServers.N.
type albServerSpec struct {
	ServerType, ServerID, ServerIP string
	Port, Weight                   int
	HasWeight                      bool
	Description                    string
	HasDescription                 bool
	RemoteIPEnabled                bool
}

func (s albServerSpec) key() string { return s.ServerID + "/" + strconv.Itoa(s.Port) }

// albMapInt reads an integer field of a struct-list entry.
func albMapInt(m map[string]string, field, full string, lo, hi int) (int, bool, error) {
	v, ok := m[field]
	if !ok || v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, true, InvalidParameter(full, v, "an integer")
	}
	if n < lo || n > hi {
		return 0, true, InvalidParameter(full, v, fmt.Sprintf("an integer from %d to %d", lo, hi))
	}
	return n, true, nil
}

func albCheckDescription(field, d string) error {
	n := utf8.RuneCountInString(d)
	l := strings.ToLower(d)
	if n < 2 || n > 256 || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
		return InvalidParameter(field, d, "2 to 256 characters, not starting with http:// or https://")
	}
	return nil
}

// albParseServers reads a list of servers. full: all attributes (add/update);
// otherwise only the identity (remove). It enforces the per-call maximum and
// rejects duplicates.
func albParseServers(r *Request, name string, max int, full bool) ([]albServerSpec, error) {
	entries := r.Structs(name)
	if len(entries) == 0 {
		return nil, MissingParameter(name)
	}
	if len(entries) > max {
		return nil, InvalidParameter(name, strconv.Itoa(len(entries))+" servers", fmt.Sprintf("at most %d servers per call", max))
	}
	seen := map[string]bool{}
	out := make([]albServerSpec, 0, len(entries))
	for i, m := range entries {
		p := fmt.Sprintf("%s.%d.", name, i+1)
		s := albServerSpec{ServerType: m["ServerType"], ServerID: m["ServerId"], ServerIP: m["ServerIp"]}
		if s.ServerType == "" {
			return nil, MissingParameter(p + "ServerType")
		}
		switch s.ServerType {
		case "Ecs", "Eni", "Eci", "Ip", "Fc":
		default:
			return nil, InvalidParameter(p+"ServerType", s.ServerType, "one of Ecs, Eni, Eci, Ip, Fc")
		}
		if s.ServerID == "" {
			return nil, MissingParameter(p + "ServerId")
		}
		port, ok, err := albMapInt(m, "Port", p+"Port", 1, 65535)
		if err != nil {
			return nil, err
		}
		if !ok && s.ServerType != "Fc" {
			return nil, MissingParameter(p + "Port")
		}
		s.Port = port
		if full {
			w, ok, err := albMapInt(m, "Weight", p+"Weight", 0, 100)
			if err != nil {
				return nil, err
			}
			s.Weight, s.HasWeight = w, ok
			if !ok {
				s.Weight = 100
			}
			if d, ok := m["Description"]; ok {
				if err := albCheckDescription(p+"Description", d); err != nil {
					return nil, err
				}
				s.Description, s.HasDescription = d, true
			}
			if v, ok := m["RemoteIpEnabled"]; ok {
				if v != "true" && v != "false" {
					return nil, InvalidParameter(p+"RemoteIpEnabled", v, "true or false")
				}
				s.RemoteIPEnabled = v == "true"
			}
		}
		if seen[s.key()] {
			return nil, Errorf(http.StatusBadRequest, "DuplicatedParam.Server",
				"The param of Server is duplicated: %s port %d.", s.ServerID, s.Port)
		}
		seen[s.key()] = true
		out = append(out, s)
	}
	return out, nil
}

// albCheckNewServer checks that a server may join the group, filling in ServerIp.
func albCheckNewServer(st *State, g *ALBServerGroup, s *albServerSpec) error {
	ok := false
	switch g.Type {
	case "Instance":
		ok = s.ServerType == "Ecs" || s.ServerType == "Eni" || s.ServerType == "Eci"
	case "Ip":
		ok = s.ServerType == "Ip"
	}
	if !ok {
		return Errorf(http.StatusBadRequest, "Mismatch.ServerType",
			"The ServerType is mismatched for %s and %s.", s.ServerType, g.Type)
	}
	switch s.ServerType {
	case "Ecs":
		inst, found := st.Instance(s.ServerID)
		if !found {
			return albNotFound("Ecs", s.ServerID)
		}
		if inst.VpcID != g.VpcID {
			return Errorf(http.StatusBadRequest, "Mismatch.VpcId",
				"The VpcId is mismatched for %s (%s) and %s (%s).", s.ServerID, inst.VpcID, g.ID, g.VpcID)
		}
		if s.ServerIP != "" && s.ServerIP != inst.PrivateIP {
			return InvalidParameter("ServerIp", s.ServerIP, "the private IP of "+s.ServerID)
		}
		s.ServerIP = inst.PrivateIP
	case "Eni":
		return albNotFound("Eni", s.ServerID)
	case "Eci":
		return albNotFound("Eci", s.ServerID)
	case "Ip":
		if net.ParseIP(s.ServerID) == nil {
			return InvalidParameter("ServerId", s.ServerID, "an IP address")
		}
		if s.ServerIP != "" && s.ServerIP != s.ServerID {
			return InvalidParameter("ServerIp", s.ServerIP, "the same address as ServerId")
		}
		s.ServerIP = s.ServerID
	}
	if g.server(s.ServerID, s.Port) != nil {
		return Errorf(http.StatusBadRequest, "ResourceAlreadyExist.BackendServer",
			"The backend server %s port %d already exists in %s.", s.ServerID, s.Port, g.ID)
	}
	return nil
}

// albExistingServers returns the group's servers matching specs, or 404 for
// the first that is not there.
func albExistingServers(g *ALBServerGroup, specs []albServerSpec) ([]*ALBServer, error) {
	var servers []*ALBServer
	for _, s := range specs {
		srv := g.server(s.ServerID, s.Port)
		if srv == nil || srv.ServerType != s.ServerType {
			return nil, Errorf(http.StatusNotFound, "ResourceNotFound.BackendServer",
				"The specified resource %s port %d of BackendServer is not found in %s.", s.ServerID, s.Port, g.ID)
		}
		servers = append(servers, srv)
	}
	return servers, nil
}

// albAddServers adds the servers of specs to g, each showing transit.
func albAddServers(g *ALBServerGroup, specs []albServerSpec, transit string, r *Request) {
	for _, s := range specs {
		srv := albNewServer(s)
		srv.start(transit, r.Now, r.AsyncDuration)
		g.Servers = append(g.Servers, srv)
	}
}

// albDropServers starts removing servers, each showing transit until gone.
func albDropServers(servers []*ALBServer, transit string, r *Request) {
	for _, srv := range servers {
		srv.start(transit, r.Now, r.AsyncDuration)
		srv.Deleted = true
	}
}

func albNewServer(s albServerSpec) *ALBServer {
	return &ALBServer{
		ServerID: s.ServerID, ServerIP: s.ServerIP, ServerType: s.ServerType, Port: s.Port,
		Weight: s.Weight, Description: s.Description, RemoteIPEnabled: s.RemoteIPEnabled,
	}
}

func albAddServersToServerGroup(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Configuring", "Update", func(g *ALBServerGroup) (func(), error) {
		specs, err := albParseServers(r, "Servers", 200, true)
		if err != nil {
			return nil, err
		}
		for i := range specs {
			if err := albCheckNewServer(st, g, &specs[i]); err != nil {
				return nil, err
			}
		}
		return func() { albAddServers(g, specs, "Adding", r) }, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.AddServersToServerGroupResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albRemoveServersFromServerGroup(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Configuring", "Update", func(g *ALBServerGroup) (func(), error) {
		specs, err := albParseServers(r, "Servers", 200, false)
		if err != nil {
			return nil, err
		}
		servers, err := albExistingServers(g, specs)
		if err != nil {
			return nil, err
		}
		return func() { albDropServers(servers, "Removing", r) }, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.RemoveServersFromServerGroupResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albUpdateServerGroupServersAttribute(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Configuring", "Update", func(g *ALBServerGroup) (func(), error) {
		specs, err := albParseServers(r, "Servers", 40, true)
		if err != nil {
			return nil, err
		}
		servers, err := albExistingServers(g, specs)
		if err != nil {
			return nil, err
		}
		return func() {
			for i, srv := range servers {
				if specs[i].HasWeight {
					srv.Weight = specs[i].Weight
				}
				if specs[i].HasDescription {
					srv.Description = specs[i].Description
				}
				srv.start("Configuring", r.Now, r.AsyncDuration)
			}
		}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.UpdateServerGroupServersAttributeResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albReplaceServersInServerGroup(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Configuring", "Update", func(g *ALBServerGroup) (func(), error) {
		added, err := albParseServers(r, "AddedServers", 200, true)
		if err != nil {
			return nil, err
		}
		removed, err := albParseServers(r, "RemovedServers", 200, false)
		if err != nil {
			return nil, err
		}
		old, err := albExistingServers(g, removed)
		if err != nil {
			return nil, err
		}
		for i := range added {
			for _, s := range removed {
				if s.key() == added[i].key() {
					return nil, Errorf(http.StatusBadRequest, "DuplicatedParam.Server",
						"The param of Server is duplicated: %s port %d is both added and removed.", s.ServerID, s.Port)
				}
			}
			if err := albCheckNewServer(st, g, &added[i]); err != nil {
				return nil, err
			}
		}
		return func() {
			albDropServers(old, "Replacing", r)
			albAddServers(g, added, "Replacing", r)
		}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.ReplaceServersInServerGroupResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albListServerGroupServers(st *State, r *Request) (any, error) {
	id, err := r.Required("ServerGroupId")
	if err != nil {
		return nil, err
	}
	if _, err := r.IntRange("MaxResults", 1, 100, 20); err != nil {
		return nil, err
	}
	ids := r.List("ServerIds")
	tags, err := tagParams(r, 10, 64)
	if err != nil {
		return nil, err
	}
	g := st.ALB.serverGroup(id)
	if g == nil {
		return nil, albNotFound("ServerGroup", id)
	}
	var match []*ALBServer
	if tagsMatch(g.Tags, tags) {
		for _, s := range g.Servers {
			if len(ids) > 0 && !contains(ids, s.ServerID) {
				continue
			}
			match = append(match, s)
		}
	}
	return albList(st, r, &alb.ListServerGroupServersResponseBody{}, "Servers", match, func(s *ALBServer) (*alb.ListServerGroupServersResponseBodyServers, error) {
		item := &alb.ListServerGroupServersResponseBodyServers{
			ServerGroupId:   tea.String(g.ID),
			ServerId:        tea.String(s.ServerID),
			ServerIp:        tea.String(s.ServerIP),
			ServerType:      tea.String(s.ServerType),
			Port:            tea.Int32(int32(s.Port)),
			Weight:          tea.Int32(int32(s.Weight)),
			Status:          tea.String(s.visible(r.Now, "Available")),
			RemoteIpEnabled: tea.Bool(s.RemoteIPEnabled),
		}
		if s.Description != "" {
			item.Description = tea.String(s.Description)
		}
		return item, nil
	})
}
