package verify

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
)

func TestNewCmdVerify(t *testing.T) {
	t.Parallel()
	f, _ := cmdtest.Factory(t)
	var got *VerifyOptions
	err := cmdtest.Execute(NewCmdVerify(f, func(o *VerifyOptions) error { got = o; return nil }),
		"--target", "wss://chat.example.com", "--dial", "10.0.0.1:443,10.0.0.2:443", "--ca", "ca.pem", "--insecure", "--idle-check",
		"--idle-for", "70s", "--clients", "3", "--messages", "5", "--path", "/socket", "--origin", "https://a.example", "--dns-server", "223.5.5.5", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	if got.Target != "wss://chat.example.com" || strings.Join(got.Dial, " ") != "10.0.0.1:443 10.0.0.2:443" || got.CA != "ca.pem" || !got.Insecure ||
		!got.IdleCheck || got.IdleFor != 70*time.Second || got.Clients != 3 || got.Messages != 5 || got.Path != "/socket" ||
		got.Origin != "https://a.example" || got.DNSServer != "223.5.5.5" || got.Output != "json" {
		t.Fatalf("options %+v", got)
	}
	got = nil
	if err := cmdtest.Execute(NewCmdVerify(f, func(o *VerifyOptions) error { got = o; return nil })); err != nil {
		t.Fatal(err)
	}
	if got.Clients != 2 || got.Messages != 20 || got.Path != "/ws" || got.Target != "" {
		t.Fatalf("defaults %+v", got)
	}
}

// The stack's DNS name and listeners are the targets; HTTPS means wss.
func TestVerifyTargets(t *testing.T) {
	t.Parallel()
	s := config.Demo()
	targets, err := verifyTargets(s, &VerifyOptions{Dial: []string{"10.0.0.1:5000"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 2 || targets[0].Addr != "chat.example.com:5000" || targets[0].Scheme != "ws" || targets[0].IdleTimeout != time.Minute ||
		targets[1].Addr != "chat.example.com:443" || targets[1].Scheme != "wss" || targets[1].DialAddrs[0] != "10.0.0.1:5000" {
		t.Fatalf("targets %+v", targets)
	}
	s.DNS = nil
	if _, err := verifyTargets(s, &VerifyOptions{}, ""); err == nil || !strings.Contains(err.Error(), "no dns: section") {
		t.Fatalf("a stack without dns: %v", err)
	}
	for raw, want := range map[string]string{"chat.example.com:443": "wss", "ws://chat.example.com": "ws", "chat.example.com:5000": "ws"} {
		if tg, err := parseVerifyTarget(raw, nil); err != nil || tg.Scheme != want {
			t.Errorf("--target %s: %+v, %v; want %s", raw, tg, err, want)
		}
	}
}

// verifyRun against a --target nothing listens on: no stack file is needed
// (none is in the Factory's working directory), the tcp check fails, exit 1.
func TestVerifyRunTarget(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	f, ios := cmdtest.Factory(t)
	opts := &VerifyOptions{IO: f.IOStreams, Factory: f, Target: addr, Clients: 2, Messages: 2, Path: "/ws"}
	opts.Stack.ConfigPath, opts.Cloud.Timeout, opts.Output = "wsdeploy.yaml", time.Minute, "text"
	err = verifyRun(context.Background(), opts)
	var ee *cmdutil.ExitCodeError
	if !errors.As(err, &ee) || ee.Code != cmdutil.ExitError || ee.Err != nil {
		t.Fatalf("error %v, want exit 1 with the report said", err)
	}
	if !strings.Contains(ios.Out.String(), "✘ tcp") {
		t.Fatalf("report:\n%s", ios.Out)
	}
}
