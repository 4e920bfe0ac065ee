package render

import (
	"fmt"
	"io"
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
	if _, err := fmt.Fprintf(w, "Saved plan %s\n  made     %s%s\n  against  %s\n  from     %s\n  apply    %s\n\n",
		path, f.CreatedAt.UTC().Format(time.RFC3339), by, f.Target, from, f.ApplyCommand(path)); err != nil {
		return err
	}
	return Plan(w, f.Plan, Text, cs)
}
