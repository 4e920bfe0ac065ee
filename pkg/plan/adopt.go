package plan

import "github.com/wsdeploy/wsdeploy/pkg/resource"

// ListenerChanges are the fields in which the listener cur differs from the
// spec want forwarding to the server group groupID: what an update of cur
// changes, as the plan computes it for drift. The apply engine uses it on a
// listener it adopts (one another run of the stack created on the port of
// a create step).
func ListenerChanges(cur, want resource.Listener, groupID string) []Change {
	return listenerFields(cur, want, ServerGroupRef{ID: groupID})
}
