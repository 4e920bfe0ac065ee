//go:build unix

package fakecloud

import (
	"os"
	"syscall"
)

// tryLockFile takes an exclusive flock on path (created if missing) without
// waiting; ok is false when another open file holds it.
func tryLockFile(path string) (release func(), ok bool) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, false
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, false
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, true
}
