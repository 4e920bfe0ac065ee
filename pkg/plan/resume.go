// The end of a replacement (-/+) of the stack's created load balancer that
// an interrupted run started: it created the new load balancer and stopped
// before the old one was deleted, so two carry the stack's tag. When exactly
// one of them matches the stack file, it is the new one (the inventory makes
// it the snapshot's LB, inventory.CreateState.Replaced the other) and the
// plan is the rest of the replacement: converge onto the new one, point the
// DNS record at it, then delete what the stack owns on the old one and the
// old one itself (the same confirmation as any replacement: it deletes). Any
// other case is a conflict whose hint names what to delete.

package plan

import (
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// resumeReplacement makes lp delete r's load balancer once everything is on
// the new one (replaceTail), its deletion protection released first when on.
// Like a replacement, it refuses while the file keeps deletion protection on
// and the old one has it on too: the user turns it off to let it go.
func resumeReplacement(lp *lbPlan, want resource.LBSpec, r *inventory.ReplacedLB) error {
	old := r.LB
	spec := resource.LBSpec{Type: old.Type, Name: old.Name}
	if old.Spec != nil {
		spec = *old.Spec
	}
	old.Spec = &spec
	if spec.DeletionProtection && want.DeletionProtection {
		f := resource.DiffLBSpec(spec, want)
		for _, d := range f {
			if !d.InPlace {
				return &ReplaceError{Kind: want.Type, ID: old.ID, Field: d.Field, Old: d.Old, New: d.New, Protected: true}
			}
		}
	}
	lp.old = &old
	lp.oldUnprotect = spec.DeletionProtection
	lp.oldListeners = r.Listeners
	lp.oldGroups = r.Groups
	lp.resumed = true
	return nil
}

// duplicateLBs refuses a stack with more than one live load balancer
// carrying its tag when which to keep is not clear: its hint names them.
func duplicateLBs(s *config.Stack, want resource.LBSpec, live []resource.LoadBalancer) error {
	kind := strings.ToUpper(want.Type)
	var ids, match, other []string
	for _, lb := range live {
		ids = append(ids, lb.ID)
		if lb.Spec != nil && inventory.Matches(*lb.Spec, want) {
			match = append(match, lb.ID)
		} else {
			other = append(other, lb.ID)
		}
	}
	prob := fmt.Sprintf("%s.create: %d %ss carry the tag %s=%s (%s), where the stack creates one",
		want.Type, len(live), kind, resource.OwnerTagKey, s.Stack, strings.Join(ids, ", "))
	after := " (after moving anything you added to it), then run `wsdeploy up` again"
	var fix string
	switch {
	case len(match) == 0:
		prob += "; none matches " + want.Type + ".create"
		fix = fmt.Sprintf("keep one: delete all but one of %s in the console%s (it then replaces the one kept if %s.create still differs); or set %s.create to match the one to keep",
			strings.Join(ids, ", "), after, want.Type, want.Type)
	case len(match) == 1:
		prob += "; " + match[0] + " matches " + want.Type + ".create"
		fix = fmt.Sprintf("keep %s, which matches %s.create: delete %s in the console%s",
			match[0], want.Type, strings.Join(other, ", "), after)
	default:
		prob += "; " + strings.Join(match, ", ") + " all match " + want.Type + ".create"
		fix = fmt.Sprintf("keep one of %s (the one the DNS record points at) and delete the other", strings.Join(match, ", "))
		if len(other) > 0 {
			fix += "s (" + strings.Join(append(append([]string{}, match...), other...), ", ") + " but the one kept)"
		}
		fix += " in the console" + after
	}
	return &ConflictError{Problems: []string{prob}, Fix: fix}
}

// resumeWarning says, above the plan, that it finishes a replacement an
// interrupted run started, and which load balancer goes.
func resumeWarning(cur, old resource.LoadBalancer) string {
	k := strings.ToUpper(cur.Type)
	return fmt.Sprintf("an interrupted run was replacing %s %s by %s: this plan finishes the replacement (everything onto %s, then %s and what the stack owns on it are deleted)",
		k, old.ID, cur.ID, cur.ID, old.ID)
}
