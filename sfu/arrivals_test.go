package sfu

import (
	"encoding/binary"
	"testing"
)

func rtpDatagram(ssrc uint32, seq uint16, pt byte) []byte {
	b := make([]byte, 40)
	b[0], b[1] = 0x80, pt
	binary.BigEndian.PutUint16(b[2:], seq)
	binary.BigEndian.PutUint32(b[8:], ssrc)
	return b
}

// The table finds an RTP packet's arrival by SSRC and sequence number,
// ignores what is not RTP, and forgets a packet whose slot was taken by
// another (no wrong time is reported).
func TestArrivalTable(t *testing.T) {
	var tab arrivalTable
	tab.note(rtpDatagram(0x1234, 7, 111), 1000)
	if got := tab.take(0x1234, 7); got != 1000 {
		t.Fatalf("take = %d, want 1000", got)
	}
	if got := tab.take(0x1234, 8); got != 0 {
		t.Errorf("unknown packet: take = %d, want 0", got)
	}
	for _, b := range [][]byte{
		rtpDatagram(0x9999, 1, 200),                                  // RTCP sender report
		{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 0, 0, 0, 0}, // STUN
		{22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0},                  // DTLS
		rtpDatagram(0x9999, 1, 96)[:11],                              // too short
	} {
		tab.note(b, 5)
	}
	if got := tab.take(0x9999, 1); got != 0 {
		t.Errorf("non-RTP noted: take = %d", got)
	}
	// another packet in the same slot replaces the first
	var other uint16
	for other = 8; arrivalSlot(0x1234, other) != arrivalSlot(0x1234, 7); other++ {
	}
	tab.note(rtpDatagram(0x1234, other, 111), 2000)
	if got := tab.take(0x1234, 7); got != 0 {
		t.Errorf("overwritten slot: take = %d, want 0", got)
	}
	if got := tab.take(0x1234, other); got != 2000 {
		t.Errorf("take = %d, want 2000", got)
	}
}
