// A stack that owns resources on both kinds of load balancer at once (its
// server groups on an ALB and on a CLB): up and plan refuse it, naming what
// is where, since converging one side would leave the other serving.

package plan

import (
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// ownedHere names what the stack owns on the snapshot's load balancer.
func ownedHere(snap *inventory.Snapshot) []string {
	noun := resource.ProfileOf(snap.LB.Type).GroupNoun
	var out []string
	for _, g := range snap.ServerGroups {
		out = append(out, noun+" "+g.ID)
	}
	for _, l := range snap.Listeners {
		if resource.OwnedBy(l.Tags, snap.Stack) {
			out = append(out, fmt.Sprintf("listener %s:%d (%s)", l.Protocol, l.Port, l.ID))
		}
	}
	return out
}

func (e *SwitchError) both() string {
	there := strings.ToUpper(e.On.Kind)
	if len(e.On.LoadBalancers) > 0 {
		there += " " + strings.Join(e.On.LoadBalancers, ", ")
	}
	noun := resource.ProfileOf(e.On.Kind).GroupNoun
	if len(e.On.ServerGroups) > 1 {
		noun += "s"
	}
	return fmt.Sprintf("lb: stack %q owns resources on both kinds of load balancer: on %s %s (%s) and on %s (its %s %s); a stack lives on one load balancer at a time, and converging one would leave the other serving; nothing was changed",
		e.Stack, strings.ToUpper(e.Want.Type), e.Want.ID, strings.Join(e.Here, ", "), there, noun, strings.Join(e.On.ServerGroups, ", "))
}

func (e *SwitchError) bothHint() string {
	old := strings.ToUpper(e.On.Kind)
	id := "<its ID>"
	if len(e.On.LoadBalancers) > 0 {
		id = e.On.LoadBalancers[0]
	}
	return fmt.Sprintf("keep it on one: to keep it on %s %s, run `wsdeploy down` with a stack file that names only %s %s (`lb: %s`, `%s: {id: %s}`, no `%s:` block, like the file it was deployed there with), which removes it there (and deletes its DNS record if that file has dns:), then `%s`; "+
		"or run `wsdeploy down` with a file naming both load balancers to remove it from both, then `%s`",
		strings.ToUpper(e.Want.Type), e.Want.ID, old, id, e.On.Kind, e.On.Kind, id, e.Want.Type, e.Up, e.Up)
}
