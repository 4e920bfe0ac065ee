package fakecloud

// ALB server groups: create, update, delete and list, with their health
// check, session persistence and connection options.

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

var albServerGroupNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{1,127}$`)

// Health check values.
var (
	albHealthPathRE = regexp.MustCompile(`^/[A-Za-z0-9\-/.%?#&=_;~!()*\[\]@$^:",+]{0,79}$`)
	albHealthHostRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-zA-Z]+$`)
	albGRPCCodeRE   = regexp.MustCompile(`^[0-9]{1,2}(-[0-9]{1,2})?$`)
)

func albCheckServerGroupName(name string) error {
	if !albServerGroupNameRE.MatchString(name) {
		return InvalidParameter("ServerGroupName", name, "2 to 128 letters, digits, '.', '_' or '-', starting with a letter")
	}
	return nil
}

// albDefaultHealthCheck is a new group's health check before the request's fields apply.
func albDefaultHealthCheck() ALBHealthCheck {
	return ALBHealthCheck{
		Protocol: "HTTP", Path: "/", Method: "HEAD", HTTPVersion: "HTTP1.1",
		Codes: []string{"http_2xx"}, Interval: 2, Timeout: 5, Healthy: 3, Unhealthy: 3,
	}
}

// albParseHealthCheck overlays HealthCheckConfig.* onto hc. On create the
// struct and HealthCheckEnabled are required.
func albParseHealthCheck(r *Request, hc ALBHealthCheck, create bool) (ALBHealthCheck, error) {
	const p = "HealthCheckConfig."
	sub := r.Sub("HealthCheckConfig")
	if len(sub) == 0 {
		if create {
			return hc, MissingParameter("HealthCheckConfig")
		}
		return hc, nil
	}
	enabled, ok, err := r.Bool(p + "HealthCheckEnabled")
	if err != nil {
		return hc, err
	}
	if !ok {
		if create {
			return hc, MissingParameter(p + "HealthCheckEnabled")
		}
	} else {
		hc.Enabled = enabled
	}
	protoChanged := false
	if v, ok := r.Str(p + "HealthCheckProtocol"); ok {
		if v, err = r.Enum(p+"HealthCheckProtocol", "", "HTTP", "HTTPS", "TCP", "gRPC"); err != nil {
			return hc, err
		}
		protoChanged = v != hc.Protocol
		hc.Protocol = v
	}
	if hc.ConnectPort, err = r.IntRange(p+"HealthCheckConnectPort", 0, 65535, hc.ConnectPort); err != nil {
		return hc, err
	}
	if v, ok := r.Str(p + "HealthCheckPath"); ok {
		if !albHealthPathRE.MatchString(v) {
			return hc, InvalidParameter(p+"HealthCheckPath", v, "1 to 80 characters starting with /")
		}
		hc.Path = v
	}
	defMethod := hc.Method
	if protoChanged && hc.Protocol == "gRPC" {
		defMethod = "POST"
	}
	if hc.Method, err = r.Enum(p+"HealthCheckMethod", defMethod, "GET", "POST", "HEAD"); err != nil {
		return hc, err
	}
	if hc.Protocol == "gRPC" && hc.Method == "HEAD" {
		return hc, InvalidParameter(p+"HealthCheckMethod", hc.Method, "GET or POST for gRPC health checks")
	}
	if hc.HTTPVersion, err = r.Enum(p+"HealthCheckHttpVersion", hc.HTTPVersion, "HTTP1.0", "HTTP1.1"); err != nil {
		return hc, err
	}
	if v, ok := r.Str(p + "HealthCheckHost"); ok {
		if len(v) > 80 || !albHealthHostRE.MatchString(v) {
			return hc, InvalidParameter(p+"HealthCheckHost", v, "a domain name of 1 to 80 characters")
		}
		hc.Host = v
	}
	codes := r.List(p + "HealthCheckCodes")
	if len(codes) > 0 {
		hc.Codes = codes
	} else if protoChanged {
		if hc.Protocol == "gRPC" {
			hc.Codes = []string{"0"}
		} else {
			hc.Codes = []string{"http_2xx"}
		}
	}
	for _, c := range hc.Codes {
		switch hc.Protocol {
		case "HTTP", "HTTPS":
			if c != "http_2xx" && c != "http_3xx" && c != "http_4xx" && c != "http_5xx" {
				return hc, InvalidParameter(p+"HealthCheckCodes", c, "http_2xx, http_3xx, http_4xx or http_5xx")
			}
		case "gRPC":
			if !albGRPCCodeRE.MatchString(c) {
				return hc, InvalidParameter(p+"HealthCheckCodes", c, "a gRPC status code or range from 0 to 99")
			}
		}
	}
	if hc.Interval, err = r.IntRange(p+"HealthCheckInterval", 1, 50, hc.Interval); err != nil {
		return hc, err
	}
	if hc.Timeout, err = r.IntRange(p+"HealthCheckTimeout", 1, 300, hc.Timeout); err != nil {
		return hc, err
	}
	if hc.Healthy, err = r.IntRange(p+"HealthyThreshold", 2, 10, hc.Healthy); err != nil {
		return hc, err
	}
	if hc.Unhealthy, err = r.IntRange(p+"UnhealthyThreshold", 2, 10, hc.Unhealthy); err != nil {
		return hc, err
	}
	return hc, nil
}

// albParseStickySession overlays StickySessionConfig.* onto ss.
func albParseStickySession(r *Request, ss ALBStickySession) (ALBStickySession, error) {
	const p = "StickySessionConfig."
	if len(r.Sub("StickySessionConfig")) == 0 {
		return ss, nil
	}
	enabled, ok, err := r.Bool(p + "StickySessionEnabled")
	if err != nil {
		return ss, err
	}
	if ok {
		ss.Enabled = enabled
	}
	if ss.Type == "" {
		ss.Type = "Insert"
	}
	if ss.Type, err = r.Enum(p+"StickySessionType", ss.Type, "Insert", "Server"); err != nil {
		return ss, err
	}
	if ss.CookieTimeout == 0 {
		ss.CookieTimeout = 1000
	}
	if ss.CookieTimeout, err = r.IntRange(p+"CookieTimeout", 1, 86400, ss.CookieTimeout); err != nil {
		return ss, err
	}
	if v, ok := r.Str(p + "Cookie"); ok {
		if len(v) < 1 || len(v) > 200 || !albASCII(v) || strings.ContainsAny(v, " ,;") || strings.HasPrefix(v, "$") {
			return ss, InvalidParameter(p+"Cookie", v, "1 to 200 ASCII characters without space, ',' or ';', not starting with $")
		}
		ss.Cookie = v
	}
	if ss.Enabled && ss.Type == "Server" && ss.Cookie == "" {
		return ss, MissingParameter(p + "Cookie")
	}
	return ss, nil
}

// albParseGroupOptions reads the options CreateServerGroup and
// UpdateServerGroupAttribute share, overlaying them onto g.
func albParseGroupOptions(r *Request, g *ALBServerGroup, create bool) error {
	var err error
	if g.Scheduler, err = r.Enum("Scheduler", g.Scheduler, "Wrr", "Wlc", "Sch"); err != nil {
		return err
	}
	if g.HealthCheck, err = albParseHealthCheck(r, g.HealthCheck, create); err != nil {
		return err
	}
	if g.StickySession, err = albParseStickySession(r, g.StickySession); err != nil {
		return err
	}
	if err := r.OptBool("ConnectionDrainConfig.ConnectionDrainEnabled", &g.ConnectionDrainEnabled); err != nil {
		return err
	}
	if g.ConnectionDrainTimeout, err = r.IntRange("ConnectionDrainConfig.ConnectionDrainTimeout", 0, 900, g.ConnectionDrainTimeout); err != nil {
		return err
	}
	if err := r.OptBool("SlowStartConfig.SlowStartEnabled", &g.SlowStartEnabled); err != nil {
		return err
	}
	if g.SlowStartDuration, err = r.IntRange("SlowStartConfig.SlowStartDuration", 30, 900, g.SlowStartDuration); err != nil {
		return err
	}
	if g.SlowStartEnabled && g.Scheduler != "Wrr" {
		return InvalidParameter("SlowStartConfig.SlowStartEnabled", "true", "slow start only with the Wrr scheduler")
	}
	if err := r.OptBool("CrossZoneEnabled", &g.CrossZoneEnabled); err != nil {
		return err
	}
	if !g.CrossZoneEnabled && g.StickySession.Enabled {
		return InvalidParameter("StickySessionConfig.StickySessionEnabled", "true", "session persistence only with cross-zone load balancing enabled")
	}
	if err := r.OptBool("UpstreamKeepaliveEnabled", &g.UpstreamKeepaliveEnabled); err != nil {
		return err
	}
	return nil
}

func albCreateServerGroup(st *State, r *Request) (any, error) {
	res, err := albAsync(st, r, func() (albWrite, error) {
		g, err := albNewServerGroup(st, r)
		if err != nil {
			return albWrite{}, err
		}
		return albWrite{resourceType: "servergroup", operate: "Create", apply: func() string {
			g.ID = fmt.Sprintf("sgp-fake%04d", st.NextSeq())
			g.CreateTime = r.Now
			g.start("Creating", r.Now, r.AsyncDuration)
			st.ALB.ServerGroups = append(st.ALB.ServerGroups, g)
			return g.ID
		}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.CreateServerGroupResponseBody{JobId: tea.String(res.JobID), ServerGroupId: tea.String(res.ResourceID)}, nil
}

// albNewServerGroup reads a CreateServerGroup request.
func albNewServerGroup(st *State, r *Request) (*ALBServerGroup, error) {
	name, err := r.Required("ServerGroupName")
	if err != nil {
		return nil, err
	}
	if err := albCheckServerGroupName(name); err != nil {
		return nil, err
	}
	g := &ALBServerGroup{
		Name:                   name,
		HealthCheck:            albDefaultHealthCheck(),
		Scheduler:              "Wrr",
		ConnectionDrainTimeout: 300,
		SlowStartDuration:      30,
		CrossZoneEnabled:       true,
		ResourceGroupID:        "rg-fake",
	}
	if v, ok := r.Str("ServerGroupType"); ok && v == "Fc" {
		return nil, InvalidParameter("ServerGroupType", v, "Instance or Ip (Fc is not modelled by the fake cloud)")
	}
	if g.Type, err = r.Enum("ServerGroupType", "Instance", "Instance", "Ip"); err != nil {
		return nil, err
	}
	if g.Protocol, err = r.Enum("Protocol", "HTTP", "HTTP", "HTTPS", "gRPC"); err != nil {
		return nil, err
	}
	if err := albParseGroupOptions(r, g, true); err != nil {
		return nil, err
	}
	if err := r.OptBool("Ipv6Enabled", &g.Ipv6Enabled); err != nil {
		return nil, err
	}
	if v := r.Get("ResourceGroupId"); v != "" {
		g.ResourceGroupID = v
	}
	if g.Tags, err = albNewTags(r); err != nil {
		return nil, err
	}
	if g.VpcID, err = r.Required("VpcId"); err != nil {
		return nil, err
	}
	if !contains(st.ECS.VPCs, g.VpcID) {
		return nil, albNotFound("Vpc", g.VpcID)
	}
	return g, nil
}

// albWritableGroup returns the group a write targets, or why it cannot be written now.
func albWritableGroup(st *State, r *Request) (*ALBServerGroup, error) {
	id, err := r.Required("ServerGroupId")
	if err != nil {
		return nil, err
	}
	g := st.ALB.serverGroup(id)
	if g == nil {
		return nil, albNotFound("ServerGroup", id)
	}
	if g.busy(r.Now) {
		return nil, albIncorrectStatus("ServerGroup", id, g.Transit)
	}
	return g, nil
}

// albGroupWrite is the shape of every write on an existing server group: the
// group must be idle; check validates the request against it and returns the
// change, after which the group shows transit until its job ends.
func albGroupWrite(st *State, r *Request, transit, operate string, check func(g *ALBServerGroup) (func(), error)) (albResult, error) {
	return albAsync(st, r, func() (albWrite, error) {
		g, err := albWritableGroup(st, r)
		if err != nil {
			return albWrite{}, err
		}
		change, err := check(g)
		if err != nil {
			return albWrite{}, err
		}
		return albWrite{resourceType: "servergroup", resourceID: g.ID, operate: operate, apply: func() string {
			change()
			g.start(transit, r.Now, r.AsyncDuration)
			return g.ID
		}}, nil
	})
}

func albUpdateServerGroupAttribute(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Configuring", "Update", func(g *ALBServerGroup) (func(), error) {
		upd := *g
		if v, ok := r.Str("ServerGroupName"); ok {
			if err := albCheckServerGroupName(v); err != nil {
				return nil, err
			}
			upd.Name = v
		}
		if err := albParseGroupOptions(r, &upd, false); err != nil {
			return nil, err
		}
		return func() { *g = upd }, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.UpdateServerGroupAttributeResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albDeleteServerGroup(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Deleting", "Delete", func(g *ALBServerGroup) (func(), error) {
		if users := st.ALB.listenersUsing(g.ID); len(users) > 0 {
			return nil, Errorf(http.StatusBadRequest, "ResourceInUse.ServerGroup",
				"The specified resource %s of ServerGroup is in use by listener %s.", g.ID, users[0].ID)
		}
		return func() { g.Deleted = true }, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.DeleteServerGroupResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albListServerGroups(st *State, r *Request) (any, error) {
	ids, err := r.ListMax("ServerGroupIds", 10, "values")
	if err != nil {
		return nil, err
	}
	names, err := r.ListMax("ServerGroupNames", 10, "values")
	if err != nil {
		return nil, err
	}
	tags, err := tagParams(r, 10, 64)
	if err != nil {
		return nil, err
	}
	typ, err := r.Enum("ServerGroupType", "", "Instance", "Ip", "Fc")
	if err != nil {
		return nil, err
	}
	vpc, rg := r.Get("VpcId"), r.Get("ResourceGroupId")
	var match []*ALBServerGroup
	for _, g := range st.ALB.ServerGroups {
		switch {
		case len(ids) > 0 && !contains(ids, g.ID),
			len(names) > 0 && !contains(names, g.Name),
			typ != "" && typ != g.Type,
			vpc != "" && vpc != g.VpcID,
			rg != "" && rg != g.ResourceGroupID,
			!tagsMatch(g.Tags, tags):
			continue
		}
		match = append(match, g)
	}
	return albList(st, r, &alb.ListServerGroupsResponseBody{}, "ServerGroups", match, func(g *ALBServerGroup) (*alb.ListServerGroupsResponseBodyServerGroups, error) {
		return albServerGroupItem(st, g, r.Now), nil
	})
}

func albServerGroupItem(st *State, g *ALBServerGroup, now time.Time) *alb.ListServerGroupsResponseBodyServerGroups {
	hc := g.HealthCheck
	item := &alb.ListServerGroupsResponseBodyServerGroups{
		ServerGroupId:     tea.String(g.ID),
		ServerGroupName:   tea.String(g.Name),
		ServerGroupStatus: tea.String(g.visible(now, "Available")),
		ServerGroupType:   tea.String(g.Type),
		Protocol:          tea.String(g.Protocol),
		Scheduler:         tea.String(g.Scheduler),
		VpcId:             tea.String(g.VpcID),
		ResourceGroupId:   tea.String(g.ResourceGroupID),
		CreateTime:        tea.String(fmtTime(g.CreateTime)),
		ServerCount:       tea.Int32(int32(len(g.Servers))),
		HealthCheckConfig: &alb.ListServerGroupsResponseBodyServerGroupsHealthCheckConfig{
			HealthCheckEnabled:     tea.Bool(hc.Enabled),
			HealthCheckProtocol:    tea.String(hc.Protocol),
			HealthCheckConnectPort: tea.Int32(int32(hc.ConnectPort)),
			HealthCheckPath:        tea.String(hc.Path),
			HealthCheckMethod:      tea.String(hc.Method),
			HealthCheckHttpVersion: tea.String(hc.HTTPVersion),
			HealthCheckCodes:       tea.StringSlice(hc.Codes),
			HealthCheckInterval:    tea.Int32(int32(hc.Interval)),
			HealthCheckTimeout:     tea.Int32(int32(hc.Timeout)),
			HealthyThreshold:       tea.Int32(int32(hc.Healthy)),
			UnhealthyThreshold:     tea.Int32(int32(hc.Unhealthy)),
		},
		StickySessionConfig: &alb.ListServerGroupsResponseBodyServerGroupsStickySessionConfig{
			StickySessionEnabled: tea.Bool(g.StickySession.Enabled),
		},
		ConnectionDrainConfig: &alb.ListServerGroupsResponseBodyServerGroupsConnectionDrainConfig{
			ConnectionDrainEnabled: tea.Bool(g.ConnectionDrainEnabled),
			ConnectionDrainTimeout: tea.Int32(int32(g.ConnectionDrainTimeout)),
		},
		SlowStartConfig: &alb.ListServerGroupsResponseBodyServerGroupsSlowStartConfig{
			SlowStartEnabled:  tea.Bool(g.SlowStartEnabled),
			SlowStartDuration: tea.Int32(int32(g.SlowStartDuration)),
		},
		CrossZoneEnabled:         tea.Bool(g.CrossZoneEnabled),
		UpstreamKeepaliveEnabled: tea.Bool(g.UpstreamKeepaliveEnabled),
		Ipv6Enabled:              tea.Bool(g.Ipv6Enabled),
		RelatedLoadBalancerIds:   []*string{},
		Tags: albTags(g.Tags, func(k, v *string) *alb.ListServerGroupsResponseBodyServerGroupsTags {
			return &alb.ListServerGroupsResponseBodyServerGroupsTags{Key: k, Value: v}
		}),
	}
	if hc.Host != "" {
		item.HealthCheckConfig.HealthCheckHost = tea.String(hc.Host)
	}
	if ss := g.StickySession; ss.Enabled {
		item.StickySessionConfig.StickySessionType = tea.String(ss.Type)
		if ss.Type == "Insert" {
			item.StickySessionConfig.CookieTimeout = tea.Int32(int32(ss.CookieTimeout))
		} else {
			item.StickySessionConfig.Cookie = tea.String(ss.Cookie)
		}
	}
	var lbs []string
	for _, l := range st.ALB.listenersUsing(g.ID) {
		if !contains(lbs, l.LoadBalancerID) {
			lbs = append(lbs, l.LoadBalancerID)
		}
	}
	item.RelatedLoadBalancerIds = tea.StringSlice(lbs)
	return item
}
