package sfu

import (
	"encoding/binary"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/twcc"
	"github.com/pion/logging"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

const testTWCCID = 3

// feedLayerPacket reads in a packet of l with sequence number seq (and,
// with tcc >= 0, that transport sequence number), as the layer's readers do.
func feedLayerPacket(t *testing.T, up *upTrack, l *layer, seq uint16, tcc int) {
	t.Helper()
	p := &rtp.Packet{Header: rtp.Header{Version: 2, SSRC: l.ssrc, SequenceNumber: seq, Timestamp: uint32(seq) * 3000, PayloadType: 96}, Payload: []byte{0x10, 1, 2, 3}}
	if tcc >= 0 {
		ext, err := (&rtp.TransportCCExtension{TransportSequence: uint16(tcc)}).Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if err := p.SetExtension(testTWCCID, ext); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	l.in.Lock()
	feed(l, up.pool, raw, len(raw))
	l.in.Unlock()
}

// feedbackLayer is a layer of a publisher connection with feedback fb.
func feedbackLayer(t *testing.T, fb *pubFeedback, kind webrtc.RTPCodecType, ssrc uint32) (*upTrack, *layer) {
	t.Helper()
	mime := "video/VP8"
	if kind == webrtc.RTPCodecTypeAudio {
		mime = "audio/opus"
	}
	up, l := testUpTrack(kind, mime, func() {})
	up.codec.ClockRate = 90000
	l.ssrc, l.fb, l.twccID, l.nack = ssrc, fb, testTWCCID, kind == webrtc.RTPCodecTypeVideo
	fb.addLayer(l)
	t.Cleanup(func() {
		if l.cache != nil {
			l.cache.clear()
		}
	})
	return up, l
}

// One interval's feedback, built from what the layers read in: a receiver
// report of each layer (RFC 3550 figures, the sender report quoted), the
// transport-cc feedback of every packet, and a NACK of the video packets
// missing, each asked for at most nackTries times and no more once it came.
func TestPublisherFeedbackFromTheLayers(t *testing.T) {
	fb := newPubFeedback(logging.NewDefaultLoggerFactory())
	fb.rec = twcc.NewRecorder(fb.ssrc) // built by hand below: no loop
	vup, video := feedbackLayer(t, fb, webrtc.RTPCodecTypeVideo, 0xA)
	aup, audio := feedbackLayer(t, fb, webrtc.RTPCodecTypeAudio, 0xB)
	lost := []uint16{150, 151, 170}
	tcc := 1000
	for seq := uint16(100); seq < 200; seq++ {
		if !slices.Contains(lost, seq) {
			feedLayerPacket(t, vup, video, seq, tcc)
		}
		tcc++ // the lost ones' transport numbers are lost too
	}
	for seq := uint16(65530); seq != 10; seq++ { // through a wrap
		feedLayerPacket(t, aup, audio, seq, -1)
	}
	_, idle := feedbackLayer(t, fb, webrtc.RTPCodecTypeVideo, 0xC) // no packet yet: no report, nothing to ask for
	if missing := idle.missingPackets(nil); len(missing) != 0 {
		t.Fatalf("a layer without a packet asks for %d packets", len(missing))
	}
	now := time.Now()
	video.lastSR.Store(&senderReportSeen{mid: 0x12345678, at: now.Add(-500 * time.Millisecond).UnixNano()})

	var b feedbackBatch
	pkts := b.build(fb, now, true)
	rr, ok := pkts[0].(*rtcp.ReceiverReport)
	if !ok || len(rr.Reports) != 2 || rr.SSRC != fb.ssrc {
		t.Fatalf("first packet %#v, want a receiver report of both layers", pkts[0])
	}
	v, a := rr.Reports[0], rr.Reports[1]
	if v.SSRC != 0xA || v.LastSequenceNumber != 199 || v.TotalLost != 3 || v.FractionLost != 3*256/100 {
		t.Errorf("video report %+v: want highest 199, 3 lost, fraction %d", v, 3*256/100)
	}
	if v.LastSenderReport != 0x12345678 || v.Delay < 65536/2-700 || v.Delay > 65536/2+700 {
		t.Errorf("video report quotes sender report %#x after %d/65536 s, want 0x12345678 after 0.5 s", v.LastSenderReport, v.Delay)
	}
	if a.SSRC != 0xB || a.LastSequenceNumber != 1<<16|9 || a.TotalLost != 0 || a.FractionLost != 0 || a.LastSenderReport != 0 {
		t.Errorf("audio report %+v: want highest 1<<16|9 (wrapped), nothing lost, no sender report", a)
	}

	var reported []uint16
	var nacks [][]uint16
	collect := func(pkts []rtcp.Packet) {
		for _, p := range pkts {
			switch p := p.(type) {
			case *rtcp.TransportLayerCC:
				raw, err := p.Marshal()
				if err != nil {
					t.Fatal(err)
				}
				st, err := appendTWCC(nil, raw)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range st {
					if s.received {
						reported = append(reported, s.seq)
					}
				}
			case *rtcp.TransportLayerNack:
				if p.MediaSSRC != 0xA || p.SenderSSRC != fb.ssrc {
					t.Errorf("NACK of SSRC %#x from %#x", p.MediaSSRC, p.SenderSSRC)
				}
				var seqs []uint16
				for _, pair := range p.Nacks {
					seqs = append(seqs, pair.PacketList()...)
				}
				nacks = append(nacks, seqs)
			case *rtcp.ReceiverReport:
			default:
				t.Errorf("unexpected %T", p)
			}
		}
	}
	collect(pkts[1:])
	if len(reported) != 97 {
		t.Errorf("transport-cc feedback reported %d packets received, want 97", len(reported))
	}
	if len(nacks) != 1 || !slices.Equal(nacks[0], lost) {
		t.Errorf("NACKs %v, want one naming %v", nacks, lost)
	}

	feedLayerPacket(t, vup, video, 151, -1) // a resend
	for range nackTries {
		nacks = nil
		collect(b.build(fb, time.Now(), false))
		if len(nacks) != 0 && !slices.Equal(nacks[0], []uint16{150, 170}) {
			t.Errorf("NACK %v, want [150 170] after 151 came", nacks[0])
		}
	}
	if len(nacks) != 0 {
		t.Errorf("still asked for %v after %d NACKs", nacks, nackTries)
	}
	rr = b.build(fb, time.Now(), true)[0].(*rtcp.ReceiverReport)
	if v := rr.Reports[0]; v.TotalLost != 2 || v.FractionLost != 0 {
		t.Errorf("second video report %+v: want 2 lost in all, none since the last report", v)
	}
}

// The loop sends the feedback from the connection's first packet on, and
// Close stops it (goleak checks).
func TestPublisherFeedbackLoopSendsAndStops(t *testing.T) {
	fb := newPubFeedback(logging.NewDefaultLoggerFactory())
	var mu sync.Mutex
	var got []rtcp.Packet
	fb.BindRTCPWriter(interceptor.RTCPWriterFunc(func(pkts []rtcp.Packet, _ interceptor.Attributes) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, pkts...)
		return 0, nil
	}))
	defer func() {
		if err := fb.Close(); err != nil {
			t.Error(err)
		}
	}()
	up, l := feedbackLayer(t, fb, webrtc.RTPCodecTypeVideo, 0xA)
	l.twccID = 0 // no transport-cc: the first packet starts the loop all the same
	time.Sleep(3 * feedbackEvery / 2)
	mu.Lock()
	if len(got) != 0 {
		t.Errorf("sent %d packets before the first was read in", len(got))
	}
	mu.Unlock()
	feedLayerPacket(t, up, l, 1, -1)
	feedLayerPacket(t, up, l, 3, -1)
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		var nack, report bool
		for _, p := range got {
			switch p := p.(type) {
			case *rtcp.TransportLayerNack:
				nack = nack || slices.Equal(p.Nacks[0].PacketList(), []uint16{2})
			case *rtcp.ReceiverReport:
				report = true
			}
		}
		mu.Unlock()
		if nack && report {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("NACK of 2 sent %v, receiver report sent %v, within 5 s", nack, report)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// One interval's packets are written in datagrams of at most
// feedbackDatagram bytes unless a packet alone is larger.
func TestFeedbackSplitsDatagrams(t *testing.T) {
	nack := func(n int) rtcp.Packet { // a NACK of n pairs: 12 + 4n bytes
		pairs := make([]rtcp.NackPair, n)
		return &rtcp.TransportLayerNack{Nacks: pairs}
	}
	pkts := []rtcp.Packet{nack(100), nack(100), nack(100), nack(400), nack(1)}
	var sizes []int
	for rest := pkts; len(rest) > 0; {
		var one []rtcp.Packet
		one, rest = splitDatagram(rest)
		size := 0
		for _, p := range one {
			size += p.MarshalSize()
		}
		sizes = append(sizes, size)
	}
	if want := []int{2 * 412, 412, 1612, 16}; !slices.Equal(sizes, want) {
		t.Errorf("datagrams of %v bytes, want %v", sizes, want)
	}
}

// The sender report of the SSRC asked for is found in a compound packet.
func TestSenderReportOf(t *testing.T) {
	sr := &rtcp.SenderReport{SSRC: 7, NTPTime: 0x0102030405060708}
	other := &rtcp.SenderReport{SSRC: 8, NTPTime: 0x1111111111111111}
	raw, err := rtcp.Marshal([]rtcp.Packet{&rtcp.ReceiverReport{SSRC: 9}, other, sr})
	if err != nil {
		t.Fatal(err)
	}
	if mid, ok := senderReportOf(raw, 7); !ok || mid != 0x03040506 {
		t.Errorf("got %#x %v, want 0x03040506", mid, ok)
	}
	if _, ok := senderReportOf(raw, 10); ok {
		t.Error("found a report of an SSRC not in the packet")
	}
	bad := slices.Clone(raw)
	binary.BigEndian.PutUint16(bad[2:], 200) // a length past the end
	if _, ok := senderReportOf(bad, 7); ok {
		t.Error("read a report past a malformed header")
	}
}

// FuzzSenderReportOf: any bytes, no panic; where Pion's parser reads the
// compound packet, both find the same (last) sender report of the SSRC.
func FuzzSenderReportOf(f *testing.F) {
	raw, _ := rtcp.Marshal([]rtcp.Packet{&rtcp.SenderReport{SSRC: 7, NTPTime: 1 << 40}})
	f.Add(raw)
	two, _ := rtcp.Marshal([]rtcp.Packet{&rtcp.SenderReport{SSRC: 7, NTPTime: 1 << 40}, &rtcp.ReceiverReport{SSRC: 7}, &rtcp.SenderReport{SSRC: 7, NTPTime: 3 << 40}})
	f.Add(two)
	f.Add([]byte{0x80, 200, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		mid, ok := senderReportOf(b, 7)
		pkts, err := rtcp.Unmarshal(b)
		if err != nil {
			return
		}
		var want uint32
		var wantOK bool
		for _, p := range pkts {
			if sr, isSR := p.(*rtcp.SenderReport); isSR && sr.SSRC == 7 {
				want, wantOK = uint32(sr.NTPTime>>16), true
			}
		}
		if ok != wantOK || mid != want {
			t.Errorf("found %#x %v, Pion's parser %#x %v, in %x", mid, ok, want, wantOK, b)
		}
	})
}
