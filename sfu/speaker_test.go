package sfu

import (
	"testing"

	"github.com/pion/rtp"
)

// audioPacket marshals an RTP packet carrying level in extension id
// (one-byte or two-byte form) and returns it parsed.
func audioPacket(t *testing.T, id uint8, level byte, twoByte bool) ([]byte, rtpHeader) {
	t.Helper()
	h := rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: 1, SSRC: 5}
	if twoByte {
		h.Extension, h.ExtensionProfile = true, 0x1000
	}
	_ = h.SetExtension(3, []byte{0x01, 0x02}) // another element first
	_ = h.SetExtension(id, []byte{0x80 | level})
	b, err := (&rtp.Packet{Header: h, Payload: []byte{1, 2, 3}}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	ph, ok := parseRTP(b)
	if !ok {
		t.Fatal("test packet does not parse")
	}
	return b, ph
}

func TestFindAudioLevel(t *testing.T) {
	for _, two := range []bool{false, true} {
		b, h := audioPacket(t, 1, 33, two)
		if lv, ok := findAudioLevel(b, h, 1); !ok || lv != 33 {
			t.Errorf("two-byte=%v: level %d %v, want 33", two, lv, ok)
		}
		if _, ok := findAudioLevel(b, h, 9); ok {
			t.Errorf("two-byte=%v: found an element that is not there", two)
		}
	}
}

// Loud packets raise the smoothed level over the speech threshold within
// a few packets; silence brings it down.
func TestAudioLevelSmoothing(t *testing.T) {
	a := &audioLevel{id: 1}
	loud, lh := audioPacket(t, 1, 20, false)
	quiet, qh := audioPacket(t, 1, 127, false)
	for range 20 {
		a.observe(loud, lh)
	}
	if a.loudness() < speakerThreshold {
		t.Fatalf("after 20 loud packets loudness %d, under the threshold %d", a.loudness(), speakerThreshold)
	}
	a.observe(quiet, qh)
	if a.loudness() < speakerThreshold {
		t.Error("one quiet packet ended the speech (not smoothed)")
	}
	for range 40 {
		a.observe(quiet, qh)
	}
	if a.loudness() >= speakerThreshold {
		t.Errorf("after silence loudness %d", a.loudness())
	}
}

// FuzzAudioLevel: arbitrary RTP through parseRTP and findAudioLevel.
func FuzzAudioLevel(f *testing.F) {
	f.Add([]byte{0x90, 111, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0xbe, 0xde, 0, 1, 0x10, 0xa1, 0, 0, 1})
	f.Add([]byte{0x90, 111, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0x10, 0x00, 0, 1, 1, 1, 0xa1, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		if h, ok := parseRTP(b); ok {
			findAudioLevel(b, h, 1)
		}
	})
}
