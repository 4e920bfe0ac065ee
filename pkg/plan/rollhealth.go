// What a rolling update reads to see a backend healthy again: the stack's
// listeners and the health check the load balancer runs on them.

package plan

import (
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// RollHealth is where the load balancer reports a backend's health during
// a rolling update (ALB GetListenerHealthStatus per listener, CLB
// DescribeHealthStatus).
type RollHealth struct {
	Listeners []ListenerRef        `json:"listeners"`
	Check     resource.HealthCheck `json:"check"`
}

// ListenerRef is one of the stack's listeners, as the health reads need it.
type ListenerRef struct {
	ID       string `json:"id"`
	Protocol string `json:"protocol"`
	Port     int    `json:"port"`
}

// Listener is the reference as a resource.Listener.
func (l ListenerRef) Listener() resource.Listener {
	return resource.Listener{ID: l.ID, Protocol: l.Protocol, Port: l.Port}
}

// rollHealth is the stack's running listeners and its health check; nil when
// the load balancer reports no health (check off, no listener yet).
func rollHealth(s *config.Stack, snap *inventory.Snapshot) *RollHealth {
	hc, _ := groupSettings(s)
	if !hc.Enabled {
		return nil
	}
	h := &RollHealth{Check: hc}
	for _, l := range snap.Listeners {
		if resource.OwnedBy(l.Tags, s.Stack) && l.ID != "" {
			h.Listeners = append(h.Listeners, ListenerRef{ID: l.ID, Protocol: l.Protocol, Port: l.Port})
		}
	}
	if len(h.Listeners) == 0 {
		return nil
	}
	return h
}
