package sfu

import (
	"slices"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// tickEvery is how often a room re-chooses layers, probes and tells
// publishers which layers are wanted.
const tickEvery = 200 * time.Millisecond

// Probing tuning.
const (
	// probeFor is longer than the estimator's rateWindow, so the rate it
	// takes at the end of a probe is all probe time.
	probeFor        = 1200 * time.Millisecond
	probeBackoffMin = 2 * time.Second
	probeBackoffMax = 6 * time.Second
	probeCalm       = 2 * time.Second // no probe this soon after congestion
	dynacastLinger  = 3 * time.Second // a layer nobody wants is paused after
	maxProbeBurst   = 160             // padding packets queued per tick (~6 Mbit/s)
)

// prober is one subscriber's probing state. Room goroutine only.
type prober struct {
	active  bool
	start   time.Time
	until   time.Time
	next    time.Time
	backoff time.Duration
	rate    int64 // extra bits/s to send while active
}

// tickLoop wakes the room every tickEvery until it ends.
func (r *room) tickLoop() {
	r.every(tickEvery, func(now time.Time) { r.box.push(func() { r.tick(now) }) })
}

// every calls f with the time every d, on the caller's goroutine (one the
// room counts in srv.rooms), until the room ends.
func (r *room) every(d time.Duration, f func(now time.Time)) {
	defer r.srv.rooms.Done()
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-r.done:
			return
		case now := <-t.C:
			f(now)
		}
	}
}

func (r *room) tick(now time.Time) {
	if r.ended {
		return
	}
	for _, q := range r.parts {
		short := r.allocate(q, now)
		q.probe.step(q, short, now, r.srv.stats)
	}
	for _, p := range r.parts {
		for _, up := range p.ups {
			r.dynacast(p, up, now)
		}
	}
	r.speakers(now)
	r.checkAnswers(now)
	if now.After(r.nextConnQuality) {
		r.nextConnQuality = now.Add(connQualityEvery)
		r.connQualities()
	}
}

// step starts, feeds or ends q's probe: padding-free probing by sending
// again packets the subscriber already has (duplicates are harmless to a
// receiver and counted by transport-cc), so the estimate can rise to a
// layer that does not fit yet without risking the video itself.
func (pr *prober) step(q *participant, short int64, now time.Time, st *counters) {
	b := q.queue.bwe
	if b == nil {
		return
	}
	if pr.active {
		failed := b.congested.Load() > pr.start.UnixNano()
		if failed || now.After(pr.until) {
			pr.active = false
			b.setProbing(false)
			pr.backoff = probeBackoffMin
			if failed {
				pr.backoff = min(2*pr.backoff, probeBackoffMax)
				st.probes[probeCongested].Add(1)
			} else {
				st.probes[probeClear].Add(1)
			}
			pr.next = now.Add(pr.backoff)
			return
		}
		q.sendProbe(pr.rate * int64(tickEvery) / int64(time.Second) / 8)
		return
	}
	if short <= 0 || now.Before(pr.next) || b.estimate(now) == 0 || now.UnixNano()-b.congested.Load() < int64(probeCalm) {
		return
	}
	pr.active, pr.start, pr.until = true, now, now.Add(probeFor)
	// What gets through is taken at 90% and an upgrade needs 10% headroom:
	// the probe must carry 1.5x what is short, plus an eighth of the
	// present rate, or the estimate would stop just below the layer wanted.
	pr.rate = short*3/2 + b.estimate(now)/8 + 50_000
	b.setProbing(true)
}

// sendProbe queues about bytes of padding-only packets on q's first
// forwarding (or starved) video down-track. (Resending packets the subscriber has would
// not do: its SRTP drops a replayed index before transport-cc sees it, so
// every probe would read as loss.)
func (q *participant) sendProbe(bytes int64) {
	for _, d := range q.downs {
		if d.up.kind != webrtc.RTPCodecTypeVideo || (d.cur.Load() == noLayer && !d.starved) {
			continue
		}
		for n := min(bytes/(probePadding+headerOverhead), maxProbeBurst); n > 0; n-- {
			if !d.queue.push(sendItem{d: d}) {
				return
			}
		}
		return
	}
}

// dynacast tells p which simulcast layers of up someone receives, so the
// publisher stops encoding the others: a layer is wanted while a
// subscriber forwards it or switches to it (the lowest always is, and so
// is one declared that has not arrived yet), and
// dropped dynacastLinger after the last one stopped. Resuming is at once:
// the publisher's encoder starts the layer on a keyframe.
func (r *room) dynacast(p *participant, up *upTrack, now time.Time) {
	if up.kind != webrtc.RTPCodecTypeVideo || up.layer(1) == nil && up.layer(2) == nil {
		return
	}
	lo := up.lowest()
	for i := range int32(maxLayers) {
		if up.layer(i) == nil {
			continue
		}
		if i == lo || up.wantedAt[i].IsZero() || r.layerWanted(up, i) {
			up.wantedAt[i] = now
		}
	}
	var rids []string
	for i := range int32(maxLayers) {
		if l := up.layer(i); l != nil && now.Sub(up.wantedAt[i]) < dynacastLinger {
			rids = append(rids, l.rid)
		}
	}
	// A layer the offer declares that has not arrived yet is named too:
	// not naming it would stop it before its first packet, for good (the
	// server cannot want a layer it has never seen).
	for _, rid := range p.rids[up.mid] {
		if up.layerByRID(rid) == nil {
			rids = append(rids, rid)
		}
	}
	if up.announced != nil && len(rids) == len(up.announced) && !slices.ContainsFunc(rids, func(rid string) bool { return !slices.Contains(up.announced, rid) }) {
		return // the same layers (a pending one arriving reorders them)
	}
	for i := range int32(maxLayers) {
		if l := up.layer(i); l != nil && slices.Contains(rids, l.rid) && (up.announced == nil || !slices.Contains(up.announced, l.rid)) {
			up.askedAt[i] = now
		}
	}
	up.announced = rids
	_ = p.conn.Emit(protocol.EventActiveLayers, protocol.ActiveLayers{TrackID: up.id, SourceTrackID: up.msid, RIDs: rids})
}

// layerWanted reports whether a subscriber forwards layer i of up or is
// switching to it.
func (r *room) layerWanted(up *upTrack, i int32) bool {
	for _, q := range r.parts {
		if d := q.downs[up.id]; d != nil && (d.target.Load() == i || d.cur.Load() == i) {
			return true
		}
	}
	return false
}
