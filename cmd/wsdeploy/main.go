// Command wsdeploy puts a WebSocket app behind an Alibaba Cloud load balancer.
package main

import (
	"context"
	"os"
	"runtime/debug"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
)

// Stamped by the linker (see .goreleaser.yaml). Left empty, they come from
// the build info the Go toolchain embeds (see cli.Build.WithBuildInfo).
var (
	version string
	commit  string
	date    string
)

func main() {
	// The first Ctrl-C (or SIGTERM) cancels the context: reads stop, and an
	// apply finishes its running steps and starts no new ones; the exit code
	// is then 130 (143 for SIGTERM). After it, the default handling is back,
	// so a second Ctrl-C ends the process at once.
	ctx, stop := cli.SignalContext(context.Background())
	info, _ := debug.ReadBuildInfo()
	build := cli.Build{Version: version, Commit: commit, Date: date}.WithBuildInfo(info)
	code := cli.Run(ctx, os.Args[1:], iostreams.System(os.Getenv), build, os.Getenv)
	stop()
	os.Exit(code)
}
