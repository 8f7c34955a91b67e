package sfu

import (
	"encoding/binary"
	"fmt"
	"math"
)

// A zero-allocation reader of transport-wide congestion control feedback
// (draft-holmer-rmcat-transport-wide-cc-extensions-01, section 3.1). With
// estimation on, every subscriber sends one such packet about every 100 ms;
// rtcp.Unmarshal builds a struct, an interface per status chunk and a
// pointer per received packet for each, which at 1 -> 100 was the server's
// largest allocator. This reads the statuses straight from the bytes into
// a slice the caller reuses.

// RTCP packet types and formats the subscriber's RTCP reader tells apart.
const (
	rtcpTypeRTPFB = 205 // transport layer feedback (RFC 4585)
	fmtTWCC       = 15  // transport-wide congestion control
	rtcpTypePSFB  = 206 // payload-specific feedback (RFC 4585)
	fmtAFB        = 15  // application layer feedback: REMB among others
	twccHeader    = 20  // RTCP header, two SSRCs, base, count, reference time, fb count
)

// twccStatus is one packet's fate in a feedback: its transport-wide
// sequence number, whether it arrived, and when (µs on the feedback's own
// clock; meaningful only if it arrived).
type twccStatus struct {
	seq       uint16
	received  bool
	arrivalUs int64
}

// Transport-cc status symbols.
const (
	symNotReceived = 0
	symSmallDelta  = 1
	symLargeDelta  = 2
)

// isTWCC reports whether pkt (one RTCP packet, header included) is a
// transport-cc feedback.
func isTWCC(pkt []byte) bool {
	return len(pkt) >= 4 && pkt[1] == rtcpTypeRTPFB && pkt[0]&0x1f == fmtTWCC
}

// rembRate reads the rate of a REMB packet (draft-alvestrand-rmcat-remb;
// one RTCP packet as nextRTCP returns it), in bits/s: its 18-bit mantissa
// times 2 to its 6-bit exponent, a zero mantissa read as 0 (Pion's parser
// reads it as 2^(23+exponent)). ok is false for another packet.
func rembRate(pkt []byte) (bps float64, ok bool) {
	if len(pkt) < 20 || pkt[1] != rtcpTypePSFB || pkt[0]&0x1f != fmtAFB || string(pkt[12:16]) != "REMB" {
		return 0, false
	}
	mantissa := uint32(pkt[17]&3)<<16 | uint32(pkt[18])<<8 | uint32(pkt[19])
	return math.Ldexp(float64(mantissa), int(pkt[17]>>2)), true
}

// nextRTCP splits the first packet off a compound RTCP buffer: the packet
// (header included, as long as its length field says) and the rest.
func nextRTCP(b []byte) (pkt, rest []byte, err error) {
	if len(b) < 4 {
		return nil, nil, fmt.Errorf("%w: %d bytes, want a 4-byte header", errBadRTCP, len(b))
	}
	if b[0]>>6 != 2 {
		return nil, nil, fmt.Errorf("%w: version %d", errBadRTCP, b[0]>>6)
	}
	n := (int(binary.BigEndian.Uint16(b[2:])) + 1) * 4
	if n > len(b) {
		return nil, nil, fmt.Errorf("%w: length %d bytes, %d present", errBadRTCP, n, len(b))
	}
	return b[:n], b[n:], nil
}

// appendTWCC appends the statuses of the transport-cc feedback pkt (one
// RTCP packet as nextRTCP returns it) to dst. On malformed input it returns
// dst unchanged and an error wrapping errBadRTCP.
func appendTWCC(dst []twccStatus, pkt []byte) ([]twccStatus, error) {
	if !isTWCC(pkt) || len(pkt) < twccHeader {
		return dst, fmt.Errorf("%w: not a transport-cc feedback of at least %d bytes", errBadRTCP, twccHeader)
	}
	end := len(pkt)
	if pkt[0]&0x20 != 0 { // padding: the last byte says how much
		pad := int(pkt[end-1])
		if pad == 0 || pad > end-twccHeader {
			return dst, fmt.Errorf("%w: transport-cc padding %d", errBadRTCP, pad)
		}
		end -= pad
	}
	r := twccReader{
		b:       pkt[:end],
		seq:     binary.BigEndian.Uint16(pkt[12:]),
		left:    int(binary.BigEndian.Uint16(pkt[14:])),
		arrival: int64(uint32(pkt[16])<<16|uint32(pkt[17])<<8|uint32(pkt[18])) * 64000,
		out:     dst,
	}
	if err := r.read(); err != nil {
		return dst, err
	}
	return r.out, nil
}

// twccReader walks one feedback: the status chunks from the header on,
// then the receive deltas after the last chunk. The statuses are first
// appended with their symbol in arrivalUs, then resolved against the deltas.
type twccReader struct {
	b       []byte
	seq     uint16
	left    int   // statuses still to read
	arrival int64 // µs, running
	out     []twccStatus
}

func (r *twccReader) read() error {
	first := len(r.out)
	pos := twccHeader
	for r.left > 0 {
		if pos+2 > len(r.b) {
			return fmt.Errorf("%w: transport-cc chunks end at byte %d with %d statuses unread", errBadRTCP, pos, r.left)
		}
		r.chunk(binary.BigEndian.Uint16(r.b[pos:]))
		pos += 2
	}
	for i := first; i < len(r.out); i++ {
		s := &r.out[i]
		switch s.arrivalUs {
		case symSmallDelta:
			if pos+1 > len(r.b) {
				return fmt.Errorf("%w: transport-cc deltas cut short at byte %d", errBadRTCP, pos)
			}
			r.arrival += int64(r.b[pos]) * 250
			pos++
		case symLargeDelta:
			if pos+2 > len(r.b) {
				return fmt.Errorf("%w: transport-cc deltas cut short at byte %d", errBadRTCP, pos)
			}
			r.arrival += int64(int16(binary.BigEndian.Uint16(r.b[pos:]))) * 250
			pos += 2
		default:
			s.received, s.arrivalUs = false, r.arrival
			continue
		}
		s.received, s.arrivalUs = true, r.arrival
	}
	return nil
}

// chunk reads one packet status chunk.
func (r *twccReader) chunk(c uint16) {
	switch {
	case c&0x8000 == 0: // run length: 2-bit symbol, 13-bit count
		for range min(int(c&0x1fff), r.left) {
			r.status(int64(c >> 13 & 3))
		}
	case c&0x4000 == 0: // status vector of 14 one-bit symbols
		for i := 13; i >= 0 && r.left > 0; i-- {
			r.status(int64(c >> i & 1))
		}
	default: // status vector of 7 two-bit symbols
		for i := 6; i >= 0 && r.left > 0; i-- {
			r.status(int64(c >> (2 * i) & 3))
		}
	}
}

// status appends the next status with its symbol (resolved later).
func (r *twccReader) status(sym int64) {
	r.out = append(r.out, twccStatus{seq: r.seq, arrivalUs: sym})
	r.seq++
	r.left--
}
