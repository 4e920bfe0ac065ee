package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

func newCmdValidate(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate [-f <file>] [--lb alb|clb] [--region <id>] [-o text|json]",
		Short: "Check a stack file offline, without calling any API",
		Long: `validate reads the stack file and checks it the way plan and up do before
they call the cloud: YAML syntax, unknown fields, types, ranges, and the rules
between fields. It never builds an API client and needs no credentials.

It prints every problem and exits 1, or prints "<file> is valid" and exits 0.
--lb and --region are checked as plan and up would apply them.`,
		Example: `  wsdeploy validate
  wsdeploy validate -f prod.yaml --lb clb
  wsdeploy validate -o json     # {"file": …, "valid": false, "problems": [{"path": …, "message": …}]}`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return validateRun(g)
		},
	}
	g.addFlags(cmd, flagConfig|flagOverrides|flagOutput)
	return cmd
}

func validateRun(g *globals) error {
	format, err := g.format()
	if err != nil {
		return err
	}
	_, err = config.LoadAndResolve(g.configPath, config.Overrides{LB: g.lb, Region: g.region})
	res, ok := config.ReportOf(g.configPath, err)
	if !ok {
		return err // not a verdict on the file's content: it could not be read
	}
	if format == render.JSON {
		if err := render.WriteJSON(g.ios.Out, res); err != nil {
			return err
		}
		if !res.Valid {
			return &exitError{code: ExitError}
		}
		return nil
	}
	if res.Valid {
		fmt.Fprintf(g.ios.Out, "%s is valid\n", g.configPath)
		return nil
	}
	return err
}
