package sfu

import (
	"net"
	"net/netip"
)

// loopbackOnly is the ICE UDP mux socket when the server binds a loopback
// address: datagrams from any other source are ignored, so a browser on the
// same host settles on the 127.0.0.1 pair. It keeps Pion's allocation-free
// AddrPort path and the batched writes of batchConn.
type loopbackOnly struct {
	*batchConn
}

func (c *loopbackOnly) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.UDPConn.ReadFrom(b)
		if err != nil {
			return n, addr, err
		}
		if ua, ok := addr.(*net.UDPAddr); ok && ua.IP.IsLoopback() {
			return n, addr, nil
		}
	}
}

// ReadFromAddrPort implements ice.AddrPortReaderWriter.
func (c *loopbackOnly) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	for {
		n, addr, err := c.UDPConn.ReadFromUDPAddrPort(b)
		if err != nil || addr.Addr().Unmap().IsLoopback() {
			return n, addr, err
		}
	}
}
