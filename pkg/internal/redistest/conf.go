package redistest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Conf is a redis-server started with a configuration file of the test's.
type Conf struct {
	Addr string // 127.0.0.1:port
}

// StartConf starts a real redis-server with conf (plus --port, --bind
// 127.0.0.1 and --dir for the test, which override conf, then args, in which
// PORT stands for the port), killed at cleanup.
// Configuration files need the real server (the embedded stand-in reads
// none): without redis-server the test is skipped, or fails when the
// environment variable CI is set (RequireBinary).
func StartConf(tb testing.TB, conf string, args ...string) *Conf {
	tb.Helper()
	bin := RequireBinary(tb)
	dir := tb.TempDir()
	path := filepath.Join(dir, "redis.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		tb.Fatal(err)
	}
	port := freePort(tb)
	log := filepath.Join(dir, "redis.log")
	argv := []string{path, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir, "--logfile", log}
	for _, a := range args {
		argv = append(argv, strings.ReplaceAll(a, "PORT", strconv.Itoa(port)))
	}
	cmd := exec.Command(bin, argv...)
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start redis-server: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	tb.Cleanup(func() { _ = cmd.Process.Kill(); <-done })
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if err := waitListening(addr, done); err != nil {
		out, _ := os.ReadFile(log)
		tb.Fatalf("redis-server with the test's redis.conf did not start: %v\n%s", err, out)
	}
	return &Conf{Addr: addr}
}

// waitListening waits until addr accepts TCP connections, the server exits
// (done closes) or 10 s pass.
func waitListening(addr string, done <-chan struct{}) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("redis-server exited")
		default:
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
}
