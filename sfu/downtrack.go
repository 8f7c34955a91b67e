package sfu

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// downTrack forwards one up-track to one subscriber. It implements
// webrtc.TrackLocal: Pion binds it to the subscriber PC's negotiated SSRC,
// payload type and writer. It owns its outgoing sequence numbers and
// timestamps (offsets from the up-track's), so later layer switching or
// pausing can rewrite them without touching other subscribers.
//
// Packets reach it through the subscriber's queue and are written by the
// subscriber's writer goroutine only (write, retransmit); the RTCP reader
// goroutine (readRTCP) queues retransmissions rather than writing itself.
type downTrack struct {
	up      *upTrack
	queue   *sendQueue
	codec   webrtc.RTPCodecParameters
	mid     string // its m-line on the subscriber PC; room goroutine sets it once
	retired atomic.Bool
	binding atomic.Pointer[binding]

	// target is the layer the subscriber should get (noLayer: paused); the
	// room goroutine sets it. cur is the layer being forwarded, published
	// by the writer goroutine. Readers queue only packets of these two.
	target atomic.Int32
	cur    atomic.Int32
	// nackMap lets the RTCP goroutine map a NACKed sequence number back to
	// the cached packet: layer<<32 | seqOff<<16 | startSeq (writer sets it).
	nackMap atomic.Uint64
	// resent is what was resent of late (nil until the first NACK): see
	// retransmit.
	resent atomic.Pointer[resendLog]
	// switches and sentBytes are published by the writer for quality.
	switches  atomic.Int64
	sentBytes atomic.Uint64
	// Quality (quality.go): freezes seen by the writer, the first sequence
	// number sent (for the loss in receiver reports) and those reports.
	freezes     atomic.Int64
	upstream    atomic.Int64 // of the freezes, those its sender caused (see held)
	firstSeq    atomic.Uint32
	firstSeqSet atomic.Bool
	holes       atomic.Int64 // sequence numbers skipped: lost before the server
	rr          rrStats
	frozen      bool // writer goroutine only
	// pliAt is when the subscriber asked for a keyframe not yet forwarded
	// (unix ns; 0: none), and stallEnd when the last freeze it counted
	// ended (writer goroutine only): see keyframeOut.
	pliAt    atomic.Int64
	stallEnd int64
	// settledAt is when packets missing from the forwarded stream (a hole,
	// a reordering) can no longer come late: no padding before it. Writer
	// goroutine only.
	settledAt int64
	delivered bool // a packet of this track has gone out; writer goroutine only
	// The way out (srtpout.go), writer goroutine only: the one the ROC was
	// set for, packets written since, and the wraps of what went out.
	outOf *srtpOut
	outN  uint32
	out   seqWraps

	sub subscription // the subscriber's wishes; room goroutine only
	// starved: a one-layer video this subscriber's downlink cannot carry,
	// not forwarded until a probe finds room for it (allocate). Room
	// goroutine only.
	starved bool
	// pausedSent: the subscriber was told (streamState paused) and not yet
	// that it is forwarded again. Room goroutine only.
	pausedSent bool

	rw   rewriter   // writer goroutine only
	hdr  rtp.Header // reused by the writer goroutine
	twcc [2]byte    // its transport-cc extension value
	// hdrTWCC is the transport-cc id hdr carries d.twcc under (0: none).
	hdrTWCC uint8       // writer goroutine only
	stats   senderStats // writer goroutine only
	// sendRTCP writes on the subscriber PC (sender reports).
	sendRTCP func([]rtcp.Packet) error

	// mu guards sender (set once the transceiver exists).
	mu     sync.Mutex
	sender *webrtc.RTPSender
	done   chan struct{} // closed when the RTCP reader ends
}

// binding is what Pion negotiated for this track on the subscriber PC.
type binding struct {
	ssrc   uint32
	pt     uint8
	twccID uint8 // transport-cc header extension id, 0 when not negotiated
	writer webrtc.TrackLocalWriter
}

func newDownTrack(up *upTrack, q *sendQueue, codec webrtc.RTPCodecParameters, sendRTCP func([]rtcp.Packet) error) *downTrack {
	d := &downTrack{
		up: up, queue: q, codec: codec, sendRTCP: sendRTCP,
		rw:   newRewriter(uint16(rand.Uint32()), rand.Uint32()),
		sub:  defaultSubscription(),
		hdr:  rtp.Header{Version: 2},
		done: make(chan struct{}),
	}
	d.cur.Store(noLayer)
	d.target.Store(max(up.best(maxLayers-1), 0))
	return d
}

// wants reports whether a packet of layer l should be queued: it is the
// layer forwarded or the one switched to. Any reader goroutine.
func (d *downTrack) wants(l uint8) bool {
	return int32(l) == d.target.Load() || int32(l) == d.cur.Load()
}

// setTarget chooses the layer to forward (noLayer pauses) and asks its
// publisher for a keyframe to switch on. Room goroutine.
func (d *downTrack) setTarget(l int32) {
	if d.target.Load() == l {
		return
	}
	d.up.relist(d, l) // on l's list before it is the target
	d.target.Store(l)
	d.up.relist(d, noLayer) // off the one it left
	if l != noLayer && l != d.cur.Load() {
		d.up.requestKeyframe(l)
	}
}

// requestKeyframe asks for a keyframe of the layer this subscriber is
// getting (or switching to).
func (d *downTrack) requestKeyframe() {
	t := d.target.Load()
	if t == noLayer {
		return
	}
	d.up.requestKeyframe(t)
}

// ID, RID, StreamID and Kind implement webrtc.TrackLocal. The stream id is
// the publisher's uid so a client maps ontrack to a participant.
func (d *downTrack) ID() string                { return d.up.id }
func (d *downTrack) RID() string               { return "" }
func (d *downTrack) StreamID() string          { return d.up.uid }
func (d *downTrack) Kind() webrtc.RTPCodecType { return d.up.kind }

// Bind implements webrtc.TrackLocal: pick the negotiated codec matching the
// published one and ask the publisher for a keyframe at once.
func (d *downTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	for _, c := range ctx.CodecParameters() {
		// Media types are case-insensitive (RFC 6838): GStreamer answers
		// "OPUS/48000/2" to an offer of "opus/48000/2".
		if strings.EqualFold(c.MimeType, d.codec.MimeType) && (d.up.kind == webrtc.RTPCodecTypeAudio || fmtpEqual(c.SDPFmtpLine, d.codec.SDPFmtpLine)) {
			b := &binding{ssrc: uint32(ctx.SSRC()), pt: uint8(c.PayloadType), writer: ctx.WriteStream()}
			for _, ext := range ctx.HeaderExtensions() {
				if ext.URI == sdp.TransportCCURI {
					b.twccID = uint8(ext.ID)
				}
			}
			d.binding.Store(b)
			if !d.retired.Load() && !d.canReplay() {
				d.requestKeyframe()
			}
			return c, nil
		}
	}
	return webrtc.RTPCodecParameters{}, fmt.Errorf("%w: %s (m-line %s)", webrtc.ErrUnsupportedCodec, d.codec.MimeType, d.mid)
}

// retire marks a down-track whose up-track is no longer forwarded to it
// (its m-line stays, carrying nothing).
func (d *downTrack) retire() { d.retired.Store(true) }

// Unbind implements webrtc.TrackLocal.
func (d *downTrack) Unbind(webrtc.TrackLocalContext) error {
	d.binding.Store(nil)
	return nil
}

// enqueue hands p to the subscriber's writer; false when its queue is full
// (the packet is dropped and, for video, a keyframe requested).
func (d *downTrack) enqueue(p *packet) bool {
	if d.binding.Load() == nil {
		return true // not negotiated yet: nothing to do, not a drop
	}
	p.retain()
	if d.queue.push(sendItem{d: d, p: p}) {
		return true
	}
	p.release()
	d.requestKeyframe()
	return false
}

// write sends p with this track's SSRC, payload type, sequence number and
// timestamp (rewritten across layer switches), then a sender report when
// one is due. now is the writer's clock for this pass; rtx marks a
// retransmission. It reports whether p went out. Writer goroutine only.
func (d *downTrack) write(p *packet, rtx bool, now time.Time) bool {
	b := d.binding.Load()
	if b == nil {
		return false
	}
	ns := now.UnixNano()
	was, prev, start := d.rw.cur, d.rw.lastSeq, d.rw.startSeq
	seq, ts, ok := d.rw.next(p, d.target.Load(), d.up.keyframe != nil, rtx, d.codec.ClockRate, ns)
	if !ok && !d.rw.started && !rtx && d.replayFromKey(b, p, ns) {
		// the cached keyframe and what followed it went out: p comes next
		seq, ts, ok = d.rw.next(p, d.target.Load(), d.up.keyframe != nil, rtx, d.codec.ClockRate, ns)
		prev = seq - 1
	}
	if d.rw.cur != was || d.rw.startSeq != start {
		d.switched() // a new layer, or its start moved up: what NACKs may ask for
	}
	if !ok {
		if !d.rw.started && !rtx {
			d.requestKeyframe() // the stream waits for its first (rate-limited per track)
		}
		d.held(rtx, ns)
		return false
	}
	if d.frozen {
		d.frozen, d.stallEnd = false, ns
	}
	if !rtx && seq != prev+1 && was == d.rw.cur {
		d.countHole(prev, seq)
		d.settledAt = ns + int64(lateWindow)
	}
	h := d.header(b, seq, ts, p.marker, len(p.payload), ns)
	if n, err := d.writeRTP(b, h, p.payload); err != nil || n == 0 {
		// n == 0: Pion dropped it, SRTP is not up yet. Until a packet has
		// gone out, the stream starts over at the next keyframe (the cached
		// one, or the one the transport's coming up asks for:
		// room.subscriberConnected).
		if !d.delivered && !rtx {
			d.startOver()
		}
		return false
	}
	if p.keyframe && !rtx {
		d.keyframeOut(ns)
	}
	d.delivered = true
	if !rtx {
		d.sentBytes.Add(uint64(len(p.payload))) // what the media took, repairs not counted
	}
	if d.stats.sent(h.Timestamp, len(p.payload), ns) && d.sendRTCP != nil {
		sr := d.stats.report(b.ssrc, d.codec.ClockRate, now)
		_ = d.sendRTCP([]rtcp.Packet{sr})
	}
	return true
}

// canReplay reports whether the stream, not started yet, could start now
// from its layer's cached keyframe (replayFromKey): then nobody needs to
// ask the publisher for one. Any goroutine.
func (d *downTrack) canReplay() bool {
	l := d.up.layer(d.target.Load())
	if l == nil || d.up.keyframe == nil {
		return false
	}
	_, ok := l.recentKey(time.Now().UnixNano())
	return ok
}

// replayFromKey starts the stream from the layer's last keyframe, still in
// its cache and recent (layer.recentKey): that packet and every one after
// it up to p (not included) go out now, back to back, so a subscriber that
// starts late shows the picture at once instead of waiting for a keyframe
// request to be answered. Their timestamps stay as they were (the decoder
// sees the frames as they were sent); the sender report waits for p, the
// first live packet, so it maps a live timestamp to the wall clock. False
// when that is not possible (nothing recent, a packet missing, SRTP not up):
// the stream waits for a keyframe as before. Writer goroutine.
func (d *downTrack) replayFromKey(b *binding, p *packet, ns int64) bool {
	l := d.up.layer(int32(p.layer))
	if l == nil || d.up.keyframe == nil || p.keyframe {
		return false
	}
	from, ok := l.recentKey(ns)
	if n := p.seq - from; !ok || n == 0 || n > replayPackets {
		return false
	}
	run := make([]*packet, 0, p.seq-from)
	defer func() {
		for _, q := range run {
			q.release()
		}
	}()
	for s := from; s != p.seq; s++ {
		q := l.cache.get(s)
		if q == nil || q.layer != p.layer {
			if q != nil {
				q.release()
			}
			return false
		}
		run = append(run, q)
	}
	if !run[0].keyframe {
		return false
	}
	target := d.target.Load()
	for i, q := range run {
		seq, ts, ok := d.rw.next(q, target, true, false, d.codec.ClockRate, ns)
		if !ok {
			return i > 0
		}
		h := d.header(b, seq, ts, q.marker, len(q.payload), ns)
		if n, err := d.writeRTP(b, h, q.payload); err != nil || n == 0 {
			if i == 0 {
				d.startOver() // SRTP not up yet: try again at the next packet
				return false
			}
			continue
		}
		if q.keyframe {
			d.keyframeOut(ns)
		}
		d.delivered = true
		d.sentBytes.Add(uint64(len(q.payload)))
		d.stats.count(len(q.payload))
	}
	return true
}

// header fills the reused RTP header of a packet of size payload bytes
// (padding included), stamped for transport-cc when that is on and the
// subscriber's estimate has something to choose (bwe.stamp).
func (d *downTrack) header(b *binding, seq uint16, ts uint32, marker bool, size int, ns int64) *rtp.Header {
	h := &d.hdr
	h.PayloadType = b.pt
	h.SSRC = b.ssrc
	h.SequenceNumber = seq
	h.Timestamp = ts
	h.Marker = marker
	h.Padding, h.PaddingSize = false, 0
	if b.twccID != 0 && d.queue != nil && d.queue.bwe != nil && d.queue.bwe.stamp(ns) {
		// The header's extension is d.twcc itself: set once per binding,
		// then only its bytes change.
		binary.BigEndian.PutUint16(d.twcc[:], d.queue.bwe.record(size+headerOverhead, ns))
		if d.hdrTWCC != b.twccID {
			h.Extension, h.Extensions = false, h.Extensions[:0]
			_ = h.SetExtension(b.twccID, d.twcc[:])
			d.hdrTWCC = b.twccID
		}
	} else if d.hdrTWCC != 0 {
		h.Extension, h.Extensions = false, h.Extensions[:0]
		d.hdrTWCC = 0
	}
	return h
}

// lateWindow is how long after a hole or a reordering in a forwarded
// stream the missing packets may still come (the server's NACKs to the
// publisher go every 100 ms; a path with 100 ms of jitter reorders by as
// much): padding, which takes the next sequence number and so makes every
// earlier packet too late to forward, waits that long. Through 5% loss and
// 100 ms jitter on the publisher's path, probes on a clean subscriber path
// dropped the late packets and froze the picture 3 s at a time (until the
// receiver gave up and asked for a keyframe).
const lateWindow = time.Second

// probePadding is the size of a padding-only probe packet (the most one
// RTP padding length byte can say).
const probePadding = 255

// writePadding sends a padding-only packet (a bandwidth probe): the next
// sequence number, the last timestamp, no payload. A receiver's SRTP
// accepts it (a new index, unlike a resent packet) and its jitter buffer
// skips it. Writer goroutine only.
func (d *downTrack) writePadding(now time.Time) {
	b := d.binding.Load()
	if b == nil || b.twccID == 0 {
		return
	}
	if now.UnixNano() < d.settledAt {
		return // a probe packet now would take the number a late packet needs
	}
	seq, ts, ok := d.rw.pad()
	if !ok {
		return
	}
	d.switched() // NACKs for what came before are not answered
	h := d.header(b, seq, ts, false, probePadding, now.UnixNano())
	h.Padding, h.PaddingSize = true, probePadding
	_, _ = d.writeRTP(b, h, nil)
	h.Padding, h.PaddingSize = false, 0
}

// setSender starts the RTCP reader of the sender carrying this track.
func (d *downTrack) setSender(s *webrtc.RTPSender) {
	d.mu.Lock()
	d.sender = s
	d.mu.Unlock()
	go d.readRTCP(s)
}

// readRTCP forwards PLI/FIR to the publisher and answers NACKs from the
// up-track's cache until the sender stops.
func (d *downTrack) readRTCP(s *webrtc.RTPSender) {
	defer close(d.done)
	buf := make([]byte, 1500)
	for {
		n, _, err := s.Read(buf)
		if err != nil {
			return
		}
		d.readCompound(buf[:n])
	}
}

// readCompound handles one compound RTCP packet.
func (d *downTrack) readCompound(b []byte) {
	readCompound(b, d.queue, d.handleRTCP)
}

// readCompound reads a subscriber's compound RTCP packet b: transport-cc
// feedback goes as it is to the estimator of q (the subscriber's queue;
// the common case, about 10 a second per subscriber; nil or without an
// estimator: dropped), and so does REMB's rate (whichever m-line's sender
// it arrived on), read from the bytes; anything else is unmarshalled by
// Pion and given to handle.
func readCompound(b []byte, q *sendQueue, handle func(rtcp.Packet)) {
	for len(b) > 0 {
		pkt, rest, err := nextRTCP(b)
		if err != nil {
			return
		}
		b = rest
		if isTWCC(pkt) {
			if q != nil {
				q.feedback(pkt)
			}
			continue
		}
		if bps, ok := rembRate(pkt); ok {
			if q != nil && q.bwe != nil {
				q.bwe.onREMB(bps, time.Now())
			}
			continue
		}
		pkts, err := rtcp.Unmarshal(pkt)
		if err != nil {
			continue
		}
		for _, p := range pkts {
			handle(p)
		}
	}
}

// handleRTCP acts on one unmarshalled RTCP packet.
func (d *downTrack) handleRTCP(pkt rtcp.Packet) {
	if d.retired.Load() {
		return // a retired m-line's feedback concerns a track no longer forwarded
	}
	switch pkt := pkt.(type) {
	case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
		d.up.stats.keyframeAsked.Add(1)
		if d.target.Load() != noLayer {
			d.pliAt.CompareAndSwap(0, time.Now().UnixNano())
		}
		d.requestKeyframe()
	case *rtcp.TransportLayerNack:
		d.retransmit(pkt, time.Now())
	case *rtcp.ReceiverReport:
		d.receptionReports(pkt.Reports)
	case *rtcp.SenderReport:
		d.receptionReports(pkt.Reports)
	}
}

// headerOverhead is what an RTP packet adds to its payload on the wire
// (RTP header with one extension, SRTP tag, UDP, IP), for the estimator.
const headerOverhead = 12 + 8 + 16 + 8 + 20

// switched publishes a change of the forwarded layer (writer goroutine).
// startOver forgets the start of a stream nothing of which went out.
func (d *downTrack) startOver() {
	d.rw = newRewriter(d.rw.seqOff, d.rw.tsOff)
	d.firstSeqSet.Store(false)
	d.switched()
}

func (d *downTrack) switched() {
	w := &d.rw
	if d.cur.Swap(w.cur) != w.cur {
		d.up.relist(d, noLayer) // off the layer it left (already on the new one: it was the target)
	}
	d.switches.Store(int64(w.switches))
	if w.started && !d.firstSeqSet.Load() {
		d.firstSeq.Store(uint32(w.startSeq + w.seqOff))
		d.firstSeqSet.Store(true)
	}
	if w.cur != noLayer {
		d.nackMap.Store(uint64(w.cur)<<32 | uint64(w.seqOff)<<16 | uint64(w.startSeq))
	}
}

// retransmit queues the NACKed packets still cached, for those sent on the
// layer forwarded now (since it was switched to). A packet is resent to a
// subscriber at most resendTimes, and not again within resendGap of the
// last time (the rule of LiveKit and mediasoup): a receiver asks again
// only after its round trip, and a NACK repeated at once, or one naming
// the whole cache over and over, must not make the server send it all
// again each time (one small datagram could otherwise cost the server
// 256 encrypted sends).
func (d *downTrack) retransmit(n *rtcp.TransportLayerNack, now time.Time) {
	m := d.nackMap.Load()
	l := d.up.layer(int32(m >> 32))
	if l == nil || l.cache == nil || d.cur.Load() == noLayer {
		return
	}
	log := d.resent.Load()
	if log == nil {
		d.resent.CompareAndSwap(nil, &resendLog{})
		log = d.resent.Load()
	}
	gap := resendGap(d.rr.rtt())
	seqOff, start := uint16(m>>16), uint16(m)
	var resent, refused uint64
	for _, pair := range n.Nacks {
		for _, seq := range pair.PacketList() {
			up := seq - seqOff
			if seqBefore(up, start) {
				continue
			}
			p := l.cache.get(up)
			if p == nil {
				continue
			}
			if !log.take(seq, now, gap) {
				refused++
				p.release()
				continue
			}
			if !d.queue.push(sendItem{d: d, p: p, rtx: true}) {
				p.release() // the queue is full: not resent (its try is spent)
				continue
			}
			resent++
		}
	}
	d.up.stats.resent.Add(resent)
	d.up.stats.refused.Add(refused)
}

// Resends of one packet to one subscriber: at most resendTimes, each at
// least resendGap after the last (three quarters of the subscriber's round
// trip; 50 ms until one is measured; between 10 and 100 ms).
const resendTimes = 3

func resendGap(rtt time.Duration, known bool) time.Duration {
	if !known {
		return 50 * time.Millisecond
	}
	return min(max(rtt*3/4, 10*time.Millisecond), 100*time.Millisecond)
}

// resendMemory is how long a resend is remembered: longer than a packet
// stays cached at any usual rate, far shorter than the 65,536 packets
// after which its sequence number comes again (33 s at 2,000 packets a
// second, more than maxEstimate carries).
const resendMemory = 10 * time.Second

// resendLog remembers, per sequence number sent to the subscriber (slot
// seq % len), the last resend of it: seq<<48 | times<<40 | unix ms (40
// bits). Slots are claimed by compare-and-swap: any goroutine.
type resendLog [videoCacheSize]atomic.Uint64

// take reports whether seq may be resent now, and if so records it.
func (r *resendLog) take(seq uint16, now time.Time, gap time.Duration) bool {
	const msMask = 1<<40 - 1
	slot := &r[int(seq)%len(r)]
	ms := uint64(now.UnixMilli()) & msMask
	old := slot.Load()
	times := uint64(0)
	if since := (ms - old) & msMask; old != 0 && uint16(old>>48) == seq && since < uint64(resendMemory.Milliseconds()) {
		times = old >> 40 & 0xff
		if times >= resendTimes || since < uint64(gap.Milliseconds()) {
			return false
		}
	}
	return slot.CompareAndSwap(old, uint64(seq)<<48|(times+1)<<40|ms)
}

// held notes a packet the writer did not forward: for video that forwarded
// nothing for freezeAfter while its publisher's packets keep coming (and
// the subscriber is not paused), the first such packet counts a freeze.
// Such a freeze is the sender's doing, not the subscriber's path: the layer
// it was getting stopped (a publisher short of uplink drops its top layers)
// or the keyframe to switch on came late; it counts as upstream.
// Writer goroutine only.
func (d *downTrack) held(rtx bool, now int64) {
	if rtx || d.frozen || !d.rw.started || d.up.kind != webrtc.RTPCodecTypeVideo || d.target.Load() == noLayer {
		return
	}
	if now-d.rw.lastAt > int64(freezeAfter) {
		d.frozen = true
		d.freezes.Add(1)
		d.upstream.Add(1)
	}
}

// keyframeOut notes a keyframe forwarded at now: when the subscriber had
// asked for one (PLI, FIR: its decoder stopped, on loss the server did not
// see, past it) more than freezeAfter before, its picture stood still that
// long, and that counts a freeze, unless it goes on one counted less than a
// second before (a keyframe lost on the way too: the same freeze). A
// request before anything of the track went out is the stream's start, not
// a freeze. Writer goroutine only.
func (d *downTrack) keyframeOut(now int64) {
	at := d.pliAt.Swap(0)
	if at == 0 || !d.delivered || now-at <= int64(freezeAfter) {
		return
	}
	if d.stallEnd == 0 || at-d.stallEnd > int64(time.Second) {
		d.freezes.Add(1)
	}
	d.stallEnd = now
}

// receptionReports records what the subscriber reported of this track;
// heavy loss on a one-layer video wakes the subscriber's estimator
// (bwe.lossy).
func (d *downTrack) receptionReports(reports []rtcp.ReceptionReport) {
	b := d.binding.Load()
	if b == nil {
		return
	}
	now := time.Now()
	d.rr.receptionReports(b.ssrc, reports, now)
	if d.up.kind != webrtc.RTPCodecTypeVideo || d.queue == nil || d.queue.bwe == nil || d.up.layered() {
		return
	}
	for _, rr := range reports {
		if rr.SSRC == b.ssrc && rr.FractionLost >= lossyFraction {
			d.queue.bwe.lossyAt.Store(now.UnixNano())
		}
	}
}

// countHole keeps the count of sequence numbers the subscriber will never
// get because the server never got them (upstream loss): a forwarded packet
// that skips ahead opens holes, a late one fills one. Writer goroutine,
// only when the stream is not contiguous.
func (d *downTrack) countHole(prev, seq uint16) {
	if seqBefore(prev, seq) {
		d.holes.Add(int64(seq - prev - 1))
	} else if d.holes.Load() > 0 {
		d.holes.Add(-1)
	}
}
