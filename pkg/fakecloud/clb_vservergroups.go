package fakecloud

// CLB vServer groups and their members: create, change, delete, describe.

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
)

var clbGroupNameRE = regexp.MustCompile(`^[A-Za-z0-9\-/._]{1,80}$`)

// clbGroup returns the vServer group with that ID, or 404.
func clbGroup(st *State, id string) (*CLBVServerGroup, error) {
	if g := st.CLB.vServerGroup(id); g != nil {
		return g, nil
	}
	return nil, clbGroupNotFound(http.StatusNotFound)
}

// clbGroupParam reads VServerGroupId and returns that group.
func clbGroupParam(st *State, r *Request) (*CLBVServerGroup, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	return clbGroup(st, id)
}

// clbWritableGroup reads VServerGroupId and returns the group a write
// targets and its CLB, or why it cannot be written now. parse reads the
// call's other parameters first (syntax errors come before state errors).
func clbWritableGroup(st *State, r *Request, parse func() error) (*CLBVServerGroup, *CLBInstance, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, nil, err
	}
	if err := parse(); err != nil {
		return nil, nil, err
	}
	g, err := clbGroup(st, id)
	if err != nil {
		return nil, nil, err
	}
	lb := st.CLB.loadBalancer(g.LoadBalancerID)
	if lb == nil {
		return nil, nil, clbGroupNotFound(http.StatusNotFound)
	}
	if lb.Status == "locked" {
		return nil, nil, clbLocked()
	}
	if g.busy(r.Now) {
		return nil, nil, clbGroupProcessing()
	}
	return g, lb, nil
}

// clbGroupName reads VServerGroupName: (name, present, error).
func clbGroupName(r *Request) (string, bool, error) {
	name, ok := r.Str("VServerGroupName")
	if ok && !clbGroupNameRE.MatchString(name) {
		return "", true, InvalidParameter("VServerGroupName", name, "1-80 letters, digits, hyphens (-), forward slashes (/), periods (.) or underscores (_)")
	}
	return name, ok, nil
}

// clbMembersAnswer fills the answer of a membership call: the group and all
// its servers after the change (with descriptions when desc).
func clbMembersAnswer[T any](g *CLBVServerGroup, desc bool, extra map[string]any) (*T, error) {
	m := map[string]any{
		"VServerGroupId": g.ID,
		"BackendServers": map[string]any{"BackendServer": clbBackendMaps(g.Servers, desc, false)},
	}
	for k, v := range extra {
		m[k] = v
	}
	body := new(T)
	return body, sdkFill(body, m)
}

func (g *CLBVServerGroup) touch(r *Request) { g.BusyUntil = r.Now.Add(r.AsyncDuration) }

// add makes the servers members of g.
func (g *CLBVServerGroup) add(servers []clbServerSpec) {
	for _, s := range servers {
		g.Servers = append(g.Servers, s.backend())
	}
}

// remove drops the members named in servers and reports whether any was there.
func (g *CLBVServerGroup) remove(servers []clbServerSpec) bool {
	drop := map[string]bool{}
	for _, s := range servers {
		drop[s.key()] = true
	}
	kept := make([]CLBBackend, 0, len(g.Servers))
	for _, b := range g.Servers {
		if !drop[b.key()] {
			kept = append(kept, b)
		}
	}
	if len(kept) == len(g.Servers) {
		return false
	}
	g.Servers = kept
	return true
}

// checkNew checks servers that would join g: running ECS instances of the
// CLB's VPC that are not members yet (or are leaving in the same call).
func (g *CLBVServerGroup) checkNew(st *State, lb *CLBInstance, servers []clbServerSpec, leaving func(clbServerSpec) bool) error {
	for i := range servers {
		if err := clbCheckNewServer(st, lb, &servers[i]); err != nil {
			return err
		}
		if g.server(servers[i].ServerID, servers[i].Port) >= 0 && !leaving(servers[i]) {
			return clbAlreadyInGroup(servers[i], g)
		}
	}
	return nil
}

// checkMembers checks that every server is a member of g.
func (g *CLBVServerGroup) checkMembers(servers []clbServerSpec) error {
	for _, s := range servers {
		if g.server(s.ServerID, s.Port) < 0 {
			return clbNotInGroup(s, g)
		}
	}
	return nil
}

func slbCreateVServerGroup(st *State, r *Request) (any, error) {
	var (
		name    string
		servers []clbServerSpec
		tags    []Tag
	)
	lb, err := clbInstanceParam(st, r, func() (err error) {
		if name, _, err = clbGroupName(r); err != nil {
			return err
		}
		if servers, _, err = clbParseServers(r, "BackendServers", false); err != nil {
			return err
		}
		tags, err = clbNewTags(r)
		return err
	})
	if err != nil {
		return nil, err
	}
	if lb.Status == "locked" {
		return nil, clbLocked()
	}
	for i := range servers {
		if err := clbCheckNewServer(st, lb, &servers[i]); err != nil {
			return nil, err
		}
	}
	g := &CLBVServerGroup{
		ID: fmt.Sprintf("rsp-fake%04d", st.NextSeq()), Name: name, LoadBalancerID: lb.ID,
		CreateTime: r.Now, Tags: tags,
	}
	r.created(g.ID)
	g.add(servers)
	if len(g.Servers) > 0 {
		g.touch(r)
	}
	st.CLB.VServerGroups = append(st.CLB.VServerGroups, g)
	return clbMembersAnswer[slb.CreateVServerGroupResponseBody](g, true, nil)
}

func slbDeleteVServerGroup(st *State, r *Request) (any, error) {
	g, err := clbGroupParam(st, r)
	if err != nil {
		return nil, err
	}
	if lb := st.CLB.loadBalancer(g.LoadBalancerID); lb != nil && lb.Status == "locked" {
		return nil, clbLocked()
	}
	if len(st.CLB.listenersUsing(g.ID)) > 0 {
		return nil, Errorf(http.StatusBadRequest, "RspoolVipExist", "there are vips associating with this vServer group.")
	}
	if g.busy(r.Now) {
		return nil, clbGroupProcessing()
	}
	st.CLB.removeVServerGroup(g)
	return &slb.DeleteVServerGroupResponseBody{}, nil
}

func slbAddVServerGroupBackendServers(st *State, r *Request) (any, error) {
	var servers []clbServerSpec
	g, lb, err := clbWritableGroup(st, r, func() (err error) {
		servers, err = clbParseServerList(r, "BackendServers")
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := g.checkNew(st, lb, servers, func(clbServerSpec) bool { return false }); err != nil {
		return nil, err
	}
	g.add(servers)
	g.touch(r)
	return clbMembersAnswer[slb.AddVServerGroupBackendServersResponseBody](g, true, nil)
}

func slbRemoveVServerGroupBackendServers(st *State, r *Request) (any, error) {
	var servers []clbServerSpec
	g, _, err := clbWritableGroup(st, r, func() (err error) {
		servers, err = clbParseServerList(r, "BackendServers")
		return err
	})
	if err != nil {
		return nil, err
	}
	if g.remove(servers) {
		g.touch(r)
	}
	return clbMembersAnswer[slb.RemoveVServerGroupBackendServersResponseBody](g, false, nil)
}

func slbSetVServerGroupAttribute(st *State, r *Request) (any, error) {
	var (
		name    string
		hasName bool
		servers []clbServerSpec
	)
	g, _, err := clbWritableGroup(st, r, func() (err error) {
		if name, hasName, err = clbGroupName(r); err != nil {
			return err
		}
		servers, _, err = clbParseServers(r, "BackendServers", false)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := g.checkMembers(servers); err != nil {
		return nil, err
	}
	if hasName {
		g.Name = name
	}
	for _, s := range servers {
		b := &g.Servers[g.server(s.ServerID, s.Port)]
		if s.HasWeight {
			b.Weight = s.Weight
		}
		if s.HasDescription {
			b.Description = s.Description
		}
	}
	if len(servers) > 0 {
		g.touch(r)
	}
	return clbMembersAnswer[slb.SetVServerGroupAttributeResponseBody](g, true, map[string]any{"VServerGroupName": g.Name})
}

func slbModifyVServerGroupBackendServers(st *State, r *Request) (any, error) {
	var olds, news []clbServerSpec
	g, lb, err := clbWritableGroup(st, r, func() (err error) {
		if olds, err = clbParseServerList(r, "OldBackendServers"); err != nil {
			return err
		}
		news, err = clbParseServerList(r, "NewBackendServers")
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := g.checkMembers(olds); err != nil {
		return nil, err
	}
	leaving := func(s clbServerSpec) bool {
		return slices.ContainsFunc(olds, func(o clbServerSpec) bool { return o.key() == s.key() })
	}
	if err := g.checkNew(st, lb, news, leaving); err != nil {
		return nil, err
	}
	g.remove(olds)
	g.add(news)
	g.touch(r)
	return clbMembersAnswer[slb.ModifyVServerGroupBackendServersResponseBody](g, true, nil)
}

func slbDescribeVServerGroups(st *State, r *Request) (any, error) {
	var (
		incListener, incRule bool
		filters              []tagFilter
	)
	lb, err := clbInstanceParam(st, r, func() (err error) {
		if err = r.OptBool("IncludeListener", &incListener); err == nil {
			err = r.OptBool("IncludeRule", &incRule)
		}
		if err == nil {
			filters, err = clbTagParams(r)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	desc, hasDesc := r.Str("Description")
	var items []any
	for _, g := range st.CLB.VServerGroups {
		if g.LoadBalancerID != lb.ID || (hasDesc && g.Name != desc) || !tagsMatch(g.Tags, filters) || r.hidden(g.ID, g.CreateTime) {
			continue
		}
		item := map[string]any{
			"VServerGroupId":   g.ID,
			"VServerGroupName": g.Name,
			"ServerCount":      len(g.Servers),
			"CreateTime":       fmtTime(g.CreateTime),
		}
		if t := clbWrappedTags(g.Tags); t != nil {
			item["Tags"] = t
		}
		if incListener || incRule {
			assoc := map[string]any{}
			if incListener {
				var ls []any
				for _, l := range st.CLB.listenersUsing(g.ID) {
					ls = append(ls, map[string]any{"Port": l.Port, "Protocol": l.Protocol})
				}
				assoc["Listeners"] = map[string]any{"Listener": ls}
			}
			if incRule {
				assoc["Rules"] = map[string]any{"Rule": []any{}}
			}
			item["AssociatedObjects"] = assoc
		}
		items = append(items, item)
	}
	body := &slb.DescribeVServerGroupsResponseBody{}
	return body, sdkFill(body, map[string]any{"VServerGroups": map[string]any{"VServerGroup": items}})
}

func slbDescribeVServerGroupAttribute(st *State, r *Request) (any, error) {
	g, err := clbGroupParam(st, r)
	if err != nil {
		return nil, err
	}
	if r.hidden(g.ID, g.CreateTime) {
		return nil, clbGroupNotFound(http.StatusNotFound)
	}
	m := map[string]any{
		"VServerGroupId":   g.ID,
		"VServerGroupName": g.Name,
		"LoadBalancerId":   g.LoadBalancerID,
		"CreateTime":       fmtTime(g.CreateTime),
		"BackendServers":   map[string]any{"BackendServer": clbBackendMaps(g.Servers, true, true)},
	}
	if t := clbWrappedTags(g.Tags); t != nil {
		m["Tags"] = t
	}
	body := &slb.DescribeVServerGroupAttributeResponseBody{}
	return body, sdkFill(body, m)
}
