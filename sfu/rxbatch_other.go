//go:build !linux

package sfu

import (
	"net"

	"golang.org/x/net/ipv4"
)

// rxSys reads a batch with x/net's ReadBatch (one datagram a call where
// the platform has no recvmmsg).
type rxSys struct {
	pc   *ipv4.PacketConn
	msgs []ipv4.Message
}

func newRxSys(c *net.UDPConn, r *rxBatch) *rxSys {
	s := &rxSys{pc: ipv4.NewPacketConn(c), msgs: make([]ipv4.Message, rxBatchSize)}
	for i := range s.msgs {
		s.msgs[i].Buffers = [][]byte{r.bufs[i]}
		if r.oobs != nil {
			s.msgs[i].OOB = r.oobs[i]
		}
	}
	return s
}

// read takes up to k waiting datagrams (waiting for one if none is) and
// fills r's lens, oobns and from; it returns how many it took.
func (s *rxSys) read(r *rxBatch, k int) (int, error) {
	n, err := s.pc.ReadBatch(s.msgs[:k], 0)
	if err != nil {
		return 0, err
	}
	for i := range n {
		m := &s.msgs[i]
		r.lens[i], r.oobns[i] = m.N, m.NN
		if ua, ok := m.Addr.(*net.UDPAddr); ok {
			r.from[i] = ua.AddrPort()
		}
	}
	return n, nil
}
