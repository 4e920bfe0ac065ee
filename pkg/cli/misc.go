package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/render"
	"github.com/wsdeploy/wsdeploy/templates"
)

func newCmdInit(g *globals) *cobra.Command {
	var force, app bool
	cmd := &cobra.Command{
		Use:   "init [-f <file>] [--force]",
		Short: "Write a commented starter wsdeploy.yaml",
		Long: `init writes a starter stack file. Its IDs belong to the built-in demo world, so
'wsdeploy plan --local' works on it unchanged; replace them with your own
before deploying to Alibaba Cloud. It never overwrites a file without --force.`,
		Example: `  wsdeploy init
  wsdeploy init --app        # also the chat backend's page, systemd units, redis.conf and setup scripts
  wsdeploy init -f staging.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if app {
				if err := writeAppFiles(g, filepath.Dir(g.configPath), force); err != nil {
					return err
				}
				if _, err := os.Stat(g.configPath); err == nil {
					return nil // the stack file is there already: --app only adds the app's files
				}
			}
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
	cmd.Flags().BoolVar(&force, "force", false, "overwrite existing files")
	cmd.Flags().BoolVar(&app, "app", false, "also write the chat backend's deployment files (see README: Deploying the app)")
	g.addFlags(cmd, flagConfig)
	return cmd
}

func newCmdVersion(g *globals, b Build) *cobra.Command {
	cmd := &cobra.Command{
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
	g.addFlags(cmd, flagOutput)
	return cmd
}

// writeAppFiles writes templates/app next to the stack file: every file is
// checked first, so nothing is overwritten without --force and nothing is
// half-written. Scripts (a password may be filled into them) are the owner's
// only, and so are wschat.env and redis.conf (the password, its hash).
func writeAppFiles(g *globals, dir string, force bool) error {
	entries, err := fs.ReadDir(templates.App, "app")
	if err != nil {
		return err
	}
	if !force {
		for _, e := range entries {
			if _, err := os.Stat(filepath.Join(dir, e.Name())); err == nil {
				return &hintError{err: fmt.Errorf("%s already exists", filepath.Join(dir, e.Name())), hint: "pass --force to overwrite the app's files"}
			}
		}
	}
	for _, e := range entries {
		data, err := fs.ReadFile(templates.App, "app/"+e.Name())
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		switch {
		case strings.HasSuffix(e.Name(), ".sh"):
			mode = 0o700 // run as root; the password may be written into them (user data)
		case e.Name() == "wschat.env", e.Name() == "redis.conf":
			mode = 0o600 // they will hold the Redis password (or its hash)
		}
		path := filepath.Join(dir, e.Name())
		if err := os.WriteFile(path, data, mode); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := os.Chmod(path, mode); err != nil {
			return fmt.Errorf("set the mode of %s: %w", path, err)
		}
		fmt.Fprintf(g.ios.Err, "Wrote %s\n", path)
	}
	return nil
}
