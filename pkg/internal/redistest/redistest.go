// Package redistest runs a real redis-server for tests: on a free loopback
// port, with a password, in a temporary directory, killed at cleanup.
package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Password is the password every test server requires.
const Password = "test-password-8f3a"

// Server is a running redis-server.
type Server struct {
	Addr string // 127.0.0.1:port
	tb   testing.TB
	dir  string
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

// Binary returns the path of redis-server, or "" when it is not installed.
func Binary() string {
	p, err := exec.LookPath("redis-server")
	if err != nil {
		return ""
	}
	return p
}

// Start starts a redis-server, or skips the test when the binary is absent.
func Start(tb testing.TB) *Server {
	tb.Helper()
	if Binary() == "" {
		tb.Skip("redis-server is not installed (apt-get install redis-server); .ci/run installs it")
	}
	s := &Server{tb: tb, dir: tb.TempDir(), port: freePort(tb)}
	s.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
	s.start()
	tb.Cleanup(s.Stop)
	return s
}

// URL is the redis:// URL of the server, password included.
func (s *Server) URL() string { return "redis://:" + Password + "@" + s.Addr + "/0" }

func (s *Server) start() {
	s.tb.Helper()
	s.cmd = exec.Command(Binary(),
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

// Stop kills the server (abruptly, like a crash) and waits for it to exit.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// Restart starts the server again on the same port.
func (s *Server) Restart() {
	s.tb.Helper()
	s.Stop()
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
