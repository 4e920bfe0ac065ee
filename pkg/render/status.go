package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/status"
)

// Status prints a status report; cs colours the text (nil: no colour).
func Status(w io.Writer, r *status.Report, f Format, cs *iostreams.ColorScheme) error {
	if f == JSON {
		return WriteJSON(w, r)
	}
	var b strings.Builder
	statusHead(&b, r)
	if r.Endpoint != "" {
		fmt.Fprintf(&b, "via endpoint %s (NOT Alibaba Cloud)\n", r.Endpoint)
	}

	b.WriteString("\nListeners\n")
	if len(r.Listeners) == 0 {
		b.WriteString("  (none)\n")
	}
	// The listener and backend tables keep fixed column widths (the status
	// goldens pin them); text/tabwriter sizes columns by their content, so it
	// would print these differently.
	for _, l := range r.Listeners {
		fmt.Fprintf(&b, "  %-10s %-28s %-8s idle %ds, request %ds\n", fmt.Sprintf("%s:%d", l.Protocol, l.Port), l.ID, l.Status, l.IdleTimeout, l.RequestTimeout)
	}

	b.WriteString("\nServer group\n")
	if r.ServerGroup == nil {
		b.WriteString("  (none)\n")
	} else {
		fmt.Fprintf(&b, "  %s (%s), %d backend(s)\n", r.ServerGroup.Name, r.ServerGroup.ID, len(r.ServerGroup.Backends))
		for _, s := range r.ServerGroup.Backends {
			name := fmt.Sprintf("%s:%d", s.InstanceID, s.Port)
			if s.Name != "" {
				name += " (" + s.Name + ")"
			}
			reason := ""
			if s.Reason != "" {
				reason = ": " + s.Reason
			}
			fmt.Fprintf(&b, "  %s %-30s weight %-3d %s%s\n", mark(cs, s.Health == "healthy"), name, s.Weight, s.Health, reason)
		}
	}

	if r.App != nil {
		statusApp(&b, r.App, cs)
	}

	if r.DNS != nil {
		b.WriteString("\nDNS\n")
		switch {
		case !r.DNS.Exists:
			fmt.Fprintf(&b, "  %s %s: no record owned by this stack\n", mark(cs, false), r.DNS.FQDN)
		case r.DNS.PointsAtOldLB:
			fmt.Fprintf(&b, "  %s %s %s → %s (record %s, ttl %d): points at the OLD load balancer %s (`wsdeploy up` moves it to %s)\n", mark(cs, false), r.DNS.FQDN, r.DNS.Type, r.DNS.Value, r.DNS.RecordID, r.DNS.TTL, r.LB.Replacement.Old.ID, r.LB.ID)
		case r.DNS.PointsAtLB:
			fmt.Fprintf(&b, "  %s %s %s → %s (record %s, ttl %d): points at the load balancer\n", mark(cs, true), r.DNS.FQDN, r.DNS.Type, r.DNS.Value, r.DNS.RecordID, r.DNS.TTL)
		default:
			fmt.Fprintf(&b, "  %s %s %s → %s (record %s, ttl %d): does NOT point at the load balancer\n", mark(cs, false), r.DNS.FQDN, r.DNS.Type, r.DNS.Value, r.DNS.RecordID, r.DNS.TTL)
		}
	}

	b.WriteString("\nDrift\n")
	switch {
	case len(r.Drift.Problems) > 0:
		b.WriteString("  `wsdeploy up` cannot plan:\n")
		for _, p := range r.Drift.Problems {
			fmt.Fprintf(&b, "    %s\n", p)
		}
		if r.Drift.Fix != "" {
			fmt.Fprintf(&b, "  To fix: %s\n", r.Drift.Fix)
		}
	case r.Drift.InSync:
		b.WriteString("  none: the stack matches wsdeploy.yaml\n")
	default:
		fmt.Fprintf(&b, "  `wsdeploy up` would make %d change(s): %s\n", r.Drift.Summary.Total(), Counts(r.Drift.Summary))
		for _, c := range r.Drift.Changes {
			sep := " "
			if c.Kind == "servers" {
				sep = ": "
			}
			fmt.Fprintf(&b, "    %s %s%s%s (%s)\n", symbol(cs, c.Op), c.Kind, sep, c.Name, c.Reason)
			for _, ch := range c.Changes {
				switch {
				case ch.Old != "" && ch.New != "":
					fmt.Fprintf(&b, "        %s: %s → %s\n", ch.Field, ch.Old, ch.New)
				case ch.New != "":
					fmt.Fprintf(&b, "        %s: %s\n", ch.Field, ch.New)
				default:
					fmt.Fprintf(&b, "        %s: %s (removed)\n", ch.Field, ch.Old)
				}
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
