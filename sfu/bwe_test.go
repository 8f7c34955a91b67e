package sfu

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// path simulates a bottleneck of capacity bits/s with a queue: packets
// sent at rate arrive paced by the capacity, delayed by what queued, and
// are lost once the queue holds more than limit of delay.
type path struct {
	capacity int64
	limit    time.Duration
	freeAt   int64 // ns the bottleneck is free again
}

func (p *path) send(at int64, size int) (arrival int64, lost bool) {
	start := max(at, p.freeAt)
	if time.Duration(start-at) > p.limit {
		return 0, true
	}
	p.freeAt = start + int64(size)*8*int64(time.Second)/p.capacity
	return p.freeAt + int64(20*time.Millisecond), false
}

// drive sends rate bits/s over p for d, feeding the estimator a feedback
// every 100 ms as a receiver would; it returns the estimate at the end.
func drive(e *estimator, p *path, rate int64, start time.Time, d time.Duration) int64 {
	const size = 1200
	gap := int64(size) * 8 * int64(time.Second) / rate
	t0 := start.UnixNano()
	next := t0
	for fb := t0 + int64(100*time.Millisecond); fb <= t0+int64(d); fb += int64(100 * time.Millisecond) {
		e.samples = e.samples[:0]
		for ; next < fb; next += gap {
			arrival, lost := p.send(next, size)
			e.samples = append(e.samples, sample{size: size, sentUs: next / 1000 % (1 << 32), arrivalUs: arrival / 1000, lost: lost})
		}
		e.update(fb)
	}
	return e.value
}

func TestEstimatorFindsABottleneck(t *testing.T) {
	start := time.Unix(1700000000, 0)
	e := &estimator{value: initialEstimate, lastUpdate: start.UnixNano()}
	p := &path{capacity: 300_000, limit: 200 * time.Millisecond}
	got := drive(e, p, 1_200_000, start, 3*time.Second)
	if got > 320_000 || got < 150_000 {
		t.Fatalf("sending 1.2 Mbit/s into 300 kbit/s: estimate %d, want about 255k (85%% of what got through)", got)
	}
	// sending what fits, the estimate stays near the capacity, never far above
	got = drive(e, p, 200_000, start.Add(3*time.Second), 10*time.Second)
	if got > 450_000 || got < 200_000 {
		t.Errorf("sending 200 kbit/s on a 300 kbit/s path: estimate %d, want 200k..450k", got)
	}
}

func TestEstimatorProbeRaisesToWhatGotThrough(t *testing.T) {
	start := time.Unix(1700000000, 0)
	e := &estimator{value: 250_000, lastUpdate: start.UnixNano()}
	p := &path{capacity: 5_000_000, limit: 200 * time.Millisecond}
	e.probing = true
	got := drive(e, p, 1_800_000, start, time.Second)
	if got < 1_500_000 {
		t.Errorf("a clear probe at 1.8 Mbit/s left the estimate at %d, want >= 1.5M", got)
	}
}

func TestBWERecordsAndForgets(t *testing.T) {
	b := newBWE(time.Unix(1700000000, 0))
	now := time.Unix(1700000000, 0).UnixNano()
	for i := range historyMax + 10 {
		b.record(1000+i%100, now+int64(i)*int64(time.Millisecond))
	}
	if _, _, ok := b.sent(5); ok {
		t.Error("a packet overwritten by a newer one was still found")
	}
	size, us, ok := b.sent(uint16(historyMax + 5))
	if !ok || size != 1000+(historyMax+5)%100 || us != uint32(historyMax+5)*1000 {
		t.Errorf("sent = %d %d %v", size, us, ok)
	}
}

// TestBWEHistoryGrowsWithTheRate: the history starts small, grows only
// when a packet younger than historyKeep would be lost, keeps every record
// when it does, and stops at historyMax.
func TestBWEHistoryGrowsWithTheRate(t *testing.T) {
	for _, tc := range []struct {
		perSecond int
		want      int
	}{
		{200, historyMin},   // a 1.5 Mbit/s call: 400 packets in 2 s
		{1000, 2048},        // 2,000 packets in 2 s
		{20000, historyMax}, // more than the history can keep
	} {
		start := time.Unix(1700000000, 0)
		b := newBWE(start)
		gap := int64(time.Second) / int64(tc.perSecond)
		const n = 70000 // the sequence number wraps
		for i := range n {
			b.record(1000+i%7, start.UnixNano()+int64(i)*gap)
		}
		if len(b.hist) != tc.want {
			t.Errorf("%d packets/s: history of %d, want %d", tc.perSecond, len(b.hist), tc.want)
		}
		// Every packet of the last historyKeep (or of the last
		// historyMax when that is less) is found, with its size and time.
		keep := min(int(int64(historyKeep)/gap), historyMax)
		for i := n - keep; i < n; i++ {
			size, us, ok := b.sent(uint16(i))
			if !ok || size != 1000+i%7 || us != uint32(int64(i)*gap/1000) {
				t.Fatalf("%d packets/s: packet %d (of the last %d) = %d %d %v", tc.perSecond, i, keep, size, us, ok)
			}
		}
	}
	// Right after a growth every record made before it is still there.
	start := time.Unix(1700000000, 0)
	b := newBWE(start)
	for i := range historyMin + 1 {
		b.record(1000+i, start.UnixNano()+int64(i)*int64(time.Millisecond))
	}
	if len(b.hist) != 2*historyMin {
		t.Fatalf("history of %d after %d packets in %d ms, want %d", len(b.hist), historyMin+1, historyMin, 2*historyMin)
	}
	for i := range historyMin + 1 {
		if size, us, ok := b.sent(uint16(i)); !ok || size != 1000+i || us != uint32(i*1000) {
			t.Fatalf("after the growth, packet %d = %d %d %v", i, size, us, ok)
		}
	}
}

func TestAllocationPutsAudioFirstAndFitsTheEstimate(t *testing.T) {
	video, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	video.id = "v"
	for _, rid := range []string{"h", "f"} {
		video.addLayer(&layer{rid: rid, sendPLI: func() {}, cache: newPacketCache(4)})
	}
	now := time.Unix(1700000000, 0)
	for i := range int32(maxLayers) {
		video.layer(i).rate.Store(nominalRate[i])
		video.layer(i).lastAt.Store(now.UnixNano()) // every layer arriving
	}
	video.stats = newCounters()
	audio, _ := testUpTrack(webrtc.RTPCodecTypeAudio, "audio/opus", nil)
	audio.id = "a"
	cases := []struct {
		estimate   int64 // 0: no feedback yet
		want       int32
		wantsProbe bool
	}{{0, 2, false}, {300_000, 0, true}, {800_000, 1, true}, {3_000_000, 2, false}, {100_000, 0, true}} // the lowest layer even beyond the estimate
	for _, c := range cases {
		q := &participant{queue: &sendQueue{bwe: newBWE(now)}, downs: map[string]*downTrack{}}
		if c.estimate > 0 {
			q.queue.bwe.value.Store(c.estimate)
			q.queue.bwe.twccAt.Store(now.UnixNano())
		}
		v, a := newDownTrack(video, q.queue, video.codec, nil), newDownTrack(audio, q.queue, audio.codec, nil)
		q.downs["v"], q.downs["a"] = v, a
		short := (&room{}).allocate(q, now)
		if got := v.target.Load(); got != c.want {
			t.Errorf("estimate %d: video layer %d, want %d", c.estimate, got, c.want)
		}
		if a.target.Load() != 0 {
			t.Errorf("estimate %d: audio not forwarded", c.estimate)
		}
		if (short > 0) != c.wantsProbe {
			t.Errorf("estimate %d: shortfall %d", c.estimate, short)
		}
	}
	// each case a new subscriber, whose down-track starts on the highest
	// layer: a switch counted for each that got a lower one
	if got := [3]uint64{video.stats.layerTo[0].Load(), video.stats.layerTo[1].Load(), video.stats.layerTo[2].Load()}; got != [3]uint64{2, 1, 0} {
		t.Errorf("switches counted to low, medium, high: %v, want [2 1 0]", got)
	}
	q := &participant{queue: &sendQueue{bwe: newBWE(now)}, downs: map[string]*downTrack{}}
	v := newDownTrack(video, q.queue, video.codec, nil)
	v.sub = subscription{pin: noLayer, width: 320, height: 180}
	q.downs["v"] = v
	(&room{}).allocate(q, now)
	if v.target.Load() != 0 {
		t.Errorf("a 320x180 tile gets layer %d, want 0", v.target.Load())
	}
}

// TestOneLayerVideoStarvesOnlyWhenLossWokeTheEstimate: a one-layer video
// (~1.5 Mbit/s) is forwarded whatever the estimate while the subscriber
// reports no heavy loss of it; once it has (bwe.lossyAt), an estimate
// under 3/4 of its rate (after the audio's share) stops it, and the
// shortfall asks a probe for all of it; it resumes only at 11/10, and at
// once when the estimate is lost (no feedback: nothing to judge by). The
// subscriber is told each stop and each resume (streamState), once.
func TestOneLayerVideoStarvesOnlyWhenLossWokeTheEstimate(t *testing.T) {
	video, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	video.id, video.uid = "v", "bob"
	now := time.Unix(1700000000, 0)
	video.layer(0).rate.Store(1_500_000)
	video.layer(0).lastAt.Store(now.UnixNano())
	video.stats = newCounters()
	audio, _ := testUpTrack(webrtc.RTPCodecTypeAudio, "audio/opus", nil)
	audio.id = "a"
	audio.layer(0).rate.Store(50_000)
	conn, sent := newEmitted(t)
	q := &participant{queue: &sendQueue{bwe: newBWE(now)}, downs: map[string]*downTrack{}, conn: conn}
	v, a := newDownTrack(video, q.queue, video.codec, nil), newDownTrack(audio, q.queue, audio.codec, nil)
	v.mid = "1"
	q.downs["v"], q.downs["a"] = v, a
	b := q.queue.bwe
	step := func(what string, estimate int64, wantVideo int32, wantShort bool, wantState ...string) {
		t.Helper()
		now = now.Add(tickEvery)
		b.value.Store(max(estimate, 0))
		b.twccAt.Store(now.UnixNano())
		if estimate == 0 {
			b.twccAt.Store(0)
		}
		short := (&room{}).allocate(q, now)
		if got := v.target.Load(); got != wantVideo {
			t.Fatalf("%s: video layer %d, want %d", what, got, wantVideo)
		}
		if a.target.Load() != 0 {
			t.Fatalf("%s: audio not forwarded", what)
		}
		if (short >= 1_500_000) != wantShort {
			t.Fatalf("%s: shortfall %d", what, short)
		}
		var states []string
		for _, m := range sent.take(protocol.EventStreamState) {
			var st protocol.StreamState
			if err := json.Unmarshal(m.Data, &st); err != nil {
				t.Fatal(err)
			}
			if st.TrackID != "v" || st.UID != "bob" || st.Mid != "1" || (st.Reason == protocol.StreamReasonBandwidth) != (st.State == protocol.StreamPaused) {
				t.Fatalf("%s: streamState %s", what, m.Data)
			}
			states = append(states, st.State)
		}
		if !slices.Equal(states, wantState) {
			t.Fatalf("%s: told %q, want %q", what, states, wantState)
		}
	}
	step("no loss reported, 300 kbit/s", 300_000, 0, false)
	if b.wanted.Load() {
		t.Fatal("estimation wanted for a one-layer video nobody reported losing")
	}
	b.lossyAt.Store(now.UnixNano())
	step("loss reported, 300 kbit/s", 300_000, noLayer, true, protocol.StreamPaused)
	if !b.wanted.Load() {
		t.Fatal("estimation not wanted while a video starves")
	}
	// Stamping starts over (it had stopped): feedback comes, no figure yet.
	// The video stays stopped and nothing is said (it would be resumed for
	// a tick, then stopped again).
	b.restartedAt.Store(now.UnixNano())
	step("the estimate starting over", -1, noLayer, true)
	step("1.5 Mbit/s: under 11/10 of the video and the audio", 1_500_000, noLayer, true)
	step("1.8 Mbit/s", 1_800_000, 0, false, protocol.StreamActive)
	step("1.2 Mbit/s: 1.15 left, over 3/4", 1_200_000, 0, false)
	step("1.1 Mbit/s: 1.05 left, under 3/4", 1_100_000, noLayer, true, protocol.StreamPaused)
	now = now.Add(feedbackStale) // and no more feedback since
	step("no feedback any more", 0, 0, false, protocol.StreamActive)
	now = now.Add(lossyHold)
	step("loss long ago, 300 kbit/s", 300_000, 0, false)
	if n, l := video.stats.starved.Load(), video.stats.layerTo[0].Load(); n != 2 || l != 0 {
		t.Errorf("counted %d videos starved, want 2; %d switches to layer 0 of a one-layer video, want none", n, l)
	}
}

// TestEstimateIsREMBsUntilTransportCCMeasuredOne: a browser sends REMB and
// transport-cc feedback; while the transport-cc estimate has no figure
// (stamping just started), REMB's stands, then transport-cc's while fresh.
func TestEstimateIsREMBsUntilTransportCCMeasuredOne(t *testing.T) {
	now := time.Now()
	b := newBWE(now)
	if got := b.estimate(now); got != 0 {
		t.Fatalf("estimate %d with no feedback", got)
	}
	b.onREMB(900_000, now)
	b.twccAt.Store(now.UnixNano()) // feedback came, no rate measured yet
	if got := b.estimate(now); got != 900_000 {
		t.Errorf("estimate %d while transport-cc has no figure, want REMB's 900000", got)
	}
	b.value.Store(300_000)
	if got := b.estimate(now); got != 300_000 {
		t.Errorf("estimate %d, want transport-cc's 300000", got)
	}
	if got := b.estimate(now.Add(feedbackStale)); got != 0 {
		t.Errorf("estimate %d with every feedback stale", got)
	}
}

// TestREMBIsKeptWithinTheEstimatesBounds: a REMB's rate, read from its
// bytes, becomes the estimate within [minEstimate, maxEstimate]: the
// largest a packet carries (2^18-1 times 2^63 bits/s) is no int64, and a
// zero mantissa is 0 bits/s, the least (Pion's parser reads it as 2^23).
func TestREMBIsKeptWithinTheEstimatesBounds(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		exp      byte
		mantissa uint32
		want     int64
	}{{0, 1000, minEstimate}, {0, 200_000, 200_000}, {3, 100_000, 800_000}, {63, 1<<18 - 1, maxEstimate}, {0, 0, minEstimate}, {40, 0, minEstimate}} {
		raw := []byte{0x8f, 206, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B',
			1, c.exp<<2 | byte(c.mantissa>>16), byte(c.mantissa >> 8), byte(c.mantissa), 0, 0, 0, 1}
		bps, ok := rembRate(raw)
		if !ok {
			t.Fatalf("REMB %d x 2^%d not read as a REMB", c.mantissa, c.exp)
		}
		b := newBWE(now)
		b.onREMB(bps, now)
		if got := b.estimate(now); got != c.want {
			t.Errorf("REMB %d x 2^%d (read %g bits/s): estimate %d, want %d", c.mantissa, c.exp, bps, got, c.want)
		}
	}
	if _, ok := rembRate([]byte{0x8f, 206, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'X', 0, 0, 0, 0}); ok {
		t.Error("an application feedback that is not REMB was read as one")
	}
}
