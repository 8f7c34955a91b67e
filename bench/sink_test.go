package bench

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/pion/rtp"
)

func stamped(seq uint16, sent time.Duration) *rtp.Packet {
	p := &rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq}}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(sent))
	_ = p.Header.SetExtension(SendTimeExtID, b[:])
	return p
}

func TestSinkDeliveryFromSequenceNumbers(t *testing.T) {
	tests := []struct {
		name         string
		seqs         []uint16
		wantReceived uint64
		wantExpected uint64
	}{
		{"in order", []uint16{10, 11, 12, 13}, 4, 4},
		{"one lost", []uint16{10, 11, 13}, 3, 4},
		{"wraps", []uint16{65534, 65535, 0, 1}, 4, 4},
		{"reordered across wrap", []uint16{65535, 1, 0, 2}, 4, 4},
		{"lost across wrap", []uint16{65534, 1}, 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var k Sink
			for _, s := range tt.seqs {
				k.Observe(stamped(s, 0), time.Millisecond)
			}
			snap := k.Snapshot()
			expected := snap.Highest - k.first.Load() + 1
			if snap.Received != tt.wantReceived || expected != tt.wantExpected {
				t.Errorf("received %d of %d, want %d of %d", snap.Received, expected, tt.wantReceived, tt.wantExpected)
			}
		})
	}
}

func TestSinkLatencyOnlyInsideTheWindow(t *testing.T) {
	w := &Window{}
	k := Sink{Window: w}
	k.Observe(stamped(1, 10*time.Millisecond), 11*time.Millisecond) // before the window
	w.Open()
	k.Observe(stamped(2, 20*time.Millisecond), 20*time.Millisecond+300*time.Microsecond)
	k.Observe(&rtp.Packet{Header: rtp.Header{SequenceNumber: 3}}, 30*time.Millisecond) // no stamp
	w.Close()
	k.Observe(stamped(4, 40*time.Millisecond), 45*time.Millisecond)
	got := k.Latencies()
	if len(got) != 1 || got[0] != 300*time.Microsecond {
		t.Errorf("latencies %v, want [300µs]", got)
	}
	if k.Unstamped() != 1 {
		t.Errorf("unstamped %d, want 1", k.Unstamped())
	}
	if at, ok := k.FirstArrival(); !ok || at != 11*time.Millisecond {
		t.Errorf("first arrival %v %v, want 11ms", at, ok)
	}
}
