package sfu

import (
	"encoding/binary"
	"strings"
)

// Keyframe detection: a simulcast switch (and a resumed track) starts on
// the first packet of a keyframe, so the subscriber's decoder never needs
// what came before. Only the codecs the server can switch are parsed.

// keyframeFunc reports whether an RTP payload starts a keyframe.
type keyframeFunc func(payload []byte) bool

// keyframeDetector returns the detector for a codec, nil when the server
// cannot tell (then the track is forwarded as one layer, never switched).
func keyframeDetector(mime string) keyframeFunc {
	switch {
	case strings.EqualFold(mime, "video/VP8"):
		return vp8Keyframe
	case strings.EqualFold(mime, "video/H264"):
		return h264Keyframe
	}
	return nil
}

// vp8Keyframe parses the VP8 payload descriptor (RFC 7741 section 4.2) and
// reports whether the packet is the first of a key frame: S set, partition
// 0, and the P bit of the VP8 payload header clear.
func vp8Keyframe(b []byte) bool {
	if len(b) < 1 {
		return false
	}
	if b[0]&0x10 == 0 || b[0]&0x07 != 0 { // S, PID
		return false
	}
	off := 1
	if b[0]&0x80 != 0 { // X
		if len(b) < 2 {
			return false
		}
		x := b[1]
		off = 2
		if x&0x80 != 0 { // I: picture id, 7 or 15 bits
			if len(b) < off+1 {
				return false
			}
			if b[off]&0x80 != 0 {
				off++
			}
			off++
		}
		if x&0x40 != 0 { // L: TL0PICIDX
			off++
		}
		if x&0x30 != 0 { // T or K
			off++
		}
	}
	return len(b) > off && b[off]&0x01 == 0
}

// H.264 NAL unit types (RFC 6184).
const (
	nalIDR  = 5
	nalSPS  = 7
	nalSTAP = 24
	nalFUA  = 28
)

// h264Keyframe reports whether the packet carries an SPS or the start of an
// IDR slice (single NAL, STAP-A aggregate, or the first FU-A fragment).
func h264Keyframe(b []byte) bool {
	if len(b) < 1 {
		return false
	}
	switch t := b[0] & 0x1f; t {
	case nalIDR, nalSPS:
		return true
	case nalSTAP:
		for off := 1; off+2 < len(b); {
			size := int(binary.BigEndian.Uint16(b[off:]))
			off += 2
			if size == 0 || off+size > len(b) {
				return false
			}
			if nt := b[off] & 0x1f; nt == nalIDR || nt == nalSPS {
				return true
			}
			off += size
		}
	case nalFUA:
		if len(b) < 2 {
			return false
		}
		return b[1]&0x80 != 0 && (b[1]&0x1f == nalIDR || b[1]&0x1f == nalSPS)
	}
	return false
}
