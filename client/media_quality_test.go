package client

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// qualityLog collects what the SFU's quality sink hands on.
type qualityLog struct {
	mu   sync.Mutex
	rows map[string]protocol.Quality // by session/uid
}

func watchQuality(ts *testSFU) *qualityLog {
	ql := &qualityLog{rows: map[string]protocol.Quality{}}
	ts.srv.SetQualitySink(func(session string, q protocol.Quality) {
		ql.mu.Lock()
		ql.rows[session+"/"+q.UID] = q
		ql.mu.Unlock()
	})
	return ql
}

func (ql *qualityLog) get(key string) (protocol.Quality, bool) {
	ql.mu.Lock()
	defer ql.mu.Unlock()
	q, ok := ql.rows[key]
	return q, ok
}

// TestQualityKeptWhenParticipantLeaves: in a clean loopback call, a
// participant who leaves gets one quality row with plausible figures: no
// loss either way, a few ms of jitter at most, an RTT, bitrates near what
// was pumped (300-byte payloads every 5 ms per track, about 480 kbit/s
// per track), a host candidate and a good rating.
func TestQualityKeptWhenParticipantLeaves(t *testing.T) {
	ts := newTestSFU(t, false, nil)
	ql := watchQuality(ts)
	alice := ts.join(t, "alice", "q1", MediaOptions{Audio: true, Video: "vp8"})
	bob := ts.join(t, "bob", "q1", MediaOptions{Audio: true, Video: "vp8"})
	pump(t, alice, bob)
	alice.receiving(t, "bob", "video", 50)
	bob.receiving(t, "alice", "video", 400) // about 2 s of video
	bobGot := func() (n uint64) {
		for _, tr := range bob.RemoteTracks() {
			n += tr.Packets()
		}
		return n
	}
	aliceGot := func() (n uint64) {
		for _, tr := range alice.RemoteTracks() {
			n += tr.Packets()
		}
		return n
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := bob.Leave(ctx); err != nil {
		t.Fatal(err)
	}
	var q protocol.Quality
	eventually(t, "bob's quality row", func() bool {
		var ok bool
		q, ok = ql.get("q1/bob")
		return ok
	})
	t.Logf("bob: %s", describeQuality(q))
	secs := float64(q.LeftAt-q.JoinedAt) / 1000
	received, sent := float64(bobGot()*300*8)/secs, float64(aliceGot()*300*8)/secs
	if q.UID != "bob" || q.JoinedAt == 0 || q.LeftAt < q.JoinedAt {
		t.Errorf("row identity %+v", q)
	}
	checkRange(t, "lossSent", q.LossSent, 0, 0.01)
	checkRange(t, "lossReceived", q.LossReceived, 0, 0.01)
	checkRange(t, "jitterSentMs", q.JitterSentMs, 0, 60) // a loaded CI machine schedules the pump late
	checkRange(t, "jitterReceivedMs", q.JitterReceivedMs, 0, 60)
	checkRange(t, "rttMs", q.RTTMs, 0, 500)
	// Payload bitrates: what bob's client received, and what alice's
	// received from bob (the server's view of what bob sent is published
	// once a second, so up to a second of it is missing).
	if r := float64(q.BitrateReceived) / received; r < 0.9 || r > 1.1 {
		t.Errorf("bitrate received %d bit/s, bob's client got %.0f", q.BitrateReceived, received)
	}
	if r := float64(q.BitrateSent) / sent; r < 0.6 || r > 1.1 {
		t.Errorf("bitrate sent %d bit/s, alice's client got %.0f from bob", q.BitrateSent, sent)
	}
	if q.Candidate != protocol.CandidateHost {
		t.Errorf("candidate %q, want host", q.Candidate)
	}
	if q.Rating != protocol.QualityGood || q.MOS < 4 {
		t.Errorf("rating %s (MOS %.2f), want good", q.Rating, q.MOS)
	}
	if q.Freezes != 0 {
		t.Errorf("%d freezes on a clean loopback call", q.Freezes)
	}
}

func checkRange(t *testing.T, name string, v *float64, lo, hi float64) {
	t.Helper()
	if v == nil {
		t.Errorf("%s missing", name)
		return
	}
	if *v < lo || *v > hi {
		t.Errorf("%s = %v, want %v..%v", name, *v, lo, hi)
	}
}

func describeQuality(q protocol.Quality) string {
	f := func(v *float64) any {
		if v == nil {
			return "-"
		}
		return *v
	}
	return "loss " + fmtAny(f(q.LossSent)) + "/" + fmtAny(f(q.LossReceived)) +
		" jitter ms " + fmtAny(f(q.JitterSentMs)) + "/" + fmtAny(f(q.JitterReceivedMs)) +
		" rtt ms " + fmtAny(f(q.RTTMs)) + " bitrate " + fmtAny(q.BitrateSent) + "/" + fmtAny(q.BitrateReceived) +
		" freezes " + fmtAny(q.Freezes) + " switches " + fmtAny(q.LayerSwitches) + " " + q.Candidate +
		" MOS " + fmtAny(q.MOS) + " " + q.Rating + " for " + (time.Duration(q.LeftAt-q.JoinedAt) * time.Millisecond).String()
}

func fmtAny(v any) string { return fmt.Sprint(v) }
