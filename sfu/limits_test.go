package sfu

import (
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
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
	wp := newWriterPool(2, nil, nil)
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

// A keyframe answers every request made before it; once one has come, the
// next request (a subscriber that joined after it) waits only a quarter of
// the interval, while one whose keyframe is still due waits the whole.
func TestKeyframeRequestsAfterAKeyframe(t *testing.T) {
	var sent atomic.Int32
	vt, up := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() { sent.Add(1) })
	vt.pliEvery = time.Hour
	up.requestKeyframe()
	up.requestKeyframe() // the keyframe asked for is due: it serves this one too
	if sent.Load() != 1 || !up.pliPending.Load() {
		t.Fatalf("%d PLIs, pending=%v; want 1 and one pending", sent.Load(), up.pliPending.Load())
	}
	up.lastPLI.Store(ago(20 * time.Minute)) // more than a quarter, less than the interval
	up.requestKeyframe()
	if sent.Load() != 1 {
		t.Fatalf("no keyframe since the last PLI, 20 min of 60: %d PLIs, want still 1", sent.Load())
	}
	feedVP8(up, 1, true)
	if up.pliPending.Load() {
		t.Fatal("a keyframe came: the pending request is answered, want none pending")
	}
	up.requestKeyframe()
	if sent.Load() != 2 {
		t.Fatalf("a request after the keyframe, 20 min after the last PLI: %d PLIs, want 2", sent.Load())
	}
	feedVP8(up, 2, true)
	up.requestKeyframe() // at once after the keyframe: within the quarter
	if sent.Load() != 2 || !up.pliPending.Load() {
		t.Fatalf("a request right after a PLI and its keyframe: %d PLIs (pending=%v), want 2 and one pending", sent.Load(), up.pliPending.Load())
	}
}

// feedVP8 passes one VP8 packet through the layer as its reader does.
func feedVP8(l *layer, seq uint16, key bool) {
	p := l.up.pool.get()
	n := rtpPacket(p.buf[:], seq)
	copy(p.buf[12:], vp8Payload(key))
	if l.prepare(p, n) {
		l.ingest(p)
	}
	p.release()
}

// srtpLater stands in for Pion's writer before the subscriber's DTLS is up
// (it drops: 0 bytes written), then after; it keeps what went out.
type srtpLater struct {
	up   bool
	sent [][]byte
}

func (w *srtpLater) WriteRTP(_ *rtp.Header, payload []byte) (int, error) {
	if !w.up {
		return 0, nil
	}
	w.sent = append(w.sent, append([]byte(nil), payload...))
	return len(payload), nil
}

func (w *srtpLater) Write(b []byte) (int, error) { return len(b), nil }

// A keyframe written before the subscriber's transport is up is lost: the
// stream starts over at the next keyframe instead of with the deltas after
// it, which the subscriber could not decode.
func TestDownTrackStartsOverWhenItsFirstKeyframeIsLost(t *testing.T) {
	up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	d := newDownTrack(up, nil, webrtc.RTPCodecParameters{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: "video/VP8", ClockRate: 90000}}, nil)
	w := &srtpLater{}
	d.binding.Store(&binding{ssrc: 1, pt: 96, writer: w})
	s := &layerStream{seq: 10, ts: 9000, keyEvery: 3}
	now := time.Now()
	for f := range 6 { // frame 0: a keyframe lost; 1, 2: deltas; 3: a keyframe; 4, 5: deltas
		if f == 1 {
			w.up = true
		}
		for _, p := range s.frameAt() {
			d.write(p, false, now.Add(time.Duration(f)*33*time.Millisecond))
		}
	}
	if len(w.sent) != 9 || !vp8Keyframe(w.sent[0]) {
		t.Fatalf("sent %d packets (the first a keyframe: %v); want 9 from the second keyframe on", len(w.sent), len(w.sent) > 0 && vp8Keyframe(w.sent[0]))
	}
}

// When a publisher's path comes back (ICE connected again after
// disconnected), its video is asked for a keyframe at once.
func TestKeyframeAskedWhenThePublishersPathComesBack(t *testing.T) {
	var plis atomic.Int32
	up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() { plis.Add(1) })
	p := &participant{uid: "pub", ups: map[string]*upTrack{up.id: up}, iceBad: map[string]bool{}, connected: map[string]bool{}}
	r := &room{parts: map[string]*participant{"pub": p}, srv: &Server{log: slog.New(slog.DiscardHandler)}}
	r.iceState(p, protocol.TargetPublisher, webrtc.ICEConnectionStateConnected)
	if plis.Load() != 0 {
		t.Fatalf("first connected: %d PLIs, want none (the encoder starts with a keyframe)", plis.Load())
	}
	p.iceBad[protocol.TargetPublisher] = true // disconnected; no timers in this test
	r.iceState(p, protocol.TargetPublisher, webrtc.ICEConnectionStateConnected)
	if plis.Load() != 1 {
		t.Fatalf("the path came back: %d PLIs, want 1", plis.Load())
	}
}

// An ICE restart's new path counts as a path back even when the old one
// never went disconnected (a network move quicker than the disconnected
// timeout): the publisher is asked for a keyframe once it is connected.
func TestKeyframeAskedWhenARestartedPathConnects(t *testing.T) {
	var plis atomic.Int32
	up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() { plis.Add(1) })
	p := &participant{uid: "pub", ups: map[string]*upTrack{up.id: up}, iceBad: map[string]bool{}, iceRestarted: map[string]bool{}, candidates: map[string]int{}, connected: map[string]bool{}}
	r := &room{parts: map[string]*participant{"pub": p}, srv: &Server{log: slog.New(slog.DiscardHandler), cfg: Config{ICERestartLimit: 10, ICERestartWindow: time.Minute}}}
	if err := r.allowRestart(p, protocol.TargetPublisher); err != nil {
		t.Fatal(err)
	}
	r.iceState(p, protocol.TargetPublisher, webrtc.ICEConnectionStateChecking)
	r.iceState(p, protocol.TargetPublisher, webrtc.ICEConnectionStateConnected)
	if plis.Load() != 1 {
		t.Fatalf("the restarted path connected: %d PLIs, want 1", plis.Load())
	}
	r.iceState(p, protocol.TargetPublisher, webrtc.ICEConnectionStateConnected)
	if plis.Load() != 1 {
		t.Fatalf("connected again without a restart: %d PLIs, want still 1", plis.Load())
	}
}
