package sfu

import (
	"net"
	"unsafe"

	"golang.org/x/sys/unix"
)

// gsoControlSize is the room one UDP_SEGMENT control message takes.
func gsoControlSize() int { return unix.CmsgSpace(2) }

// gsoSupported reports whether the kernel offers UDP GSO on c (Linux 4.18+).
func gsoSupported(c *net.UDPConn) bool {
	rc, err := c.SyscallConn()
	if err != nil {
		return false
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		_, serr = unix.GetsockoptInt(int(fd), unix.IPPROTO_UDP, unix.UDP_SEGMENT)
	}); err != nil {
		return false
	}
	return serr == nil
}

// appendGSOControl appends a UDP_SEGMENT control message: the kernel cuts
// the message's buffer into datagrams of size bytes (the last may be shorter).
func appendGSOControl(b []byte, size int) []byte {
	start := len(b)
	b = append(b, make([]byte, gsoControlSize())...)
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[start]))
	h.Level = unix.IPPROTO_UDP
	h.Type = unix.UDP_SEGMENT
	h.SetLen(unix.CmsgLen(2))
	*(*uint16)(unsafe.Pointer(&b[start+unix.CmsgLen(0)])) = uint16(size)
	return b
}
