// Package version implements `wsdeploy version`.
package version

import (
	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// VersionOptions are the inputs of `wsdeploy version`.
type VersionOptions struct {
	IO     iostreams.IOStreams
	Build  cmdutil.Build
	Output string
}

// NewCmdVersion is `wsdeploy version`. runF, when set, is called with the
// options instead of running the command (tests).
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IOStreams, Build: f.Build}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
	cmdutil.AddOutputFlag(cmd, &opts.Output)
	return cmd
}

func versionRun(opts *VersionOptions) error {
	f, err := cmdutil.ParseFormat(opts.Output)
	if err != nil {
		return err
	}
	err = render.Version(opts.IO.Out, opts.Build.Version, opts.Build.Commit, opts.Build.Date, f)
	if f == render.Text {
		return nil // the text line's write error was never reported
	}
	return err
}
