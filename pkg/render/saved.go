package render

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/planfile"
)

// SavedPlan prints the saved plan f, read from path: as JSON, the whole
// document (for review tools); as text, where and from what it was made, how
// to apply it, then the plan as `wsdeploy plan` prints it, coloured by cs.
func SavedPlan(w io.Writer, f *planfile.File, path string, format Format, cs *iostreams.ColorScheme) error {
	if format == JSON {
		return WriteJSON(w, f)
	}
	from := f.Source.String()
	if !f.Source.Builtin {
		from += " (sha256 " + f.Source.SHA256[:12] + "…)"
	}
	if f.Source.LB != "" {
		from += ", --lb " + f.Source.LB
	}
	if f.Source.Region != "" {
		from += ", --region " + f.Source.Region
	}
	by := ""
	if f.WsdeployVersion != "" {
		by = " by wsdeploy " + f.WsdeployVersion
	}
	fmt.Fprintf(w, "Saved plan %s\n", path)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  made\t%s%s\n", f.CreatedAt.UTC().Format(time.RFC3339), by)
	fmt.Fprintf(tw, "  against\t%s, account %s\n", f.Target, f.Account)
	fmt.Fprintf(tw, "  from\t%s\n", from)
	fmt.Fprintf(tw, "  apply\t%s\n", f.ApplyCommand(path))
	if err := tw.Flush(); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	return Plan(w, f.Plan, Text, cs)
}
