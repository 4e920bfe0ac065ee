package render

import (
	"fmt"
	"io"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// Teardown is what `down -o json` prints: the plan, and what applying it did.
type Teardown struct {
	Stack   string        `json:"stack"`
	Plan    *plan.Plan    `json:"plan"`
	Result  *apply.Result `json:"result,omitempty"`
	Deleted int           `json:"deleted"`
}

// Version prints the version of the binary.
func Version(w io.Writer, version, commit, date string, f Format) error {
	if f == JSON {
		return WriteJSON(w, map[string]string{"version": version, "commit": commit, "date": date})
	}
	_, err := fmt.Fprintf(w, "wsdeploy %s (commit %s, built %s)\n", version, commit, date)
	return err
}

// Valid says that the stack file file is valid (`wsdeploy validate`).
func Valid(w io.Writer, file string) error {
	_, err := fmt.Fprintf(w, "%s is valid\n", file)
	return err
}

// Wrote says that init wrote a file.
func Wrote(w io.Writer, path string) error {
	_, err := fmt.Fprintf(w, "Wrote %s\n", path)
	return err
}

// WroteStack says that init wrote the stack file path, and what to do next.
func WroteStack(w io.Writer, path string) error {
	_, err := fmt.Fprintf(w, "Wrote %s. Next: wsdeploy plan --local (demo cloud), or edit the IDs and run wsdeploy plan.\n", path)
	return err
}
