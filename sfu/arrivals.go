package sfu

import (
	"encoding/binary"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The forward delay is the server's own share of media latency: from the
// moment an RTP packet reached the server's UDP socket (the kernel's receive
// timestamp) to the end of the writer pass that sent a subscriber's copy of
// it. The socket reader notes each RTP packet's arrival by SSRC and sequence
// number (SRTP leaves the header in clear), the up-track reader finds it
// again once Pion has decrypted the packet, and the writer observes the
// delay of every copy it sent when its pass ends. A copy sent mid-pass (a
// full batch) is counted at the pass's end: the figure is an upper bound by
// at most one pass. The receive delay is the first part of it: from the
// arrival to the up-track reader.

// arrivalSlots is the table's size: at 100 packets a millisecond a slot is
// overwritten about 80 ms after it was noted, while a packet is looked up
// within a millisecond or two of its arrival.
const arrivalSlots = 1 << 13

// arrivalTable remembers when recent RTP packets reached a media socket.
// Each socket's reader goroutine notes, any goroutine takes: each slot is a
// small seqlock (key cleared, time written, key set), so a reader that
// raced a writer sees a key change and reports nothing. Two sockets'
// readers writing one slot at once can leave one packet's key with the
// other's time: both are recent, and it only skews one observation.
type arrivalTable struct {
	slots [arrivalSlots]struct {
		key atomic.Uint64
		at  atomic.Int64
	}
}

// arrivalKey is never 0 (the valid bit), so an empty slot matches nothing.
func arrivalKey(ssrc uint32, seq uint16) uint64 {
	return 1<<63 | uint64(ssrc)<<16 | uint64(seq)
}

func arrivalSlot(ssrc uint32, seq uint16) int {
	return int((ssrc*0x9E3779B1)^uint32(seq)) & (arrivalSlots - 1)
}

// note records that the RTP packet in b (as received: SRTP, header in
// clear) arrived at unix ns at. Anything else (STUN, DTLS, RTCP) is ignored.
func (t *arrivalTable) note(b []byte, at int64) {
	ssrc, seq, ok := rtpID(b)
	if !ok {
		return
	}
	s := &t.slots[arrivalSlot(ssrc, seq)]
	s.key.Store(0)
	s.at.Store(at)
	s.key.Store(arrivalKey(ssrc, seq))
}

// take returns when the packet arrived (unix ns), 0 if it is not known.
func (t *arrivalTable) take(ssrc uint32, seq uint16) int64 {
	s := &t.slots[arrivalSlot(ssrc, seq)]
	k := arrivalKey(ssrc, seq)
	if s.key.Load() != k {
		return 0
	}
	at := s.at.Load()
	if s.key.Load() != k {
		return 0
	}
	return at
}

// rtpID reads an RTP packet's SSRC and sequence number; ok is false for
// anything that is not RTP (RFC 7983: RTP and RTCP start with 128-191;
// RFC 5761: RTCP's packet types 192-223 in the second byte).
func rtpID(b []byte) (ssrc uint32, seq uint16, ok bool) {
	if len(b) < 12 || b[0]>>6 != 2 || (b[1] >= 192 && b[1] <= 223) {
		return 0, 0, false
	}
	return binary.BigEndian.Uint32(b[8:]), binary.BigEndian.Uint16(b[2:]), true
}

// forwardDelayBuckets are the histogram's upper bounds, in seconds.
var forwardDelayBuckets = []float64{25e-6, 50e-6, 75e-6, 100e-6, 150e-6, 200e-6, 300e-6, 500e-6, 750e-6,
	1e-3, 1.5e-3, 2e-3, 3e-3, 5e-3, 10e-3, 20e-3, 50e-3, 100e-3, 250e-3}

func newForwardDelay() prometheus.Histogram {
	return prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "switchboard_sfu_forward_delay_seconds",
		Help:    "Time from an RTP packet's arrival at the server's UDP socket (kernel timestamp) to the end of the writer pass that sent a subscriber's copy of it, per copy (packets received over UDP; retransmissions not counted): the server's own share of media latency.",
		Buckets: forwardDelayBuckets,
	})
}

func newReceiveDelay() prometheus.Histogram {
	return prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "switchboard_sfu_receive_delay_seconds",
		Help:    "Time from an RTP packet's arrival at the server's UDP socket (kernel timestamp) to its decrypted copy reaching the SFU's track reader, per received packet: the part of the forward delay spent in Pion's receive path (ICE, DTLS/SRTP demultiplexing, SRTP, interceptors).",
		Buckets: forwardDelayBuckets,
	})
}

// sentCopies collects the arrival times of the copies a writer wrote in
// its current pass; the writer observes them when the pass is flushed.
type sentCopies struct {
	hist prometheus.Histogram // nil: not measured
	at   []int64
}

func (s *sentCopies) add(arrival int64) {
	if s.hist != nil && arrival != 0 {
		s.at = append(s.at, arrival)
	}
}

// observe records every collected copy as sent now.
func (s *sentCopies) observe() {
	if len(s.at) == 0 {
		return
	}
	now := time.Now().UnixNano()
	for _, at := range s.at {
		s.hist.Observe(float64(max(now-at, 0)) / 1e9)
	}
	s.at = s.at[:0]
}
