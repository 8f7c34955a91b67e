package sfu

import (
	"net"

	"golang.org/x/sys/unix"
)

// forceSocketBuffers raises c's buffers past the sysctl caps when allowed
// and reads back what the kernel granted (it reports twice the size asked,
// the bookkeeping included: halved here).
func forceSocketBuffers(c *net.UDPConn, want int) (rcv, snd int) {
	raw, err := c.SyscallConn()
	if err != nil {
		return 0, 0
	}
	_ = raw.Control(func(fd uintptr) {
		get := func(opt int) int {
			v, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, opt)
			if err != nil {
				return 0
			}
			return v / 2
		}
		if rcv = get(unix.SO_RCVBUF); rcv < want && unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, want) == nil {
			rcv = get(unix.SO_RCVBUF)
		}
		if snd = get(unix.SO_SNDBUF); snd < want && unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, want) == nil {
			snd = get(unix.SO_SNDBUF)
		}
	})
	return rcv, snd
}
