package render

import (
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/status"
)

// statusHead prints the first lines of a status report: the stack's load
// balancer, its state (r.LB.State, decided by pkg/status) in words, and
// the next step.
func statusHead(b *strings.Builder, r *status.Report) {
	kind := strings.ToUpper(r.LB.Type)
	lb := r.LB
	switch lb.State {
	case status.StateCreateFailed:
		if lb.ID == "" {
			fmt.Fprintf(b, "Stack %q on %s %s (%s) in %s: creation failed (%s, not billed): `wsdeploy up` deletes it and creates it again\n",
				r.Stack, kind, lb.Name, strings.Join(lb.Failed, ", "), r.Region, lb.Status)
		} else {
			fmt.Fprintf(b, "Stack %q on %s in %s: creation failed (%s, not billed; it can only be deleted): name another load balancer in the stack file, or let the stack create one (%s.create)\n",
				r.Stack, lbLabel(lb.Type, lb.ID, lb.DNSName, lb.Address), r.Region, lb.Status, lb.Type)
		}
	case status.StateDeleting:
		fmt.Fprintf(b, "Stack %q on %s %s in %s: being deleted (%s %s: its delete is still running; not billed, it goes by itself)\n",
			r.Stack, kind, lb.Name, r.Region, kind, strings.Join(lb.Deleting, ", "))
		fmt.Fprintf(b, "  `wsdeploy up` now would create a new %s\n", kind)
	case status.StateNotCreated:
		fmt.Fprintf(b, "Stack %q on %s %s in %s: not created yet (`wsdeploy up` creates it)\n", r.Stack, kind, lb.Name, r.Region)
	case status.StateReplacementInterrupted:
		rp := lb.Replacement
		fmt.Fprintf(b, "Stack %q on %s in %s: %s\n", r.Stack, lbLabel(lb.Type, lb.ID, lb.DNSName, lb.Address), r.Region, lb.Status)
		fmt.Fprintf(b, "  ! a replacement was interrupted: two %ss carry the stack's tag, and both may be billing\n", kind)
		fmt.Fprintf(b, "    new %s (%s): matches wsdeploy.yaml; it is the one shown below\n", rp.New.ID, rp.New.Status)
		fmt.Fprintf(b, "    old %s (%s): does not match wsdeploy.yaml; %d listener(s) still on it\n", rp.Old.ID, rp.Old.Status, *rp.Old.Listeners)
		fmt.Fprintf(b, "  Next: `wsdeploy up` finishes the replacement (everything onto %s, the record too, then deletes %s); `wsdeploy down` refuses until then\n",
			rp.New.ID, rp.Old.ID)
	case status.StateDuplicates:
		var ids []string
		for _, t := range lb.Tagged {
			m := "does not match wsdeploy.yaml"
			if t.MatchesFile {
				m = "matches wsdeploy.yaml"
			}
			ids = append(ids, fmt.Sprintf("%s (%s, %s)", t.ID, t.Status, m))
		}
		fmt.Fprintf(b, "Stack %q on %s in %s: %s\n", r.Stack, lbLabel(lb.Type, lb.ID, lb.DNSName, lb.Address), r.Region, lb.Status)
		fmt.Fprintf(b, "  ! %d %ss carry the stack's tag, where it has one, and all may be billing: %s\n", len(lb.Tagged), kind, strings.Join(ids, "; "))
		fmt.Fprintf(b, "  Which one is the stack's cannot be told, so below is the first found (%s); `wsdeploy up` and `wsdeploy down` refuse until one is left (To fix under Drift)\n", lb.ID)
	default:
		fmt.Fprintf(b, "Stack %q on %s in %s: %s", r.Stack, lbLabel(lb.Type, lb.ID, lb.DNSName, lb.Address), r.Region, lb.Status)
		switch {
		case lb.State == status.StateProvisioning && lb.CreatedByStack:
			b.WriteString(": still being created; `wsdeploy up` waits until it is Active, then puts the stack on it")
		case lb.State == status.StateProvisioning:
			b.WriteString(": still being created; run `wsdeploy up` once it is Active")
		case lb.State == status.StateInactive && lb.CreatedByStack && lb.Type == "clb":
			b.WriteString(": it does not serve; a new CLB is inactive for a moment after its create (`wsdeploy up` waits for it), one that stays so was stopped (by hand, or for an overdue payment): start it in the console")
		case lb.State == status.StateInactive:
			b.WriteString(": it does not serve: it was stopped (by hand, or for an overdue payment): start it in the console")
		case lb.State == status.StateConfiguring:
			b.WriteString(": a change to it is being applied; run `wsdeploy status` again in a moment")
		case lb.State == status.StateLocked:
			b.WriteString(": the cloud refuses changes to it (overdue payment or a security lock): see the console")
		}
		b.WriteString("\n")
	}
	if lb.State != status.StateDeleting && len(lb.Deleting) > 0 {
		fmt.Fprintf(b, "  %s %s of the stack is being deleted (not billed; it goes by itself)\n", kind, strings.Join(lb.Deleting, ", "))
	}
}
