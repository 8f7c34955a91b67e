package sfu

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// downTrack forwards one up-track to one subscriber. It implements
// webrtc.TrackLocal: Pion binds it to the subscriber PC's negotiated SSRC,
// payload type and writer. It owns its outgoing sequence numbers and
// timestamps (offsets from the up-track's), so later layer switching or
// pausing can rewrite them without touching other subscribers.
//
// Packets reach it through the subscriber's queue and are written by the
// subscriber's writer goroutine only (write, retransmit); the RTCP reader
// goroutine (readRTCP) queues retransmissions rather than writing itself.
type downTrack struct {
	up      *upTrack
	queue   *sendQueue
	codec   webrtc.RTPCodecParameters
	mid     string // its m-line on the subscriber PC; room goroutine sets it once
	retired atomic.Bool
	seqOff  uint16
	tsOff   uint32
	binding atomic.Pointer[binding]

	hdr   rtp.Header  // reused by the writer goroutine
	stats senderStats // writer goroutine only
	// sendRTCP writes on the subscriber PC (sender reports).
	sendRTCP func([]rtcp.Packet) error

	// mu guards sender (set once the transceiver exists).
	mu     sync.Mutex
	sender *webrtc.RTPSender
	done   chan struct{} // closed when the RTCP reader ends
}

// binding is what Pion negotiated for this track on the subscriber PC.
type binding struct {
	ssrc   uint32
	pt     uint8
	writer webrtc.TrackLocalWriter
}

func newDownTrack(up *upTrack, q *sendQueue, codec webrtc.RTPCodecParameters, sendRTCP func([]rtcp.Packet) error) *downTrack {
	return &downTrack{
		up: up, queue: q, codec: codec, sendRTCP: sendRTCP,
		seqOff: uint16(rand.Uint32()), tsOff: rand.Uint32(),
		hdr:  rtp.Header{Version: 2},
		done: make(chan struct{}),
	}
}

// ID, RID, StreamID and Kind implement webrtc.TrackLocal. The stream id is
// the publisher's uid so a client maps ontrack to a participant.
func (d *downTrack) ID() string                { return d.up.id }
func (d *downTrack) RID() string               { return "" }
func (d *downTrack) StreamID() string          { return d.up.uid }
func (d *downTrack) Kind() webrtc.RTPCodecType { return d.up.kind }

// Bind implements webrtc.TrackLocal: pick the negotiated codec matching the
// published one and ask the publisher for a keyframe at once.
func (d *downTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	for _, c := range ctx.CodecParameters() {
		// Media types are case-insensitive (RFC 6838): GStreamer answers
		// "OPUS/48000/2" to an offer of "opus/48000/2".
		if strings.EqualFold(c.MimeType, d.codec.MimeType) && (d.up.kind == webrtc.RTPCodecTypeAudio || fmtpEqual(c.SDPFmtpLine, d.codec.SDPFmtpLine)) {
			d.binding.Store(&binding{ssrc: uint32(ctx.SSRC()), pt: uint8(c.PayloadType), writer: ctx.WriteStream()})
			if !d.retired.Load() {
				d.up.requestKeyframe()
			}
			return c, nil
		}
	}
	return webrtc.RTPCodecParameters{}, fmt.Errorf("%w: %s (m-line %s)", webrtc.ErrUnsupportedCodec, d.codec.MimeType, d.mid)
}

// retire marks a down-track whose up-track is no longer forwarded to it
// (its m-line stays, carrying nothing).
func (d *downTrack) retire() { d.retired.Store(true) }

// Unbind implements webrtc.TrackLocal.
func (d *downTrack) Unbind(webrtc.TrackLocalContext) error {
	d.binding.Store(nil)
	return nil
}

// enqueue hands p to the subscriber's writer; false when its queue is full
// (the packet is dropped and, for video, a keyframe requested).
func (d *downTrack) enqueue(p *packet) bool {
	if d.binding.Load() == nil {
		return true // not negotiated yet: nothing to do, not a drop
	}
	p.retain()
	if d.queue.push(sendItem{d: d, p: p}) {
		return true
	}
	p.release()
	d.up.requestKeyframe()
	return false
}

// write sends p with this track's SSRC, payload type, sequence number and
// timestamp, then a sender report when one is due. now is the writer's
// clock for this pass. Writer goroutine only.
func (d *downTrack) write(p *packet, now time.Time) {
	b := d.binding.Load()
	if b == nil {
		return
	}
	h := &d.hdr
	h.PayloadType = b.pt
	h.SSRC = b.ssrc
	h.SequenceNumber = p.seq + d.seqOff
	h.Timestamp = p.ts + d.tsOff
	h.Marker = p.marker
	if n, err := b.writer.WriteRTP(h, p.payload); err != nil || n == 0 {
		return // n == 0: Pion dropped it, SRTP is not up yet
	}
	if d.stats.sent(h.Timestamp, len(p.payload), now.UnixNano()) && d.sendRTCP != nil {
		sr := d.stats.report(b.ssrc, d.codec.ClockRate, now)
		_ = d.sendRTCP([]rtcp.Packet{sr})
	}
}

// setSender starts the RTCP reader of the sender carrying this track.
func (d *downTrack) setSender(s *webrtc.RTPSender) {
	d.mu.Lock()
	d.sender = s
	d.mu.Unlock()
	go d.readRTCP(s)
}

// readRTCP forwards PLI/FIR to the publisher and answers NACKs from the
// up-track's cache until the sender stops.
func (d *downTrack) readRTCP(s *webrtc.RTPSender) {
	defer close(d.done)
	buf := make([]byte, 1500)
	for {
		n, _, err := s.Read(buf)
		if err != nil {
			return
		}
		pkts, err := rtcp.Unmarshal(buf[:n])
		if err != nil || d.retired.Load() {
			continue // a retired m-line's feedback concerns a track no longer forwarded
		}
		for _, pkt := range pkts {
			switch pkt := pkt.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				d.up.requestKeyframe()
			case *rtcp.TransportLayerNack:
				d.retransmit(pkt)
			}
		}
	}
}

func (d *downTrack) retransmit(n *rtcp.TransportLayerNack) {
	if d.up.cache == nil {
		return
	}
	for _, pair := range n.Nacks {
		for _, seq := range pair.PacketList() {
			p := d.up.cache.get(seq - d.seqOff)
			if p == nil {
				continue
			}
			if !d.queue.push(sendItem{d: d, p: p}) {
				p.release()
			}
		}
	}
}
