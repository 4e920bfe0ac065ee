// Package render prints plans and results as text or JSON. It holds no logic:
// what to show is decided by the values it is given.
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// Format is an output format.
type Format string

// Formats.
const (
	Text Format = "text"
	JSON Format = "json"
)

// ParseFormat checks an -o value.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "text", "":
		return Text, nil
	case "json":
		return JSON, nil
	}
	return "", fmt.Errorf("-o/--output %q: use text or json", s)
}

// WriteJSON prints v as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

var symbols = map[plan.Op]string{plan.Create: "+", plan.Update: "~", plan.Delete: "-"}

// symbol is op's sign, coloured by cs: + green, ~ yellow, - red.
func symbol(cs *iostreams.ColorScheme, op plan.Op) string {
	s := symbols[op]
	switch op {
	case plan.Create:
		return cs.Green(s)
	case plan.Update:
		return cs.Yellow(s)
	case plan.Delete:
		return cs.Red(s)
	}
	return s
}

// mark is ✔ (green) when ok, else ✘ (red).
func mark(cs *iostreams.ColorScheme, ok bool) string {
	if ok {
		return cs.Green("✔")
	}
	return cs.Red("✘")
}

// Header is the first line of plan and up output: which stack, where.
func Header(p *plan.Plan) string {
	where := "Alibaba Cloud"
	if p.Endpoint != "" {
		where = "endpoint " + p.Endpoint + " (NOT Alibaba Cloud)"
	}
	lb := strings.ToUpper(p.LB.Type) + " " + p.LB.ID
	if p.LB.ID == "" && p.LBFrom != (plan.Addr{}) {
		lb = "a new " + strings.ToUpper(p.LB.Type) + " " + p.LB.Name + " (its ID known after apply)"
	}
	for _, also := range p.Also {
		lb += " and " + strings.ToUpper(also.Type) + " " + also.ID
	}
	return fmt.Sprintf("Stack %q on %s in %s, via %s", p.Stack, lb, p.Region, where)
}

// Plan prints a plan; cs colours the text (nil: no colour).
func Plan(w io.Writer, p *plan.Plan, f Format, cs *iostreams.ColorScheme) error {
	if f == JSON {
		return WriteJSON(w, p)
	}
	var b strings.Builder
	b.WriteString(Header(p))
	b.WriteString("\n\n")
	for _, warn := range p.Warnings {
		fmt.Fprintf(&b, "Warning: %s\n", warn)
	}
	if len(p.Warnings) > 0 {
		b.WriteString("\n")
	}
	if p.Empty() {
		if p.Mode == "down" {
			b.WriteString("No changes. Nothing owned by this stack exists.\n")
		} else {
			b.WriteString("No changes. The stack matches wsdeploy.yaml.\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	// Each action's changes are a table of field and value; the action's own
	// line (no tab) ends the table before it.
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, a := range p.Actions {
		sep := " "
		if a.Kind == plan.KindServers {
			sep = ": "
		}
		sym := symbol(cs, a.Op)
		if a.LoadBalancer != nil && a.LoadBalancer.Replaces != "" {
			sym = cs.Red("-/+") // a replacement: the old one goes at the end
		}
		fmt.Fprintf(tw, "  %s %s%s%s (%s)\n", sym, a.Kind, sep, a.Name, a.Reason)
		for _, c := range a.Changes {
			switch {
			case c.Old != "" && c.New != "":
				fmt.Fprintf(tw, "      %s\t%s → %s\n", c.Field, c.Old, c.New)
			case c.New != "":
				fmt.Fprintf(tw, "      %s\t%s\n", c.Field, c.New)
			default:
				fmt.Fprintf(tw, "      %s\t%s (removed)\n", c.Field, c.Old)
			}
		}
		if a.LoadBalancer != nil && a.LoadBalancer.Billing != "" {
			fmt.Fprintf(tw, "      %s\n", a.LoadBalancer.Billing)
		}
		if a.Servers != nil && a.Servers.Calls > 1 {
			fmt.Fprintf(tw, "      (in %d calls of up to %d servers)\n", a.Servers.Calls, a.Servers.BatchSize)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&b, "\nPlan: %s.\n", Counts(p.Summary))
	_, err := io.WriteString(w, b.String())
	return err
}
