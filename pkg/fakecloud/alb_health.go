package fakecloud

// ALB backend health: GetListenerHealthStatus.

import (
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// albHealthEntry is one non-normal server in GetListenerHealthStatus.
type albHealthEntry struct {
	group  string
	server *ALBServer
	status string
	reason string
	// expected and actual are Reason.ExpectedResponse and ActualResponse
	// (RESPONSE_MISMATCH only).
	expected, actual string
}

func albGetListenerHealthStatus(st *State, r *Request) (any, error) {
	id, err := r.Required("ListenerId")
	if err != nil {
		return nil, err
	}
	if _, _, err := r.Bool("IncludeRule"); err != nil {
		return nil, err
	}
	if _, err := r.IntRange("MaxResults", 1, 30, 20); err != nil {
		return nil, err
	}
	l := st.ALB.listener(id)
	if l == nil {
		return nil, albNotFound("Listener", id)
	}
	groups, entries := albNonNormal(st, l, r.Now, r.realism)
	entries = albHealthFaults(groups, entries, r.health)
	p, err := tokenPage(st, r, len(entries), 20, 1, 30)
	if err != nil {
		return nil, err
	}
	status := &alb.GetListenerHealthStatusResponseBodyListenerHealthStatus{
		ListenerId:       tea.String(l.ID),
		ListenerPort:     tea.Int32(int32(l.Port)),
		ListenerProtocol: tea.String(l.Protocol),
		ServerGroupInfos: []*alb.GetListenerHealthStatusResponseBodyListenerHealthStatusServerGroupInfos{},
	}
	for _, g := range groups {
		hc := "off"
		if g.HealthCheck.Enabled {
			hc = "on"
		}
		info := &alb.GetListenerHealthStatusResponseBodyListenerHealthStatusServerGroupInfos{
			ServerGroupId:      tea.String(g.ID),
			ActionType:         tea.String("ForwardGroup"),
			HealthCheckEnabled: tea.String(hc),
			NonNormalServers:   []*alb.GetListenerHealthStatusResponseBodyListenerHealthStatusServerGroupInfosNonNormalServers{},
		}
		for _, e := range pageOf(entries, p) {
			if e.group != g.ID {
				continue
			}
			nn := &alb.GetListenerHealthStatusResponseBodyListenerHealthStatusServerGroupInfosNonNormalServers{
				ServerId: tea.String(e.server.ServerID),
				ServerIp: tea.String(e.server.ServerIP),
				Port:     tea.Int32(int32(e.server.Port)),
				Status:   tea.String(e.status),
			}
			if e.reason != "" {
				nn.Reason = &alb.GetListenerHealthStatusResponseBodyListenerHealthStatusServerGroupInfosNonNormalServersReason{
					ReasonCode: tea.String(e.reason),
				}
				if e.actual != "" {
					nn.Reason.ExpectedResponse, nn.Reason.ActualResponse = tea.String(e.expected), tea.String(e.actual)
				}
			}
			info.NonNormalServers = append(info.NonNormalServers, nn)
		}
		status.ServerGroupInfos = append(status.ServerGroupInfos, info)
	}
	return &alb.GetListenerHealthStatusResponseBody{
		ListenerHealthStatus: []*alb.GetListenerHealthStatusResponseBodyListenerHealthStatus{status},
		RuleHealthStatus:     []*alb.GetListenerHealthStatusResponseBodyRuleHealthStatus{},
		NextToken:            tea.String(p.next),
	}, nil
}

// albNonNormal returns the listener's server groups and their servers that
// are not healthy at now (albHealth says which, and why).
func albNonNormal(st *State, l *ALBListener, now time.Time, m *realism) ([]*ALBServerGroup, []albHealthEntry) {
	var entries []albHealthEntry
	var groups []*ALBServerGroup
	for _, gid := range l.DefaultServerGroups {
		g := st.ALB.serverGroup(gid)
		if g == nil {
			continue
		}
		groups = append(groups, g)
		for _, s := range g.Servers {
			if s.Deleted {
				continue // Removing / replaced away
			}
			e := albHealthEntry{group: g.ID, server: s}
			if e.status, e.reason = albHealth(st, m, l, g, s, now); e.status == "" {
				continue
			}
			entries = append(entries, e)
		}
	}
	return groups, entries
}
