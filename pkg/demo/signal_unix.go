//go:build unix

package demo

import (
	"os"
	"syscall"
)

// terminate asks a process to stop (SIGTERM).
func terminate(p *os.Process) error { return p.Signal(syscall.SIGTERM) }

// lockFile takes an exclusive lock on path without waiting; ok is false
// when another process holds it.
func lockFile(path string) (release func(), ok bool, err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false, nil
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, true, nil
}
