// Listener actions: create, delete, and the fields an update changes.

package plan

import "github.com/wsdeploy/wsdeploy/pkg/resource"

func listenerCreate(spec resource.Listener, g ServerGroupRef, reason string) Action {
	ch := []Change{
		{Field: "idleTimeout", New: itoa(spec.IdleTimeout)},
		{Field: "requestTimeout", New: itoa(spec.RequestTimeout)},
		{Field: "forwardTo", New: g.String()},
	}
	if spec.CertificateID != "" {
		ch = append(ch, Change{Field: "certificateId", New: spec.CertificateID})
	}
	if spec.HealthCheck != nil { // CLB: health check and sticky session are listener settings
		ch = append(ch, settingsFields(resource.HealthCheck{}, *spec.HealthCheck, resource.StickySession{}, *spec.StickySession, true)...)
	}
	return Action{
		ID: Addr{Op: Create, Kind: KindListener, Key: spec.Name()}, Op: Create, Kind: KindListener, Name: spec.Name(),
		Reason: reason, Changes: ch, Listener: &ListenerStep{Spec: spec, Group: g},
	}
}

func listenerDelete(l resource.Listener, reason string) Action {
	return Action{
		ID: Addr{Op: Delete, Kind: KindListener, Key: l.Name()}, Op: Delete, Kind: KindListener, Name: l.Name() + " (" + l.ID + ")",
		Reason: reason, Listener: &ListenerStep{ID: l.ID, Spec: l},
	}
}

func listenerFields(cur, want resource.Listener, g ServerGroupRef) []Change {
	var ch []Change
	if cur.IdleTimeout != want.IdleTimeout {
		ch = append(ch, Change{Field: "idleTimeout", Old: itoa(cur.IdleTimeout), New: itoa(want.IdleTimeout)})
	}
	if cur.RequestTimeout != want.RequestTimeout {
		ch = append(ch, Change{Field: "requestTimeout", Old: itoa(cur.RequestTimeout), New: itoa(want.RequestTimeout)})
	}
	if want.Protocol == "HTTPS" && cur.CertificateID != want.CertificateID {
		ch = append(ch, Change{Field: "certificateId", Old: cur.CertificateID, New: want.CertificateID})
	}
	if g.ID == "" || cur.ServerGroupID != g.ID {
		ch = append(ch, Change{Field: "forwardTo", Old: cur.ServerGroupID, New: g.String()})
	}
	if want.HealthCheck != nil {
		var curHC resource.HealthCheck
		if cur.HealthCheck != nil {
			curHC = *cur.HealthCheck
		}
		var curSS resource.StickySession
		if cur.StickySession != nil {
			curSS = *cur.StickySession
		}
		ch = append(ch, settingsFields(curHC, *want.HealthCheck, curSS, *want.StickySession, false)...)
		if cur.Status == "stopped" {
			ch = append(ch, Change{Field: "status", Old: "stopped", New: "running"})
		}
	}
	return ch
}
