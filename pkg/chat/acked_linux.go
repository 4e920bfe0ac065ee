package chat

import (
	"encoding/binary"
	"syscall"
	"unsafe"
)

// tcpiBytesAcked is the offset of tcpi_bytes_acked in Linux's struct
// tcp_info (since Linux 4.1): the bytes of this connection the peer has
// acknowledged, a counter.
const tcpiBytesAcked = 120

// acked returns how many bytes written to c's socket the peer has
// acknowledged so far, or -1 when that cannot be told.
func (c *client) acked() int64 {
	if c.raw == nil {
		return -1
	}
	n := int64(-1)
	_ = c.raw.Control(func(fd uintptr) {
		var info [232]byte
		size := uint32(len(info))
		_, _, errno := syscall.Syscall6(syscall.SYS_GETSOCKOPT, fd, syscall.IPPROTO_TCP, syscall.TCP_INFO,
			uintptr(unsafe.Pointer(&info[0])), uintptr(unsafe.Pointer(&size)), 0)
		if errno == 0 && size >= tcpiBytesAcked+8 {
			n = int64(binary.NativeEndian.Uint64(info[tcpiBytesAcked:]))
		}
	})
	return n
}
