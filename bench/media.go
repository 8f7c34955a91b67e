package bench

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"slices"
	"time"

	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4/pkg/media/ivfreader"
)

//go:embed testdata/video.ivf testdata/audio.ogg
var testdata embed.FS

// mtu is the largest RTP payload the packetizer produces, as browsers do.
const mtu = 1200

// Kind is "audio" or "video", as in webrtc.RTPCodecType.String().
type Kind string

// Media kinds.
const (
	Audio Kind = "audio"
	Video Kind = "video"
)

// Clip is pre-encoded media cut into RTP payloads once, replayed in a loop.
type Clip struct {
	Kind      Kind
	ClockRate uint32
	// Period is the length of one loop: the next loop starts at Period.
	Period  time.Duration
	Packets []ClipPacket

	// seed and index find a packet by its payload bytes (which every SFU
	// forwards untouched): receivers use them to look up the send time
	// when the server strips header extensions.
	seed  maphash.Seed
	index map[uint64]int
}

// indexPayloads builds the payload index; payloads that occur twice are
// left out (their send time would be ambiguous).
func (c *Clip) indexPayloads() *Clip {
	c.seed = maphash.MakeSeed()
	c.index = make(map[uint64]int, len(c.Packets))
	dup := map[uint64]bool{}
	for i, p := range c.Packets {
		h := maphash.Bytes(c.seed, p.Payload)
		if _, ok := c.index[h]; ok {
			dup[h] = true
		}
		c.index[h] = i
	}
	for h := range dup {
		delete(c.index, h)
	}
	return c
}

// Find returns the index of the packet whose payload is payload.
func (c *Clip) Find(payload []byte) (int, bool) {
	i, ok := c.index[maphash.Bytes(c.seed, payload)]
	return i, ok
}

// ClipPacket is one RTP packet of a Clip.
type ClipPacket struct {
	At       time.Duration // send time from the start of the loop
	TS       uint32        // RTP timestamp from the start of the loop
	Marker   bool          // last packet of a video frame
	Keyframe bool          // part of a VP8 keyframe
	Payload  []byte
}

// Bitrate is the clip's payload bitrate in bits per second.
func (c *Clip) Bitrate() float64 {
	n := 0
	for _, p := range c.Packets {
		n += len(p.Payload)
	}
	return float64(n*8) / c.Period.Seconds()
}

// Thinned is the clip as a lower simulcast layer carries it: of each frame,
// the first share of its packets (at least one), the last of them marked;
// the same frames at the same times, so about share of the bitrate. The
// payloads are the clip's own, cut short: nothing decodes them, and the
// server reads only a frame's first packet (keyframe or not).
func (c *Clip) Thinned(share float64) *Clip {
	out := &Clip{Kind: c.Kind, ClockRate: c.ClockRate, Period: c.Period}
	for start := 0; start < len(c.Packets); {
		end := start + 1
		for end < len(c.Packets) && c.Packets[end].TS == c.Packets[start].TS && !c.Packets[end-1].Marker {
			end++
		}
		keep := max(1, int(math.Ceil(float64(end-start)*share)))
		frame := slices.Clone(c.Packets[start : start+keep])
		frame[keep-1].Marker = true
		out.Packets = append(out.Packets, frame...)
		start = end
	}
	return out
}

// LoadVideo returns the embedded VP8 clip, packetized.
func LoadVideo() (*Clip, error) {
	raw, err := testdata.ReadFile("testdata/video.ivf")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMedia, err)
	}
	r, hdr, err := ivfreader.NewWith(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: ivf: %w", ErrMedia, err)
	}
	if hdr.TimebaseDenominator == 0 || hdr.NumFrames == 0 {
		return nil, fmt.Errorf("%w: empty ivf", ErrMedia)
	}
	num, den := time.Duration(hdr.TimebaseNumerator), time.Duration(hdr.TimebaseDenominator)
	frameAt := func(i int) time.Duration { return time.Duration(i) * time.Second * num / den }
	clip := &Clip{Kind: Video, ClockRate: 90000}
	pay := &codecs.VP8Payloader{EnablePictureID: true}
	for i := 0; ; i++ {
		frame, _, err := r.ParseNextFrame()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: ivf frame %d: %w", ErrMedia, i, err)
		}
		at := frameAt(i)
		key := len(frame) > 0 && frame[0]&1 == 0 // VP8 P bit clear: keyframe
		parts := pay.Payload(mtu, frame)
		for j, p := range parts {
			clip.Packets = append(clip.Packets, ClipPacket{
				At: at, TS: uint32(at * 90000 / time.Second), Marker: j == len(parts)-1,
				Keyframe: key, Payload: p,
			})
		}
		clip.Period = frameAt(i + 1)
	}
	return clip.indexPayloads(), nil
}

// LoadAudio returns the embedded Opus clip (20 ms frames), one packet each.
func LoadAudio() (*Clip, error) {
	raw, err := testdata.ReadFile("testdata/audio.ogg")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMedia, err)
	}
	pkts, err := oggPackets(raw)
	if err != nil {
		return nil, err
	}
	const frameDur = 20 * time.Millisecond
	clip := &Clip{Kind: Audio, ClockRate: 48000}
	for _, pkt := range pkts {
		if bytes.HasPrefix(pkt, []byte("OpusHead")) || bytes.HasPrefix(pkt, []byte("OpusTags")) {
			continue
		}
		at := time.Duration(len(clip.Packets)) * frameDur
		clip.Packets = append(clip.Packets, ClipPacket{
			At: at, TS: uint32(at * 48000 / time.Second), Payload: pkt,
		})
	}
	if len(clip.Packets) == 0 {
		return nil, fmt.Errorf("%w: empty ogg", ErrMedia)
	}
	clip.Period = time.Duration(len(clip.Packets)) * frameDur
	return clip.indexPayloads(), nil
}

// oggPackets splits an Ogg stream (RFC 3533) into its packets using each
// page's lacing table: a packet ends at the first segment shorter than 255.
// A packet continued across pages is joined.
func oggPackets(raw []byte) ([][]byte, error) {
	var out [][]byte
	var cur []byte
	for len(raw) > 0 {
		if len(raw) < 27 || string(raw[:4]) != "OggS" {
			return nil, fmt.Errorf("%w: bad ogg page", ErrMedia)
		}
		nseg := int(raw[26])
		if len(raw) < 27+nseg {
			return nil, fmt.Errorf("%w: short ogg page", ErrMedia)
		}
		lacing := raw[27 : 27+nseg]
		body := raw[27+nseg:]
		used := 0
		for _, seg := range lacing {
			if used+int(seg) > len(body) {
				return nil, fmt.Errorf("%w: short ogg page body", ErrMedia)
			}
			cur = append(cur, body[used:used+int(seg)]...)
			used += int(seg)
			if seg < 255 {
				out = append(out, cur)
				cur = nil
			}
		}
		raw = body[used:]
	}
	return out, nil
}
