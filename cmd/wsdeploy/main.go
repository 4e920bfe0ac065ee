// Command wsdeploy puts a WebSocket app behind an Alibaba Cloud load balancer.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"golang.org/x/term"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
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
	// apply finishes its running steps and starts no new ones. After it, the
	// default handling is back, so a second Ctrl-C ends the process at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	ios := cli.IOStreams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, InTTY: isTTY(os.Stdin), ErrTTY: isTTY(os.Stderr)}
	info, _ := debug.ReadBuildInfo()
	build := cli.Build{Version: version, Commit: commit, Date: date}.WithBuildInfo(info)
	code := cli.Run(ctx, os.Args[1:], ios, build, os.Getenv)
	stop()
	os.Exit(code)
}

func isTTY(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
