// Package show implements `wsdeploy show`.
package show

import (
	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/planfile"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// ShowOptions are the inputs of `wsdeploy show`.
type ShowOptions struct {
	IO      iostreams.IOStreams
	Factory *cmdutil.Factory

	Path   string // the saved plan
	Output string
}

// NewCmdShow is `wsdeploy show`. runF, when set, is called with the options
// instead of running the command (tests).
func NewCmdShow(f *cmdutil.Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "show <saved-plan> [-o text|json]",
		Short: "Print a plan saved by `plan --out`, without reading the cloud",
		Long: `show prints a saved plan: where and from what it was made, the command that
applies it, and its changes as 'wsdeploy plan' prints them. With -o json it
prints the whole saved-plan document, for review tools. It makes no API call
and needs no credentials.`,
		Example: `  wsdeploy plan --out plan.json
  wsdeploy show plan.json
  wsdeploy show plan.json -o json | jq '.plan.actions[] | {op, kind, name}'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Path = args[0]
			if runF != nil {
				return runF(opts)
			}
			return showRun(opts)
		},
	}
	cmdutil.AddOutputFlag(cmd, &opts.Output)
	return cmd
}

func showRun(opts *ShowOptions) error {
	format, err := cmdutil.ParseFormat(opts.Output)
	if err != nil {
		return err
	}
	f, err := planfile.Read(opts.Factory.Path(opts.Path))
	if err != nil {
		return err
	}
	return render.SavedPlan(opts.IO.Out, f, opts.Path, format, opts.IO.ColorOut())
}
