package bench

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
)

// SendTimeExtID is the one-byte RTP header extension id that carries the
// send time (8 bytes, big-endian nanoseconds since the load side's Epoch).
// Receivers that do not know it ignore it, so packets stay valid VP8/Opus.
const SendTimeExtID = 14

// Epoch is the load side's time base: send and arrival times are durations
// since it, read from the monotonic clock of one process.
type Epoch struct{ t0 time.Time }

// NewEpoch starts a time base now.
func NewEpoch() Epoch { return Epoch{t0: time.Now()} }

// Now is the time since the epoch.
func (e Epoch) Now() time.Duration { return time.Since(e.t0) }

// RTPWriter is a local track the load side publishes on
// (webrtc.TrackLocalStaticRTP, or the client package's published track).
type RTPWriter interface {
	WriteRTP(p *rtp.Packet) error
}

// Source replays a Clip on an RTPWriter at real-time pace, looping.
type Source struct {
	Clip   *Clip
	Writer RTPWriter
	Epoch  Epoch
	// PayloadType and SSRC go into the header; a Pion track replaces them
	// with the negotiated ones.
	PayloadType uint8
	SSRC        uint32

	// Window, when set, limits Late to packets due while it is open.
	Window *Window
	// Offset is where in the clip the source starts ([0, Clip.Period)):
	// sources of independent calls started at one instant would otherwise
	// send every frame, and every keyframe, in the same millisecond, a
	// burst no real set of calls makes (see PhaseOf).
	Offset time.Duration

	sent atomic.Uint64 // packets written without error
	late atomic.Int64  // worst lateness seen, ns (the load side falling behind)
	// sentAt[i] is when clip packet i was last sent (Epoch ns), for
	// receivers that match packets by payload (see Clip.Find).
	sentAt []atomic.Int64
}

// SentAt is when clip packet i was last sent.
func (s *Source) SentAt(i int) time.Duration { return time.Duration(s.sentAt[i].Load()) }

// NewSource returns a Source of clip on w.
func NewSource(clip *Clip, w RTPWriter, epoch Epoch, pt uint8, ssrc uint32) *Source {
	return &Source{Clip: clip, Writer: w, Epoch: epoch, PayloadType: pt, SSRC: ssrc,
		sentAt: make([]atomic.Int64, len(clip.Packets))}
}

// PhaseOf spreads k sources evenly over a clip's period: source i of a
// run starts at the golden-ratio fraction i*0.618 (mod 1) of it, so no two
// calls' frames or keyframes line up, however many there are.
func PhaseOf(i int, period time.Duration) time.Duration {
	const golden = 0.6180339887498949
	f := float64(i) * golden
	return time.Duration((f - float64(int(f))) * float64(period))
}

// Sent is how many packets were written so far.
func (s *Source) Sent() uint64 { return s.sent.Load() }

// Late is the worst lateness of a packet against its schedule.
func (s *Source) Late() time.Duration { return time.Duration(s.late.Load()) }

// Run sends until ctx ends. Write errors (e.g. a track not bound yet) skip
// the packet, as a camera would. It returns ctx's error.
func (s *Source) Run(ctx context.Context) error {
	var ext [8]byte
	pkt := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: s.PayloadType, SSRC: s.SSRC}}
	// ext is written in place before each send: the header refers to it.
	if err := pkt.Header.SetExtension(SendTimeExtID, ext[:]); err != nil {
		return err
	}
	if len(s.sentAt) != len(s.Clip.Packets) {
		return fmt.Errorf("%w: Source not made by NewSource", ErrConfig)
	}
	offset := s.Offset % max(s.Clip.Period, 1)
	start := s.Epoch.Now() - offset // the packet at offset is due now
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	periodTicks := uint32(s.Clip.Period * time.Duration(s.Clip.ClockRate) / time.Second)
	for loop := 0; ; loop++ {
		base := start + time.Duration(loop)*s.Clip.Period
		for i := range s.Clip.Packets {
			cp := &s.Clip.Packets[i]
			if loop == 0 && cp.At < offset {
				continue
			}
			if err := s.wait(ctx, timer, base+cp.At); err != nil {
				return err
			}
			pkt.SequenceNumber++
			pkt.Timestamp = uint32(loop)*periodTicks + cp.TS
			pkt.Marker = cp.Marker
			pkt.Payload = cp.Payload
			now := s.Epoch.Now()
			binary.BigEndian.PutUint64(ext[:], uint64(now))
			s.sentAt[i].Store(int64(now))
			if s.Writer.WriteRTP(&pkt) == nil {
				s.sent.Add(1)
			}
		}
	}
}

// wait sleeps until due (an Epoch time), noting how late the schedule runs.
func (s *Source) wait(ctx context.Context, timer *time.Timer, due time.Duration) error {
	d := due - s.Epoch.Now()
	if d <= 0 {
		if -d > s.Late() && (s.Window == nil || s.Window.open.Load()) {
			s.late.Store(int64(-d))
		}
		return ctx.Err()
	}
	timer.Reset(d)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
