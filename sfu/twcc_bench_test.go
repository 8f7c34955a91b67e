package sfu

import (
	"testing"
	"time"

	"github.com/pion/rtcp"
)

// typicalFeedback is what a subscriber at 1 -> 100 sends every 100 ms: 22
// packets (VP8 ~1.5 Mbit/s + Opus), all received, small deltas.
func typicalFeedback(t testing.TB) []byte {
	fb := &rtcp.TransportLayerCC{SenderSSRC: 1, MediaSSRC: 2, PacketStatusCount: 22, ReferenceTime: 1,
		PacketChunks: []rtcp.PacketStatusChunk{&rtcp.RunLengthChunk{PacketStatusSymbol: rtcp.TypeTCCPacketReceivedSmallDelta, RunLength: 22}}}
	for range 22 {
		fb.RecvDeltas = append(fb.RecvDeltas, &rtcp.RecvDelta{Type: rtcp.TypeTCCPacketReceivedSmallDelta, Delta: 4500})
	}
	return marshalTWCC(t, fb)
}

// BenchmarkTWCCRead is what reading one typical transport-cc feedback
// costs: "appendTWCC" is the estimator's reader now, "unmarshal" the
// rtcp.Unmarshal it replaced, and "pion-srtcp" what Pion's
// srtp.SessionSRTCP.decrypt does with every RTCP packet before the
// server's reader gets it (unmarshal, marshal again, a set of destination
// SSRCs): a cost per feedback this package cannot remove without changing
// Pion.
func BenchmarkTWCCRead(b *testing.B) {
	raw := typicalFeedback(b)
	b.Run("appendTWCC", func(b *testing.B) {
		var st []twccStatus
		b.ReportAllocs()
		for b.Loop() {
			st, _ = appendTWCC(st[:0], raw)
		}
	})
	b.Run("onFeedback", func(b *testing.B) {
		now := time.Unix(1700000000, 0)
		bw := newBWE(now)
		b.ReportAllocs()
		for b.Loop() {
			for range 22 {
				bw.record(1200, now.UnixNano())
			}
			now = now.Add(100 * time.Millisecond)
			_ = bw.onFeedback(raw, now)
		}
	})
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rtcp.Unmarshal(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pion-srtcp", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pkts, err := rtcp.Unmarshal(raw)
			if err != nil {
				b.Fatal(err)
			}
			set := map[uint32]struct{}{}
			for _, p := range pkts {
				if _, err := p.Marshal(); err != nil {
					b.Fatal(err)
				}
				for _, s := range p.DestinationSSRC() {
					set[s] = struct{}{}
				}
			}
		}
	})
}
