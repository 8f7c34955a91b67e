package sfu

import (
	"math/rand/v2"
	"sync"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/twcc"
	"github.com/pion/logging"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
)

// feedbackEvery is how often a publisher connection's transport-cc
// feedback goes out (Pion's and libwebrtc's interval).
const feedbackEvery = 100 * time.Millisecond

// twccFeedback is the publisher connection's transport-wide congestion
// control feedback (what the publisher's bandwidth estimate is made from):
// each packet's transport sequence number and arrival are recorded as it
// is read in, and a feedback packet is built from them every
// feedbackEvery. It does what pion/interceptor's twcc.SenderInterceptor
// does with the same Recorder, but records under a mutex where that one
// hands every packet to its goroutine over an unbuffered channel: a read
// would wait for that goroutine to be scheduled, and the publisher's
// packets are read in on the media socket's reader (rtptap.go), which must
// not wait.
type twccFeedback struct {
	interceptor.NoOp
	log   logging.LeveledLogger
	start time.Time

	mu      sync.Mutex
	rec     *twcc.Recorder // nil until the RTCP writer is bound
	started bool           // a packet was recorded: the loop sends feedback
	first   chan struct{}  // closed at the first packet recorded
	closed  chan struct{}
	wg      sync.WaitGroup
}

// twccFeedbackFactory makes a connection's twccFeedback.
type twccFeedbackFactory struct{ logs logging.LoggerFactory }

func (f twccFeedbackFactory) NewInterceptor(string) (interceptor.Interceptor, error) {
	return &twccFeedback{
		log: f.logs.NewLogger("twcc_feedback"), start: time.Now(),
		first: make(chan struct{}), closed: make(chan struct{}),
	}, nil
}

// BindRTCPWriter starts the loop that sends the feedback through writer.
func (t *twccFeedback) BindRTCPWriter(writer interceptor.RTCPWriter) interceptor.RTCPWriter {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.rec = twcc.NewRecorder(rand.Uint32()) //nolint:gosec // an SSRC, not a secret
	t.wg.Add(1)
	go t.loop(writer)
	return writer
}

// BindRemoteStream records the transport sequence number of each packet
// read from a stream that carries one.
func (t *twccFeedback) BindRemoteStream(info *interceptor.StreamInfo, reader interceptor.RTPReader) interceptor.RTPReader {
	var id uint8
	for _, e := range info.RTPHeaderExtensions {
		if e.URI == sdp.TransportCCURI && e.ID > 0 && e.ID < 256 {
			id = uint8(e.ID)
			break
		}
	}
	if id == 0 {
		return reader
	}
	ssrc := info.SSRC
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, attr, err := reader.Read(b, a)
		if err != nil {
			return 0, nil, err
		}
		if attr == nil {
			attr = interceptor.Attributes{}
		}
		h, err := attr.GetRTPHeader(b[:n])
		if err != nil {
			return 0, nil, err
		}
		if ext := h.GetExtension(id); ext != nil {
			var tcc rtp.TransportCCExtension
			if tcc.Unmarshal(ext) == nil {
				t.record(ssrc, tcc.TransportSequence, time.Since(t.start).Microseconds())
			}
		}
		return n, attr, nil
	})
}

func (t *twccFeedback) record(ssrc uint32, seq uint16, at int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.rec == nil {
		return
	}
	t.rec.Record(ssrc, seq, at)
	if !t.started {
		t.started = true
		close(t.first)
	}
}

// loop sends the feedback every feedbackEvery from the first packet on.
func (t *twccFeedback) loop(writer interceptor.RTCPWriter) {
	defer t.wg.Done()
	select {
	case <-t.closed:
		return
	case <-t.first:
	}
	tick := time.NewTicker(feedbackEvery)
	defer tick.Stop()
	for {
		select {
		case <-t.closed:
			return
		case <-tick.C:
			t.mu.Lock()
			pkts := t.rec.BuildFeedbackPacket()
			t.mu.Unlock()
			if len(pkts) == 0 {
				continue
			}
			if _, err := writer.Write(pkts, nil); err != nil {
				t.log.Debugf("transport-cc feedback: %v", err)
			}
		}
	}
}

// Close stops the loop.
func (t *twccFeedback) Close() error {
	t.mu.Lock()
	select {
	case <-t.closed:
	default:
		close(t.closed)
	}
	t.mu.Unlock()
	t.wg.Wait()
	return nil
}
