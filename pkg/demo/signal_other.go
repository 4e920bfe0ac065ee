//go:build !unix

package demo

import (
	"os"
	"syscall"
)

// childAttr: no process groups here.
func childAttr() *syscall.SysProcAttr { return nil }

// terminate stops a process (no SIGTERM here: at once).
func terminate(p *os.Process) error { return p.Kill() }

// lockFile: no advisory locks here; two demos in one directory are not prevented.
func lockFile(string) (release func(), ok bool, err error) { return func() {}, true, nil }
