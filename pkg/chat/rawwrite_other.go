//go:build !unix

package chat

// rawWriter is nil where a socket's descriptor cannot be written without
// blocking through package syscall (Windows): the client writes through
// net.Conn instead.
func rawWriter(c *client) func(fd uintptr) bool { return nil }
