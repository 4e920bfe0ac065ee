package fakecloud

// CLB vServer groups and their members: create, change, delete, describe.

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
)

var clbGroupNameRE = regexp.MustCompile(`^[A-Za-z0-9\-/._]{1,80}$`)

// clbWritableGroup returns the group a write targets and its CLB, or why it
// cannot be written now.
func clbWritableGroup(st *State, r *Request, id string) (*CLBVServerGroup, *CLBInstance, error) {
	g := st.CLB.vServerGroup(id)
	if g == nil {
		return nil, nil, clbGroupNotFound(http.StatusNotFound)
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

func (g *CLBVServerGroup) touch(r *Request) { g.BusyUntil = r.Now.Add(r.AsyncDuration) }

func slbCreateVServerGroup(st *State, r *Request) (any, error) {
	lbID, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, err
	}
	name, hasName := r.Str("VServerGroupName")
	if hasName && !clbGroupNameRE.MatchString(name) {
		return nil, InvalidParameter("VServerGroupName", name, "1-80 letters, digits, hyphens (-), forward slashes (/), periods (.) or underscores (_)")
	}
	servers, _, err := clbParseServers(r, "BackendServers", false)
	if err != nil {
		return nil, err
	}
	tags, err := clbNewTags(r)
	if err != nil {
		return nil, err
	}
	lb, err := clbLoadBalancer(st, lbID)
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
	for _, s := range servers {
		g.Servers = append(g.Servers, s.backend())
	}
	if len(g.Servers) > 0 {
		g.touch(r)
	}
	st.CLB.VServerGroups = append(st.CLB.VServerGroups, g)
	body := &slb.CreateVServerGroupResponseBody{}
	return body, sdkFill(body, map[string]any{
		"VServerGroupId": g.ID,
		"BackendServers": map[string]any{"BackendServer": clbBackendMaps(g.Servers, true, false)},
	})
}

func slbDeleteVServerGroup(st *State, r *Request) (any, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	g := st.CLB.vServerGroup(id)
	if g == nil {
		return nil, clbGroupNotFound(http.StatusNotFound)
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
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	servers, err := clbParseServerList(r, "BackendServers")
	if err != nil {
		return nil, err
	}
	g, lb, err := clbWritableGroup(st, r, id)
	if err != nil {
		return nil, err
	}
	for i := range servers {
		if err := clbCheckNewServer(st, lb, &servers[i]); err != nil {
			return nil, err
		}
		if g.server(servers[i].ServerID, servers[i].Port) >= 0 {
			return nil, clbAlreadyInGroup(servers[i], g)
		}
	}
	for _, s := range servers {
		g.Servers = append(g.Servers, s.backend())
	}
	g.touch(r)
	body := &slb.AddVServerGroupBackendServersResponseBody{}
	return body, sdkFill(body, map[string]any{
		"VServerGroupId": g.ID,
		"BackendServers": map[string]any{"BackendServer": clbBackendMaps(g.Servers, true, false)},
	})
}

func slbRemoveVServerGroupBackendServers(st *State, r *Request) (any, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	servers, err := clbParseServerList(r, "BackendServers")
	if err != nil {
		return nil, err
	}
	g, _, err := clbWritableGroup(st, r, id)
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, s := range servers {
		drop[s.key()] = true
	}
	kept := make([]CLBBackend, 0, len(g.Servers))
	for _, s := range g.Servers {
		if !drop[s.ServerID+":"+strconv.Itoa(s.Port)] {
			kept = append(kept, s)
		}
	}
	if len(kept) != len(g.Servers) {
		g.Servers = kept
		g.touch(r)
	}
	body := &slb.RemoveVServerGroupBackendServersResponseBody{}
	return body, sdkFill(body, map[string]any{
		"VServerGroupId": g.ID,
		"BackendServers": map[string]any{"BackendServer": clbBackendMaps(g.Servers, false, false)},
	})
}

func slbSetVServerGroupAttribute(st *State, r *Request) (any, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	name, hasName := r.Str("VServerGroupName")
	if hasName && !clbGroupNameRE.MatchString(name) {
		return nil, InvalidParameter("VServerGroupName", name, "1-80 letters, digits, hyphens (-), forward slashes (/), periods (.) or underscores (_)")
	}
	servers, _, err := clbParseServers(r, "BackendServers", false)
	if err != nil {
		return nil, err
	}
	g, _, err := clbWritableGroup(st, r, id)
	if err != nil {
		return nil, err
	}
	for _, s := range servers {
		if g.server(s.ServerID, s.Port) < 0 {
			return nil, clbNotInGroup(s, g)
		}
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
	body := &slb.SetVServerGroupAttributeResponseBody{}
	return body, sdkFill(body, map[string]any{
		"VServerGroupId":   g.ID,
		"VServerGroupName": g.Name,
		"BackendServers":   map[string]any{"BackendServer": clbBackendMaps(g.Servers, true, false)},
	})
}

func slbModifyVServerGroupBackendServers(st *State, r *Request) (any, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	olds, err := clbParseServerList(r, "OldBackendServers")
	if err != nil {
		return nil, err
	}
	news, err := clbParseServerList(r, "NewBackendServers")
	if err != nil {
		return nil, err
	}
	g, lb, err := clbWritableGroup(st, r, id)
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, s := range olds {
		if g.server(s.ServerID, s.Port) < 0 {
			return nil, clbNotInGroup(s, g)
		}
		drop[s.key()] = true
	}
	for i := range news {
		if err := clbCheckNewServer(st, lb, &news[i]); err != nil {
			return nil, err
		}
		if g.server(news[i].ServerID, news[i].Port) >= 0 && !drop[news[i].key()] {
			return nil, clbAlreadyInGroup(news[i], g)
		}
	}
	kept := make([]CLBBackend, 0, len(g.Servers)+len(news))
	for _, s := range g.Servers {
		if !drop[s.ServerID+":"+strconv.Itoa(s.Port)] {
			kept = append(kept, s)
		}
	}
	for _, s := range news {
		kept = append(kept, s.backend())
	}
	g.Servers = kept
	g.touch(r)
	body := &slb.ModifyVServerGroupBackendServersResponseBody{}
	return body, sdkFill(body, map[string]any{
		"VServerGroupId": g.ID,
		"BackendServers": map[string]any{"BackendServer": clbBackendMaps(g.Servers, true, false)},
	})
}

func slbDescribeVServerGroups(st *State, r *Request) (any, error) {
	lbID, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, err
	}
	incListener, _, err := r.Bool("IncludeListener")
	if err != nil {
		return nil, err
	}
	incRule, _, err := r.Bool("IncludeRule")
	if err != nil {
		return nil, err
	}
	filters, err := clbTagParams(r)
	if err != nil {
		return nil, err
	}
	lb, err := clbLoadBalancer(st, lbID)
	if err != nil {
		return nil, err
	}
	desc, hasDesc := r.Str("Description")
	var items []any
	for _, g := range st.CLB.VServerGroups {
		if g.LoadBalancerID != lb.ID || (hasDesc && g.Name != desc) || !tagsMatch(g.Tags, filters) {
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
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	g := st.CLB.vServerGroup(id)
	if g == nil {
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
