package sfu

import (
	"net"
	"net/netip"
	"os"
	"strconv"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rxSys reads a batch with recvmmsg(2) into headers made once: x/net's
// ReadBatch, which this replaces on Linux, made a *net.UDPAddr for every
// datagram and cleared its pooled headers on every call (3 % of a 1:1
// packet's server CPU, docs/benchmarks.md). The headers point into the
// rxBatch's buffers, which live as long as the connection.
type rxSys struct {
	raw   syscall.RawConn
	err   error    // from SyscallConn: every read returns it
	local net.Addr // named in read errors, as x/net did
	hdrs  []unix.Mmsghdr
	iovs  []unix.Iovec
	names []unix.RawSockaddrInet6 // room for either family's address
	zone  lastZone
	// The call's arguments and results, so that recv, made once as fn,
	// allocates nothing per read (a closure over them would).
	k, n  int
	errno syscall.Errno
	fn    func(fd uintptr) bool
}

func newRxSys(c *net.UDPConn, r *rxBatch) *rxSys {
	s := &rxSys{hdrs: make([]unix.Mmsghdr, rxBatchSize), iovs: make([]unix.Iovec, rxBatchSize), names: make([]unix.RawSockaddrInet6, rxBatchSize)}
	s.raw, s.err = c.SyscallConn()
	s.local = c.LocalAddr()
	s.fn = s.recv
	for i := range s.hdrs {
		s.iovs[i].Base = &r.bufs[i][0]
		s.iovs[i].SetLen(len(r.bufs[i]))
		h := &s.hdrs[i].Hdr
		h.Name = (*byte)(unsafe.Pointer(&s.names[i]))
		h.Iov = &s.iovs[i]
		h.SetIovlen(1)
		if r.oobs != nil {
			h.Control = &r.oobs[i][0]
		}
	}
	return s
}

// read takes up to k waiting datagrams (waiting for one if none is) and
// fills r's lens, oobns and from; it returns how many it took.
func (s *rxSys) read(r *rxBatch, k int) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	for i := range k {
		h := &s.hdrs[i].Hdr
		h.Namelen = unix.SizeofSockaddrInet6
		if r.oobs != nil {
			h.SetControllen(len(r.oobs[i]))
		}
		h.Flags = 0
	}
	s.k, s.n, s.errno = k, 0, 0
	err := s.raw.Read(s.fn)
	if err == nil && s.errno != 0 {
		err = os.NewSyscallError("recvmmsg", s.errno)
	}
	if err != nil {
		return 0, &net.OpError{Op: "read", Net: s.local.Network(), Source: s.local, Err: err}
	}
	for i := range s.n {
		h := &s.hdrs[i]
		r.lens[i] = min(int(h.Len), len(r.bufs[i])) // the kernel cuts a longer one to the buffer
		r.oobns[i] = int(h.Hdr.Controllen)
		r.from[i] = addrPortOf(&s.names[i], &s.zone)
	}
	return s.n, nil
}

// recv is one recvmmsg on fd, for RawConn.Read: false (wait for the
// socket) when nothing is waiting.
func (s *rxSys) recv(fd uintptr) bool {
	for {
		r1, _, e := unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&s.hdrs[0])), uintptr(s.k), 0, 0, 0)
		switch e {
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false // the poller waits for the socket
		}
		s.n, s.errno = int(r1), e
		return true
	}
}

// addrPortOf reads a source address as x/net's ReadBatch gave it: an IPv4
// address as 4 bytes, an IPv6 one (an IPv4-mapped one too) as 16, with
// its zone for a scope id (named through z).
func addrPortOf(sa *unix.RawSockaddrInet6, z *lastZone) netip.AddrPort {
	switch sa.Family {
	case unix.AF_INET:
		sa4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		return netip.AddrPortFrom(netip.AddrFrom4(sa4.Addr), networkPort(sa4.Port))
	case unix.AF_INET6:
		a := netip.AddrFrom16(sa.Addr)
		if sa.Scope_id != 0 {
			a = a.WithZone(z.name(sa.Scope_id))
		}
		return netip.AddrPortFrom(a, networkPort(sa.Port))
	}
	return netip.AddrPort{}
}

// lastZone names the last scope id seen: a client on a link-local address
// sends every datagram with the same one, and looking an interface up
// asks the kernel (x/net kept a cache of every interface for the same
// reason).
type lastZone struct {
	id   uint32
	zone string
}

func (z *lastZone) name(id uint32) string {
	if id != z.id || z.zone == "" {
		z.id, z.zone = id, strconv.FormatUint(uint64(id), 10)
		if ifi, err := net.InterfaceByIndex(int(id)); err == nil {
			z.zone = ifi.Name
		}
	}
	return z.zone
}

// networkPort turns a sockaddr's port, in network byte order in memory,
// into its number.
func networkPort(p uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&p))
	return uint16(b[0])<<8 | uint16(b[1])
}
