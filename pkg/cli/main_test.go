package cli_test

import (
	"context"
	"flag"
	"os"
	"runtime"
	"strconv"
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
	// These tests mostly wait (on the fake cloud's asynchronous work and
	// latency, on retry back-offs), they hardly compute: run more of them at
	// once than there are CPUs, unless -test.parallel says how many.
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", strconv.Itoa(max(8, 4*runtime.GOMAXPROCS(0))))
	}
	os.Exit(m.Run())
}
