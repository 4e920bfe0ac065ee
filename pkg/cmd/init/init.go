// Package initcmd implements `wsdeploy init` (the folder is init; Go does
// not let a package be imported under the name init).
package initcmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/render"
	"github.com/wsdeploy/wsdeploy/templates"
)

// InitOptions are the inputs of `wsdeploy init`.
type InitOptions struct {
	IO      iostreams.IOStreams
	Factory *cmdutil.Factory

	ConfigPath string
	Force      bool
	App        bool
}

// NewCmdInit is `wsdeploy init`. runF, when set, is called with the options
// instead of running the command (tests).
func NewCmdInit(f *cmdutil.Factory, runF func(*InitOptions) error) *cobra.Command {
	opts := &InitOptions{IO: f.IOStreams, Factory: f}
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
			if runF != nil {
				return runF(opts)
			}
			return initRun(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Force, "force", false, "overwrite existing files")
	cmd.Flags().BoolVar(&opts.App, "app", false, "also write the chat backend's deployment files (see README: Deploying the app)")
	cmdutil.AddConfigFlag(cmd, &opts.ConfigPath)
	return cmd
}

func initRun(opts *InitOptions) error {
	f, name := opts.Factory, opts.ConfigPath
	path := f.Path(name)
	if opts.App {
		if err := writeAppFiles(opts, filepath.Dir(name)); err != nil {
			return err
		}
		if _, err := os.Stat(path); err == nil {
			return nil // the stack file is there already: --app only adds the app's files
		}
	}
	if _, err := os.Stat(path); err == nil && !opts.Force {
		return cmdutil.WithHint(fmt.Errorf("%s already exists", name), "pass --force to overwrite it, or -f <other file>")
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.WriteFile(path, config.Example(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	_ = render.WroteStack(opts.IO.Err, name)
	return nil
}

// writeAppFiles writes templates/app into dir (next to the stack file):
// every file is checked first, so nothing is overwritten without --force and
// nothing is half-written. Scripts (a password may be filled into them) are
// the owner's only, and so are wschat.env and redis.conf (the password, its
// hash).
func writeAppFiles(opts *InitOptions, dir string) error {
	entries, err := fs.ReadDir(templates.App, "app")
	if err != nil {
		return err
	}
	if !opts.Force {
		for _, e := range entries {
			if _, err := os.Stat(opts.Factory.Path(filepath.Join(dir, e.Name()))); err == nil {
				return cmdutil.WithHint(fmt.Errorf("%s already exists", filepath.Join(dir, e.Name())), "pass --force to overwrite the app's files")
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
		name := filepath.Join(dir, e.Name())
		path := opts.Factory.Path(name)
		if err := os.WriteFile(path, data, mode); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		if err := os.Chmod(path, mode); err != nil {
			return fmt.Errorf("set the mode of %s: %w", name, err)
		}
		_ = render.Wrote(opts.IO.Err, name)
	}
	return nil
}
