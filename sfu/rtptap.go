package sfu

import (
	"encoding/binary"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/pion/rtp"
)

// A publisher's RTP is read at the media socket (see rtcptap.go): the
// socket's reader decrypts it with the connection's SRTP keys and reads it
// into its layer there and then (prepare, ingest: cached and queued to the
// subscribers), where Pion would have passed it through four goroutine
// hand-offs before the layer's reader got it. 1:1 calls pay that chain once
// per forwarded packet (benchmarks.md, "Where a 1:1 packet's CPU goes").
//
// What Pion's chain did on the way is done by the layer: the publisher
// connection has no interceptor in its read path, and its NACKs, receiver
// reports and transport-cc feedback are built from what the layers read in
// (feedback.go), whichever way a packet came. Pion's own SRTP context for
// the stream must stay able to decrypt it (the tap may stop: the path
// moves to ICE-TCP or an address not tapped yet). SRTP's index estimation
// holds only within 2^15 packets of the last one a context saw, so one
// packet in pionEvery is left to Pion, whose reader (the layer's
// goroutine) reads it in as before. The tap's context starts mid-stream,
// so its rollover counter is set from what the layer has counted (setROC)
// until a packet authenticates.
//
// A layer is read in by its Pion reader goroutine and by the tap, one at a
// time under the layer's mutex (layer.in).

// pionEvery is how often a tapped stream's packet is left to Pion (a power
// of two, well under SRTP's 2^15).
const pionEvery = 4096

// rtpTap is one publisher connection's.
type rtpTap struct {
	// taken counts the packets taken; the liveness watch reads it (Pion's
	// pair counters do not see these packets).
	taken atomic.Uint64

	// mu guards the fields below.
	mu     sync.Mutex
	in     remoteSRTP
	routes map[uint32]*tapRoute // the layers taken, by SSRC
	hdr    rtp.Header           // the header of the packet being decrypted
}

// tapRoute is one layer the tap reads in.
type tapRoute struct {
	l *layer
	// Under the tap's mu: synced once a packet authenticated; n counts
	// the packets seen.
	synced bool
	n      uint32
}

func newRTPTap() *rtpTap {
	return &rtpTap{routes: map[uint32]*tapRoute{}}
}

// arrivals is what the liveness watch reads: the packets taken so far.
func (t *rtpTap) arrivals() uint64 { return t.taken.Load() }

func (t *rtpTap) hasSecrets() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.in.secrets != nil
}

func (t *rtpTap) setSecrets(s *dtlsSecrets) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.in.setSecrets(s)
	for _, rt := range t.routes {
		rt.synced = false
	}
}

// route starts taking l's packets.
func (t *rtpTap) route(l *layer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.routes[l.ssrc] = &tapRoute{l: l}
	l.in.Lock()
	l.tapped = true
	l.in.Unlock()
}

// unroute stops taking l's packets; none is read in after it returns.
func (t *rtpTap) unroute(l *layer) {
	t.mu.Lock()
	if rt := t.routes[l.ssrc]; rt != nil && rt.l == l {
		delete(t.routes, l.ssrc)
	}
	t.mu.Unlock()
	l.in.Lock()
	l.tapped = false
	l.in.Unlock()
}

// take reads the SRTP datagram b into its layer. False when it is not RTP
// of a layer taken, is the one in pionEvery left to Pion, or could not be
// decrypted.
func (t *rtpTap) take(b []byte, _ netip.AddrPort, _ *batchConn) bool {
	if len(b) < 12 || isRTCP(b) {
		return false
	}
	ssrc, seq := binary.BigEndian.Uint32(b[8:12]), binary.BigEndian.Uint16(b[2:4])
	t.mu.Lock()
	rt := t.routes[ssrc]
	if rt == nil {
		t.mu.Unlock()
		return false
	}
	rt.n++
	if rt.n%pionEvery == 0 {
		t.mu.Unlock()
		return false
	}
	if !rt.synced {
		t.in.setROC(ssrc, rt.l.rocOf(seq))
	}
	p := rt.l.up.pool.get()
	plain, ok := t.in.open(p.buf[:0], b, &t.hdr)
	if !ok || len(plain) < 12 || &plain[0] != &p.buf[0] { // a packet longer than a packet buffer: Pion's
		t.mu.Unlock()
		p.release()
		return false
	}
	rt.synced = true
	t.mu.Unlock()
	t.taken.Add(1)
	rt.l.fromTap(p, len(plain))
	return true
}

// tapPublisher points the socket readers' tap for p's publisher connection
// at the remote address of its selected candidate pair: at connection
// (when the handshake's secrets are known) and whenever the pair changes
// (an ICE restart or a new path: the keys stay, only the address is new).
// An ICE-TCP pair is left to Pion.
func (r *room) tapPublisher(p *participant) {
	taps := r.srv.eng.taps
	// Not current: closed while this was queued (a tap set now would
	// outlive it, keeping its room reachable).
	if !r.current(p) || p.pubTap == nil || p.pub == nil || taps == nil {
		return
	}
	remote, ok := selectedUDPRemote(p.pub)
	if !ok {
		return
	}
	if !p.pubTap.hasSecrets() {
		secrets, err := taps.keys.secrets(remote)
		if err != nil {
			r.srv.log.Debug("publisher RTP left to Pion", "session", r.id, "uid", p.uid, "remote", remote, "err", err)
			return
		}
		p.pubTap.setSecrets(secrets)
	}
	taps.set(remote, p.pubTap)
}

// seqWraps counts the wraps of a stream's sequence numbers: for the SRTP
// rollover counter of a context that joins the stream mid-way, and for the
// packets a stream should have had (recvStats).
type seqWraps struct {
	started bool
	max     uint16 // the highest sequence number so far
	wraps   uint32
}

// sent counts seq (an older one, a retransmission, changes nothing).
func (w *seqWraps) sent(seq uint16) {
	if !w.started {
		w.started, w.max = true, seq
		return
	}
	if d := seq - w.max; d != 0 && d < 1<<15 {
		if seq < w.max {
			w.wraps++
		}
		w.max = seq
	}
}

// roc is the rollover counter of the packet seq: one more than counted
// when seq is just past a wrap not counted yet, one less when it is from
// before the last one.
func (w *seqWraps) roc(seq uint16) uint32 {
	if !w.started {
		return 0
	}
	roc := w.wraps
	switch d := seq - w.max; {
	case seq < w.max && d < 1<<15:
		roc++
	case seq > w.max && d >= 1<<15 && roc > 0:
		roc--
	}
	return roc
}
