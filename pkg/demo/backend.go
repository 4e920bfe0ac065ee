package demo

// The demo's chat backends are child processes of the wsdeploy binary
// (`wsdeploy demo backend`, hidden), not goroutines: each can be stopped on
// its own with a real SIGTERM (`kill -TERM PID`, as systemd stops wschat),
// which is what shows a page reconnecting through the load balancer to
// another backend; a backend that crashes takes nothing else down; and each
// has its own log file.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/templates"
)

// RedisEnv carries the Redis URL to a backend (never on its command line,
// where any user of the machine could read it).
const RedisEnv = "WSDEPLOY_DEMO_REDIS_URL"

// BackendOptions configure one backend process.
type BackendOptions struct {
	Name         string
	Addr         string // listen address, 127.0.0.1:0 for any port
	RedisURL     string
	PingInterval time.Duration
	// AllowedOrigins are the host patterns of other pages allowed to connect.
	AllowedOrigins []string
}

// listeningPrefix starts the one line a backend prints on stdout.
const listeningPrefix = "wschat listening on "

// ServeBackend runs a wschat backend until ctx ends (SIGTERM: it closes
// every connection with 1001 "going away", as wschat does). It prints
// "wschat listening on ADDR" on stdout once it accepts connections, and
// logs on stderr.
func ServeBackend(ctx context.Context, o BackendOptions, stdout, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	page, err := templates.App.ReadFile("app/index.html")
	if err != nil {
		return fmt.Errorf("read the built-in page: %w", err)
	}
	opts := chat.Options{Name: o.Name, Logger: log, Page: page, PingInterval: o.PingInterval, AllowedOrigins: o.AllowedOrigins,
		// The load balancer's data plane runs on this machine: trust its X-Forwarded-For.
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}}
	if o.RedisURL != "" {
		bus, err := chat.NewRedisBus(chat.RedisOptions{URL: o.RedisURL, Logger: log})
		if err != nil {
			return err
		}
		defer bus.Close()
		opts.Bus = bus
	}
	srv, err := chat.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("backend %s: %w", o.Name, err)
	}
	fmt.Fprintln(stdout, listeningPrefix+ln.Addr().String())
	return srv.Serve(ctx, ln)
}

// backend is a backend process the demo started.
type backend struct {
	Name, InstanceID, Instance string
	Addr                       string
	cmd                        *exec.Cmd
	exited                     chan struct{}
	err                        error
	logPath                    string
	stopOnce                   sync.Once
}

// startBackend starts `exe demo backend` and waits until it listens.
func startBackend(ctx context.Context, exe string, env []string, o BackendOptions, logDir string) (*backend, error) {
	logPath := filepath.Join(logDir, o.Name+".log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("backend %s: %w", o.Name, err)
	}
	defer logf.Close() // the child has its own copy
	args := []string{"demo", "backend", "--name", o.Name, "--addr", o.Addr, "--ping-interval", o.PingInterval.String()}
	if len(o.AllowedOrigins) > 0 {
		args = append(args, "--allowed-origins", strings.Join(o.AllowedOrigins, ","))
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(append([]string{}, env...), RedisEnv+"="+o.RedisURL)
	cmd.Stderr = logf
	cmd.SysProcAttr = childAttr()
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start backend %s (%s): %w", o.Name, exe, err)
	}
	b := &backend{Name: o.Name, cmd: cmd, exited: make(chan struct{}), logPath: logPath}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(io.Discard, out)
	}()
	go func() {
		b.err = cmd.Wait()
		close(b.exited)
	}()
	timer := time.NewTimer(30 * time.Second)
	defer timer.Stop()
	select {
	case line := <-lines:
		if addr, ok := strings.CutPrefix(line, listeningPrefix); ok {
			b.Addr = addr
			return b, nil
		}
		b.stop()
		return nil, withHint(fmt.Errorf("backend %s did not start", o.Name), "read its log, "+logPath)
	case <-timer.C:
	case <-ctx.Done():
	}
	b.stop()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nil, withHint(fmt.Errorf("backend %s did not listen within 30s", o.Name), "read its log, "+logPath)
}

// running says whether the process has not exited.
func (b *backend) running() bool {
	select {
	case <-b.exited:
		return false
	default:
		return true
	}
}

// stop ends the process: SIGTERM (its connections are closed with "going
// away"), then, after 10s, SIGKILL. It waits for it to exit.
func (b *backend) stop() {
	b.stopOnce.Do(func() {
		if !b.running() {
			return
		}
		if err := terminate(b.cmd.Process); err != nil && !errors.Is(err, os.ErrProcessDone) {
			_ = b.cmd.Process.Kill()
		}
		select {
		case <-b.exited:
		case <-time.After(10 * time.Second):
			_ = b.cmd.Process.Kill()
			<-b.exited
		}
	})
}

// exitReason says how the process ended.
func (b *backend) exitReason() string {
	var ee *exec.ExitError
	if errors.As(b.err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return "stopped by " + ws.Signal().String()
		}
		return fmt.Sprintf("exited with code %d", ee.ExitCode())
	}
	if b.err != nil {
		return b.err.Error()
	}
	return "exited"
}
