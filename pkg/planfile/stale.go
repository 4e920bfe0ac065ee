package planfile

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// Diff says how a fresh plan, built now from the same stack, differs from the
// saved one; nil means applying the saved plan is exactly what a fresh plan
// would do. It compares what the saved plan observed (the fingerprint of the
// stack's owned resources and its epoch), the load balancer it targets, and
// every action with its payload. Warnings are not compared: they are advice,
// not changes.
func Diff(saved, fresh *plan.Plan) []string {
	var out []string
	if saved.LB.Type != fresh.LB.Type || saved.LB.ID != fresh.LB.ID {
		out = append(out, fmt.Sprintf("load balancer: %s %s → %s %s", strings.ToUpper(saved.LB.Type), saved.LB.ID, strings.ToUpper(fresh.LB.Type), fresh.LB.ID))
	} else {
		f := func(name, a, b string) {
			if a != b {
				out = append(out, fmt.Sprintf("load balancer %s %s: %s → %s", saved.LB.ID, name, orNone(a), orNone(b)))
			}
		}
		f("DNS name", saved.LB.DNSName, fresh.LB.DNSName)
		f("address", saved.LB.Address, fresh.LB.Address)
		f("VPC", saved.LB.VpcID, fresh.LB.VpcID)
	}
	if saved.Region != fresh.Region || saved.Stack != fresh.Stack {
		out = append(out, fmt.Sprintf("stack: %s in %s → %s in %s", saved.Stack, saved.Region, fresh.Stack, fresh.Region))
	}
	if saved.Observed != fresh.Observed {
		out = append(out, fmt.Sprintf("the resources the stack owns changed (fingerprint %s → %s)", saved.Observed, fresh.Observed))
	}
	if saved.Epoch != fresh.Epoch {
		out = append(out, fmt.Sprintf("the stack's epoch changed (%s → %s): it was taken down since", saved.Epoch, fresh.Epoch))
	}

	freshByID := map[string]plan.Action{}
	for _, a := range fresh.Actions {
		freshByID[a.ID] = a
	}
	savedIDs := map[string]bool{}
	same := 0
	for _, a := range saved.Actions {
		savedIDs[a.ID] = true
		b, ok := freshByID[a.ID]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s: in the saved plan, no longer needed", title(a)))
		case !equalJSON(a, b):
			out = append(out, fmt.Sprintf("%s: in the saved plan, but would now be different%s", title(a), firstChange(a, b)))
		default:
			same++
		}
	}
	for _, b := range fresh.Actions {
		if !savedIDs[b.ID] {
			out = append(out, fmt.Sprintf("%s (%s): needed now, not in the saved plan", title(b), b.Reason))
		}
	}
	if len(out) == 0 && same == len(saved.Actions) && len(saved.Actions) == len(fresh.Actions) {
		for i := range saved.Actions {
			if saved.Actions[i].ID != fresh.Actions[i].ID {
				return []string{"the same actions, in another order"}
			}
		}
	}
	return out
}

var symbols = map[plan.Op]string{plan.Create: "+", plan.Update: "~", plan.Delete: "-"}

// title names an action as `wsdeploy plan` prints it: "+ listener HTTP:5000".
func title(a plan.Action) string {
	sep := " "
	if a.Kind == plan.KindServers {
		sep = ": "
	}
	return symbols[a.Op] + " " + a.Kind + sep + a.Name
}

// firstChange describes, briefly, where two versions of an action differ.
func firstChange(a, b plan.Action) string {
	if a.Name != b.Name {
		return " (now " + b.Name + ")"
	}
	ch := func(cs []plan.Change) map[string]plan.Change {
		m := map[string]plan.Change{}
		for _, c := range cs {
			m[c.Field] = c
		}
		return m
	}
	am, bm := ch(a.Changes), ch(b.Changes)
	for _, c := range b.Changes {
		if old, ok := am[c.Field]; !ok || old != c {
			return fmt.Sprintf(" (%s: planned %s, now %s)", c.Field, describe(old, ok), describe(c, true))
		}
	}
	for _, c := range a.Changes {
		if _, ok := bm[c.Field]; !ok {
			return fmt.Sprintf(" (%s: planned %s, now no change)", c.Field, describe(c, true))
		}
	}
	return ""
}

func describe(c plan.Change, ok bool) string {
	switch {
	case !ok:
		return "no change"
	case c.Old != "" && c.New != "":
		return c.Old + " → " + c.New
	case c.New != "":
		return c.New
	}
	return c.Old + " (removed)"
}

func equalJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// StaleError refuses a saved plan that no longer describes what `up` would
// do: the stack file or the cloud changed since it was made.
type StaleError struct {
	Path    string // the saved plan
	What    string // "the stack file wsdeploy.yaml", "the cloud"
	Made    string // when the plan was made, for the message
	Changes []string
	Retry   string // the command that makes the plan again
	Apply   string // the command that applies it
}

func (e *StaleError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "saved plan %s is out of date: %s changed since it was made", e.Path, e.What)
	if e.Made != "" {
		fmt.Fprintf(&b, " (%s)", e.Made)
	}
	b.WriteString("; nothing was changed")
	for _, c := range e.Changes {
		b.WriteString("\n  ")
		b.WriteString(c)
	}
	return b.String()
}

// Hint tells the user what to do.
func (e *StaleError) Hint() string {
	return fmt.Sprintf("make the plan again with `%s`, review it, then run `%s`", e.Retry, e.Apply)
}
