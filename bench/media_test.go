package bench

import (
	"testing"
	"time"

	"github.com/pion/rtp/codecs"
)

func TestVideoClipLooksLikeACamera(t *testing.T) {
	clip, err := LoadVideo()
	if err != nil {
		t.Fatal(err)
	}
	if clip.Period < 3*time.Second {
		t.Fatalf("clip lasts %v, want about 4 s", clip.Period)
	}
	if br := clip.Bitrate(); br < 1.2e6 || br > 1.8e6 {
		t.Errorf("bitrate %.0f bit/s, want about 1.5 Mbit/s", br)
	}
	var keyAt []time.Duration
	frames := 0
	for i, p := range clip.Packets {
		if len(p.Payload) > mtu {
			t.Fatalf("packet %d is %d bytes, over the %d MTU", i, len(p.Payload), mtu)
		}
		var vp8 codecs.VP8Packet
		if _, err := vp8.Unmarshal(p.Payload); err != nil {
			t.Fatalf("packet %d is not VP8: %v", i, err)
		}
		if p.Marker {
			frames++
		}
		if p.Keyframe && vp8.S == 1 {
			keyAt = append(keyAt, p.At)
		}
	}
	if got := float64(frames) / clip.Period.Seconds(); got < 29 || got > 31 {
		t.Errorf("%.1f frames/s, want 30", got)
	}
	if len(keyAt) != 2 || keyAt[0] != 0 || keyAt[1] != 2*time.Second {
		t.Errorf("keyframes at %v, want at 0s and 2s", keyAt)
	}
}

func TestAudioClipIsTwentyMillisecondOpus(t *testing.T) {
	clip, err := LoadAudio()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(clip.Packets); n < 190 || n > 210 {
		t.Fatalf("%d packets, want about 200 (4 s of 20 ms)", n)
	}
	for i, p := range clip.Packets {
		// TOC byte: config 0..31 in the top 5 bits; 20 ms frames are
		// configs with frame size index 3 (SILK/hybrid) or CELT 3.
		if len(p.Payload) < 2 || len(p.Payload) > 400 {
			t.Fatalf("packet %d is %d bytes", i, len(p.Payload))
		}
	}
	if p := clip.Packets[1]; p.TS != 960 || p.At != 20*time.Millisecond {
		t.Errorf("second packet at ts %d / %v, want 960 / 20ms", p.TS, p.At)
	}
}

// A lower simulcast layer made from the clip keeps every frame, at the
// same time, starting with the frame's first packet (so keyframes stay
// keyframes), ends each frame on a marker, and carries about its share.
func TestThinnedClipKeepsEveryFrame(t *testing.T) {
	clip, err := LoadVideo()
	if err != nil {
		t.Fatal(err)
	}
	frames := func(c *Clip) (n int, firsts []ClipPacket) {
		first := true
		for _, p := range c.Packets {
			if first {
				firsts = append(firsts, p)
			}
			first = p.Marker
			if p.Marker {
				n++
			}
		}
		return n, firsts
	}
	if !clip.Packets[len(clip.Packets)-1].Marker {
		t.Fatal("the clip itself ends mid-frame")
	}
	n, firsts := frames(clip)
	for _, share := range []float64{0.1, 1.0 / 3} {
		thin := clip.Thinned(share)
		tn, tfirsts := frames(thin)
		if tn != n || len(tfirsts) != len(firsts) {
			t.Fatalf("share %.2f: %d frames, want %d", share, tn, n)
		}
		for i := range firsts {
			if a, b := tfirsts[i], firsts[i]; a.At != b.At || a.TS != b.TS || a.Keyframe != b.Keyframe || string(a.Payload) != string(b.Payload) {
				t.Fatalf("share %.2f: frame %d starts differently", share, i)
			}
		}
		if !thin.Packets[len(thin.Packets)-1].Marker {
			t.Errorf("share %.2f: the last packet ends no frame", share)
		}
		if r := thin.Bitrate() / clip.Bitrate(); r < share*0.7 || r > share*2 {
			t.Errorf("share %.2f: %.2f of the clip's bitrate", share, r)
		}
	}
}
