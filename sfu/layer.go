package sfu

import (
	"encoding/binary"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// layer is one encoding of a published track: the whole track when it is
// not simulcast, one rid of it when it is. Its packets are read in by its
// reader goroutine (from Pion) and by the publisher's socket tap
// (rtptap.go), one at a time under in; the fields marked "reader" are
// theirs. The rest are atomics read by anyone.
type layer struct {
	// in is held while a packet is read in (prepare, ingest); tapped says
	// the tap may read packets in (under in).
	in     sync.Mutex
	tapped bool

	up      *upTrack
	index   int32 // 0 lowest quality
	rid     string
	ssrc    uint32
	remote  *webrtc.TrackRemote
	sendPLI func()       // writes one PLI for this layer's SSRC to the publisher
	cache   *packetCache // nil for audio (no NACK)

	// The publisher connection's feedback (feedback.go), nil in tests
	// without one; set before the layer's first packet. nack says the
	// codec negotiated NACKs; twccID is the transport-cc extension's id
	// (0: none).
	fb     *pubFeedback
	nack   bool
	twccID uint8
	// fbBegun: the feedback was told of the first packet (reader).
	fbBegun bool
	// lastSR is the publisher's last sender report for this layer (nil:
	// none yet), for the receiver reports' LSR and DLSR.
	lastSR atomic.Pointer[senderReportSeen]
	// rrExpected and rrCount are the packets expected and received at the
	// last receiver report (the feedback loop's, under in).
	rrExpected, rrCount uint64

	// Keyframe requests (see requestKeyframe); a suppressed request is sent
	// by the reader once its interval has passed, unless a keyframe came.
	lastPLI    atomic.Int64 // unix ns
	lastKey    atomic.Int64 // unix ns of the last keyframe's first packet
	pliPending atomic.Bool
	// forced marks a pending request that needs no keyframe outstanding to
	// wait for (forceKeyframe inside the publisher's ignore window).
	forced atomic.Bool
	// unanswered counts the PLIs sent since the last keyframe.
	unanswered atomic.Int32
	// keySeq is the last keyframe's first packet's sequence number, with
	// keySeen set (a new subscriber starts from it: replayFromKey).
	keySeq atomic.Uint32

	// What arrives, for estimation and quality (reader writes).
	rate     atomic.Int64 // bits per second over the last second
	lastAt   atomic.Int64 // unix ns of the last packet
	received atomic.Uint64
	lastSeq  atomic.Uint32 // the latest packet's (contiguous) sequence number
	winStart int64         // reader
	winBytes int64         // reader
	skipped  uint16        // padding-only packets dropped so far; reader
	pads     padHistory    // the last of them; reader
	recv     recvStats     // loss, jitter and bytes, for quality (qualitystats.go)

	done chan struct{}
}

// layerIndex maps a rid to a layer: the names the SDKs use (q/h/f as
// LiveKit and the JS SDK send them, l/m/h, low/mid/high, 0/1/2). Anything
// else is placed by the order the layers arrive in.
func layerIndex(rid string) (int32, bool) {
	switch strings.ToLower(rid) {
	case "", "q", "l", "low", "0":
		return 0, true
	case "h", "m", "mid", "medium", "1":
		return 1, true
	case "f", "high", "full", "2":
		return 2, true
	}
	return 0, false
}

func newLayer(remote *webrtc.TrackRemote, pc *webrtc.PeerConnection) *layer {
	l := &layer{rid: remote.RID(), ssrc: uint32(remote.SSRC()), remote: remote, done: make(chan struct{})}
	pli := []rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: l.ssrc}}
	l.sendPLI = func() { _ = pc.WriteRTCP(pli) }
	if remote.Kind() == webrtc.RTPCodecTypeVideo {
		l.cache = newPacketCache(videoCacheSize)
		for _, fb := range remote.Codec().RTCPFeedback {
			if fb.Type == webrtc.TypeRTCPFBNACK && fb.Parameter == "" {
				l.nack = true
			}
		}
	}
	return l
}

// run is the reader loop; it returns when the track or its PC ends.
func (l *layer) run() {
	defer close(l.done)
	// Subscribers bound before this layer had an SSRC asked in vain. An
	// encoder starts with a keyframe: their request is taken as made now,
	// and sent when the interval ends unless that keyframe came (a PLI at
	// the first packet only made libwebrtc ignore the next real one).
	l.lastPLI.Store(time.Now().UnixNano())
	l.pliPending.Store(l.cache != nil)
	defer func() {
		if l.cache != nil {
			l.cache.clear()
		}
	}()
	for {
		p := l.up.pool.get()
		n, _, err := l.remote.Read(p.buf[:])
		if err != nil {
			p.release()
			return
		}
		l.in.Lock()
		if l.prepare(p, n) {
			l.ingest(p)
		}
		l.in.Unlock()
		p.release()
		if l.pliPending.Load() {
			l.requestKeyframe()
		}
	}
}

// fromTap reads in p, holding the n bytes of one of the layer's packets
// that the tap decrypted, as the layer's Pion reader would have.
func (l *layer) fromTap(p *packet, n int) {
	l.in.Lock()
	if l.tapped && l.prepare(p, n) {
		l.ingest(p)
	}
	l.in.Unlock()
	p.release()
	if l.pliPending.Load() {
		l.requestKeyframe()
	}
}

// rocOf is the SRTP rollover counter of the layer's packet with sequence
// number seq, from the wraps counted so far.
func (l *layer) rocOf(seq uint16) uint32 {
	l.in.Lock()
	defer l.in.Unlock()
	return l.recv.seqs.roc(seq)
}

// ingest notes a keyframe, caches p (video) and queues it to the
// down-tracks that want it.
func (l *layer) ingest(p *packet) {
	if p.keyframe {
		// it answers every keyframe request made so far
		l.keySeq.Store(keySeen | uint32(p.seq))
		l.lastKey.Store(time.Now().UnixNano())
		l.pliPending.Store(false)
		l.forced.Store(false)
		l.unanswered.Store(0)
	}
	if l.cache != nil {
		l.cache.put(p)
	}
	l.up.forward(p)
}

// prepare parses p in place; false drops it (not RTP, or padding only).
func (l *layer) prepare(p *packet, n int) bool {
	h, ok := parseRTP(p.buf[:n])
	if !ok {
		return false
	}
	now := time.Now().UnixNano()
	l.recv.seen(uint16(h.seq), n, now)
	if l.fb != nil {
		l.feedback(p.buf[:n], h, now)
	}
	raw := uint16(h.seq)
	late := l.pads.late(raw)
	if h.payloadStart == h.payloadEnd {
		// Dropped, and the numbers after it close up. One that comes
		// late is not counted: what came after it is numbered already
		// (its number stays a gap, as a lost packet's would).
		if !late {
			l.skipped++
			l.pads.push(raw)
		}
		return false
	}
	p.payload = p.buf[h.payloadStart:h.payloadEnd]
	p.seq = raw - l.skipped
	if late {
		// a repair or a reordered packet: only the padding before it counts
		after, known := l.pads.after(raw)
		if !known {
			return false // older than the padding remembered: its number is not known
		}
		p.seq += after
	}
	p.ts = h.ts
	p.marker = h.marker
	p.layer = uint8(l.index)
	p.arrival = l.up.arrivalOf(p.buf[:n], raw, now)
	if l.up.level.id != 0 {
		l.up.level.observe(p.buf[:n], h)
	}
	l.lastSeq.Store(uint32(p.seq))
	p.keyframe = l.up.keyframe != nil && l.up.keyframe(p.payload)
	l.recv.media(h.ts, l.up.codec.ClockRate, now)
	l.meter(n, now)
	return true
}

// feedback hands what the publisher's feedback needs of the packet pkt
// (header h, read in at unix ns now) to it: its transport sequence
// number, or only that a packet came.
func (l *layer) feedback(pkt []byte, h rtpHeader, now int64) {
	if l.twccID != 0 {
		if ext, ok := findExtension(pkt, h, l.twccID); ok && len(ext) >= 2 {
			l.fb.record(l.ssrc, binary.BigEndian.Uint16(ext), l.fb.since(now))
			return
		}
	}
	if !l.fbBegun {
		l.fbBegun = true
		l.fb.begin()
	}
}

// missingPackets appends to dst, oldest first, the sequence numbers to ask
// the publisher for again (none unless the codec negotiated NACKs).
func (l *layer) missingPackets(dst []uint16) []uint16 {
	if !l.nack {
		return dst
	}
	l.in.Lock()
	defer l.in.Unlock()
	return l.recv.dups.missing(dst)
}

// receptionReport is the layer's RTCP reception report block (RFC 3550
// section 6.4.1) at now; false before its first packet.
func (l *layer) receptionReport(now time.Time) (rtcp.ReceptionReport, bool) {
	l.in.Lock()
	s := &l.recv
	if !s.seqs.started {
		l.in.Unlock()
		return rtcp.ReceptionReport{}, false
	}
	expected, count := s.expected(), s.count
	rr := rtcp.ReceptionReport{SSRC: l.ssrc, LastSequenceNumber: s.seqs.wraps<<16 | uint32(s.seqs.max), Jitter: uint32(max(s.jitter>>4, 0))}
	expInt, recvInt := expected-l.rrExpected, count-l.rrCount
	l.rrExpected, l.rrCount = expected, count
	l.in.Unlock()

	if lost := int64(expected) - int64(count); lost > 0 {
		rr.TotalLost = uint32(min(lost, 0x7fffff))
	}
	if expInt > recvInt {
		rr.FractionLost = uint8((expInt - recvInt) << 8 / expInt)
	}
	if sr := l.lastSR.Load(); sr != nil {
		rr.LastSenderReport = sr.mid
		rr.Delay = uint32(max(now.UnixNano()-sr.at, 0) * 65536 / int64(time.Second))
	}
	return rr, true
}

// senderReportSeen is a sender report as a receiver report quotes it: the
// middle 32 bits of its NTP time, and when it came (unix ns).
type senderReportSeen struct {
	mid uint32
	at  int64
}

// meter counts n bytes into the one-second rate window.
func (l *layer) meter(n int, now int64) {
	l.lastAt.Store(now)
	l.received.Add(1)
	l.winBytes += int64(n)
	if el := now - l.winStart; el >= int64(time.Second) {
		if l.winStart != 0 {
			l.rate.Store(l.winBytes * 8 * int64(time.Second) / el)
		}
		l.recv.sampleJitter()
		l.recv.publish(now)
		l.winStart, l.winBytes = now, 0
	}
}

// forceKeyframe sends a PLI now whatever keyframe is outstanding (the path
// to the subscribers changed: what is on its way is lost), except within
// answeredPLIGap of the last one: libwebrtc would ignore it, and the
// request then goes out as soon as the gap has passed.
func (l *layer) forceKeyframe() {
	if l.cache == nil {
		return
	}
	now := time.Now().UnixNano()
	last := l.lastPLI.Load()
	if now-last < int64(answeredPLIGap) || !l.lastPLI.CompareAndSwap(last, now) {
		l.forced.Store(true)
		l.pliPending.Store(true)
		return
	}
	l.forced.Store(false)
	l.sendAndWatch()
}

// answeredPLIGap is the least time between two keyframe requests:
// libwebrtc ignores a request that comes within 300 ms of the last one it
// honoured, and the server never sends one it would ignore (the next real
// one would then wait a whole pliEvery for a keyframe that never comes).
const answeredPLIGap = 300 * time.Millisecond

// requestKeyframe sends a PLI to the publisher unless one went out too
// recently; then it is remembered and sent by the reader later, or dropped
// when a keyframe arrives meanwhile (any keyframe after a request answers
// it). Too recently: less than pliEvery ago while that PLI's keyframe has
// not come (it will serve this request too), or less than answeredPLIGap
// ago when it has (a subscriber that joined after that keyframe needs the
// next one: waiting the whole interval delayed every new subscriber's first
// frame). Safe from any goroutine; never blocks on anything but the PC's
// RTCP write.
func (l *layer) requestKeyframe() {
	if l.cache == nil {
		return
	}
	now := time.Now().UnixNano()
	last := l.lastPLI.Load()
	every := int64(l.up.pliEvery)
	if l.lastKey.Load() > last || l.forced.Load() {
		every = min(every, int64(answeredPLIGap))
	}
	if now-last < every || !l.lastPLI.CompareAndSwap(last, now) {
		l.pliPending.Store(true)
		return
	}
	l.forced.Store(false)
	l.sendAndWatch()
}

// maxUnanswered is how many PLIs in a row go out for one keyframe that
// does not come.
const maxUnanswered = 4

// sendAndWatch sends a PLI and keeps the request pending until a keyframe
// comes: if the PLI or the keyframe's first packet is lost on the way (5%
// loss lost one in twenty, and the subscriber asked again only 3 s later),
// the reader asks again when the interval ends, up to maxUnanswered times
// in a row. A codec whose keyframes the server cannot see is asked once.
func (l *layer) sendAndWatch() {
	l.pliPending.Store(l.up.keyframe != nil && l.unanswered.Add(1) < maxUnanswered)
	l.sendPLI()
}

// keySeen marks keySeq as set.
const keySeen = 1 << 16

// Starting from the cached keyframe (replayFromKey): at most replayPackets
// packets (well inside the cache, which the reader keeps filling meanwhile),
// from a keyframe at most replayAge old. A new subscriber's first frame
// then needs no keyframe request (a round trip to the publisher and its
// encoder's next frame, or up to answeredPLIGap more when another request
// was just answered); an older keyframe would make too long a burst.
const (
	replayPackets = 128
	replayAge     = 600 * time.Millisecond
)

// recentKey returns the first sequence number of the last keyframe when it
// is recent enough to start a new subscriber from (replayAge), false
// otherwise. Any goroutine.
func (l *layer) recentKey(now int64) (uint16, bool) {
	if l.cache == nil {
		return 0, false
	}
	k := l.keySeq.Load()
	if k&keySeen == 0 || now-l.lastKey.Load() > int64(replayAge) {
		return 0, false
	}
	return uint16(k), true
}

// padHistory remembers the newest sequence number a layer received and
// the numbers of the last padding-only packets it dropped, so a packet that
// comes late (a NACK repair, a reordering) is numbered as it would have
// been in order: minus the padding before it, not the padding since. (It
// was numbered minus all of it, which gave a late packet the number of one
// already sent and left its own a hole for good: the subscriber's picture
// froze until a keyframe.) Numbers are kept extended (the wraps of the
// 16-bit number counted), so padding remembered from long ago, a wrap or
// more, is never taken for recent. Reader goroutine only.
type padHistory struct {
	newest  uint32      // extended; 0 before the first packet, then from 1<<16 up, so a late packet before the first stays above 0
	seqs    [256]uint32 // ring of dropped padding numbers, extended
	n, next int
}

// late reports whether seq comes before the newest number seen, and notes
// seq as the newest when it does not.
func (h *padHistory) late(seq uint16) bool {
	if h.newest == 0 {
		h.newest = 1<<16 | uint32(seq)
		return false
	}
	d := seq - uint16(h.newest)
	if int16(d) < 0 {
		return true
	}
	h.newest += uint32(d)
	return false
}

// ext is the extended number of seq, at most half the number space
// before the newest (what late says is late).
func (h *padHistory) ext(seq uint16) uint32 {
	return h.newest - uint32(uint16(h.newest)-seq)
}

func (h *padHistory) push(seq uint16) {
	h.seqs[h.next] = h.ext(seq)
	h.next = (h.next + 1) % len(h.seqs)
	h.n = min(h.n+1, len(h.seqs))
}

// after counts the remembered padding numbers that come after seq; known
// is false when seq comes before the oldest of a full ring (padding
// forgotten may come after it too).
func (h *padHistory) after(seq uint16) (k uint16, known bool) {
	e := h.ext(seq)
	if h.n == len(h.seqs) && e < h.seqs[h.next] {
		return 0, false
	}
	for _, p := range h.seqs[:h.n] {
		if p > e {
			k++
		}
	}
	return k, true
}
