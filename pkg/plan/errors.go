// The errors that stop a plan: resources in the way that the stack does not
// own, and a stack deployed on the other kind of load balancer.

package plan

import (
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// ConflictError reports resources in the way that this stack does not own.
type ConflictError struct {
	Problems []string
	// Fix, when set, is the hint (it names what to delete or change).
	Fix string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%d conflict(s) with resources this stack does not own:\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// Hint tells the user what to do.
func (e *ConflictError) Hint() string {
	if e.Fix != "" {
		return e.Fix
	}
	return "wsdeploy never takes over resources it did not create: free the port or name, or change wsdeploy.yaml to use another one"
}

// SwitchError refuses to move a deployed stack to the other kind of load
// balancer in place: the old listeners and server group would keep serving,
// orphaned. The stack's tagged server groups say where it is.
type SwitchError struct {
	Stack string
	// On is where the stack is deployed; Want is the load balancer asked for.
	On   inventory.Placement
	Want resource.LoadBalancer
	// Named is the ID of the load balancer of the old kind that the config
	// names ("" when it names none): `down` removes what is there.
	Named string
	// Down and Up are the commands to run, in order. Build fills in the bare
	// commands; the CLI replaces them with ones that repeat its flags.
	Down, Up string
	// Here, when the stack also owns resources on Want, names them
	// ("server group sgp-1", "listener HTTP:5000 (lsn-1)"): it owns
	// resources on both kinds at once (bothkinds.go).
	Here []string
}

func (e *SwitchError) Error() string {
	if len(e.Here) > 0 {
		return e.both()
	}
	where := strings.ToUpper(e.On.Kind)
	if len(e.On.LoadBalancers) > 0 {
		where += " " + strings.Join(e.On.LoadBalancers, ", ")
	}
	noun := resource.ProfileOf(e.On.Kind).GroupNoun
	if len(e.On.ServerGroups) > 1 {
		noun += "s"
	}
	return fmt.Sprintf("lb: stack %q is deployed on %s (its %s %s), not on %s %s; switching in place would leave it running there",
		e.Stack, where, noun, strings.Join(e.On.ServerGroups, ", "), strings.ToUpper(e.Want.Type), e.Want.ID)
}

// Hint tells the user what to do: the exact commands.
func (e *SwitchError) Hint() string {
	if len(e.Here) > 0 {
		return e.bothHint()
	}
	var add string
	if missing := e.unnamed(); missing != "" {
		add = fmt.Sprintf("set `%s: {id: %s}` in the stack file (down removes the stack from the load balancers the file names), then ", e.On.Kind, missing)
	}
	return fmt.Sprintf("a stack lives on one load balancer at a time: %srun `%s` first to remove it there, then `%s`", add, e.Down, e.Up)
}

// unnamed is a load balancer the stack is on that the config does not name.
func (e *SwitchError) unnamed() string {
	for _, lb := range e.On.LoadBalancers {
		if lb != e.Named {
			return lb
		}
	}
	if e.Named == "" {
		return "<the " + strings.ToUpper(e.On.Kind) + " ID>"
	}
	return ""
}
