package sfu

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// countingWriter stands in for Pion's SRTP writer: it checks and counts
// what a down-track writes.
type countingWriter struct {
	n       atomic.Int64
	lastSeq atomic.Uint32
	ssrc    uint32
}

func (w *countingWriter) WriteRTP(h *rtp.Header, payload []byte) (int, error) {
	w.lastSeq.Store(uint32(h.SequenceNumber))
	w.n.Add(1)
	return len(payload), nil
}

func (w *countingWriter) Write(b []byte) (int, error) { return len(b), nil }

// newBenchFanout builds an up-track with subs bound down-tracks, each with
// its own send queue and writer goroutine, as a room would.
func newBenchFanout(subs, queue int) (*upTrack, []*countingWriter, *writerPool) {
	up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "", func() {})
	writers := make([]*countingWriter, subs)
	wp := newWriterPool(runtime.GOMAXPROCS(0), nil, nil)
	queues := make([]*sendQueue, subs)
	for i := range subs {
		queues[i] = wp.newQueue(queue)
		d := newDownTrack(up, queues[i], webrtc.RTPCodecParameters{}, nil)
		writers[i] = &countingWriter{ssrc: uint32(1000 + i)}
		d.binding.Store(&binding{ssrc: writers[i].ssrc, pt: 96, writer: writers[i]})
		up.addDown(d)
	}
	return up, writers, wp
}

// testUpTrack builds an up-track of kind with one layer (no remote: the
// test feeds it through the layer's prepare and ingest).
func testUpTrack(kind webrtc.RTPCodecType, mime string, sendPLI func()) (*upTrack, *layer) {
	up := &upTrack{id: "pub-" + kind.String() + "-1", uid: "pub", kind: kind, pool: newPacketPool(), stats: &counters{}}
	up.codec.MimeType = mime
	up.keyframe = keyframeDetector(mime)
	up.downs.Store(&[]*downTrack{})
	for i := range up.byLayer {
		up.byLayer[i].Store(&[]*downTrack{})
	}
	l := &layer{sendPLI: sendPLI, done: make(chan struct{})}
	if kind == webrtc.RTPCodecTypeVideo {
		l.cache = newPacketCache(videoCacheSize)
	}
	up.addLayer(l)
	return up, l
}

// feed publishes the n bytes of src on layer l, as the layer's reader
// does with what it reads.
func feed(l *layer, pool *packetPool, src []byte, n int) {
	p := pool.get()
	copy(p.buf[:], src[:n])
	if l.prepare(p, n) {
		l.ingest(p)
	}
	p.release()
}

// closeFanout closes every queue and the writers.
func closeFanout(up *upTrack, wp *writerPool) {
	for _, d := range *up.downs.Load() {
		d.queue.close()
	}
	wp.close()
	up.layer(0).cache.clear()
}

// rtpPacket writes a 1200-byte RTP packet with seq into b.
func rtpPacket(b []byte, seq uint16) int {
	b[0], b[1] = 0x80, 96
	binary.BigEndian.PutUint16(b[2:], seq)
	binary.BigEndian.PutUint32(b[4:], uint32(seq)*3000)
	binary.BigEndian.PutUint32(b[8:], 42)
	return 1200
}

func TestFanoutRewritesAndDeliversEveryPacket(t *testing.T) {
	up, writers, wp := newBenchFanout(3, 64)
	for seq := range uint16(200) {
		p := up.pool.get()
		n := rtpPacket(p.buf[:], seq)
		if !up.layer(0).prepare(p, n) {
			t.Fatal("valid packet refused")
		}
		up.layer(0).ingest(p)
		p.release()
		for _, w := range writers { // keep queues short: this test is about delivery
			for w.n.Load() < int64(seq)+1 {
				runtimeGosched()
			}
		}
	}
	closeFanout(up, wp)
	for i, w := range writers {
		if w.n.Load() != 200 {
			t.Errorf("subscriber %d got %d packets, want 200", i, w.n.Load())
		}
	}
	if up.stats.forwarded.Load() != 600 || up.stats.dropped.Load() != 0 {
		t.Errorf("counters forwarded=%d dropped=%d", up.stats.forwarded.Load(), up.stats.dropped.Load())
	}
}

func TestParseRTPRejectsGarbage(t *testing.T) {
	for _, b := range [][]byte{nil, {0x80}, make([]byte, 11), append([]byte{0x40}, make([]byte, 20)...),
		append([]byte{0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, make([]byte, 8)...), // extension longer than packet
		append([]byte{0xa0}, append(make([]byte, 12), 0xff)...),                                     // padding longer than packet
	} {
		if _, ok := parseRTP(b); ok {
			t.Errorf("parseRTP accepted % x", b)
		}
	}
}

// waitWriters waits until every writer has written n packets (the
// benchmark publishes in bursts of 256, well under the queue size, so a
// fast producer measures forwarding rather than drops).
func waitWriters(writers []*countingWriter, n int64) {
	for _, w := range writers {
		for w.n.Load() < n {
			runtimeGosched()
		}
	}
}

// BenchmarkForward is the forwarding path alone: one published packet
// (1200 bytes) parsed, cached and handed to N down-tracks, each rewritten
// and written by its subscriber's writer goroutine into a counting writer
// (no SRTP, no socket). ns/op is per published packet; ns/fwd per
// forwarded copy.
func BenchmarkForward(b *testing.B) {
	for _, subs := range []int{1, 10, 50, 100} {
		b.Run(fmt.Sprintf("subs=%d", subs), func(b *testing.B) {
			up, writers, wp := newBenchFanout(subs, 4096)
			l := up.layer(0)
			src := make([]byte, maxPacket)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuNanos()
			for i := range b.N {
				if i%256 == 0 {
					waitWriters(writers, int64(i))
				}
				n := rtpPacket(src, uint16(i))
				feed(l, up.pool, src, n)
			}
			waitWriters(writers, int64(b.N))
			b.StopTimer()
			b.ReportMetric(float64(cpuNanos()-cpu0)/float64(b.N*subs), "cpu-ns/fwd")
			closeFanout(up, wp)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*subs), "ns/fwd")
			b.ReportMetric(float64(up.stats.dropped.Load())/float64(b.N*subs)*100, "drop%")
		})
	}
}

// BenchmarkForwardAmongIdle is 1:1 forwarding on a busy server: one
// subscriber gets every packet while idle other subscribers' queues (two
// per 1:1 call elsewhere) share the writers. A writer visits only queues
// with items waiting, so the idle ones should cost nothing per packet.
func BenchmarkForwardAmongIdle(b *testing.B) {
	for _, idle := range []int{0, 600} {
		b.Run(fmt.Sprintf("idle=%d", idle), func(b *testing.B) {
			up, writers, wp := newBenchFanout(1, 4096)
			others := make([]*sendQueue, idle)
			for i := range others {
				others[i] = wp.newQueue(64)
			}
			l := up.layer(0)
			src := make([]byte, maxPacket)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuNanos()
			for i := range b.N {
				waitWriters(writers, int64(i)) // one packet at a time, as a 1:1 call's packets come
				n := rtpPacket(src, uint16(i))
				feed(l, up.pool, src, n)
			}
			waitWriters(writers, int64(b.N))
			b.StopTimer()
			b.ReportMetric(float64(cpuNanos()-cpu0)/float64(b.N), "cpu-ns/fwd")
			for _, q := range others {
				q.close()
			}
			closeFanout(up, wp)
		})
	}
}

// TestLayerListsFollowTargetAndForwarded checks the per-layer fan-out
// lists: a down-track is on the list of the layer it forwards and of the
// one it switches to, and on no other.
func TestLayerListsFollowTargetAndForwarded(t *testing.T) {
	up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	for _, rid := range []string{"h", "f"} {
		up.addLayer(&layer{rid: rid, sendPLI: func() {}, cache: newPacketCache(4), done: make(chan struct{})})
	}
	d := newDownTrack(up, nil, up.codec, nil)
	other := newDownTrack(up, nil, up.codec, nil)
	up.addDown(d)
	up.addDown(other)
	on := func() (in []int) {
		for l := range up.byLayer {
			if slices.Contains(*up.byLayer[l].Load(), d) {
				in = append(in, l)
			}
		}
		return in
	}
	forwarding := func(l int32) {
		d.rw.cur = l
		d.switched()
	}
	steps := []struct {
		name string
		do   func()
		want []int
	}{
		{"added (target: the highest)", func() {}, []int{2}},
		{"target low", func() { d.setTarget(0) }, []int{0}},
		{"forwarding low", func() { forwarding(0) }, []int{0}},
		{"switching to medium", func() { d.setTarget(1) }, []int{0, 1}},
		{"forwarding medium", func() { forwarding(1) }, []int{1}},
		{"paused", func() { d.setTarget(noLayer) }, []int{1}},
		{"paused, nothing forwarded", func() { forwarding(noLayer) }, nil},
		{"resumed high", func() { d.setTarget(2) }, []int{2}},
		{"removed", func() { up.removeDown(d) }, nil},
		{"a change after removal", func() { d.setTarget(0) }, nil},
	}
	for _, s := range steps {
		s.do()
		if got := on(); !slices.Equal(got, s.want) {
			t.Errorf("%s: on the lists of layers %v, want %v", s.name, got, s.want)
		}
	}
	if !slices.Contains(*up.byLayer[2].Load(), other) || len(*up.downs.Load()) != 1 {
		t.Error("the other down-track's place changed")
	}
}

// TestLongStreamKeepsForwarding: one layer forwarded for more than the
// whole 16-bit number space, no switch and no probe in between. Forwarding
// used to stop after 32,768 packets (about 11 minutes of audio): the mark
// of where the layer began fell half the number space behind, and every
// packet looked older than it.
func TestLongStreamKeepsForwarding(t *testing.T) {
	up, writers, wp := newBenchFanout(1, 4096)
	const total = 70_000 // past a wrap
	src := make([]byte, maxPacket)
	for i := range total {
		n := rtpPacket(src, uint16(i))
		p := up.pool.get()
		copy(p.buf[:], src[:n])
		if !up.layer(0).prepare(p, n) {
			t.Fatalf("packet %d refused", i)
		}
		up.layer(0).ingest(p)
		p.release()
		if i%256 == 255 { // keep the queue short: this test is about delivery
			waitWritersFor(t, writers, int64(i)+1)
		}
	}
	waitWritersFor(t, writers, total)
	closeFanout(up, wp)
}

// waitWritersFor is waitWriters with a deadline: a packet never written
// fails the test instead of hanging it.
func waitWritersFor(t *testing.T, writers []*countingWriter, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for _, w := range writers {
		for w.n.Load() < n {
			if time.Now().After(deadline) {
				t.Fatalf("forwarded %d packets, want %d", w.n.Load(), n)
			}
			runtimeGosched()
		}
	}
}
