package sfu

import (
	"cmp"
	"encoding/binary"
	"slices"
	"sync/atomic"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Active speakers come from the audio-level header extension (RFC 6464)
// every publisher's audio carries: the level is smoothed per track on its
// reader, and the room names who speaks at most twice a second.

// Speaker detection tuning.
const (
	speakerEvery     = 500 * time.Millisecond // at most 2 activeSpeakers a second
	speakerThreshold = 127 - 55               // smoothed loudness (127 - dBov) that counts as speech
	levelSmoothing   = 8                      // the average moves 1/levelSmoothing of the way per packet
)

// audioLevel is a track's smoothed loudness, 127 - level in dBov scaled by
// 256 (0: silence). The layer reader writes, the room reads.
type audioLevel struct {
	id    uint8 // the extension id on the publisher connection; 0: none
	value atomic.Int32
}

// observe folds one packet's level (from its extension block) in.
func (a *audioLevel) observe(pkt []byte, h rtpHeader) {
	level, ok := findAudioLevel(pkt, h, a.id)
	if !ok {
		return
	}
	loud := int32(127-level) << 8
	v := a.value.Load()
	a.value.Store(v + (loud-v)/levelSmoothing)
}

// loudness is the smoothed loudness, 0..127.
func (a *audioLevel) loudness() int { return int(a.value.Load() >> 8) }

// findAudioLevel reads the RFC 6464 level (0 loudest .. 127 silent) of the
// one- or two-byte header extension element id.
func findAudioLevel(b []byte, h rtpHeader, id uint8) (int, bool) {
	ext, ok := findExtension(b, h, id)
	if !ok || len(ext) < 1 {
		return 0, false
	}
	return int(ext[0] & 0x7f), true
}

// findExtension returns the data of the one- or two-byte header extension
// element id (RFC 8285) of the RTP packet b, whose header parseRTP read as h.
func findExtension(b []byte, h rtpHeader, id uint8) ([]byte, bool) {
	if id == 0 || b[0]&0x10 == 0 {
		return nil, false
	}
	off := 12 + int(b[0]&0x0f)*4
	profile := binary.BigEndian.Uint16(b[off:])
	end := off + 4 + int(binary.BigEndian.Uint16(b[off+2:]))*4
	if end > h.payloadStart {
		return nil, false
	}
	for i := off + 4; i < end; {
		if b[i] == 0 { // padding
			i++
			continue
		}
		var eid uint8
		var n int
		switch {
		case profile == 0xBEDE:
			eid, n = b[i]>>4, int(b[i]&0x0f)+1
			i++
		case profile&0xfff0 == 0x1000 && i+1 < end:
			eid, n = b[i], int(b[i+1])
			i += 2
		default:
			return nil, false
		}
		if i+n > end {
			return nil, false
		}
		if eid == id {
			return b[i : i+n], true
		}
		i += n
	}
	return nil, false
}

// extensionID is the id negotiated for recv's header extension uri (0: none).
func extensionID(recv *webrtc.RTPReceiver, uri string) uint8 {
	for _, ext := range recv.GetParameters().HeaderExtensions {
		if ext.URI == uri && ext.ID > 0 && ext.ID < 256 {
			return uint8(ext.ID)
		}
	}
	return 0
}

// speakers names, loudest first, the participants whose audio is above the
// speech threshold; sent when that changes, at most every speakerEvery.
func (r *room) speakers(now time.Time) {
	if now.Sub(r.speakersAt) < speakerEvery {
		return
	}
	type loud struct {
		uid   string
		level int
	}
	var ls []loud
	for _, p := range r.parts {
		best := 0
		for _, up := range p.ups {
			if up.kind == webrtc.RTPCodecTypeAudio && !p.muted[protocol.KindAudio] {
				best = max(best, up.level.loudness())
			}
		}
		if best >= speakerThreshold {
			ls = append(ls, loud{p.uid, best})
		}
	}
	slices.SortFunc(ls, func(a, b loud) int { return cmp.Or(cmp.Compare(b.level, a.level), cmp.Compare(a.uid, b.uid)) })
	uids := make([]string, len(ls))
	for i, l := range ls {
		uids[i] = l.uid
	}
	if slices.Equal(uids, r.speakerUIDs) {
		return
	}
	r.speakerUIDs, r.speakersAt = uids, now
	r.broadcast(protocol.EventActiveSpeakers, protocol.ActiveSpeakers{UIDs: uids}, nil)
}
