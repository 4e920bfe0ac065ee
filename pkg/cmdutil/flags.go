package cmdutil

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// DefaultConfigPath is the stack file used without -f.
const DefaultConfigPath = "wsdeploy.yaml"

// LocalStatePath is where --local keeps the fake cloud's world, relative to
// the working directory.
const LocalStatePath = ".wsdeploy/local-cloud.json"

// StackFlags say which stack file, and what overrides it: -f, --lb, --region.
type StackFlags struct {
	ConfigPath string
	LB, Region string
	// ConfigSet, LBSet and RegionSet say whether the flag was given (see Complete).
	ConfigSet, LBSet, RegionSet bool
}

// Complete records which of the flags the command line gave.
func (s *StackFlags) Complete(cmd *cobra.Command) {
	s.ConfigSet = cmd.Flags().Changed("config")
	s.LBSet = cmd.Flags().Changed("lb")
	s.RegionSet = cmd.Flags().Changed("region")
}

// CloudFlags say which cloud, with which credentials, for how long:
// --endpoint, --local, --timeout, --profile, --debug.
type CloudFlags struct {
	Endpoint string
	Local    bool
	Timeout  time.Duration
	Profile  string
	Debug    bool
}

// CloudOptions are the flags of every command that calls the cloud (plan,
// up, down, status, verify): the stack, the cloud and -o.
type CloudOptions struct {
	Stack  StackFlags
	Cloud  CloudFlags
	Output string
}

// Usage strings follow pflag's convention: a word in backticks is the
// value's placeholder in --help (`--lb kind`); a boolean flag has none.
// Each command takes only the flags that mean something for it (no
// --endpoint on `version`).

// AddConfigFlag adds -f.
func AddConfigFlag(cmd *cobra.Command, path *string) {
	cmd.Flags().StringVarP(path, "config", "f", DefaultConfigPath, "path of the stack `file`")
	_ = cmd.RegisterFlagCompletionFunc("config", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
	})
}

// AddOverrideFlags adds --lb and --region.
func AddOverrideFlags(cmd *cobra.Command, s *StackFlags) {
	f := cmd.Flags()
	f.StringVar(&s.LB, "lb", "", "load balancer `kind`, overrides the file: alb or clb")
	f.StringVar(&s.Region, "region", "", "region `id`, overrides the file (e.g. cn-hangzhou)")
	_ = cmd.RegisterFlagCompletionFunc("lb", cobra.FixedCompletions(
		[]string{"alb\tApplication Load Balancer", "clb\tClassic Load Balancer"}, cobra.ShellCompDirectiveNoFileComp))
}

// AddStackFlags adds -f, --lb and --region.
func AddStackFlags(cmd *cobra.Command, s *StackFlags) {
	AddConfigFlag(cmd, &s.ConfigPath)
	AddOverrideFlags(cmd, s)
}

// AddCloudFlags adds --endpoint, --local, --timeout, --profile and --debug.
func AddCloudFlags(cmd *cobra.Command, c *CloudFlags) {
	f := cmd.Flags()
	f.StringVar(&c.Endpoint, "endpoint", "", "send every API call to this `url` instead of Alibaba Cloud, e.g. a wsdeploy fakecloud (env WSDEPLOY_ENDPOINT)")
	f.BoolVar(&c.Local, "local", false, "use the built-in fake cloud (state in "+LocalStatePath+"); no account needed")
	f.DurationVar(&c.Timeout, "timeout", 15*time.Minute, "give up after this long (waits included)")
	f.StringVar(&c.Profile, "profile", "", "aliyun CLI profile `name` to take credentials from (env ALIBABA_CLOUD_PROFILE)")
	f.BoolVar(&c.Debug, "debug", false, "log every API call (product, action, parameters, status, request ID, duration) on stderr; never credentials")
}

// AddOutputFlag adds -o.
func AddOutputFlag(cmd *cobra.Command, output *string) {
	cmd.Flags().StringVarP(output, "output", "o", "text", "output `format`: text or json (with json, stderr carries JSON lines only)")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(
		[]string{"text\tfor people", "json\tfor scripts: JSON on stdout, JSON lines on stderr"}, cobra.ShellCompDirectiveNoFileComp))
}

// AddYesFlag adds --yes.
func AddYesFlag(cmd *cobra.Command, yes *bool) {
	cmd.Flags().BoolVar(yes, "yes", false, "do not ask for confirmation (required for destructive changes without a terminal)")
}

// AddCloudCommandFlags adds the flags of CloudOptions: -f, --lb, --region,
// the cloud flags and -o.
func AddCloudCommandFlags(cmd *cobra.Command, o *CloudOptions) {
	AddStackFlags(cmd, &o.Stack)
	AddCloudFlags(cmd, &o.Cloud)
	AddOutputFlag(cmd, &o.Output)
}

// ParseFormat checks -o; a bad value is a FlagError.
func ParseFormat(output string) (render.Format, error) {
	f, err := render.ParseFormat(output)
	if err != nil {
		return "", FlagError(err)
	}
	return f, nil
}

// OutputJSON reports whether args ask for -o json: the error that ends a run
// is printed as JSON then, even when parsing stopped before -o was read.
func OutputJSON(args []string) bool {
	for i, a := range args {
		switch {
		case a == "--":
			return false
		case a == "-o" || a == "--output":
			if i+1 < len(args) && args[i+1] == "json" {
				return true
			}
		case a == "-ojson" || a == "-o=json" || a == "--output=json":
			return true
		}
	}
	return false
}
