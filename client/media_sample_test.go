package client

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4/pkg/media"
	"github.com/pion/webrtc/v4/pkg/media/samplebuilder"
)

// sampleFrame is the i-th test frame of a codec: size bytes a receiver can
// check whole. A VP8 frame is a keyframe (its first payload bit clear); an
// H.264 one is an Annex B access unit of one IDR NAL unit.
func sampleFrame(codec string, i, size int) []byte {
	b := bytes.Repeat([]byte{0xab}, size)
	copy(b[1:], fmt.Sprintf("frame %d", i))
	switch codec {
	case "vp8":
		b[0] = 0x10
	case "h264":
		b = append([]byte{0, 0, 0, 1, 0x65}, b[:size-5]...)
	}
	return b
}

// WriteSample sends a whole frame however large, split by the codec's
// payloader: a receiver rebuilds each frame byte for byte, its timestamps
// a frame's duration apart.
func TestWriteSampleSendsWholeFrames(t *testing.T) {
	for _, tc := range []struct {
		codec, kind string
		size        int
		every       time.Duration
		ticks       uint32
		depack      rtp.Depacketizer
		clock       uint32
	}{
		{"vp8", "video", 6000, time.Second / 30, 3000, &codecs.VP8Packet{}, 90000},
		{"h264", "video", 6000, time.Second / 30, 3000, &codecs.H264Packet{}, 90000},
		{"opus", "audio", 120, 20 * time.Millisecond, 960, &codecs.OpusPacket{}, 48000},
	} {
		t.Run(tc.codec, func(t *testing.T) {
			ts := newTestSFU(t, false, nil)
			opts := MediaOptions{Audio: tc.kind == "audio"}
			if tc.kind == "video" {
				opts.Video = tc.codec
			}
			alice := ts.join(t, "alice", "s1", opts)
			var mu sync.Mutex
			var got []*media.Sample
			sb := samplebuilder.New(64, tc.depack, tc.clock, samplebuilder.WithPacketHeadHandler(func(any) any { return nil }))
			ts.join(t, "bob", "s1", MediaOptions{OnPacket: func(_ *RemoteTrack, p *rtp.Packet, _ time.Time) {
				mu.Lock()
				defer mu.Unlock()
				sb.Push(p.Clone())
				for s := sb.Pop(); s != nil; s = sb.Pop() {
					got = append(got, s)
				}
			}})
			lt := alice.LocalTracks()[0]
			if err := lt.WriteSample(nil, tc.every); !errors.Is(err, ErrEmptySample) {
				t.Errorf("an empty sample: %v, want ErrEmptySample", err)
			}
			sent := map[string]bool{}
			tick := time.NewTicker(tc.every)
			defer tick.Stop()
			for i := 0; ; i++ {
				<-tick.C
				f := sampleFrame(tc.codec, i, tc.size)
				if err := lt.WriteSample(f, tc.every); err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				sent[string(f)] = true
				mu.Lock()
				n := len(got)
				mu.Unlock()
				if n >= 20 {
					break
				}
				if i > 500 {
					t.Fatalf("bob rebuilt %d frames of %d sent", n, i+1)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			for i, s := range got {
				if !sent[string(s.Data)] {
					t.Fatalf("frame %d bob rebuilt (%d bytes) is not one alice sent", i, len(s.Data))
				}
				if i > 0 {
					if d := s.PacketTimestamp - got[i-1].PacketTimestamp; d%tc.ticks != 0 || d == 0 {
						t.Errorf("frames %d and %d are %d ticks apart, want a multiple of %d", i-1, i, d, tc.ticks)
					}
				}
			}
		})
	}
}
