package demo

import "syscall"

// childAttr puts a child in its own process group, so that a Ctrl-C on the
// terminal reaches the demo alone (which then stops its children in order),
// and has the kernel stop it if the demo dies without doing so.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
