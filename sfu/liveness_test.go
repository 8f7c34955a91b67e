package sfu

import (
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

// fakePair is a selected pair whose counters the test moves.
type fakePair struct {
	ok    bool
	stats webrtc.ICECandidatePairStats
	reads int
}

func (f *fakePair) read() (webrtc.ICECandidatePairStats, bool) {
	f.reads++
	return f.stats, f.ok
}

// TestLiveWatchSteps walks one connection through the cases: not connected
// yet (never silent, however long), traffic, media_timeout of nothing (one
// "silent"), more nothing (nothing more), a reply to a consent check
// (one "back"), a new pair after an ICE restart (traffic), the pair gone
// (counts as nothing), and a closed watch (not read any more).
func TestLiveWatchSteps(t *testing.T) {
	const timeout = 5 * time.Second
	f := &fakePair{}
	w := &liveWatch{stats: f.read}
	t0 := time.Unix(1000, 0)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	step := func(d time.Duration, want int, what string) {
		t.Helper()
		if got := w.step(at(d), timeout); got != want {
			t.Fatalf("%s (at %v): step = %d, want %d", what, d, got, want)
		}
	}

	step(0, 0, "no pair selected yet")
	step(30*time.Second, 0, "still connecting after 30 s: Pion's checking timeout's business")

	f.ok = true
	f.stats = webrtc.ICECandidatePairStats{LocalCandidateID: "l1", RemoteCandidateID: "r1", PacketsReceived: 10}
	step(31*time.Second, 0, "connected")
	if !w.seen.Equal(at(31 * time.Second)) {
		t.Fatalf("a first read without a packet time counts from the read: seen %v", w.seen.Sub(t0))
	}
	f.stats.PacketsReceived = 20
	f.stats.LastPacketReceivedTimestamp = webrtc.StatsTimestamp(at(31600 * time.Millisecond).UnixMilli())
	step(32*time.Second, 0, "packets arrive, the last at 31.6 s")
	step(36*time.Second, 0, "4.4 s of nothing")
	step(36*time.Second+700*time.Millisecond, 1, "just over 5 s after the last packet (not after the read that saw it)")
	step(38*time.Second, 0, "silent already")
	step(60*time.Second, 0, "still silent")

	f.stats.ResponsesReceived = 1
	step(61*time.Second, -1, "a consent reply arrives")
	step(62*time.Second, 0, "nothing for 1 s")
	step(66*time.Second+time.Millisecond, 1, "5 s after the read that saw the reply (it has no time of its own)")
	f.stats.PacketsReceived = 21
	f.stats.LastPacketReceivedTimestamp = webrtc.StatsTimestamp(at(65 * time.Second).UnixMilli())
	step(66*time.Second+500*time.Millisecond, -1, "a packet arrived")
	if !w.seen.Equal(at(65 * time.Second)) {
		t.Fatalf("silence should count from the packet's arrival (65 s), not the read: seen %v", w.seen.Sub(t0))
	}

	f.stats = webrtc.ICECandidatePairStats{LocalCandidateID: "l1", RemoteCandidateID: "r2"}
	step(66*time.Second, 0, "a new pair (ICE restart), its counters at 0")

	f.ok = false
	step(70*time.Second, 0, "no pair for 4 s")
	step(71*time.Second+time.Millisecond, 1, "no pair for 5 s")
	f.ok = true
	step(71*time.Second+500*time.Millisecond, 0, "the pair is back, nothing new on it")
	f.stats.PacketsReceived = 1
	step(72*time.Second, -1, "a packet on it")

	reads := f.reads
	w.close()
	step(90*time.Second, 1, "closed: not read, so it counts as nothing")
	if f.reads != reads {
		t.Fatalf("a closed watch was read (%d reads, was %d)", f.reads, reads)
	}
}

// TestLivesPrunesClosed: the room's list drops watches once closed.
func TestLivesPrunesClosed(t *testing.T) {
	var l lives
	a, b, c := &liveWatch{target: "a"}, &liveWatch{target: "b"}, &liveWatch{target: "c"}
	l.add(a)
	l.add(b)
	l.add(c)
	b.close()
	got := l.open()
	if len(got) != 2 || got[0] != a || got[1] != c {
		t.Fatalf("open() = %v, want a and c", got)
	}
	a.close()
	c.close()
	if got := l.open(); len(got) != 0 {
		t.Fatalf("open() after closing all = %d watches", len(got))
	}
	if len(l.list) != 0 {
		t.Fatalf("the list kept %d closed watches", len(l.list))
	}
}

// TestLiveTimings: silence is noticed within a tenth of media_timeout (but
// not more often than the room ticks), and Pion's consent checks come at
// least twice in media_timeout.
func TestLiveTimings(t *testing.T) {
	for _, mt := range []time.Duration{time.Second, 5 * time.Second, 30 * time.Second} {
		cfg := Config{MediaTimeout: mt}
		if e := liveEvery(cfg); e > max(mt/10, tickEvery) || e < tickEvery {
			t.Errorf("media_timeout %v: looked at every %v", mt, e)
		}
		if k := liveKeepalive(cfg); 2*k >= mt {
			t.Errorf("media_timeout %v: consent checked every %v, fewer than twice in it", mt, k)
		}
	}
}
