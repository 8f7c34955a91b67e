package sfu

import (
	"math"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// QualitySink receives a participant's media quality when its media
// session ends (leave, timeout, replacement, call end). It runs on the
// room's goroutine and must return at once.
type QualitySink func(sessionID string, q protocol.Quality)

// SetQualitySink wires where quality goes (server: the store).
func (s *Server) SetQualitySink(f QualitySink) {
	s.mu.Lock()
	s.qualitySink = f
	s.mu.Unlock()
}

func (s *Server) getQualitySink() QualitySink {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.qualitySink
}

// qualityAcc gathers a participant's figures over its media session: what
// ended before it left (layers it published, down-tracks it received)
// is added as it ends. Room goroutine only.
type qualityAcc struct {
	joinedAt time.Time
	recorded bool
	up       upTotals
	down     downTotals
}

// upTotals is what the server received of a participant's tracks.
type upTotals struct {
	expected, count, bytes uint64
	jitterMs               float64 // the worst layer's session mean
	jitterSet              bool
}

func (t *upTotals) add(l *layer, clockRate uint32) {
	s := &l.recv
	t.expected += s.pubExpected.Load()
	t.count += s.pubCount.Load()
	t.bytes += s.pubBytes.Load()
	if clockRate > 0 && s.pubCount.Load() > 1 {
		ms := float64(s.pubJitter.Load()) / 16 * 1000 / float64(clockRate)
		t.jitterMs, t.jitterSet = max(t.jitterMs, ms), true
	}
}

// downTotals is what the server sent a participant and its receiver
// reports said of it.
type downTotals struct {
	expected, lost    int64
	bytes             uint64
	jitterMs          float64 // the worst track's session mean
	jitterSet         bool
	rttSumMs          float64
	rttN              int
	switches, freezes int64
	upstream          int64 // of the freezes, those its senders caused
}

func (t *downTotals) add(d *downTrack) {
	t.bytes += d.sentBytes.Load()
	t.switches += d.switches.Load()
	t.freezes += d.freezes.Load()
	t.upstream += d.upstream.Load()
	rr := &d.rr
	if !rr.got.Load() || !d.firstSeqSet.Load() {
		return
	}
	// What the server never got is not the subscriber's loss: the holes
	// it forwarded are taken out of both counts.
	holes := d.holes.Load()
	if exp := int64(rr.highest.Load()) - int64(d.firstSeq.Load()) + 1 - holes; exp > 0 {
		t.expected += exp
		t.lost += min(max(rr.lost.Load()-holes, 0), exp)
	}
	jitter, rtt, rttOK := rr.means()
	if c := d.codec.ClockRate; c > 0 {
		ms := jitter * 1000 / float64(c)
		t.jitterMs, t.jitterSet = max(t.jitterMs, ms), true
	}
	if rttOK {
		t.rttSumMs += float64(rtt.Microseconds()) / 1000
		t.rttN++
	}
}

// addTotals adds what p's tracks so far measured: the layers it publishes
// and the down-tracks it receives.
func (p *participant) addTotals(up *upTotals, down *downTotals) {
	for _, u := range p.ups {
		for i := range int32(maxLayers) {
			if l := u.layer(i); l != nil {
				up.add(l, u.codec.ClockRate)
			}
		}
	}
	for _, d := range p.downs {
		down.add(d)
	}
}

// recordQuality summarises p's media session and hands it on, once. It
// runs before p's tracks and connections are released.
func (r *room) recordQuality(p *participant, now time.Time) {
	if !p.joined || p.qual.recorded {
		return
	}
	p.qual.recorded = true
	up, down := p.qual.up, p.qual.down
	p.addTotals(&up, &down)
	q := summarize(p.qual.joinedAt, now, up, down)
	q.UID = p.uid
	q.Candidate, q.RTTMs = p.selectedPath(q.RTTMs)
	rate(&q, now.Sub(p.qual.joinedAt), int(down.upstream))
	r.srv.quality.observe(q)
	r.srv.log.Info("participant media quality", "session", r.id, "uid", p.uid, "rating", q.Rating, "mos", q.MOS,
		"loss_sent", val(q.LossSent), "loss_received", val(q.LossReceived), "rtt_ms", val(q.RTTMs),
		"jitter_ms", max(val(q.JitterSentMs), val(q.JitterReceivedMs)), "freezes", q.Freezes, "candidate", q.Candidate)
	if sink := r.srv.getQualitySink(); sink != nil {
		sink(r.id, q)
	}
}

// summarize turns the totals into the figures kept.
func summarize(joined, left time.Time, up upTotals, down downTotals) protocol.Quality {
	q := protocol.Quality{JoinedAt: protocol.MillisOf(joined), LeftAt: protocol.MillisOf(left),
		Freezes: int(down.freezes), LayerSwitches: int(down.switches)}
	if secs := left.Sub(joined).Seconds(); secs > 0 {
		q.BitrateSent = int64(float64(up.bytes) * 8 / secs)
		q.BitrateReceived = int64(float64(down.bytes) * 8 / secs)
	}
	if up.expected > 0 {
		q.LossSent = ptr(lossOf(int64(up.expected)-int64(up.count), int64(up.expected)))
	}
	if down.expected > 0 {
		q.LossReceived = ptr(lossOf(down.lost, down.expected))
	}
	if up.jitterSet {
		q.JitterSentMs = ptr(round(up.jitterMs, 1))
	}
	if down.jitterSet {
		q.JitterReceivedMs = ptr(round(down.jitterMs, 1))
	}
	if down.rttN > 0 {
		q.RTTMs = ptr(round(down.rttSumMs/float64(down.rttN), 1))
	}
	return q
}

func lossOf(lost, expected int64) float64 {
	return round(math.Min(1, math.Max(0, float64(lost)/float64(expected))), 4)
}

func ptr(f float64) *float64 { return &f }

func round(f float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(f*p) / p
}

// selectedPath is the ICE candidate type of the participant's side of its
// selected pair (subscriber connection first), and the RTT: rtt when the
// receiver reports gave one, else the ICE checks' round trip.
func (p *participant) selectedPath(rtt *float64) (string, *float64) {
	typ := ""
	for _, pc := range []*webrtc.PeerConnection{p.sub, p.pub} {
		ice := startedICE(pc)
		if ice == nil {
			continue
		}
		pair, err := ice.GetSelectedCandidatePair()
		if err != nil || pair == nil || pair.Remote == nil {
			continue
		}
		if typ == "" {
			typ = pair.Remote.Typ.String()
		}
		if st, ok := ice.GetSelectedCandidatePairStats(); ok && rtt == nil && st.CurrentRoundTripTime > 0 {
			rtt = ptr(round(st.CurrentRoundTripTime*1000, 1))
		}
	}
	return typ, rtt
}

// Rating thresholds: a MOS below minGoodMOS, or more than one freeze a
// minute (and more than one in all), makes a session poor.
const (
	minGoodMOS          = 3.5
	maxFreezesPerMinute = 1.0
)

// rate sets q's MOS and rating (q's candidate and bitrates set: a session
// whose media never connected is poor). Of q's freezes, the upstream ones
// (its senders caused them: a layer they stopped) do not make its rating
// poor: that would blame a clean path for another's uplink. The MOS is the ITU-T G.107 E-model's,
// simplified as usual for VoIP monitoring: the delay impairment from the
// one-way delay (half the RTT, plus twice the jitter for the jitter buffer,
// plus 10 ms for the codec), the loss impairment 2.5 per percent lost in
// the worse direction.
func rate(q *protocol.Quality, d time.Duration, upstream int) {
	rtt, jitter, loss := val(q.RTTMs), max(val(q.JitterSentMs), val(q.JitterReceivedMs)), max(val(q.LossSent), val(q.LossReceived))
	delay := rtt/2 + 2*jitter + 10
	r := 93.2 - 2.5*loss*100
	if delay < 160 {
		r -= delay / 40
	} else {
		r -= (delay - 120) / 10
	}
	r = math.Max(0, math.Min(100, r))
	q.MOS = round(1+0.035*r+7e-6*r*(r-60)*(100-r), 2)
	q.Rating = protocol.QualityGood
	own := q.Freezes - upstream
	perMin := float64(own) / math.Max(d.Minutes(), 1.0/60)
	if q.MOS < minGoodMOS || (own > 1 && perMin > maxFreezesPerMinute) {
		q.Rating = protocol.QualityPoor
	}
	if q.Candidate == "" && q.BitrateSent == 0 && q.BitrateReceived == 0 {
		// no path ever selected, nothing either way: the media never
		// connected, whatever the (unmeasured) figures would give
		q.Rating = protocol.QualityPoor
	}
}

func val(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}
