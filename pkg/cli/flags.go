package cli

import (
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// flagSet selects the shared flags a command takes: each command shows only
// the flags that mean something for it (no --endpoint on `version`).
type flagSet uint

const (
	flagConfig    flagSet = 1 << iota // -f
	flagOverrides                     // --lb, --region
	flagCloud                         // --endpoint, --local, --timeout, --profile, --debug
	flagOutput                        // -o
	flagYes                           // --yes

	flagsCloudCommand = flagConfig | flagOverrides | flagCloud | flagOutput
)

// Usage strings follow pflag's convention: a word in backticks is the
// value's placeholder in --help (`--lb kind`); a boolean flag has none.
func (g *globals) addFlags(cmd *cobra.Command, set flagSet) {
	f := cmd.Flags()
	if set&flagConfig != 0 {
		f.StringVarP(&g.configPath, "config", "f", defaultConfigPath, "path of the stack `file`")
		_ = cmd.RegisterFlagCompletionFunc("config", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		})
	}
	if set&flagOverrides != 0 {
		f.StringVar(&g.lb, "lb", "", "load balancer `kind`, overrides the file: alb or clb")
		f.StringVar(&g.region, "region", "", "region `id`, overrides the file (e.g. cn-hangzhou)")
		_ = cmd.RegisterFlagCompletionFunc("lb", cobra.FixedCompletions(
			[]string{"alb\tApplication Load Balancer", "clb\tClassic Load Balancer"}, cobra.ShellCompDirectiveNoFileComp))
	}
	if set&flagCloud != 0 {
		f.StringVar(&g.endpoint, "endpoint", "", "send every API call to this `url` instead of Alibaba Cloud, e.g. a wsdeploy fakecloud (env WSDEPLOY_ENDPOINT)")
		f.BoolVar(&g.local, "local", false, "use the built-in fake cloud (state in "+LocalStatePath+"); no account needed")
		f.DurationVar(&g.timeout, "timeout", 15*time.Minute, "give up after this long (waits included)")
		f.StringVar(&g.profile, "profile", "", "aliyun CLI profile `name` to take credentials from (env ALIBABA_CLOUD_PROFILE)")
		f.BoolVar(&g.debug, "debug", false, "log every API call (product, action, parameters, status, request ID, duration) on stderr; never credentials")
	}
	if set&flagOutput != 0 {
		f.StringVarP(&g.output, "output", "o", "text", "output `format`: text or json (with json, stderr carries JSON lines only)")
		_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(
			[]string{"text\tfor people", "json\tfor scripts: JSON on stdout, JSON lines on stderr"}, cobra.ShellCompDirectiveNoFileComp))
	}
	if set&flagYes != 0 {
		f.BoolVar(&g.yes, "yes", false, "do not ask for confirmation (required for destructive changes without a terminal)")
	}
}

// stderrLog is the command's stderr: text, or JSON lines with -o json.
type stderrLog struct {
	once sync.Once
	log  *render.Log
}

// log returns the stderr log, in the format -o asked for (text when -o is
// missing or invalid: its error is then reported in text).
func (g *globals) log() *render.Log {
	g.stderr.once.Do(func() {
		f, err := render.ParseFormat(g.output)
		if err != nil {
			f = render.Text
		}
		g.stderr.log = render.NewLog(g.ios.Err, f)
	})
	return g.stderr.log
}

// errorLog is the log for the error that ends a run. When parsing stopped
// before -o was read (an unknown flag ahead of it), args decide.
func (g *globals) errorLog(args []string) *render.Log {
	if g.output == "" || g.output == "text" {
		if outputJSON(args) {
			g.output = "json"
		}
	}
	return g.log()
}

// outputJSON reports whether args ask for -o json.
func outputJSON(args []string) bool {
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
