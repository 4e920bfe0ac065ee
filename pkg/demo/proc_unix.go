//go:build unix && !linux

package demo

import "syscall"

// childAttr puts a child in its own process group, so that a Ctrl-C on the
// terminal reaches the demo alone, which then stops its children in order.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
