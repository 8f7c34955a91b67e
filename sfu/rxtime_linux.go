package sfu

import (
	"encoding/binary"
	"net"

	"golang.org/x/sys/unix"
)

// rxControlSize is the room one SCM_TIMESTAMPNS message takes.
var rxControlSize = unix.CmsgSpace(16)

// enableRxTimestamps asks the kernel to stamp every datagram c receives
// (SO_TIMESTAMPNS); false where it cannot, or where the control message is
// not the 64-bit layout rxTime reads (the caller then stamps at read).
func enableRxTimestamps(c *net.UDPConn) bool {
	if unix.SizeofCmsghdr != 16 {
		return false
	}
	raw, err := c.SyscallConn()
	if err != nil {
		return false
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1)
	}); err != nil {
		return false
	}
	return serr == nil
}

// rxTime finds the SCM_TIMESTAMPNS message in oob (64-bit Linux layout:
// a 16-byte header with the length first, then a timespec of two int64s)
// and returns its time in unix ns.
func rxTime(oob []byte) (int64, bool) {
	for len(oob) >= unix.SizeofCmsghdr {
		n := binary.NativeEndian.Uint64(oob)
		level := int32(binary.NativeEndian.Uint32(oob[8:]))
		typ := int32(binary.NativeEndian.Uint32(oob[12:]))
		if n < unix.SizeofCmsghdr || n > uint64(len(oob)) {
			return 0, false
		}
		if level == unix.SOL_SOCKET && typ == unix.SCM_TIMESTAMPNS && n >= unix.SizeofCmsghdr+16 {
			sec := int64(binary.NativeEndian.Uint64(oob[16:]))
			nsec := int64(binary.NativeEndian.Uint64(oob[24:]))
			return sec*1e9 + nsec, true
		}
		space := unix.CmsgSpace(int(n) - unix.SizeofCmsghdr)
		if space > len(oob) {
			return 0, false
		}
		oob = oob[space:]
	}
	return 0, false
}
