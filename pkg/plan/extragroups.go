// The stack's extra server groups: copies left by a run whose create's
// answer was lost, or by runs that raced (pkg/cloud/clb groupcheck.go), that
// `up` removes once its listeners forward to the plan's group.

package plan

import (
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// removableGroups splits the stack's extra server groups into those `up`
// removes and, as warnings, those it leaves: a group that a listener the
// stack does not own forwards to is in use by something else (the cloud
// would refuse its delete for as long as that listener uses it, and the run
// would wait for it without end). The stack's own listeners are moved to
// the plan's group before the extras go, so their groups are removable.
func removableGroups(snap *inventory.Snapshot, extra []resource.ServerGroup) ([]resource.ServerGroup, []string) {
	var out []resource.ServerGroup
	var warnings []string
	for _, g := range extra {
		var users []string
		for _, l := range snap.Listeners {
			if l.ServerGroupID == g.ID && !resource.OwnedBy(l.Tags, snap.Stack) {
				users = append(users, l.Name())
			}
		}
		if len(users) == 0 {
			out = append(out, g)
			continue
		}
		warnings = append(warnings, fmt.Sprintf("server group %s (%s) carries stack %s's tag but is not the one the stack uses, and %s, which the stack does not own, forwards to it: it is left in place (remove it once nothing uses it)",
			g.ID, g.Name, snap.Stack, "listener "+strings.Join(users, ", ")))
	}
	return out, warnings
}
