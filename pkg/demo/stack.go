package demo

import (
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
)

// DemoStackYAML is the built-in demo stack (config.Example) with n servers,
// ECS01…ECSn, for a demo of n backends: the file the demo writes when n is
// not the built-in stack's two.
func DemoStackYAML(n int) []byte {
	ex := string(config.Example())
	start := strings.Index(ex, "  servers:")
	end := strings.Index(ex, "  healthCheck:")
	if start < 0 || end < start {
		panic("demo: config.Example has no backends.servers block")
	}
	var b strings.Builder
	b.WriteString("  servers:                  # the demo world's instances; wsdeploy demo maps each to a backend\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "    - ECS%02d\n", i)
	}
	return []byte(ex[:start] + b.String() + ex[end:])
}
