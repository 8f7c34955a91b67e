package client

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// LocalTrack is a track this session publishes. Write and WriteRTP are not
// safe for concurrent use with each other on the same track.
type LocalTrack struct {
	Kind   string // "audio" or "video"
	Codec  string // MIME type, e.g. "video/VP8"
	RID    string // the simulcast layer ("q", "h", "f"), "" when not simulcast
	Source string // video: "camera" or "screen"

	track      *webrtc.TrackLocalStaticRTP
	sender     *webrtc.RTPSender
	session    *Session      // its session: writes fail once it has ended
	pkt        rtp.Packet    // reused by Write
	clockRate  uint32        // the codec's (WriteSample)
	payloader  rtp.Payloader // WriteSample's, made on its first call
	sampleTime time.Duration // the samples' durations so far (WriteSample)

	keyframeRequests atomic.Int64
	nacks            atomic.Int64
	// sdes is set once a simulcast layer's publisher offer is answered:
	// the mid and rid header extensions each packet must carry so the
	// server tells the layers apart (Pion does not add them).
	sdes atomic.Pointer[sdesIDs]
	// inactive: the server said no one receives this layer (activeLayers).
	inactive atomic.Bool
	// stopped: a screen share stopped (StopScreenShare).
	stopped atomic.Bool
}

// Active reports whether the server wants this track sent: false for a
// simulcast layer no subscriber receives (dynacast), until it is wanted
// again. Writing an inactive layer is allowed, only wasted.
func (t *LocalTrack) Active() bool { return !t.inactive.Load() }

// sdesIDs are a simulcast layer's negotiated mid and rid extensions.
type sdesIDs struct {
	midID, ridID uint8
	mid          string
}

func newLocalTrack(kind string, codec webrtc.RTPCodecParameters, track *webrtc.TrackLocalStaticRTP, sender *webrtc.RTPSender) *LocalTrack {
	t := &LocalTrack{Kind: kind, Codec: codec.MimeType, track: track, sender: sender, clockRate: codec.ClockRate}
	if kind == "video" {
		t.Source = "camera"
	}
	t.pkt.Header = rtp.Header{Version: 2, SequenceNumber: 1, Timestamp: 1}
	return t
}

// MaxPayload is the largest RTP payload a LocalTrack sends, in bytes: a
// packet must fit a UDP datagram on any path once its header, extensions
// and SRTP tag are added (the server reads 1,500-byte datagrams). Split a
// larger frame into packets with WriteSample, or with the codec's
// payloader (pion/rtp/codecs: VP8Payloader, H264Payloader...) yourself, as
// every WebRTC stack does.
const MaxPayload = 1200

// ErrPayloadTooLarge is returned by Write and WriteRTP for a payload over
// MaxPayload; nothing is sent.
var ErrPayloadTooLarge = errors.New("client: RTP payload too large")

func checkPayload(n int) error {
	if n > MaxPayload {
		return fmt.Errorf("%w: %d bytes, at most %d (MaxPayload): send the frame with WriteSample, which splits it", ErrPayloadTooLarge, n, MaxPayload)
	}
	return nil
}

// Write sends payload as the next RTP packet: the sequence number goes up
// by one and the timestamp by ticks (in the codec's clock rate). A payload
// over MaxPayload bytes is refused (ErrPayloadTooLarge). Once the
// session has ended (Session.Done) it returns ErrClosed (wrapping the
// session's Err when that says more), so a publishing loop can stop on it.
func (t *LocalTrack) Write(payload []byte, ticks uint32, marker bool) error {
	if err := checkPayload(len(payload)); err != nil {
		return err // before the sequence number moves: no gap
	}
	t.pkt.SequenceNumber++
	t.pkt.Timestamp += ticks
	t.pkt.Marker = marker
	t.pkt.Payload = payload
	return t.WriteRTP(&t.pkt)
}

// WriteRTP sends a whole RTP packet (SSRC and payload type are rewritten;
// a simulcast layer's mid and rid extensions are added to p). Once the
// session has ended it returns ErrClosed, as Write does; once a screen
// share has stopped, ErrShareStopped.
func (t *LocalTrack) WriteRTP(p *rtp.Packet) error {
	if t.stopped.Load() {
		return ErrShareStopped
	}
	if err := checkPayload(len(p.Payload)); err != nil {
		return err
	}
	if s := t.session; s != nil {
		select {
		case <-s.done:
			return s.endedErr()
		default:
		}
	}
	if x := t.sdes.Load(); x != nil {
		_ = p.Header.SetExtension(x.midID, []byte(x.mid))
		_ = p.Header.SetExtension(x.ridID, []byte(t.RID))
	}
	return t.track.WriteRTP(p)
}

// KeyframeRequests counts PLI and FIR received for this track.
func (t *LocalTrack) KeyframeRequests() int64 { return t.keyframeRequests.Load() }

// NACKs counts NACK messages received for this track.
func (t *LocalTrack) NACKs() int64 { return t.nacks.Load() }

func (t *LocalTrack) readRTCP() {
	for {
		var pkts []rtcp.Packet
		var err error
		if t.RID != "" {
			pkts, _, err = t.sender.ReadSimulcastRTCP(t.RID)
		} else {
			pkts, _, err = t.sender.ReadRTCP()
		}
		if err != nil {
			return
		}
		for _, p := range pkts {
			switch p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				t.keyframeRequests.Add(1)
				if s := t.session; s != nil && s.opts.OnKeyframeRequest != nil {
					s.opts.OnKeyframeRequest(t)
				}
			case *rtcp.TransportLayerNack:
				t.nacks.Add(1)
			}
		}
	}
}

// RemoteTrack is a track received from another participant. It is matched
// to the server's announcement by Mid (the m-line carrying it); UID is the
// publisher (also the MediaStream id) and TrackID the server's trackId.
type RemoteTrack struct {
	UID     string
	TrackID string
	Mid     string
	Kind    string
	Codec   string // MIME type
	SSRC    uint32
	// Source is what a video track shows, as announced: "camera" or
	// "screen" (protocol.SourceCamera, SourceScreen); "" for audio.
	Source string

	packets   atomic.Uint64
	bytes     atomic.Uint64
	clockRate uint32
	sr        atomic.Pointer[SenderReport]
	done      chan struct{}
	once      sync.Once
}

// SenderReport is an RTCP sender report (RFC 3550 section 6.4.1) the
// server sent for a received track, about once a second: which RTP time of
// the track was which instant of the server's wall clock, for lining up a
// participant's audio and video (a recorder), and what it had sent.
type SenderReport struct {
	NTPTime time.Time // the server's wall clock when it sent the report
	RTPTime uint32    // the track's RTP time at that instant
	Packets uint32    // packets sent on the track so far
	Octets  uint32    // payload bytes sent so far
	Arrival time.Time // when it reached this session
}

// SenderReport is the last sender report of the track; false before the
// first.
func (t *RemoteTrack) SenderReport() (SenderReport, bool) {
	if sr := t.sr.Load(); sr != nil {
		return *sr, true
	}
	return SenderReport{}, false
}

// WallClock is when, on the server's wall clock, the track's RTP time ts
// was, by its last sender report; false before the first report. Packets
// of a participant's audio and video that WallClock puts at the same
// instant were captured together (as the server saw them arrive).
func (t *RemoteTrack) WallClock(ts uint32) (time.Time, bool) {
	sr := t.sr.Load()
	if sr == nil || t.clockRate == 0 {
		return time.Time{}, false
	}
	ticks := int64(int32(ts - sr.RTPTime)) // signed: before or after the report, across wrap
	return sr.NTPTime.Add(time.Duration(ticks * int64(time.Second) / int64(t.clockRate))), true
}

// fromNTP is a 64-bit NTP timestamp (seconds since 1900, 32.32) as a time.
func fromNTP(ntp uint64) time.Time {
	const unixToNTP = 2208988800
	secs := int64(ntp>>32) - unixToNTP
	nanos := int64((ntp & 0xffffffff) * uint64(time.Second) >> 32)
	return time.Unix(secs, nanos)
}

// readRTCP reads what the server sends about t until its receiver stops,
// keeping the last sender report (a goroutine per received track).
func (s *Session) readRTCP(t *RemoteTrack, recv *webrtc.RTPReceiver) {
	for {
		pkts, _, err := recv.ReadRTCP()
		if err != nil {
			return
		}
		now := time.Now()
		for _, p := range pkts {
			if sr, ok := p.(*rtcp.SenderReport); ok && sr.SSRC == t.SSRC {
				t.sr.Store(&SenderReport{NTPTime: fromNTP(sr.NTPTime), RTPTime: sr.RTPTime, Packets: sr.PacketCount, Octets: sr.OctetCount, Arrival: now})
			}
		}
		if s.opts.OnRTCP != nil {
			s.opts.OnRTCP(t, pkts)
		}
	}
}

// Packets is how many RTP packets arrived on the track.
func (t *RemoteTrack) Packets() uint64 { return t.packets.Load() }

// Bytes is how many payload bytes arrived on the track.
func (t *RemoteTrack) Bytes() uint64 { return t.bytes.Load() }

// Done is closed when the track has ended: unpublished (trackUnpublished),
// or its connection closed.
func (t *RemoteTrack) Done() <-chan struct{} { return t.done }

func (t *RemoteTrack) end() { t.once.Do(func() { close(t.done) }) }

// midOf returns the mid of the subscriber transceiver receiving on recv.
func (s *Session) midOf(recv *webrtc.RTPReceiver) string {
	for _, tr := range s.sub.GetTransceivers() {
		if tr.Receiver() == recv {
			return tr.Mid()
		}
	}
	return ""
}

// onRemoteTrack owns the track's read loop (Pion's OnTrack goroutine). The
// track is identified by its mid, as docs/protocol.md says; the stream id
// (the publisher's uid) is the fallback for a track not announced.
func (s *Session) onRemoteTrack(remote *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
	t := &RemoteTrack{
		UID: remote.StreamID(), TrackID: remote.ID(), Mid: s.midOf(recv), Kind: remote.Kind().String(),
		Codec: remote.Codec().MimeType, SSRC: uint32(remote.SSRC()), clockRate: remote.Codec().ClockRate, done: make(chan struct{}),
	}
	defer t.end()
	s.mu.Lock()
	if info, ok := s.byMid[t.Mid]; ok && t.Mid != "" {
		t.UID, t.TrackID, t.Source = info.UID, info.TrackID, info.Source
	}
	s.remote = append(s.remote, t)
	s.mu.Unlock()
	if s.opts.OnTrack != nil {
		s.opts.OnTrack(t)
	}
	go s.readRTCP(t, recv)
	buf := make([]byte, 1500)
	var p rtp.Packet
	for {
		n, _, err := remote.Read(buf)
		if err != nil {
			return
		}
		now := time.Now()
		if p.Unmarshal(buf[:n]) != nil {
			continue
		}
		t.packets.Add(1)
		t.bytes.Add(uint64(len(p.Payload)))
		if s.opts.OnPacket != nil {
			s.opts.OnPacket(t, &p, now)
		}
	}
}

// RequestKeyframe sends a PLI for a received video track to the server.
func (s *Session) RequestKeyframe(t *RemoteTrack) error {
	return s.sub.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: t.SSRC}})
}

// SendNACK asks the server to resend packets of a received track.
func (s *Session) SendNACK(t *RemoteTrack, seqs ...uint16) error {
	return s.sub.WriteRTCP([]rtcp.Packet{&rtcp.TransportLayerNack{MediaSSRC: t.SSRC, Nacks: rtcp.NackPairsFromSequenceNumbers(seqs)}})
}
