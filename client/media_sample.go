package client

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"
)

// ErrEmptySample is returned by WriteSample for a frame with no bytes (or,
// for H.264, no NAL unit); nothing is sent.
var ErrEmptySample = errors.New("client: empty sample")

// WriteSample sends one encoded frame (a sample: what an encoder or a
// file gives) as RTP, as a browser does: split by the codec's payloader
// into packets of at most MaxPayload bytes (VP8 and VP9 with their payload
// descriptors; H.264 as an Annex B access unit, NAL units after start
// codes, fragmented or aggregated; Opus: one packet), the timestamp
// advanced by duration (the time the frame lasts: 20 ms of Opus, 1/30 s of
// 30 fps video) and the marker set on its last packet. Like Write, it is
// not safe for concurrent use with Write or WriteRTP on the same track,
// and returns ErrClosed once the session has ended.
func (t *LocalTrack) WriteSample(frame []byte, duration time.Duration) error {
	if duration < 0 {
		return fmt.Errorf("client: sample duration %v is negative", duration)
	}
	if t.payloader == nil {
		t.payloader = payloaderFor(t.Codec)
		if t.payloader == nil {
			return fmt.Errorf("%w: %q has no payloader", ErrUnknownCodec, t.Codec)
		}
	}
	var chunks [][]byte
	if len(frame) > 0 {
		chunks = t.payloader.Payload(MaxPayload, frame)
	}
	if len(chunks) == 0 {
		return ErrEmptySample
	}
	// Durations are summed and converted as a whole, so that 1/30 s
	// (2,999.97 ticks of 90 kHz) does not lose a tick a frame.
	before := clockTicks(t.sampleTime, t.clockRate)
	t.sampleTime += duration
	ticks := uint32(clockTicks(t.sampleTime, t.clockRate) - before) //nolint:gosec // one frame's ticks fit 32 bits
	for i, c := range chunks {
		if i > 0 {
			ticks = 0 // the frame's packets share its timestamp
		}
		if err := t.Write(c, ticks, i == len(chunks)-1); err != nil {
			return err
		}
	}
	return nil
}

// clockTicks is d in ticks of a clock of rate Hz (no overflow for years).
func clockTicks(d time.Duration, rate uint32) uint64 {
	r := time.Duration(rate)
	return uint64(d/time.Second*r + d%time.Second*r/time.Second) //nolint:gosec // d is a sum of non-negative durations
}

// payloaderFor is the RTP payloader of a codec (MIME type), or nil.
func payloaderFor(mime string) rtp.Payloader {
	switch strings.ToLower(mime) {
	case strings.ToLower(webrtc.MimeTypeVP8):
		return &codecs.VP8Payloader{EnablePictureID: true}
	case strings.ToLower(webrtc.MimeTypeVP9):
		return &codecs.VP9Payloader{}
	case strings.ToLower(webrtc.MimeTypeH264):
		return &codecs.H264Payloader{}
	case strings.ToLower(webrtc.MimeTypeOpus):
		return &codecs.OpusPayloader{}
	}
	return nil
}
