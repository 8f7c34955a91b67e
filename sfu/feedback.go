package sfu

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/twcc"
	"github.com/pion/logging"
	"github.com/pion/rtcp"
)

// feedbackEvery is how often a publisher connection's transport-cc
// feedback and NACKs go out (Pion's and libwebrtc's interval).
const feedbackEvery = 100 * time.Millisecond

// pubFeedback is the RTCP a publisher connection's receiving side sends
// back: transport-wide congestion control feedback (what the publisher's
// bandwidth estimate is made from), NACKs for the video packets missing
// and receiver reports, from what the connection's layers read in
// (layer.prepare, under the layer's in).
//
// Pion's NACK generator and report interceptors did the last two from a
// stream's interceptor chain, which every published packet had to be read
// through: the socket's tap (rtptap.go) built header attributes for them
// and each took a lock and parsed the header again, 6-9 % of a 1:1
// packet's CPU. The layers already keep what both need (recvStats: the
// sequence numbers seen, the wraps, the jitter), so the feedback is built
// from there, once an interval, by one goroutine a connection (where
// Pion's two interceptors and the transport-cc loop had three).
//
// It is an interceptor only to be given the connection's RTCP writer.
type pubFeedback struct {
	interceptor.NoOp
	log   logging.LeveledLogger
	start time.Time
	ssrc  uint32 // the sender SSRC of its NACKs and reports

	mu      sync.Mutex
	writer  interceptor.RTCPWriter // nil until bound
	rec     *twcc.Recorder         // nil until the writer is bound
	layers  []*layer
	started bool          // a packet was read in: the loop sends feedback
	first   chan struct{} // closed at the first packet read in
	closed  chan struct{}
	wg      sync.WaitGroup
}

func newPubFeedback(logs logging.LoggerFactory) *pubFeedback {
	return &pubFeedback{
		log: logs.NewLogger("feedback"), start: time.Now(),
		ssrc:  rand.Uint32(), //nolint:gosec // an SSRC, not a secret
		first: make(chan struct{}), closed: make(chan struct{}),
	}
}

// NewInterceptor hands the one pubFeedback to its connection's registry.
func (f *pubFeedback) NewInterceptor(string) (interceptor.Interceptor, error) { return f, nil }

// BindRTCPWriter starts the loop that sends the feedback through writer.
func (f *pubFeedback) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	f.mu.Lock()
	defer f.mu.Unlock()
	select {
	case <-f.closed:
		return writer
	default:
	}
	if f.writer == nil {
		f.writer = writer
		f.rec = twcc.NewRecorder(f.ssrc)
		f.wg.Add(1)
		go f.loop()
	}
	return writer
}

// addLayer has the feedback cover l from now on; removeLayer stops it.
func (f *pubFeedback) addLayer(l *layer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.layers = append(f.layers, l)
}

func (f *pubFeedback) removeLayer(l *layer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, x := range f.layers {
		if x == l {
			f.layers = append(f.layers[:i], f.layers[i+1:]...)
			return
		}
	}
}

// begin starts the loop's sending at the connection's first packet (an
// idle connection costs no wake-ups).
func (f *pubFeedback) begin() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.beginLocked()
}

func (f *pubFeedback) beginLocked() {
	if !f.started {
		f.started = true
		close(f.first)
	}
}

// record notes the arrival of a packet with transport sequence number seq
// on SSRC ssrc, at µs since start.
func (f *pubFeedback) record(ssrc uint32, seq uint16, atUs int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rec != nil {
		f.rec.Record(ssrc, seq, atUs)
	}
	f.beginLocked()
}

// since is the arrival time record takes for unix ns now.
func (f *pubFeedback) since(now int64) int64 {
	return (now - f.start.UnixNano()) / int64(time.Microsecond)
}

// loop sends the feedback every feedbackEvery from the first packet on.
func (f *pubFeedback) loop() {
	defer f.wg.Done()
	select {
	case <-f.closed:
		return
	case <-f.first:
	}
	tick := time.NewTicker(feedbackEvery)
	defer tick.Stop()
	var b feedbackBatch
	for n := 1; ; n++ {
		select {
		case <-f.closed:
			return
		case now := <-tick.C:
			pkts := b.build(f, now, n%int(reportEvery/feedbackEvery) == 0) // reports once a second
			for len(pkts) > 0 {
				var one []rtcp.Packet
				one, pkts = splitDatagram(pkts)
				if _, err := f.writer.Write(one, nil); err != nil {
					f.log.Debugf("publisher feedback: %v", err)
				}
			}
		}
	}
}

// feedbackBatch is the loop's reusable state for one interval's packets.
type feedbackBatch struct {
	layers  []*layer
	missing []uint16
	pkts    []rtcp.Packet
	reports []rtcp.ReceptionReport
}

// build makes one interval's RTCP: the receiver report first (if report),
// then the transport-cc feedback, then a NACK per layer with packets
// missing.
func (b *feedbackBatch) build(f *pubFeedback, now time.Time, report bool) []rtcp.Packet {
	f.mu.Lock()
	b.layers = append(b.layers[:0], f.layers...)
	twccPkts := f.rec.BuildFeedbackPacket()
	f.mu.Unlock()
	b.pkts = b.pkts[:0]
	if report {
		b.reports = b.reports[:0]
		for _, l := range b.layers {
			if rr, ok := l.receptionReport(now); ok {
				b.reports = append(b.reports, rr)
			}
		}
		// an RR holds at most 31 blocks
		for rest := b.reports; len(rest) > 0; {
			n := min(len(rest), 31)
			b.pkts = append(b.pkts, &rtcp.ReceiverReport{SSRC: f.ssrc, Reports: rest[:n:n]})
			rest = rest[n:]
		}
	}
	b.pkts = append(b.pkts, twccPkts...)
	for _, l := range b.layers {
		b.missing = l.missingPackets(b.missing[:0])
		if len(b.missing) > 0 {
			b.pkts = append(b.pkts, &rtcp.TransportLayerNack{SenderSSRC: f.ssrc, MediaSSRC: l.ssrc, Nacks: rtcp.NackPairsFromSequenceNumbers(b.missing)})
		}
	}
	return b.pkts
}

// feedbackDatagram is the most RTCP bytes written in one datagram (before
// SRTCP's own), as a video packet's payload is kept under a path's MTU.
const feedbackDatagram = 1200

// splitDatagram cuts pkts after as many packets as fit one datagram (at
// least one).
func splitDatagram(pkts []rtcp.Packet) (one, rest []rtcp.Packet) {
	size := 0
	for i, p := range pkts {
		if size += p.MarshalSize(); size > feedbackDatagram && i > 0 {
			return pkts[:i], pkts[i:]
		}
	}
	return pkts, nil
}

// Close stops the loop.
func (f *pubFeedback) Close() error {
	f.mu.Lock()
	select {
	case <-f.closed:
	default:
		close(f.closed)
	}
	f.mu.Unlock()
	f.wg.Wait()
	return nil
}

// senderReportOf finds the sender report of ssrc in the compound RTCP
// packet b (as a receiver's RTCP read gives it): the middle 32 bits of its
// NTP time, which a receiver report quotes back (LSR). ok is false when b
// holds none, or is malformed.
func senderReportOf(b []byte, ssrc uint32) (mid uint32, ok bool) {
	for len(b) > 0 {
		pkt, rest, err := nextRTCP(b)
		if err != nil {
			return mid, ok
		}
		if pkt[1] == rtcpTypeSR && len(pkt) >= 28 && binary.BigEndian.Uint32(pkt[4:]) == ssrc {
			mid, ok = binary.BigEndian.Uint32(pkt[10:]), true
		}
		b = rest
	}
	return mid, ok
}

// rtcpTypeSR is a sender report's packet type (RFC 3550).
const rtcpTypeSR = 200
