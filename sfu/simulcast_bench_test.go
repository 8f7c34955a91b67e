package sfu

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
)

// newSimulcastFanout is newBenchFanout with a three-layer VP8 track, every
// subscriber on the high layer, and estimation on (each subscriber's queue
// has an estimator; its down-track stamps transport-cc).
func newSimulcastFanout(subs, queue int) (*upTrack, []*countingWriter, *writerPool) {
	up, writers, wp := newBenchFanout(subs, queue)
	up.codec.MimeType = "video/VP8"
	up.keyframe = keyframeDetector(up.codec.MimeType)
	for _, rid := range []string{"h", "f"} {
		up.addLayer(&layer{rid: rid, sendPLI: func() {}, cache: newPacketCache(videoCacheSize), done: make(chan struct{})})
	}
	for _, d := range *up.downs.Load() {
		d.queue.bwe = newBWE(time.Now())
		b := *d.binding.Load()
		b.twccID = 5
		d.binding.Store(&b)
		d.setTarget(2)
	}
	return up, writers, wp
}

// BenchmarkForwardSimulcast is BenchmarkForward with simulcast and
// estimation on: per high-layer packet forwarded to N subscribers, the
// reader also takes a medium-layer packet every second time and a low one
// every fourth (what their bitrates make), which no subscriber wants.
// ns/fwd is per forwarded copy, comparable with BenchmarkForward's.
func BenchmarkForwardSimulcast(b *testing.B) {
	for _, subs := range []int{1, 100} {
		b.Run(fmt.Sprintf("subs=%d", subs), func(b *testing.B) {
			up, writers, wp := newSimulcastFanout(subs, 4096)
			src := make([]byte, maxPacket)
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuNanos()
			for i := range b.N {
				if i%256 == 0 {
					waitWriters(writers, int64(i))
				}
				for li := int32(2); li >= 0; li-- {
					if (li == 1 && i%2 != 0) || (li == 0 && i%4 != 0) {
						continue
					}
					l := up.layer(li)
					n := rtpPacket(src, uint16(i))
					src[12] = 0x10 // VP8 descriptor: frame start
					if i%300 == 0 {
						src[13] = 0x00 // a keyframe now and then
					} else {
						src[13] = 0x01
					}
					feed(l, up.pool, src, n)
				}
			}
			waitWriters(writers, int64(b.N))
			b.StopTimer()
			b.ReportMetric(float64(cpuNanos()-cpu0)/float64(b.N*subs), "cpu-ns/fwd")
			for _, d := range *up.downs.Load() {
				d.queue.close()
			}
			wp.close()
			for i := range int32(maxLayers) {
				up.layer(i).cache.clear()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*subs), "ns/fwd")
			b.ReportMetric(float64(up.stats.dropped.Load())/float64(b.N*subs)*100, "drop%")
		})
	}
}

var _ = webrtc.RTPCodecTypeVideo

// cpuNanos is the CPU time (user + system) this process has used: on a
// machine others load, CPU per forwarded packet says more than wall time.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
