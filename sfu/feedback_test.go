package sfu

import (
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/logging"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
)

// The publisher's transport-cc feedback: every packet read with a
// transport sequence number is in a feedback packet within an interval or
// two, and Close stops the loop (goleak checks).
func TestTransportFeedbackReportsEveryPacket(t *testing.T) {
	f, err := twccFeedbackFactory{logs: logging.NewDefaultLoggerFactory()}.NewInterceptor("")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	reported := map[uint16]bool{}
	f.BindRTCPWriter(interceptor.RTCPWriterFunc(func(pkts []rtcp.Packet, _ interceptor.Attributes) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range pkts {
			fb, ok := p.(*rtcp.TransportLayerCC)
			if !ok {
				continue
			}
			for i := range fb.PacketStatusCount {
				reported[fb.BaseSequenceNumber+i] = true
			}
		}
		return 0, nil
	}))
	defer func() {
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	}()

	const extID = 3
	var next []byte
	info := &interceptor.StreamInfo{SSRC: 1234, RTPHeaderExtensions: []interceptor.RTPHeaderExtension{{URI: sdp.TransportCCURI, ID: extID}}}
	reader := f.BindRemoteStream(info, interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		return copy(b, next), a, nil
	}))
	buf := make([]byte, 1500)
	const packets = 200
	for i := range packets {
		tcc, err := (&rtp.TransportCCExtension{TransportSequence: uint16(1000 + i)}).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		p := &rtp.Packet{Header: rtp.Header{Version: 2, SSRC: 1234, SequenceNumber: uint16(i), PayloadType: 96}, Payload: []byte{1, 2, 3}}
		if err := p.SetExtension(extID, tcc); err != nil {
			t.Fatal(err)
		}
		if next, err = p.Marshal(); err != nil {
			t.Fatal(err)
		}
		if _, _, err := reader.Read(buf, interceptor.Attributes{}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(reported)
		mu.Unlock()
		if n >= packets {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d packets reported", n, packets)
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	for i := range packets {
		if !reported[uint16(1000+i)] {
			t.Errorf("transport sequence %d not reported", 1000+i)
		}
	}
}
