package sfu

import (
	"sync/atomic"
	"time"
)

// Per-subscriber bandwidth estimation. While some video the subscriber
// receives has layers to choose from (bwe.wanted), the down-tracks stamp
// every packet they write with a transport-wide sequence number (the
// transport-cc header extension) and note when and how big it was; the
// subscriber's transport-cc feedback says when each arrived. From that the
// estimator takes the rate that got through, the loss, and the queuing
// delay (one-way delay above the least seen), and keeps an estimate: cut
// to 85% of what got through on congestion, raised gently while the path
// stays clear, and set to what a padding probe got through when one shows
// more room. REMB, when a subscriber sends it and no transport-cc feedback
// comes, stands in.
// Pion's GCC interceptor was not used: it paces every packet through its
// own queue and goroutine, which the per-packet cost budget cannot pay.

// The send history keeps each packet for at least historyKeep, the
// longest a subscriber's transport-cc feedback about it may take (sent
// every 100 ms, plus the round trip). It starts at historyMin packets
// (2.3 s of a 1.5 Mbit/s call) and doubles when a packet younger than
// historyKeep would be overwritten, up to historyMax (2 s at the highest
// estimate): a subscriber receiving one call keeps 4 KB instead of 32.
const (
	historyMin  = 512
	historyMax  = 4096
	historyKeep = 2 * time.Second
)

// Estimator tuning.
const (
	initialEstimate = 3_000_000 // bits/s at the first feedback (cut at once if too much)
	minEstimate     = 50_000
	maxEstimate     = 20_000_000
	lossCongested   = 0.10                  // window loss above which the path is congested
	delayCongested  = 80 * time.Millisecond // queuing delay above which (delayRuns updates running) it is
	delayRuns       = 5
	delayClear      = 25 * time.Millisecond // below which (and loss < 2%) it may grow
	holdAfterCut    = 2 * time.Second       // no growth this long after a cut
	rateWindow      = 1 * time.Second       // feedback the received rate is taken over
	minDelayWindow  = 10 * time.Second      // the least one-way delay is forgotten after
	feedbackStale   = 2 * time.Second       // transport-cc older than this: use REMB
	growthPerSecond = 0.3                   // multiplicative growth while clear
)

// bwe is one subscriber's estimator. Its writer goroutine owns the send
// history and the estimator: it records every packet it writes and folds
// in the transport-cc feedback the subscriber's queue hands it
// (sendQueue.feedback), so recording is a plain store where a shared
// history would pay an atomic one on a cold cache line for every packet
// to every subscriber. onREMB, setProbing and estimate run anywhere.
type bwe struct {
	epoch int64  // unix ns the history's microseconds count from
	seq   uint16 // next transport-wide sequence number
	// hist[seq % len(hist)] = seq<<48 | size<<32 | sent µs since epoch;
	// len(hist) is a power of two, historyMin to historyMax.
	hist []uint64

	value     atomic.Int64 // the estimate, bits/s
	congested atomic.Int64 // unix ns of the last cut
	rembValue atomic.Int64
	rembAt    atomic.Int64
	twccAt    atomic.Int64
	// restartedAt (unix ns) is when stamping last started: the estimate
	// starts over then and has no figure until feedback measured one.
	restartedAt atomic.Int64
	probing     atomic.Bool // a probe is on (setProbing)
	// wanted: the estimate has something to choose (allocate: some video
	// the subscriber receives comes in more than one layer). Packets are
	// stamped for transport-cc only while it holds, so a subscriber of
	// single-layer tracks, which the estimate could change nothing for,
	// sends no feedback: no uplink spent on it, no wake-up of the server
	// for each one. Room goroutine sets it.
	wanted atomic.Bool
	// lossyAt (unix ns) is when the subscriber last reported losing at
	// least lossyFraction of a one-layer video: its downlink may not carry
	// it, and the estimate is wanted (lossy) to tell, so that the video can
	// be stopped before it starves the audio. Any goroutine.
	lossyAt atomic.Int64

	stamping bool // writer's view of wanted at the last packet (stamp)
	est      estimator
	statuses []twccStatus // the current feedback's, reused
}

// A one-layer video's receiver reporting at least lossyFraction lost
// (RTCP's 8-bit fraction: 51/256 = 20%, far above what random loss of a
// usable path costs) turns the subscriber's estimation on for lossyHold.
const (
	lossyFraction = 51
	lossyHold     = 30 * time.Second
)

// lossy reports whether a one-layer video's loss was reported within
// lossyHold of now.
func (b *bwe) lossy(now time.Time) bool {
	at := b.lossyAt.Load()
	return at != 0 && now.UnixNano()-at < int64(lossyHold)
}

func newBWE(now time.Time) *bwe {
	b := &bwe{epoch: now.UnixNano(), hist: make([]uint64, historyMin)}
	b.est = estimator{value: initialEstimate, lastUpdate: now.UnixNano()}
	return b
}

// record notes a packet of size bytes sent at now and returns its
// transport-wide sequence number. Writer goroutine only.
func (b *bwe) record(size int, now int64) uint16 {
	s := b.seq
	b.seq++
	us := uint32((now - b.epoch) / 1000)
	i := int(s) & (len(b.hist) - 1)
	if old := b.hist[i]; old != 0 && len(b.hist) < historyMax && us-uint32(old) < uint32(historyKeep/time.Microsecond) {
		b.grow()
		i = int(s) & (len(b.hist) - 1)
	}
	b.hist[i] = uint64(s)<<48 | uint64(min(size, 0xffff))<<32 | uint64(us)
	return s
}

// stamp reports whether a packet written now is stamped for transport-cc
// (wanted). When stamping starts again after a pause, the estimator starts
// over: what it knew is stale, and the packets of before are forgotten so
// feedback that names them (a receiver reporting the numbers skipped as
// lost) is ignored. Writer goroutine only.
func (b *bwe) stamp(now int64) bool {
	on := b.wanted.Load()
	if on && !b.stamping {
		clear(b.hist)
		b.epoch = now
		b.est = estimator{value: initialEstimate, lastUpdate: now, samples: b.est.samples[:0], window: b.est.window[:0]}
		b.value.Store(0)
		b.twccAt.Store(0)
		b.restartedAt.Store(now)
	}
	b.stamping = on
	return on
}

// grow doubles the history, every record kept: records have distinct
// sequence numbers modulo the old length, so they do modulo the new.
func (b *bwe) grow() {
	h := make([]uint64, 2*len(b.hist))
	for _, v := range b.hist {
		if v != 0 {
			h[int(uint16(v>>48))&(len(h)-1)] = v
		}
	}
	b.hist = h
}

// sent looks up a recorded packet: its size and send time (µs since
// epoch). Writer goroutine only.
func (b *bwe) sent(seq uint16) (size int, us uint32, ok bool) {
	v := b.hist[int(seq)&(len(b.hist)-1)]
	if uint16(v>>48) != seq || v == 0 {
		return 0, 0, false
	}
	return int(v >> 32 & 0xffff), uint32(v), true
}

// estimate is the bits/s the subscriber's downlink is believed to carry:
// transport-cc's once it measured a rate, else REMB's (a browser sends
// both; stamping starts after REMB has said something), while fresh; 0
// means unknown (no figure of either kind).
func (b *bwe) estimate(now time.Time) int64 {
	ns := now.UnixNano()
	if ns-b.twccAt.Load() < int64(feedbackStale) {
		if v := b.value.Load(); v > 0 { // 0 until a first rate was measured
			return v
		}
	}
	if ns-b.rembAt.Load() < int64(feedbackStale) {
		return b.rembValue.Load()
	}
	return 0
}

// pending reports whether the transport-cc estimate is on its way: stamping
// started within feedbackStale of now and no rate was measured yet. (A
// video stopped for the subscriber's downlink stays stopped meanwhile:
// resumed for want of a figure, it would be stopped again as soon as one
// came, and the subscriber told twice for nothing.)
func (b *bwe) pending(now time.Time) bool {
	return b.wanted.Load() && now.UnixNano()-b.restartedAt.Load() < int64(feedbackStale) && b.value.Load() == 0
}

// onREMB takes a receiver's REMB rate (bits/s, rembRate) as the estimate
// (while no transport-cc comes), within minEstimate and maxEstimate: its
// 18-bit mantissa and 6-bit exponent can say up to 2.4e24 bits/s, which no
// int64 holds, and 0 (the receiver asks for the least).
func (b *bwe) onREMB(bps float64, now time.Time) {
	b.rembValue.Store(int64(min(max(bps, minEstimate), maxEstimate)))
	b.rembAt.Store(now.UnixNano())
}

// onFeedback folds one transport-cc feedback packet (raw, as isTWCC
// tells) into the estimate; a malformed one changes nothing. Writer
// goroutine only.
func (b *bwe) onFeedback(pkt []byte, now time.Time) error {
	ns := now.UnixNano()
	var err error
	if b.statuses, err = appendTWCC(b.statuses[:0], pkt); err != nil {
		return err
	}
	b.twccAt.Store(ns)
	b.est.probing = b.probing.Load()
	b.est.samples = b.est.samples[:0]
	for _, st := range b.statuses {
		if size, sentUs, ok := b.sent(st.seq); ok {
			b.est.samples = append(b.est.samples, sample{size: size, sentUs: int64(sentUs), arrivalUs: st.arrivalUs, lost: !st.received})
		}
	}
	if b.est.update(ns) {
		b.congested.Store(ns)
	}
	if b.est.measured {
		b.value.Store(b.est.value)
	}
	return nil
}

// setProbing tells the estimator a probe is on (a clear path then raises
// the estimate to what got through).
func (b *bwe) setProbing(on bool) {
	b.probing.Store(on)
}

// sample is one packet's fate as feedback tells it.
type sample struct {
	size      int
	sentUs    int64
	arrivalUs int64
	lost      bool
}

// windowEntry is what the estimator keeps of one feedback: its received
// bytes and packets, its lost packets, and the first and last arrival
// among the received (on the feedback's clock). Whole feedbacks leave the
// rate window together, so the window is a few entries a second instead
// of one per packet, summed at each feedback.
type windowEntry struct {
	at          int64 // unix ns the feedback came
	bytes       int64
	received    int
	lost        int
	first, last int64 // µs; meaningful when received > 0
}

// estimator turns feedback into an estimate. Pure logic: the caller
// serialises it and gives it the time.
type estimator struct {
	value      int64
	lastUpdate int64
	lastCut    int64
	samples    []sample // the current feedback's, reused
	window     []windowEntry
	minDelay   int64 // µs, the least arrival-send seen
	minDelayAt int64
	lastSentUs int64 // to unwrap the 32-bit send clock
	wrap       int64
	// probing: while set, a clear path raises the estimate to what got through.
	probing bool
	// measured: a first rate was taken; the estimate starts at least 1.5x it.
	measured bool
	// overDelay counts consecutive updates with queuing above delayCongested.
	overDelay int
}

// update folds e.samples in at now; true when it cut the estimate.
func (e *estimator) update(now int64) bool {
	if len(e.samples) == 0 {
		return false
	}
	var delaySum int64
	n := 0
	w := windowEntry{at: now}
	for _, s := range e.samples {
		if s.lost {
			w.lost++
			continue
		}
		if w.received == 0 || s.arrivalUs < w.first {
			w.first = s.arrivalUs
		}
		if w.received == 0 || s.arrivalUs > w.last {
			w.last = s.arrivalUs
		}
		w.bytes += int64(s.size)
		w.received++
		d := s.arrivalUs - e.unwrap(s.sentUs)
		delaySum += d
		n++
		if e.minDelayAt == 0 || d < e.minDelay || now-e.minDelayAt > int64(minDelayWindow) {
			e.minDelay, e.minDelayAt = d, now
		}
	}
	e.window = append(e.window, w)
	e.trim(now)
	rate, loss := e.windowRate()
	queuing := int64(0)
	if n > 0 {
		queuing = delaySum/int64(n) - e.minDelay
	}
	dt := float64(now-e.lastUpdate) / float64(time.Second)
	e.lastUpdate = now
	if !e.measured && rate > 0 {
		e.measured = true
		e.value = min(max(e.value, rate*3/2), maxEstimate)
	}
	if queuing > delayCongested.Microseconds() {
		e.overDelay++
	} else {
		e.overDelay = 0
	}
	switch {
	case loss > lossCongested || e.overDelay >= delayRuns: // a late burst is not congestion
		if rate > 0 {
			e.value = min(e.value, rate*85/100)
		}
		e.value = max(e.value, minEstimate)
		e.lastCut = now
		return true
	case loss < 0.02 && queuing < delayClear.Microseconds() && now-e.lastCut > int64(holdAfterCut):
		if e.probing && rate*9/10 > e.value {
			e.value = rate * 9 / 10
		}
		limit := max(rate*3/2, rate+100_000)
		if grown := int64(float64(e.value) * (1 + growthPerSecond*min(dt, 1))); grown <= limit {
			e.value = grown
		}
		e.value = min(e.value, maxEstimate)
	}
	return false
}

// unwrap extends a 32-bit µs send time (wraps every 71 minutes).
func (e *estimator) unwrap(us int64) int64 {
	if us < e.lastSentUs-1<<31 {
		e.wrap += 1 << 32
	}
	e.lastSentUs = us
	return us + e.wrap
}

// trim drops window entries older than the rate window.
func (e *estimator) trim(now int64) {
	k := 0
	for k < len(e.window) && now-e.window[k].at > int64(rateWindow) {
		k++
	}
	e.window = append(e.window[:0], e.window[k:]...)
}

// windowRate is the rate received over the window (bits/s, at most
// maxEstimate; 0 when the window is too short to tell) and the fraction
// lost.
func (e *estimator) windowRate() (int64, float64) {
	var bytes, received, lost int64
	first, last := int64(0), int64(0)
	for _, w := range e.window {
		lost += int64(w.lost)
		if w.received == 0 {
			continue
		}
		if received == 0 || w.first < first {
			first = w.first
		}
		if received == 0 || w.last > last {
			last = w.last
		}
		bytes += w.bytes
		received += int64(w.received)
	}
	if received+lost == 0 {
		return 0, 0
	}
	loss := float64(lost) / float64(received+lost)
	span := (last - first) * 1000
	if span < int64(200*time.Millisecond) {
		return 0, loss
	}
	// In floating point and capped: a subscriber may claim, feedback after
	// feedback, every packet of the history arrived (FuzzOnFeedback).
	bps := float64(bytes) * 8 * float64(time.Second) / float64(span)
	return int64(min(bps, maxEstimate)), loss
}
