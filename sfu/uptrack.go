package sfu

import (
	"encoding/binary"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/webrtc/v4"
)

// videoCacheSize is how many packets of a video layer are kept to answer
// NACKs (a power of two, so the slot of a sequence number survives wrap).
const videoCacheSize = 256

// maxLayers is how many simulcast encodings one track may have.
const maxLayers = 3

// upTrack is one track a participant publishes, as subscribers see it: one
// m-line of the publisher connection. It is received as one layer, or as up
// to three simulcast layers (rid-based encodings of the same source); each
// layer's packets (read by its Pion OnTrack goroutine, or taken at the
// media socket: rtptap.go) go into pooled buffers, are cached and handed
// by reference to every down-track that wants that layer, never waiting
// for any of them.
//
// An up-track is announced when the publisher's offer is answered, before
// its first packet (announce.go); its layers attach as their first packets
// come, each asking for a keyframe once it knows its SSRC.
type upTrack struct {
	id       string // unique in the call: "<uid>-<kind>-<n>"
	uid      string
	mid      string // the publisher's m-line ("" if unknown)
	kind     webrtc.RTPCodecType
	codec    webrtc.RTPCodecParameters
	pc       *webrtc.PeerConnection
	msid     string // the publisher's track id (a=msid), set by the first layer
	source   string // video: protocol.SourceCamera or SourceScreen
	arrived  bool   // a layer has attached; room goroutine only
	keyframe keyframeFunc
	pool     *packetPool
	stats    *counters
	pliEvery time.Duration

	// layers by index (0 lowest); set by the room goroutine, read by anyone.
	layers [maxLayers]atomic.Pointer[layer]

	// Dynacast (room goroutine only): when each layer was last wanted, and
	// the rids last announced to the publisher (activeLayers). The rids its
	// offer declares are the participant's (participant.rids by mid).
	wantedAt  [maxLayers]time.Time
	announced []string
	// askedAt is when each layer was last (re)announced as wanted.
	askedAt [maxLayers]time.Time

	// level is the smoothed audio level (audio, RFC 6464), see speaker.go.
	level audioLevel

	// downs is the current fan-out list, replaced whole (copy on write)
	// under downsMu so the readers load it without a lock. byLayer[l] is
	// the part of it that may want layer l's packets (listed for its
	// target and the layer it forwards; a superset, forward still asks
	// wants), so a layer no subscriber takes costs nothing per subscriber.
	downsMu sync.Mutex
	downs   atomic.Pointer[[]*downTrack]
	byLayer [maxLayers]atomic.Pointer[[]*downTrack]
}

// newUpTrack is a track announced before its first packet (attachLayer
// gives it its layers as they come).
func newUpTrack(id, uid string, kind webrtc.RTPCodecType, codec webrtc.RTPCodecParameters, pc *webrtc.PeerConnection, pool *packetPool, stats *counters, pliEvery time.Duration) *upTrack {
	u := &upTrack{
		id: id, uid: uid, kind: kind, codec: codec, pc: pc,
		pool: pool, stats: stats, pliEvery: pliEvery,
	}
	u.keyframe = keyframeDetector(u.codec.MimeType)
	u.downs.Store(&[]*downTrack{})
	for i := range u.byLayer {
		u.byLayer[i].Store(&[]*downTrack{})
	}
	return u
}

// arrivalOf is when the RTP packet b (decrypted; raw is its own sequence
// number) reached the server's socket, 0 if not known (arrivals.go); now
// (unix ns) it is read, which the receive delay records.
func (u *upTrack) arrivalOf(b []byte, raw uint16, now int64) int64 {
	if u.stats == nil || len(b) < 12 {
		return 0
	}
	at := u.stats.arrivals.take(binary.BigEndian.Uint32(b[8:]), raw)
	if at != 0 && u.stats.received != nil {
		u.stats.received.Observe(float64(max(now-at, 0)) / 1e9)
	}
	return at
}

// layer returns the layer of index i, or nil.
func (u *upTrack) layer(i int32) *layer {
	if i < 0 || i >= maxLayers {
		return nil
	}
	return u.layers[i].Load()
}

// best is the highest layer present at or below limit (-1: none).
func (u *upTrack) best(limit int32) int32 {
	for i := min(limit, maxLayers-1); i >= 0; i-- {
		if u.layers[i].Load() != nil {
			return i
		}
	}
	return -1
}

// layerSilence is how long a layer the publisher was asked for may send
// nothing before subscribers are moved off it: a browser short of uplink
// stops its top layers on its own.
const layerSilence = time.Second

// usable reports whether layer i can be forwarded: it is arriving, or the
// publisher was told to stop it (dynacast; wanting it resumes it), or it
// was asked for less than layerSilence ago. A layer the publisher stopped
// on its own is not. Room goroutine only.
func (u *upTrack) usable(i int32, now time.Time) bool {
	l := u.layer(i)
	switch {
	case l == nil:
		return false
	case now.UnixNano()-l.lastAt.Load() < int64(layerSilence):
		return true
	case u.announced != nil && !slices.Contains(u.announced, l.rid):
		return true
	}
	return now.Sub(u.askedAt[i]) < layerSilence
}

// bestUsable is the highest usable layer at or below limit, else the
// lowest present (-1: none). Room goroutine only.
func (u *upTrack) bestUsable(limit int32, now time.Time) int32 {
	for i := min(limit, maxLayers-1); i >= 0; i-- {
		if u.usable(i, now) {
			return i
		}
	}
	return u.lowest()
}

// layerByRID is the layer present with rid, or nil.
func (u *upTrack) layerByRID(rid string) *layer {
	for i := range u.layers {
		if l := u.layers[i].Load(); l != nil && l.rid == rid {
			return l
		}
	}
	return nil
}

// lowest is the lowest layer present (-1: none).
func (u *upTrack) lowest() int32 {
	for i := range int32(maxLayers) {
		if u.layers[i].Load() != nil {
			return i
		}
	}
	return noLayer
}

// layered reports whether more than one layer is present: something for
// a subscriber's estimate to choose between.
func (u *upTrack) layered() bool { return u.best(maxLayers-1) > u.lowest() }

// live reports whether any layer is still being read.
func (u *upTrack) live() bool {
	for i := range u.layers {
		if u.layers[i].Load() != nil {
			return true
		}
	}
	return false
}

// forward queues p (cached already) to every down-track that wants its
// layer, without blocking.
func (u *upTrack) forward(p *packet) {
	if int(p.layer) >= maxLayers {
		return
	}
	downs := *u.byLayer[p.layer].Load()
	sent, dropped := 0, 0
	for _, d := range downs {
		if !d.wants(p.layer) {
			continue
		}
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
	next := append(slices.Clip(cur), d)
	u.downs.Store(&next)
	u.placeLocked(d, noLayer, true)
}

func (u *upTrack) removeDown(d *downTrack) {
	u.downsMu.Lock()
	defer u.downsMu.Unlock()
	next := slices.DeleteFunc(slices.Clone(*u.downs.Load()), func(x *downTrack) bool { return x == d })
	u.downs.Store(&next)
	u.placeLocked(d, noLayer, false)
}

// relist puts d, after its target or forwarded layer changed, on the
// per-layer lists of the layers it wants, and of extra too (noLayer:
// none), and takes it off the others. Whoever changes either layer calls
// it after the change, and before it with the layer to be switched to, so
// no list ever lacks a down-track that wants its packets.
func (u *upTrack) relist(d *downTrack, extra int32) {
	u.downsMu.Lock()
	defer u.downsMu.Unlock()
	u.placeLocked(d, extra, slices.Contains(*u.downs.Load(), d))
}

// placeLocked updates byLayer for d: listed where it wants packets (or
// extra) if listed is true, nowhere otherwise. downsMu held.
func (u *upTrack) placeLocked(d *downTrack, extra int32, listed bool) {
	t, c := d.target.Load(), d.cur.Load()
	for l := range int32(maxLayers) {
		want := listed && (l == t || l == c || l == extra)
		cur := *u.byLayer[l].Load()
		if want == slices.Contains(cur, d) {
			continue
		}
		var next []*downTrack
		if want {
			next = append(slices.Clip(cur), d)
		} else {
			next = slices.DeleteFunc(slices.Clone(cur), func(x *downTrack) bool { return x == d })
		}
		u.byLayer[l].Store(&next)
	}
}

// requestKeyframe asks for a keyframe on layer i (rate-limited per layer).
func (u *upTrack) requestKeyframe(i int32) {
	if l := u.layer(i); l != nil {
		l.requestKeyframe()
	}
}

// forceKeyframe asks for a keyframe on layer i now, whatever the rate limit.
func (u *upTrack) forceKeyframe(i int32) {
	if l := u.layer(i); l != nil {
		l.forceKeyframe()
	}
}

// addLayer places l at the index its rid names (or the first free one);
// false when the track has no room for it. Room goroutine.
func (u *upTrack) addLayer(l *layer) bool {
	i, known := layerIndex(l.rid)
	if !known || u.layers[i].Load() != nil {
		i = -1
		for k := range u.layers {
			if u.layers[k].Load() == nil {
				i = int32(k)
				break
			}
		}
		if i < 0 {
			return false
		}
	}
	l.up, l.index = u, i
	u.layers[i].Store(l)
	return true
}

// removeLayer forgets l (its reader has stopped). Room goroutine.
func (u *upTrack) removeLayer(l *layer) {
	u.layers[l.index].CompareAndSwap(l, nil)
}
