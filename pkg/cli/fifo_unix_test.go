//go:build unix

package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStackFileFIFORefused: -f naming a FIFO (or a /dev/stdin-like pipe) must be
// refused before it is opened, since opening a FIFO blocks until someone writes.
func TestStackFileFIFORefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fifo := filepath.Join(t.TempDir(), "wsdeploy.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	for _, cmd := range []string{"plan", "up", "down", "status"} {
		t.Run(cmd, func(t *testing.T) {
			done := make(chan result, 1)
			args := []string{cmd, "--endpoint", e.fc.URL(), "-f", fifo}
			if cmd == "up" || cmd == "down" {
				args = append(args, "--yes")
			}
			go func() { done <- e.runRaw(args...) }()
			var r result
			select {
			case r = <-done:
			case <-time.After(30 * time.Second):
				// Unblock the open (a writer arrives, then EOF) so the test can end.
				if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
					w.Close()
				}
				<-done
				t.Fatalf("wsdeploy %s -f <FIFO> hung opening the pipe", cmd)
			}
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
			}
			for _, want := range []string{"is a named pipe (FIFO), want a regular wsdeploy.yaml file", "To fix: pass -f with the path of a regular file"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if len(r.calls) != 0 {
				t.Errorf("%d API call(s) for an unreadable stack file", len(r.calls))
			}
		})
	}
}
