package client

import (
	"cmp"
	"context"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/sfu"
)

// simulcastPayload is one packet of a synthetic frame of layer l: a real
// VP8 payload descriptor or H.264 NAL header (so the server can find
// keyframes), then the layer's number, padded to the layer's size.
func simulcastPayload(codec string, l int, key, first bool) []byte {
	size := []int{150, 400, 1000}[l]
	b := make([]byte, size)
	switch {
	case codec == "vp8" && first:
		b[0] = 0x10 // S, partition 0
		if !key {
			b[1] = 0x01 // P: inter frame
		}
	case codec == "vp8":
		b[0], b[1] = 0x00, 0x01
	case key && first: // STAP-A holding an SPS
		copy(b, []byte{0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x01, 0x68})
	default:
		b[0], b[1] = 0x41, 0x9a // non-IDR slice
	}
	b[size-1] = byte(l)
	return b
}

// pumpSimulcast writes 30 frames a second (3 packets each) on every layer
// of p, a keyframe every second and whenever the server asked for one. A
// layer the server said no one receives (activeLayers) is not written; it
// resumes with a keyframe, as an encoder does.
func pumpSimulcast(t *testing.T, p *peer, codec string) {
	pumpSimulcastSilencing(t, p, codec, nil)
}

// pumpSimulcastSilencing is pumpSimulcast where the layers whose bits are
// set in silent (1<<index; 0: none) are not written even when active: a
// publisher short of uplink that stopped them on its own, or layers whose
// first packets come late.
func pumpSimulcastSilencing(t *testing.T, p *peer, codec string, silent *atomic.Int32) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	t.Cleanup(func() { cancel(); wg.Wait() })
	for i, lt := range p.LocalTracks() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(33 * time.Millisecond)
			defer tick.Stop()
			var asked int64
			wasActive := true
			for f := 0; ; f++ {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
				active := lt.Active() && (silent == nil || silent.Load()&(1<<i) == 0)
				if !active {
					wasActive = false
					continue
				}
				key := f%30 == 0 || !wasActive
				wasActive = true
				if n := lt.KeyframeRequests(); n != asked {
					key, asked = true, n
				}
				for k := range 3 {
					ticks := uint32(0)
					if k == 0 {
						ticks = 3000
					}
					_ = lt.Write(simulcastPayload(codec, i, key, k == 0), ticks, k == 2)
				}
			}
		}()
	}
}

// received is what a subscriber got of one track, in arrival order.
type received struct {
	lossy bool // its link drops packets: a gap in the numbers is loss, not an error
	// maxJump is the largest timestamp step allowed (ticks; 0: half a
	// second): a real pause in what was sent shows as its wall time.
	maxJump int32
	mu      sync.Mutex
	seq     []uint16
	ts      []uint32
	layer   []int
	key     []bool
}

func (r *received) add(codec string, p *rtp.Packet) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b := p.Payload
	r.seq = append(r.seq, p.SequenceNumber)
	r.ts = append(r.ts, p.Timestamp)
	if len(b) == 0 { // a padding-only bandwidth probe: a sequence number, no media
		last := -1
		if n := len(r.layer); n > 0 {
			last = r.layer[n-1]
		}
		r.layer = append(r.layer, last)
		r.key = append(r.key, false)
		return
	}
	r.layer = append(r.layer, int(b[len(b)-1]))
	key := codec == "vp8" && b[0] == 0x10 && b[1] == 0 || codec == "h264" && b[0] == 0x78
	r.key = append(r.key, key)
}

func (r *received) lastLayer() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.layer) == 0 {
		return -1
	}
	return r.layer[len(r.layer)-1]
}

// check verifies the stream a decoder got: sorted by sequence number (the
// loopback may reorder), no number missing, timestamps never going back
// and never jumping by more than half a second, and each change of layer
// on a keyframe.
func (r *received) check(t *testing.T, minSwitches int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	idx := make([]int, len(r.seq))
	for i := range idx {
		idx[i] = i
	}
	base := r.seq[0]
	sort.SliceStable(idx, func(a, b int) bool { return int16(r.seq[idx[a]]-base) < int16(r.seq[idx[b]]-base) })
	switches := 0
	for k := 1; k < len(idx); k++ {
		i, j := idx[k-1], idx[k]
		if r.seq[j] == r.seq[i] {
			continue // a retransmission
		}
		if r.seq[j] != r.seq[i]+1 && !r.lossy {
			t.Fatalf("sequence number %d follows %d: a gap", r.seq[j], r.seq[i])
		}
		if d := int32(r.ts[j] - r.ts[i]); d < 0 || d > cmp.Or(r.maxJump, 45000) {
			t.Fatalf("seq %d: timestamp moved %d ticks (layer %d after %d)", r.seq[j], d, r.layer[j], r.layer[i])
		}
		if r.layer[j] != r.layer[i] {
			switches++
			if !r.key[j] {
				t.Fatalf("seq %d: switched to layer %d on a delta frame", r.seq[j], r.layer[j])
			}
		}
	}
	if switches < minSwitches {
		t.Errorf("%d layer switches seen, want at least %d", switches, minSwitches)
	}
}

// A simulcast publisher's three layers reach a subscriber one at a time:
// the highest by default, then whichever it pins; every switch is on a
// keyframe and the subscriber sees one gap-free stream.
func TestSimulcastLayerSwitchesKeepSequenceAndTimestamps(t *testing.T) {
	for _, codec := range []string{"vp8", "h264"} {
		t.Run(codec, func(t *testing.T) {
			// pins only: a loaded test machine's scheduling delays must not move layers here
			ts := newTestSFU(t, false, func(c *sfu.Config) { c.DisableEstimation = true })
			alice := ts.join(t, "alice", "s1", MediaOptions{Video: codec, Simulcast: true})
			if n := len(alice.LocalTracks()); n != 3 {
				t.Fatalf("%d local tracks, want 3 layers", n)
			}
			got := &received{}
			bob := ts.join(t, "bob", "s1", MediaOptions{OnPacket: func(_ *RemoteTrack, p *rtp.Packet, _ time.Time) { got.add(codec, p) }})
			pumpSimulcast(t, alice, codec)
			pub := videoOf(t, bob, "alice")
			eventually(t, "bob gets the high layer", func() bool { return got.lastLayer() == 2 })
			ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
			defer cancel()
			for _, step := range []struct {
				pin  string
				want int
			}{{protocol.LayerLow, 0}, {protocol.LayerMedium, 1}, {"", 2}, {protocol.LayerLow, 0}} {
				if err := bob.TrackSettings(ctx, protocol.TrackSettings{TrackID: pub.TrackID, Layer: step.pin}); err != nil {
					t.Fatal(err)
				}
				eventually(t, "bob gets layer "+step.pin, func() bool { return got.lastLayer() == step.want })
			}
			got.check(t, 3)
		})
	}
}

// Pausing a track stops it; resuming brings it back from a keyframe.
func TestPausedTrackStopsAndResumes(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	t.Cleanup(func() { t.Log(ts.logs.String()) })
	alice := ts.join(t, "alice", "s1", MediaOptions{Video: "vp8", Simulcast: true})
	got := &received{}
	bob := ts.join(t, "bob", "s1", MediaOptions{OnPacket: func(_ *RemoteTrack, p *rtp.Packet, _ time.Time) { got.add("vp8", p) }})
	pumpSimulcast(t, alice, "vp8")
	pub := videoOf(t, bob, "alice")
	tr := bob.receiving(t, "alice", "video", 30)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := bob.TrackSettings(ctx, protocol.TrackSettings{TrackID: pub.TrackID, Paused: true}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // let what was in flight arrive
	before := tr.Packets()
	time.Sleep(500 * time.Millisecond) // a paused track: nothing for half a second
	if n := tr.Packets() - before; n > 0 {
		t.Fatalf("%d packets arrived while paused", n)
	}
	if err := bob.TrackSettings(ctx, protocol.TrackSettings{TrackID: pub.TrackID}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "resumed", func() bool { return tr.Packets() > before+30 })
	err := bob.TrackSettings(ctx, protocol.TrackSettings{TrackID: "nobody-video-9"})
	if perr := protocol.AsError(err); perr == nil || perr.Code != protocol.CodeBadRequest {
		t.Errorf("settings for an unknown track: %v, want bad_request", err)
	}
}

// Dynacast: a layer nobody receives is switched off at the publisher
// (activeLayers), and switched back on when a subscriber wants it.
func TestUnwatchedLayersPausedAtThePublisher(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.DisableEstimation = true })
	alice := ts.join(t, "alice", "s1", MediaOptions{Video: "vp8", Simulcast: true})
	got := &received{}
	bob := ts.join(t, "bob", "s1", MediaOptions{OnPacket: func(_ *RemoteTrack, p *rtp.Packet, _ time.Time) { got.add("vp8", p) }})
	pumpSimulcast(t, alice, "vp8")
	pub := videoOf(t, bob, "alice")
	eventually(t, "bob gets the high layer", func() bool { return got.lastLayer() == 2 })
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := bob.TrackSettings(ctx, protocol.TrackSettings{TrackID: pub.TrackID, Width: 320, Height: 180}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "alice told to send only the low layer", func() bool {
		ls := alice.LocalTracks()
		return ls[0].Active() && !ls[1].Active() && !ls[2].Active()
	})
	if got.lastLayer() != 0 {
		t.Fatalf("bob gets layer %d with a 320x180 tile, want 0", got.lastLayer())
	}
	if err := bob.TrackSettings(ctx, protocol.TrackSettings{TrackID: pub.TrackID, Width: 1280, Height: 720}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob back on the high layer", func() bool { return got.lastLayer() == 2 })
	if !alice.LocalTracks()[2].Active() {
		t.Error("the high layer is received but not active at the publisher")
	}
	got.check(t, 2)
}

// Layers whose first packets come after the top one's (a publisher's
// lower encodings starting late, or their packets reaching the server
// later) are not paused by dynacast before they arrive: the publisher's
// offer declared them. Before, the first activeLayers named only the
// layers seen, and the others stopped for good (the server never saw them
// to want them).
func TestLayersArrivingLateAreNotPaused(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.DisableEstimation = true })
	alice := ts.join(t, "alice", "s1", MediaOptions{Video: "vp8", Simulcast: true})
	got := &received{}
	bob := ts.join(t, "bob", "s1", MediaOptions{OnPacket: func(_ *RemoteTrack, p *rtp.Packet, _ time.Time) { got.add("vp8", p) }})
	var silent atomic.Int32
	silent.Store(1<<0 | 1<<1) // the top layer only, at first
	pumpSimulcastSilencing(t, alice, "vp8", &silent)
	pub := videoOf(t, bob, "alice")
	eventually(t, "bob gets the high layer", func() bool { return got.lastLayer() == 2 })
	time.Sleep(500 * time.Millisecond) // the room's dynacast runs every tick meanwhile
	for _, lt := range alice.LocalTracks() {
		if !lt.Active() {
			t.Errorf("layer %q paused before its first packet", lt.RID)
		}
	}
	silent.Store(0)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := bob.TrackSettings(ctx, protocol.TrackSettings{TrackID: pub.TrackID, Width: 320, Height: 180}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "bob moved to the low layer", func() bool { return got.lastLayer() == 0 })
}

// videoOf is uid's video track as p was told of it: in joined (published
// before p joined) or by trackPublished.
func videoOf(t *testing.T, p *peer, uid string) TrackInfo {
	t.Helper()
	for _, tr := range p.Info().Tracks {
		if tr.UID == uid && tr.Kind == "video" {
			return tr
		}
	}
	ev := p.waitEvent(t, MediaTrackPublished, uid)
	return TrackInfo{TrackID: ev.TrackID, UID: ev.UID, Kind: ev.Kind, Mid: ev.Mid}
}

// A participant publishing a camera (simulcast) and a screen share: both
// reach everyone, the screen announced as such.
func TestScreenShareAndCameraReachEveryone(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	alice := ts.join(t, "alice", "s1", MediaOptions{Video: "vp8", Simulcast: true, Screen: "vp8"})
	bob := ts.join(t, "bob", "s1", MediaOptions{})
	carol := ts.join(t, "carol", "s1", MediaOptions{})
	var screen *LocalTrack
	for _, lt := range alice.LocalTracks() {
		if lt.Source == protocol.SourceScreen {
			screen = lt
		}
	}
	if screen == nil {
		t.Fatal("no screen track published")
	}
	pump(t, alice)
	for _, p := range []*peer{bob, carol} {
		sources := map[string]string{}
		for _, tr := range p.Info().Tracks {
			sources[tr.Mid] = tr.Source
		}
		eventually(t, p.uid+" receives alice's camera and screen", func() bool {
			got := map[string]bool{}
			for _, r := range p.RemoteTracks() {
				if r.UID == "alice" && r.Packets() > 20 {
					got[sources[r.Mid]] = true
				}
			}
			return got[protocol.SourceCamera] && got[protocol.SourceScreen]
		})
	}
}

// A layer the publisher stops sending on its own (a browser short of
// uplink drops its top layer) is left: the subscriber on it moves to the
// next one down within about a second instead of freezing, and goes back
// up when the layer comes back.
func TestLayerThePublisherStopsIsLeft(t *testing.T) {
	ts := newTestSFU(t, false, func(c *sfu.Config) { c.DisableEstimation = true })
	alice := ts.join(t, "alice", "s1", MediaOptions{Video: "vp8", Simulcast: true})
	got := &received{maxJump: 3 * 90000} // the high layer's silence before the move shows
	ts.join(t, "bob", "s1", MediaOptions{OnPacket: func(_ *RemoteTrack, p *rtp.Packet, _ time.Time) { got.add("vp8", p) }})
	var silent atomic.Int32
	pumpSimulcastSilencing(t, alice, "vp8", &silent)
	eventually(t, "bob gets the high layer", func() bool { return got.lastLayer() == 2 })
	silent.Store(1 << 2)
	stopped := time.Now()
	eventually(t, "bob moved to the medium layer", func() bool { return got.lastLayer() == 1 })
	t.Logf("bob on the medium layer %v after alice stopped the high one", time.Since(stopped).Round(time.Millisecond))
	silent.Store(0)
	eventually(t, "bob back on the high layer", func() bool { return got.lastLayer() == 2 })
	got.check(t, 2)
}
