package sfu

import (
	"log/slog"
	"net"
	"net/netip"
	"sync"
)

// loopbackOnly is the ICE UDP mux socket when the server binds a loopback
// address: datagrams from any other source are ignored, so a browser on the
// same host settles on the 127.0.0.1 pair. It keeps Pion's allocation-free
// AddrPort path and the batched writes of batchConn. The first datagram it
// drops is logged at warn (once per server): a client on another host
// cannot reach a loopback-bound server, and would otherwise fail silently.
type loopbackOnly struct {
	*batchConn
	log  *slog.Logger
	once sync.Once
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
		c.dropped(addr.String())
	}
}

// ReadFromAddrPort implements ice.AddrPortReaderWriter.
func (c *loopbackOnly) ReadFromAddrPort(b []byte) (int, netip.AddrPort, error) {
	for {
		n, addr, err := c.batchConn.ReadFromAddrPort(b)
		if err != nil || addr.Addr().Unmap().IsLoopback() {
			return n, addr, err
		}
		c.dropped(addr.String())
	}
}

func (c *loopbackOnly) dropped(from string) {
	c.once.Do(func() {
		if c.log != nil {
			c.log.Warn("media.bind_address is a loopback address: dropping media from a non-loopback source (logged once)", "from", from)
		}
	})
}
