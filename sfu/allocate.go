package sfu

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// subscription is what a subscriber asked of one received track
// (trackSettings). Room goroutine only.
type subscription struct {
	paused        bool
	pin           int32 // layer pinned, noLayer: the server chooses
	width, height int
}

func defaultSubscription() subscription { return subscription{pin: noLayer} }

// pinnedLayer maps trackSettings' layer name to an index.
func pinnedLayer(name string) (int32, error) {
	switch name {
	case "":
		return noLayer, nil
	case protocol.LayerLow:
		return 0, nil
	case protocol.LayerMedium:
		return 1, nil
	case protocol.LayerHigh:
		return 2, nil
	}
	return noLayer, fmt.Errorf("%w: %q", ErrBadLayer, name)
}

func (r *room) trackSettings(p *participant, m protocol.Message) error {
	var in protocol.TrackSettings
	if err := protocol.DecodeParams(m.Params, &in); err != nil {
		return err
	}
	d := p.downs[in.TrackID]
	if d == nil {
		return fmt.Errorf("%w: %q", ErrUnknownTrack, in.TrackID)
	}
	pin, err := pinnedLayer(in.Layer)
	if err != nil {
		return err
	}
	if in.Width < 0 || in.Height < 0 || in.Width > 16384 || in.Height > 16384 {
		return ErrBadSize
	}
	d.sub = subscription{paused: in.Paused, pin: pin, width: in.Width, height: in.Height}
	if err := p.conn.Reply(m.ID, struct{}{}); err != nil {
		return err
	}
	r.allocate(p, time.Now())
	return nil
}

// layersChanged re-chooses the layer of every subscriber of up.
func (r *room) layersChanged(up *upTrack) {
	now := time.Now()
	for _, q := range r.parts {
		if q.downs[up.id] != nil {
			r.allocate(q, now)
		}
	}
}

// nominalRate is what a layer is assumed to carry before it was measured
// (the JS SDK's maxBitrate per layer), and audioReserve what audio is
// given ahead of any video.
var nominalRate = [maxLayers]int64{150_000, 500_000, 1_500_000}

const audioReserve = 48_000

// layerRate is what layer i of up carries (measured, else nominal).
func layerRate(up *upTrack, i int32) int64 {
	if l := up.layer(i); l != nil {
		if r := l.rate.Load(); r > 0 {
			return r
		}
	}
	if up.kind == webrtc.RTPCodecTypeAudio {
		return audioReserve
	}
	return nominalRate[max(i, 0)]
}

// allocate chooses the layer each of q's down-tracks forwards: audio
// first, always; then every video track its lowest layer (even beyond
// the estimate, but for a one-layer video that would starve the audio:
// starves); then upgrades, bigger-rendered tracks first, up to what each
// asked for. It returns how many bits/s more the asked-for layers would
// need (what a probe should find).
func (r *room) allocate(q *participant, now time.Time) int64 {
	est := int64(0)
	if q.queue.bwe != nil {
		est = q.queue.bwe.estimate(now)
	}
	budget := int64(math.MaxInt64 / 4) // no estimate (yet): no limit
	if est > 0 {
		budget = est
	}
	var videos []*downTrack
	for _, d := range q.downs {
		if d.up.kind == webrtc.RTPCodecTypeAudio {
			d.setTarget(wantedLayer(d, now)) // never starved: counted, never cut
			budget -= layerRate(d.up, 0)
			continue
		}
		videos = append(videos, d)
	}
	lossy := false
	if b := q.queue.bwe; b != nil {
		lossy = b.lossy(now)
		b.wanted.Store(lossy || slices.ContainsFunc(videos, func(d *downTrack) bool { return d.up.layered() || d.starved }))
	}
	slices.SortFunc(videos, func(a, b *downTrack) int {
		return cmp.Or(cmp.Compare(b.sub.width*b.sub.height, a.sub.width*a.sub.height), cmp.Compare(a.up.id, b.up.id))
	})
	want := make([]int32, len(videos))
	got := make([]int32, len(videos))
	for i, d := range videos {
		want[i], got[i] = wantedLayer(d, now), noLayer
		// The lowest layer is kept even beyond the estimate: a paused video
		// sends nothing to probe with, and at steady random loss (2-10%)
		// the estimate never grows back, so the picture would stay frozen.
		lo := d.up.lowest()
		if want[i] == noLayer || lo == noLayer {
			d.starved = false
			continue
		}
		held := d.starved && est == 0 && q.queue.bwe != nil && q.queue.bwe.pending(now)
		starved := held || starves(d, lo, budget, est > 0 && (lossy || d.starved))
		if starved && !d.starved && d.up.stats != nil {
			d.up.stats.starved.Add(1)
		}
		if d.starved = starved; starved {
			continue
		}
		got[i] = lo
		budget -= layerRate(d.up, lo)
	}
	var short int64
	for i, d := range videos {
		got[i], budget = upgrade(d, got[i], want[i], budget, now)
		switch {
		case d.starved:
			short += layerRate(d.up, want[i])
		case got[i] != want[i] && want[i] != noLayer:
			short += layerRate(d.up, want[i]) - layerRate(d.up, max(got[i], 0))
		}
		if l := got[i]; l != noLayer && l != d.target.Load() && d.up.stats != nil && d.up.layered() {
			d.up.stats.layerTo[l].Add(1)
		}
		d.setTarget(got[i])
		switch {
		case d.starved && !d.pausedSent:
			d.pausedSent = true
			tellStreamState(q, d)
		case d.pausedSent && got[i] != noLayer:
			d.pausedSent = false
			tellStreamState(q, d)
		}
	}
	return short
}

// tellStreamState tells subscriber q whether d is paused for its downlink
// (d.pausedSent) or forwarded again: streamState.
func tellStreamState(q *participant, d *downTrack) {
	st := protocol.StreamState{TrackID: d.up.id, UID: d.up.uid, Mid: d.mid, State: protocol.StreamActive}
	if d.pausedSent {
		st.State, st.Reason = protocol.StreamPaused, protocol.StreamReasonBandwidth
	}
	_ = q.conn.Emit(protocol.EventStreamState, st)
}

// starves reports whether d, a video of one layer (lo), is not forwarded
// because the subscriber's downlink cannot carry it: forwarded anyway it
// would only be lost, and the audio with it (a simulcast video drops to
// its low layer instead). judged: the estimate is known and was woken by
// the subscriber's reported loss (bwe.lossy), or d starves already; random
// loss of a usable path does not wake it. d stops when what the budget
// leaves it is under 3/4 of its rate, and resumes once a probe found 11/10
// of it (no flapping).
func starves(d *downTrack, lo int32, budget int64, judged bool) bool {
	if !judged || d.up.layered() {
		return false
	}
	rate := layerRate(d.up, lo)
	if d.starved {
		return budget < rate*11/10
	}
	return budget < rate*3/4
}

// upgrade raises d from layer from towards want while budget allows; a
// layer above the one forwarded now needs 10% headroom (no flapping).
func upgrade(d *downTrack, from, want int32, budget int64, now time.Time) (int32, int64) {
	if from == noLayer {
		return from, budget
	}
	for l := want; l > from; l-- {
		if !d.up.usable(l, now) {
			continue
		}
		extra := layerRate(d.up, l) - layerRate(d.up, from)
		need := extra
		if l > d.cur.Load() {
			need = extra * 11 / 10
		}
		if need <= budget {
			return l, budget - extra
		}
	}
	return from, budget
}

// wantedLayer is the layer a subscriber asked for, bandwidth aside:
// nothing when paused; the pinned one (or the nearest below it); else the
// one its rendered size needs (layers are taken as 1/4, 1/2 and all of a
// 1280x720 camera, as the JS SDK sends them); else the highest; in each
// case only among the layers that can be forwarded now (upTrack.usable).
func wantedLayer(d *downTrack, now time.Time) int32 {
	s := d.sub
	limit := int32(maxLayers - 1)
	switch {
	case s.paused:
		return noLayer
	case s.pin != noLayer:
		limit = s.pin
	case s.width > 0 || s.height > 0:
		limit = sizeLayer(s.width, s.height)
	}
	return d.up.bestUsable(limit, now)
}

// sizeLayer is the least layer that covers a rendered size.
func sizeLayer(w, h int) int32 {
	switch {
	case w <= 320 && h <= 180:
		return 0
	case w <= 640 && h <= 360:
		return 1
	}
	return 2
}
