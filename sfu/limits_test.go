package sfu

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

func TestKeyframeRequestsAreRateLimited(t *testing.T) {
	var sent atomic.Int32
	vt, up := testUpTrack(webrtc.RTPCodecTypeVideo, "", func() { sent.Add(1) })
	vt.pliEvery = time.Hour
	for range 10 {
		up.requestKeyframe()
	}
	if sent.Load() != 1 || !up.pliPending.Load() {
		t.Fatalf("10 requests within the interval sent %d PLIs (pending=%v), want 1 and one pending", sent.Load(), up.pliPending.Load())
	}
	up.lastPLI.Store(time.Now().Add(-2 * time.Hour).UnixNano()) // the interval has passed
	up.requestKeyframe()                                        // what the reader does while one is pending
	if sent.Load() != 2 || up.pliPending.Load() {
		t.Fatalf("after the interval: %d PLIs, pending=%v; want the pending one sent", sent.Load(), up.pliPending.Load())
	}
	_, audio := testUpTrack(webrtc.RTPCodecTypeAudio, "", func() { t.Error("PLI sent for audio") })
	audio.requestKeyframe()
}

// blockingWriter never returns from its first write until released.
type blockingWriter struct{ release chan struct{} }

func (w *blockingWriter) WriteRTP(*rtp.Header, []byte) (int, error) { <-w.release; return 0, nil }
func (w *blockingWriter) Write(b []byte) (int, error)               { return len(b), nil }

func TestStuckSubscriberDropsWithoutBlockingThePublisher(t *testing.T) {
	var plis atomic.Int32
	up, l := testUpTrack(webrtc.RTPCodecTypeVideo, "", func() { plis.Add(1) })
	wp := newWriterPool(2, nil)
	stuckQ, okQ := wp.newQueue(4), wp.newQueue(512)
	if stuckQ.w == okQ.w {
		t.Fatal("test needs the two subscribers on different writers")
	}
	stuck := &blockingWriter{release: make(chan struct{})}
	ok := &countingWriter{}
	for _, s := range []struct {
		q *sendQueue
		w webrtc.TrackLocalWriter
	}{{stuckQ, stuck}, {okQ, ok}} {
		d := newDownTrack(up, s.q, webrtc.RTPCodecParameters{}, nil)
		d.binding.Store(&binding{ssrc: 1, pt: 96, writer: s.w})
		up.addDown(d)
	}
	for seq := range uint16(100) { // returns: the publisher's reader is never held up
		p := up.pool.get()
		if l.prepare(p, rtpPacket(p.buf[:], seq)) {
			l.ingest(p)
		}
		p.release()
	}
	for ok.n.Load() < 100 {
		runtimeGosched()
	}
	if up.stats.dropped.Load() == 0 || plis.Load() == 0 {
		t.Errorf("stuck subscriber: %d drops, %d keyframe requests; want both > 0", up.stats.dropped.Load(), plis.Load())
	}
	close(stuck.release)
	stuckQ.close()
	okQ.close()
	wp.close()
	l.cache.clear()
}
