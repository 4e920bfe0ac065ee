package cli_test

import (
	"context"
	"os"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
)

// TestMain lets tests run this test binary as the wsdeploy command (with
// WSDEPLOY_AS_CLI=1), so crash tests can SIGKILL a real process.
func TestMain(m *testing.M) {
	if os.Getenv("WSDEPLOY_AS_CLI") == "1" {
		// As cmd/wsdeploy does: the first SIGINT cancels the context.
		ctx, stop := cli.SignalContext(context.Background())
		defer stop()
		ios := cli.IOStreams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}
		os.Exit(cli.Run(ctx, os.Args[1:], ios, cli.Build{Version: "test"}, os.Getenv))
	}
	os.Exit(m.Run())
}
