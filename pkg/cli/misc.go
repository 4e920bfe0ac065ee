package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

func newCmdInit(g *globals) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init [-f <file>] [--force]",
		Short: "Write a commented starter wsdeploy.yaml",
		Long: `init writes a starter stack file. Its IDs belong to the built-in demo world, so
'wsdeploy plan --local' works on it unchanged; replace them with your own
before deploying to Alibaba Cloud. It never overwrites a file without --force.`,
		Example: `  wsdeploy init
  wsdeploy init -f staging.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := os.Stat(g.configPath); err == nil && !force {
				return &hintError{err: fmt.Errorf("%s already exists", g.configPath), hint: "pass --force to overwrite it, or -f <other file>"}
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			if err := os.WriteFile(g.configPath, config.Example(), 0o644); err != nil {
				return fmt.Errorf("write %s: %w", g.configPath, err)
			}
			fmt.Fprintf(g.ios.Err, "Wrote %s. Next: wsdeploy plan --local (demo cloud), or edit the IDs and run wsdeploy plan.\n", g.configPath)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

func newCmdVersion(g *globals, b Build) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := g.format()
			if err != nil {
				return err
			}
			if f == render.JSON {
				return render.WriteJSON(g.ios.Out, map[string]string{"version": b.Version, "commit": b.Commit, "date": b.Date})
			}
			fmt.Fprintf(g.ios.Out, "wsdeploy %s (commit %s, built %s)\n", b.Version, b.Commit, b.Date)
			return nil
		},
	}
}
