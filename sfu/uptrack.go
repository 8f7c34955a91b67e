package sfu

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// videoCacheSize is how many packets of a video up-track are kept to answer
// NACKs (a power of two, so the slot of a sequence number survives wrap).
const videoCacheSize = 256

// upTrack is one track a participant publishes: its reader goroutine (the
// Pion OnTrack goroutine) reads packets into pooled buffers, caches them and
// hands a reference to every down-track, never waiting for any of them.
//
// An up-track is announced when the publisher's offer is answered, before
// its first packet (so subscribers negotiate its m-line while the
// publisher's transport connects): remote is set by attach, on the room
// goroutine, before the reader starts; until then a keyframe request is
// kept for the reader to send once it has the SSRC.
type upTrack struct {
	id      string // unique in the call: "<uid>-<kind>-<n>"
	uid     string
	mid     string // the publisher's m-line ("" if unknown)
	kind    webrtc.RTPCodecType
	codec   webrtc.RTPCodecParameters
	remote  *webrtc.TrackRemote // nil until attach; then read by the reader only
	pc      *webrtc.PeerConnection
	ssrc    atomic.Uint32 // the publisher's SSRC; 0 until attach
	sendPLI func()        // writes one PLI for this track to the publisher (writePLI)
	pool    *packetPool
	cache   *packetCache // nil for audio (no NACK)
	stats   *counters

	// downs is the current fan-out list, replaced whole (copy on write)
	// under downsMu so the reader loads it without a lock.
	downsMu sync.Mutex
	downs   atomic.Pointer[[]*downTrack]

	// Keyframe requests: at most one per pliEvery; a suppressed request is
	// sent by the reader once the interval has passed.
	pliEvery   time.Duration
	lastPLI    atomic.Int64 // unix ns
	pliPending atomic.Bool

	skipped uint16 // padding-only packets dropped so far; reader goroutine only
	done    chan struct{}
}

// newUpTrack is a track announced before its first packet (attach gives
// it the remote track when that comes).
func newUpTrack(id, uid string, kind webrtc.RTPCodecType, codec webrtc.RTPCodecParameters, pc *webrtc.PeerConnection, pool *packetPool, stats *counters, pliEvery time.Duration) *upTrack {
	u := &upTrack{
		id: id, uid: uid, kind: kind, codec: codec, pc: pc,
		pool: pool, stats: stats, pliEvery: pliEvery, done: make(chan struct{}),
	}
	if u.kind == webrtc.RTPCodecTypeVideo {
		u.cache = newPacketCache(videoCacheSize)
	}
	u.sendPLI = u.writePLI
	u.downs.Store(&[]*downTrack{})
	return u
}

// attach gives u the publisher's track, before its reader starts.
func (u *upTrack) attach(remote *webrtc.TrackRemote) {
	u.remote = remote
	u.ssrc.Store(uint32(remote.SSRC()))
}

// writePLI writes one PLI for this track to the publisher; before the
// track's first packet it is kept for the reader (pliPending).
func (u *upTrack) writePLI() {
	ssrc := u.ssrc.Load()
	if ssrc == 0 { // the reader sends it after the first packet, at once
		u.lastPLI.Store(0)
		u.pliPending.Store(true)
		return
	}
	_ = u.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: ssrc}})
}

// run is the reader loop; it returns when the track or its PC ends.
func (u *upTrack) run() {
	defer close(u.done)
	defer func() {
		if u.cache != nil {
			u.cache.clear()
		}
	}()
	for {
		p := u.pool.get()
		n, _, err := u.remote.Read(p.buf[:])
		if err != nil {
			p.release()
			return
		}
		if !u.prepare(p, n) {
			p.release()
			continue
		}
		u.forward(p)
		p.release()
		if u.pliPending.Load() {
			u.requestKeyframe()
		}
	}
}

// prepare parses p in place; false drops it (not RTP, or padding only).
func (u *upTrack) prepare(p *packet, n int) bool {
	h, ok := parseRTP(p.buf[:n])
	if !ok {
		return false
	}
	if h.payloadStart == h.payloadEnd {
		u.skipped++
		return false
	}
	p.payload = p.buf[h.payloadStart:h.payloadEnd]
	p.seq = uint16(h.seq) - u.skipped
	p.ts = h.ts
	p.marker = h.marker
	return true
}

// forward caches p and queues it to every down-track without blocking.
func (u *upTrack) forward(p *packet) {
	if u.cache != nil {
		u.cache.put(p)
	}
	downs := *u.downs.Load()
	sent, dropped := 0, 0
	for _, d := range downs {
		if d.enqueue(p) {
			sent++
		} else {
			dropped++
		}
	}
	u.stats.add(sent, dropped)
}

func (u *upTrack) addDown(d *downTrack) {
	u.downsMu.Lock()
	defer u.downsMu.Unlock()
	cur := *u.downs.Load()
	next := make([]*downTrack, 0, len(cur)+1)
	next = append(append(next, cur...), d)
	u.downs.Store(&next)
}

func (u *upTrack) removeDown(d *downTrack) {
	u.downsMu.Lock()
	defer u.downsMu.Unlock()
	cur := *u.downs.Load()
	next := make([]*downTrack, 0, len(cur))
	for _, x := range cur {
		if x != d {
			next = append(next, x)
		}
	}
	u.downs.Store(&next)
}

// forceKeyframe sends a PLI now, whatever the rate limit: for a subscriber
// whose transport just connected, whose first keyframe request (at Bind,
// before SRTP was up) could not have helped it.
func (u *upTrack) forceKeyframe() {
	if u.kind != webrtc.RTPCodecTypeVideo {
		return
	}
	u.lastPLI.Store(time.Now().UnixNano())
	u.pliPending.Store(false)
	u.sendPLI()
}

// requestKeyframe sends a PLI to the publisher unless one went out less than
// pliEvery ago; then it is remembered and sent by the reader later. Safe
// from any goroutine; never blocks on anything but the PC's RTCP write.
func (u *upTrack) requestKeyframe() {
	if u.kind != webrtc.RTPCodecTypeVideo {
		return
	}
	now := time.Now().UnixNano()
	last := u.lastPLI.Load()
	if now-last < int64(u.pliEvery) || !u.lastPLI.CompareAndSwap(last, now) {
		u.pliPending.Store(true)
		return
	}
	u.pliPending.Store(false)
	u.sendPLI()
}
