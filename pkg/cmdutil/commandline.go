package cmdutil

import (
	"errors"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/plan"
)

// CommandLine is `wsdeploy <verb> <args>` followed by the global flags of this
// run that say which stack file and which cloud (-f, --local, --endpoint,
// --region, --profile), shell-quoted where needed.
func CommandLine(o *CloudOptions, verb string, args ...string) string {
	parts := append([]string{"wsdeploy", verb}, args...)
	if o.Stack.ConfigPath != DefaultConfigPath {
		parts = append(parts, "-f", o.Stack.ConfigPath)
	}
	if o.Cloud.Local {
		parts = append(parts, "--local")
	}
	if o.Cloud.Endpoint != "" {
		parts = append(parts, "--endpoint", o.Cloud.Endpoint)
	}
	if o.Stack.Region != "" {
		parts = append(parts, "--region", o.Stack.Region)
	}
	if o.Cloud.Profile != "" {
		parts = append(parts, "--profile", o.Cloud.Profile)
	}
	for i, p := range parts {
		parts[i] = shellQuote(p)
	}
	return strings.Join(parts, " ")
}

// WithCommands completes the commands a kind-switch refusal tells the user to
// run with the flags of this run, so they can be pasted as they are.
func WithCommands(err error, o *CloudOptions) error {
	var se *plan.SwitchError
	if errors.As(err, &se) {
		se.Down = CommandLine(o, "down", "--lb", se.On.Kind)
		se.Up = CommandLine(o, "up", "--lb", se.Want.Type)
	}
	return err
}

// Rerun is the command line args (without the program name), shell-quoted,
// without --debug: what a hint tells the user to run again.
func Rerun(args []string) string { return quoteCommand(args) }

// RerunWith is Rerun with flag set to value.
func RerunWith(args []string, flag, value string) string {
	var out []string
	set := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			out = append(out, args[i:]...)
			i = len(args)
			continue
		case a == flag && i+1 < len(args):
			out = append(out, flag, value)
			i++
			set = true
			continue
		case strings.HasPrefix(a, flag+"="):
			out = append(out, flag+"="+value)
			set = true
			continue
		}
		out = append(out, a)
	}
	if !set {
		out = append(out, flag, value)
	}
	return quoteCommand(out)
}

// RerunWithout is Rerun without the positional argument arg (a saved plan).
func RerunWithout(args []string, arg string) string {
	takesValue := map[string]bool{"-f": true, "--config": true, "--lb": true, "--region": true, "--endpoint": true,
		"-o": true, "--output": true, "--timeout": true, "--profile": true}
	var out []string
	dropped := false
	for i, a := range args {
		if !dropped && a == arg && (i == 0 || !takesValue[args[i-1]]) {
			dropped = true
			continue
		}
		out = append(out, a)
	}
	return quoteCommand(out)
}

func quoteCommand(args []string) string {
	parts := []string{"wsdeploy"}
	for _, a := range args {
		if a == "--debug" || strings.HasPrefix(a, "--debug=") {
			continue
		}
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:@%+=,-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
