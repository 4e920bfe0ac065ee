// Package redistest runs a Redis for tests: on a free loopback port, with a
// password, stopped at cleanup.
//
// It runs the real redis-server when one is on PATH. Without one it runs an
// embedded Redis-compatible server (github.com/alicebob/miniredis/v2: pure
// Go, RESP2/3, AUTH, pub/sub), so `go test ./...` on a machine with only Go
// still exercises the cross-backend path; every test that gets it says so
// in its log. When the environment variable CI is set (non-empty), a missing
// redis-server fails the test instead: CI must test against the real thing.
package redistest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Password is the password every test server requires.
const Password = "test-password-8f3a"

// Server is a running Redis: redis-server, or the embedded stand-in.
type Server struct {
	Addr string // 127.0.0.1:port
	// Embedded is true when miniredis stands in for redis-server.
	Embedded bool

	tb   testing.TB
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
	done chan struct{}
	mini *miniredis.Miniredis
}

// Binary returns the path of redis-server, or "" when it is not installed.
func Binary() string {
	p, err := exec.LookPath("redis-server")
	if err != nil {
		return ""
	}
	return p
}

// InCI reports whether the environment variable CI is set (non-empty), as
// CI systems do: then tests that need redis-server must not do without it.
func InCI() bool { return os.Getenv("CI") != "" }

// missingInCI is the failure message when redis-server is absent under CI.
const missingInCI = "redis-server is not installed and CI is set: CI must test against a real Redis, not the embedded stand-in.\n" +
	"To fix: install it (apt-get install redis-server; .ci/run does this), or unset CI to run the tests against the embedded miniredis"

// missingInCIRealOnly is the failure message, under CI, for a test only the
// real redis-server can run.
const missingInCIRealOnly = "redis-server is not installed and CI is set: this test needs the real redis-server (the embedded stand-in cannot run it).\n" +
	"To fix: install it (apt-get install redis-server; .ci/run does this); without CI the test is skipped"

// RequireBinary returns the path of redis-server for a test that needs the
// real one (not the embedded stand-in): without it the test is skipped, or
// fails when CI is set.
func RequireBinary(tb testing.TB) string {
	tb.Helper()
	bin := Binary()
	if bin == "" {
		if InCI() {
			tb.Fatal(missingInCIRealOnly)
		}
		tb.Skip("redis-server is not installed (apt-get install redis-server); .ci/run installs it")
	}
	return bin
}

// Start starts a Redis for the test: redis-server when it is installed;
// otherwise the embedded miniredis (logged), or a failure when CI is set.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin := Binary()
	if bin == "" && InCI() {
		tb.Fatal(missingInCI)
	}
	s := &Server{tb: tb, bin: bin, Embedded: bin == ""}
	if s.Embedded {
		s.mini = miniredis.NewMiniRedis()
		s.mini.RequireAuth(Password)
		if err := s.mini.StartAddr("127.0.0.1:0"); err != nil {
			tb.Fatalf("start the embedded Redis (miniredis): %v", err)
		}
		s.Addr = s.mini.Addr()
		tb.Logf("redistest: redis-server is not on PATH; using the embedded Redis stand-in (github.com/alicebob/miniredis/v2) on %s. Install redis-server to test against a real Redis", s.Addr)
		tb.Cleanup(s.Stop)
		return s
	}
	s.dir, s.port = tb.TempDir(), freePort(tb)
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
	s.start()
	tb.Logf("redistest: redis-server %s on %s", bin, s.Addr)
	tb.Cleanup(s.Stop)
	return s
}

// URL is the redis:// URL of the server, password included.
func (s *Server) URL() string { return "redis://:" + Password + "@" + s.Addr + "/0" }

func (s *Server) start() {
	s.tb.Helper()
	s.cmd = exec.Command(s.bin,
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--protected-mode", "yes",
		"--requirepass", Password, "--save", "", "--appendonly", "no", "--daemonize", "no",
		"--dir", s.dir, "--logfile", filepath.Join(s.dir, "redis.log"))
	if err := s.cmd.Start(); err != nil {
		s.tb.Fatalf("start redis-server: %v", err)
	}
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(s.cmd, s.done)
	if err := s.waitReady(10 * time.Second); err != nil {
		s.Stop()
		log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
		s.tb.Fatalf("redis-server on %s did not become ready: %v\n%s", s.Addr, err, log)
	}
}

func (s *Server) waitReady(limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, Password: Password, MaxRetries: -1})
	defer rdb.Close()
	for {
		err := rdb.Ping(ctx).Err()
		if err == nil {
			return nil
		}
		select {
		case <-s.done:
			return fmt.Errorf("redis-server exited")
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Stop stops the server abruptly, like a crash: every client connection is
// cut. For redis-server it kills the process and waits for it to exit.
func (s *Server) Stop() {
	if s.Embedded {
		s.mini.Close()
		return
	}
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// Pause stops redis-server's process (SIGSTOP) and leaves every connection
// open: Redis answers nothing and closes nothing, like a server that died
// without saying so (a host gone, a dropped NAT entry). resume continues it
// (SIGCONT); cleanup resumes it too. The embedded stand-in cannot be paused:
// the test is skipped (Start fails first when CI is set).
func (s *Server) Pause() (resume func()) {
	s.tb.Helper()
	if s.Embedded {
		s.tb.Skip("pausing Redis needs the real redis-server (apt-get install redis-server); .ci/run installs it")
	}
	if stopSignal == nil {
		s.tb.Skip("pausing a process needs SIGSTOP (unix)")
	}
	p := s.cmd.Process
	if err := p.Signal(stopSignal); err != nil {
		s.tb.Fatalf("pause redis-server on %s: %v", s.Addr, err)
	}
	var once sync.Once
	resume = func() {
		once.Do(func() {
			if err := p.Signal(contSignal); err != nil && !errors.Is(err, os.ErrProcessDone) {
				s.tb.Errorf("resume redis-server on %s: %v", s.Addr, err)
			}
		})
	}
	s.tb.Cleanup(resume)
	return resume
}

// Restart starts the server again on the same port.
func (s *Server) Restart() {
	s.tb.Helper()
	s.Stop()
	if s.Embedded {
		if err := s.mini.Restart(); err != nil {
			s.tb.Fatalf("restart the embedded Redis on %s: %v", s.Addr, err)
		}
		return
	}
	s.start()
}

func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
