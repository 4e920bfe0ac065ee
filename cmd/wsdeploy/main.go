// Command wsdeploy puts a WebSocket app behind an Alibaba Cloud load balancer.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
)

// Stamped by the linker (see .goreleaser.yaml).
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	ios := cli.IOStreams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, InTTY: isTTY(os.Stdin), ErrTTY: isTTY(os.Stderr)}
	code := cli.Run(ctx, os.Args[1:], ios, cli.Build{Version: version, Commit: commit, Date: date}, os.Getenv)
	stop()
	os.Exit(code)
}

func isTTY(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
