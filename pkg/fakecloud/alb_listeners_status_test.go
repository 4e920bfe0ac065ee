package fakecloud

import (
	"testing"
	"time"
)

// TestALBListenerWritesNeedActiveInstance: a write on an existing listener
// (UpdateListenerAttribute, StopListener, DeleteListener) is refused with
// 400 IncorrectStatus.LoadBalancer while its ALB is not Active for any
// reason (Provisioning, CreateFailed, being deleted: Configuring), not only
// while a listener job runs; once the ALB is Active again it is accepted.
func TestALBListenerWritesNeedActiveInstance(t *testing.T) {
	for _, state := range []string{"Provisioning", "CreateFailed", "Configuring (deleting)"} {
		t.Run(state, func(t *testing.T) {
			h := newALBHarness(t)
			g := h.createGroup("web")
			h.settle()
			lsn, _ := h.createListener(80, g)
			h.settle()
			lb := h.st.ALB.loadBalancer("alb-fake01")
			switch state {
			case "Provisioning":
				lb.ProvisionedAt = h.now.Add(h.async)
			case "CreateFailed":
				lb.CreateFailed = true
			default:
				lb.DeletedAt = h.now.Add(h.async)
			}
			for _, call := range [][]string{
				{"UpdateListenerAttribute", "ListenerId", lsn, "IdleTimeout", "30"},
				{"StopListener", "ListenerId", lsn},
				{"DeleteListener", "ListenerId", lsn},
			} {
				_, err := h.call(call[0], call[1:]...)
				wantAPIError(t, err, 400, "IncorrectStatus.LoadBalancer")
			}
			lb.ProvisionedAt, lb.CreateFailed, lb.DeletedAt = time.Time{}, false, time.Time{}
			h.must("UpdateListenerAttribute", "ListenerId", lsn, "IdleTimeout", "30")
		})
	}
}
