package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
)

// Every flag's usage text gives --help the right placeholder: none for a
// boolean, one word for a value. A stray pair of backticks in a usage text
// (`wsdeploy verify`) would otherwise become a fake argument name.
func TestFlagUsagePlaceholders(t *testing.T) {
	t.Parallel()
	root := newRoot(cmdutil.New(IOStreams{}, Build{}, func(string) string { return "" }))
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	var walk func(c *cobra.Command)
	n := 0
	walk = func(c *cobra.Command) {
		c.Flags().VisitAll(func(f *pflag.Flag) {
			n++
			name, usage := pflag.UnquoteUsage(f)
			where := c.CommandPath() + " --" + f.Name
			if f.Value.Type() == "bool" && name != "" {
				t.Errorf("%s is a boolean but --help shows it taking %q", where, name)
			}
			if strings.ContainsAny(name, " `") {
				t.Errorf("%s: placeholder %q is not one word", where, name)
			}
			if strings.Contains(usage, "`") {
				t.Errorf("%s: usage keeps a backtick: %q", where, usage)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	if n < 40 {
		t.Fatalf("visited only %d flags", n)
	}
}
