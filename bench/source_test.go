package bench

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"
)

type recordWriter struct {
	mu  sync.Mutex
	pkt []rtp.Packet
	at  []time.Time
}

func (w *recordWriter) WriteRTP(p *rtp.Packet) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.pkt = append(w.pkt, *p.Clone())
	w.at = append(w.at, time.Now())
	return nil
}

// A source with an offset starts at once from that point of the clip (here
// the second keyframe, 2 s in) and goes on from there at the clip's pace.
func TestSourceStartsAtItsOffset(t *testing.T) {
	clip, err := LoadVideo()
	if err != nil {
		t.Fatal(err)
	}
	w := &recordWriter{}
	s := NewSource(clip, w, NewEpoch(), 96, 1)
	s.Offset = 2 * time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	_ = s.Run(ctx)
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.pkt) == 0 {
		t.Fatal("nothing sent")
	}
	first := -1
	for i := range clip.Packets {
		if clip.Packets[i].At >= s.Offset {
			first = i
			break
		}
	}
	if !clip.Packets[first].Keyframe || string(w.pkt[0].Payload) != string(clip.Packets[first].Payload) {
		t.Errorf("first packet sent is not the clip's packet at %v (the second keyframe)", s.Offset)
	}
	if d := w.at[0].Sub(began); d > 100*time.Millisecond {
		t.Errorf("first packet after %v, want at once", d)
	}
	// about 300 ms of the clip from the offset, not the whole clip up to it
	want := 0
	for i := first; i < len(clip.Packets) && clip.Packets[i].At < s.Offset+300*time.Millisecond; i++ {
		want++
	}
	if len(w.pkt) < want/2 || len(w.pkt) > want+20 {
		t.Errorf("%d packets in 300 ms, want about %d", len(w.pkt), want)
	}
}

// PhaseOf gives every source of a run its own place in the clip.
func TestPhaseOfSpreadsSources(t *testing.T) {
	const period = 4 * time.Second
	seen := map[time.Duration]bool{}
	for i := range 200 {
		p := PhaseOf(i, period)
		if p < 0 || p >= period || seen[p] {
			t.Fatalf("source %d: phase %v (period %v, seen before: %v)", i, p, period, seen[p])
		}
		seen[p] = true
	}
	// no two of the first 70 within 10 ms: their keyframes do not line up
	var ps []time.Duration
	for i := range 70 {
		ps = append(ps, PhaseOf(i, period))
	}
	for i := range ps {
		for j := range i {
			if d := (ps[i] - ps[j]).Abs(); d < 10*time.Millisecond {
				t.Errorf("sources %d and %d %v apart", j, i, d)
			}
		}
	}
}
