package render

import (
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/status"
)

// statusApp prints what app.deploy installed on each instance and whether it
// matches wsdeploy.yaml.
func statusApp(b *strings.Builder, a *status.App, cs *iostreams.ColorScheme) {
	b.WriteString("\nApp (app.deploy)\n")
	if len(a.Instances) == 0 {
		b.WriteString("  (no instances)\n")
	}
	for _, in := range a.Instances {
		name := in.InstanceID
		if in.Name != "" {
			name = in.Name + " (" + in.InstanceID + ")"
		}
		installed := in.Installed
		if installed == "" {
			installed = "(not installed)"
		}
		var verdict string
		switch in.State {
		case status.AppMatches:
			verdict = "matches wsdeploy.yaml"
		case status.AppUnknown:
			verdict = "not compared: `wsdeploy up` cannot plan"
		default:
			verdict = "wsdeploy.yaml wants " + in.Wanted
			if in.Reason != "" {
				verdict += " (" + in.Reason + ")"
			}
		}
		fmt.Fprintf(b, "  %s %-20s %-7s %-16s %s\n", mark(cs, in.State == status.AppMatches), name, in.Role, installed, verdict)
	}
}
