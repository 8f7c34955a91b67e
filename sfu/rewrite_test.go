package sfu

import (
	"testing"
	"time"
)

// vp8Payload is a VP8 payload descriptor (S=1, PID 0) and payload header
// byte: a keyframe's first packet when key is set.
func vp8Payload(key bool) []byte {
	if key {
		return []byte{0x10, 0x00, 0x9d, 0x01, 0x2a}
	}
	return []byte{0x10, 0x01, 0x00}
}

// layerStream makes the packets of one simulcast layer: its own sequence
// numbers and timestamp base, a frame every 33 ms of 3 packets, keyframes
// every keyEvery frames.
type layerStream struct {
	layer    uint8
	seq      uint16
	ts       uint32
	frame    int
	keyEvery int
}

func (s *layerStream) frameAt() []*packet {
	key := s.frame%s.keyEvery == 0
	s.frame++
	s.ts += 3000
	out := make([]*packet, 3)
	for i := range out {
		s.seq++
		out[i] = &packet{layer: s.layer, seq: s.seq, ts: s.ts, marker: i == 2, keyframe: key && i == 0, payload: vp8Payload(key && i == 0)}
	}
	return out
}

// Across pins low -> high -> medium -> low, what leaves is one stream:
// sequence numbers up by one, timestamps never going back and advancing by
// about the wall time, and every switch on a keyframe of the new layer.
func TestRewriterSwitchesLayersWithoutGapOrJump(t *testing.T) {
	streams := []*layerStream{
		{layer: 0, seq: 100, ts: 1_000_000, keyEvery: 7},
		{layer: 1, seq: 40000, ts: 3_000_000_000, keyEvery: 5},
		{layer: 2, seq: 65500, ts: 42, keyEvery: 11}, // wraps
	}
	w := newRewriter(5000, 77)
	start := time.Unix(1700000000, 0).UnixNano()
	targets := []int32{0, 2, 1, 0}
	var sent []uint16
	var sentTS []uint32
	var sentLayer []uint8
	for f := range 200 {
		target := targets[f/50]
		now := start + int64(f)*int64(33*time.Millisecond)
		for _, s := range streams {
			for _, p := range s.frameAt() {
				seq, ts, ok := w.next(p, target, true, false, 90000, now)
				if !ok {
					continue
				}
				if len(sent) > 0 && sentLayer[len(sentLayer)-1] != p.layer && !p.keyframe {
					t.Fatalf("frame %d: switched to layer %d on a delta packet", f, p.layer)
				}
				sent, sentTS, sentLayer = append(sent, seq), append(sentTS, ts), append(sentLayer, p.layer)
			}
		}
	}
	for i := 1; i < len(sent); i++ {
		if sent[i] != sent[i-1]+1 {
			t.Fatalf("packet %d: seq %d after %d (a gap or repeat)", i, sent[i], sent[i-1])
		}
		if d := int32(sentTS[i] - sentTS[i-1]); d < 0 || d > 2*3000+1 {
			t.Fatalf("packet %d (layer %d after %d): timestamp moved by %d ticks", i, sentLayer[i], sentLayer[i-1], d)
		}
	}
	if w.switches != 3 {
		t.Errorf("%d switches, want 3", w.switches)
	}
	if sentLayer[len(sentLayer)-1] != 0 {
		t.Errorf("ended on layer %d, want 0", sentLayer[len(sentLayer)-1])
	}
}

// A paused track sends nothing; resumed, it waits for a keyframe and goes
// on where it stopped (seq + 1), timestamp advanced by the pause.
func TestRewriterPauseAndResume(t *testing.T) {
	s := &layerStream{keyEvery: 10}
	w := newRewriter(0, 0)
	now := int64(0)
	var last uint16
	var lastTS uint32
	resumed := false
	for f := range 30 {
		target := int32(0)
		if f >= 10 && f < 20 {
			target = noLayer
		}
		now += int64(33 * time.Millisecond)
		for _, p := range s.frameAt() {
			seq, ts, ok := w.next(p, target, true, false, 90000, now)
			if !ok {
				continue
			}
			if target == noLayer {
				t.Fatal("sent while paused")
			}
			if f >= 20 && !resumed {
				resumed = true
				if seq != last+1 {
					t.Fatalf("resumed with seq %d after %d", seq, last)
				}
				if d := ts - lastTS; d < 10*3000 || d > 12*3000 {
					t.Errorf("timestamp advanced %d ticks over an 11-frame pause", d)
				}
			}
			last, lastTS = seq, ts
		}
	}
	if !resumed || w.cur != 0 {
		t.Errorf("not forwarding after resume (layer %d)", w.cur)
	}
}

// A retransmission never switches and is refused for a layer not forwarded.
func TestRewriterRetransmissions(t *testing.T) {
	w := newRewriter(0, 0)
	key := &packet{layer: 1, seq: 10, keyframe: true}
	if _, _, ok := w.next(key, 1, true, true, 90000, 0); ok {
		t.Fatal("a retransmitted keyframe started the stream")
	}
	if _, _, ok := w.next(key, 1, true, false, 90000, 0); !ok {
		t.Fatal("first packet refused")
	}
	next := &packet{layer: 1, seq: 11}
	w.next(next, 1, true, false, 90000, 0)
	seq, _, ok := w.next(key, 1, true, true, 90000, 0)
	if !ok || seq != key.seq+w.seqOff {
		t.Fatalf("rtx of seq 10: ok=%v seq=%d", ok, seq)
	}
	if w.lastSeq != next.seq+w.seqOff {
		t.Error("a retransmission moved the stream")
	}
	if _, _, ok := w.next(&packet{layer: 0, seq: 5}, 1, true, true, 90000, 0); ok {
		t.Error("rtx of another layer sent")
	}
}

func TestKeyframeDetection(t *testing.T) {
	cases := []struct {
		mime string
		b    []byte
		want bool
	}{
		{"video/VP8", []byte{0x10, 0x00}, true},
		{"video/VP8", []byte{0x10, 0x01}, false},
		{"video/VP8", []byte{0x00, 0x00}, false},                  // not a frame start
		{"video/VP8", []byte{0x90, 0x80, 0x81, 0x23, 0x00}, true}, // X, I with 15-bit picture id
		{"video/VP8", []byte{0x90, 0xe0, 0x05, 0x11, 0x20, 0x01}, false},
		{"video/VP8", []byte{0x90, 0xe0, 0x05, 0x11, 0x20, 0x00}, true}, // I (7 bit), L, T
		{"video/VP8", []byte{0x90}, false},
		{"video/H264", []byte{0x65, 0x88}, true},                                     // IDR
		{"video/H264", []byte{0x67, 0x42}, true},                                     // SPS
		{"video/H264", []byte{0x41, 0x9a}, false},                                    // non-IDR slice
		{"video/H264", []byte{0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x01, 0x68}, true}, // STAP-A with SPS
		{"video/H264", []byte{0x78, 0x00, 0x09, 0x67}, false},                        // STAP-A truncated
		{"video/H264", []byte{0x7c, 0x85}, true},                                     // FU-A start of IDR
		{"video/H264", []byte{0x7c, 0x05}, false},                                    // FU-A middle
		{"video/H264", []byte{0x7c, 0x81}, false},                                    // FU-A start, non-IDR
	}
	for _, c := range cases {
		if got := keyframeDetector(c.mime)(c.b); got != c.want {
			t.Errorf("%s % x: keyframe=%v, want %v", c.mime, c.b, got, c.want)
		}
	}
	if keyframeDetector("video/VP9") != nil || keyframeDetector("audio/opus") != nil {
		t.Error("a detector for a codec the server does not switch")
	}
}

// FuzzKeyframe feeds arbitrary payloads to the keyframe parsers: any answer
// is fine, a panic is not.
func FuzzKeyframe(f *testing.F) {
	f.Add([]byte{0x90, 0xe0, 0x05, 0x11, 0x20, 0x00})
	f.Add([]byte{0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x01, 0x68})
	f.Add([]byte{0x7c, 0x85})
	f.Fuzz(func(t *testing.T, b []byte) {
		vp8Keyframe(b)
		h264Keyframe(b)
	})
}

// A padding probe takes the next number and the last timestamp; the media
// after it continues one further on, and a packet from before it that
// arrives late (or is asked again) is not sent on the probe's number.
func TestRewriterPaddingTakesANumber(t *testing.T) {
	w := newRewriter(1000, 0)
	if _, _, ok := w.pad(); ok {
		t.Fatal("padding before the first packet")
	}
	s := &layerStream{layer: 0, seq: 10, ts: 90000, keyEvery: 30}
	now := time.Unix(1700000000, 0).UnixNano()
	var last uint16
	var lastTS uint32
	frame := s.frameAt()
	for _, p := range []*packet{frame[0], frame[2]} { // the second is late
		seq, ts, ok := w.next(p, 0, true, false, 90000, now)
		if !ok {
			t.Fatal("not sent")
		}
		last, lastTS = seq, ts
	}
	seq, ts, ok := w.pad()
	if !ok || seq != last+1 || ts != lastTS {
		t.Fatalf("padding got %d/%d (ok %v), want %d/%d", seq, ts, ok, last+1, lastTS)
	}
	if _, _, ok := w.next(frame[1], 0, true, false, 90000, now); ok {
		t.Fatal("a packet from before the padding was sent after it")
	}
	if _, _, ok := w.next(frame[0], 0, true, true, 90000, now); ok {
		t.Fatal("a retransmission from before the padding was sent after it")
	}
	next := s.frameAt()[0]
	if got, _, ok := w.next(next, 0, true, false, 90000, now); !ok || got != seq+1 {
		t.Fatalf("the media after the padding got %d (ok %v), want %d", got, ok, seq+1)
	}
}

// A stream starts on a keyframe: the packets before the first are held
// back (a decoder could show nothing of them), for up to firstKeyWait.
func TestRewriterStartsOnAKeyframe(t *testing.T) {
	start := time.Unix(1700000000, 0).UnixNano()
	w := newRewriter(0, 0)
	s := &layerStream{seq: 10, ts: 9000, frame: 1, keyEvery: 3} // frames 1 and 2 are deltas
	for f := range 3 {
		for _, p := range s.frameAt() {
			_, _, ok := w.next(p, 0, true, false, 90000, start+int64(f)*int64(33*time.Millisecond))
			if ok != (f == 2) {
				t.Fatalf("frame %d sent=%v; want only from the keyframe (frame 2) on", f, ok)
			}
		}
	}
	// a publisher whose keyframes never come (or cannot be seen) is forwarded after the wait
	w = newRewriter(0, 0)
	s = &layerStream{seq: 10, ts: 9000, frame: 1, keyEvery: 1 << 30}
	if _, _, ok := w.next(s.frameAt()[0], 0, true, false, 90000, start); ok {
		t.Fatal("a delta frame started the stream at once")
	}
	if _, _, ok := w.next(s.frameAt()[0], 0, true, false, 90000, start+int64(firstKeyWait)); !ok {
		t.Fatalf("a delta frame %v after the first packet was not sent", firstKeyWait)
	}
}
