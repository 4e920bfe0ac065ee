//go:build unix

package chat

import "syscall"

// rawWriter is the non-blocking write of c's pending bytes on its socket's
// file descriptor: what the socket takes now, never waiting.
func rawWriter(c *client) func(fd uintptr) bool {
	return func(fd uintptr) bool {
		n, err := syscall.Write(int(fd), c.wbuf)
		if n < 0 {
			n = 0
		}
		if err == syscall.EAGAIN || err == syscall.EINTR {
			err = nil
		}
		c.wn, c.werr = n, err
		return true
	}
}
