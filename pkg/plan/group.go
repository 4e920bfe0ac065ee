// The stack's server group and its servers: the group wanted, which one of
// several is the stack's, what differs (with the health check and session
// persistence, which CLB keeps on its listeners), and the servers to add,
// remove or reweight.

package plan

import (
	"sort"
	"strconv"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func desiredGroup(s *config.Stack, k resource.Profile, lb resource.LoadBalancer) resource.ServerGroup {
	g := resource.ServerGroup{Name: resource.ServerGroupName(s.Stack), Tags: ownerTags(s.Stack)}
	if k.SettingsOnListener {
		return g // a vServer group has only a name and members
	}
	g.VpcID, g.Protocol = lb.VpcID, "HTTP"
	g.HealthCheck, g.StickySession = groupSettings(s)
	return g
}

// groupSettings is the health check and session persistence of the config.
func groupSettings(s *config.Stack) (resource.HealthCheck, resource.StickySession) {
	hc := s.Backends.HealthCheck
	ss := s.Backends.StickySession
	h := resource.HealthCheck{Enabled: hc.Enabled == nil || *hc.Enabled}
	st := resource.StickySession{Enabled: ss.Enabled == nil || *ss.Enabled}
	if h.Enabled {
		h.Path, h.Method = hc.Path, hc.Method
		h.Codes = append([]string(nil), hc.Codes...)
		h.Interval, h.Timeout = hc.Interval, hc.Timeout
		h.HealthyThreshold, h.UnhealthyThreshold = hc.HealthyThreshold, hc.UnhealthyThreshold
	}
	if st.Enabled {
		st.Type = ss.Type
		if ss.Type == "Server" {
			st.Cookie = ss.Cookie
		} else {
			st.CookieTimeout = ss.CookieTimeout
		}
	}
	return h, st
}

// pickGroup chooses the stack's server group when several carry its tag: the
// one its listeners forward to, else the lowest ID.
func pickGroup(snap *inventory.Snapshot) *resource.ServerGroup {
	for _, l := range snap.Listeners {
		if !resource.OwnedBy(l.Tags, snap.Stack) {
			continue
		}
		for i := range snap.ServerGroups {
			if snap.ServerGroups[i].ID == l.ServerGroupID {
				return &snap.ServerGroups[i]
			}
		}
	}
	return &snap.ServerGroups[0]
}

// groupFields lists what differs between a server group and the one wanted
// (every field when creating): on ALB its VPC and protocol (fixed at
// creation) and its health check and session persistence; a CLB vServer
// group has nothing but a name and members.
func groupFields(k resource.Profile, cur, want resource.ServerGroup, creating bool) []Change {
	if k.SettingsOnListener {
		return nil
	}
	var ch []Change
	if creating {
		ch = append(ch, Change{Field: "vpc", New: want.VpcID}, Change{Field: "protocol", New: want.Protocol})
	}
	return append(ch, settingsFields(cur.HealthCheck, want.HealthCheck, cur.StickySession, want.StickySession, creating)...)
}

// settingsFields lists what differs in health check and session persistence
// (every field when creating), wherever the product keeps them.
func settingsFields(curHC, wantHC resource.HealthCheck, curSS, wantSS resource.StickySession, creating bool) []Change {
	var ch []Change
	f := func(field, old, new string) {
		if creating || old != new {
			if creating {
				old = ""
			}
			ch = append(ch, Change{Field: field, Old: old, New: new})
		}
	}
	f("healthCheck.enabled", strconv.FormatBool(curHC.Enabled), strconv.FormatBool(wantHC.Enabled))
	if wantHC.Enabled {
		h, w := curHC, wantHC
		f("healthCheck.path", h.Path, w.Path)
		f("healthCheck.method", h.Method, w.Method)
		f("healthCheck.codes", strings.Join(h.Codes, ","), strings.Join(w.Codes, ","))
		f("healthCheck.interval", itoa(h.Interval), itoa(w.Interval))
		f("healthCheck.timeout", itoa(h.Timeout), itoa(w.Timeout))
		f("healthCheck.healthyThreshold", itoa(h.HealthyThreshold), itoa(w.HealthyThreshold))
		f("healthCheck.unhealthyThreshold", itoa(h.UnhealthyThreshold), itoa(w.UnhealthyThreshold))
	}
	f("stickySession.enabled", strconv.FormatBool(curSS.Enabled), strconv.FormatBool(wantSS.Enabled))
	if wantSS.Enabled {
		s, w := curSS, wantSS
		f("stickySession.type", s.Type, w.Type)
		if w.Type == "Server" {
			f("stickySession.cookie", s.Cookie, w.Cookie)
		} else {
			f("stickySession.cookieTimeout", itoa(s.CookieTimeout), itoa(w.CookieTimeout))
		}
	}
	return ch
}

func diffServers(want, have []resource.Backend) (add, remove, reweight []resource.Backend) {
	haveBy := map[string]resource.Backend{}
	for _, b := range have {
		haveBy[b.Key()] = b
	}
	wantBy := map[string]bool{}
	for _, b := range want {
		wantBy[b.Key()] = true
		cur, ok := haveBy[b.Key()]
		switch {
		case !ok:
			add = append(add, b)
		case cur.Weight != b.Weight:
			reweight = append(reweight, b)
		}
	}
	for _, b := range have {
		if !wantBy[b.Key()] {
			remove = append(remove, b)
		}
	}
	sort.Slice(remove, func(i, j int) bool { return remove[i].Key() < remove[j].Key() })
	return add, remove, reweight
}

func refNote(b resource.Backend) string {
	if b.Ref != "" && b.Ref != b.InstanceID {
		return " (" + b.Ref + ")"
	}
	return ""
}

func prep(verb string) string {
	switch verb {
	case "add":
		return "to"
	case "remove":
		return "from"
	}
	return "in"
}
