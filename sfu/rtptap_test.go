package sfu

import (
	"bytes"
	"crypto/sha256"
	"net/netip"
	"testing"

	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
	"github.com/pion/webrtc/v4"
)

// tapFixture is a publisher's layer behind a tap that knows the
// connection's secrets, and the publisher's own SRTP context.
type tapFixture struct {
	tap  *rtpTap
	l    *layer
	up   *upTrack
	send *srtp.Context
	seen int    // packets the interceptor chain saw
	last uint16 // the sequence number of the last, as the chain's interceptors read it
}

const tapSSRC = 0xCAFE

func newTapFixture(t *testing.T) *tapFixture {
	t.Helper()
	s := &dtlsSecrets{master: bytes.Repeat([]byte{7}, 48), client: [32]byte{1}, server: [32]byte{2}, hash: sha256.New}
	send, err := s.remoteContext(srtp.ProtectionProfileAeadAes128Gcm)
	if err != nil {
		t.Fatal(err)
	}
	up, l := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	f := &tapFixture{tap: newRTPTap(), l: l, up: up, send: send}
	f.tap.setSecrets(s)
	// The stream's chain as Pion binds it: the tap's inject innermost (Pion's
	// SRTP stream under it is never read here), a counting interceptor on top.
	inner := (&tapInject{}).BindRemoteStream(nil, interceptor.RTPReaderFunc(func([]byte, interceptor.Attributes) (int, interceptor.Attributes, error) {
		t.Error("the tap's read reached Pion's stream")
		return 0, nil, nil
	}))
	chain := interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, a, err := inner.Read(b, a)
		f.seen++
		h, herr := a.GetRTPHeader(b[:n]) // as Pion's NACK and report interceptors read it
		if herr != nil {
			t.Errorf("the chain's header: %v", herr)
			return n, a, err
		}
		f.last = h.SequenceNumber
		return n, a, err
	})
	(&tapCapture{tap: f.tap}).BindRemoteStream(&interceptor.StreamInfo{SSRC: tapSSRC}, chain)
	t.Cleanup(func() { up.layer(0).cache.clear() })
	return f
}

// packet encrypts an RTP packet with seq as the publisher would (its
// context counts the wraps itself).
func (f *tapFixture) packet(t *testing.T, seq uint16) []byte {
	t.Helper()
	p := &rtp.Packet{Header: rtp.Header{Version: 2, SSRC: tapSSRC, SequenceNumber: seq, Timestamp: uint32(seq) * 90, PayloadType: 96}, Payload: bytes.Repeat([]byte{0x10}, 200)}
	raw, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.send.EncryptRTP(nil, raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// byPion reads a packet in as the layer's Pion reader does (decrypted).
func (f *tapFixture) byPion(t *testing.T, seq uint16) {
	t.Helper()
	p := &rtp.Packet{Header: rtp.Header{Version: 2, SSRC: tapSSRC, SequenceNumber: seq, Timestamp: uint32(seq) * 90, PayloadType: 96}, Payload: bytes.Repeat([]byte{0x10}, 200)}
	raw, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	f.l.in.Lock()
	feed(f.l, f.up.pool, raw, len(raw))
	f.l.in.Unlock()
}

// A stream whose sequence numbers wrapped before the tap took it is
// decrypted from its first tapped packet (the rollover counter comes from
// the layer's count), every packet goes through the interceptors once, and
// one in pionEvery is left to Pion so that its SRTP context keeps up.
func TestPublisherTapTakesAWrappedStream(t *testing.T) {
	f := newTapFixture(t)
	seq := uint16(65000)
	for range 600 { // through the wrap, as Pion reads them before the route
		f.byPion(t, seq)
		_ = f.packet(t, seq) // the publisher's context counts them too
		seq++
	}
	if !f.tap.route(f.l, tapSSRC) {
		t.Fatal("no chain bound for the stream")
	}
	const n = 16 * pionEvery // and through the next wrap, which the tap's own context counts
	left, wrong := 0, 0
	for range n {
		if !f.tap.take(f.packet(t, seq), netip.AddrPort{}, nil) {
			left++
			f.byPion(t, seq)
		} else if f.last != seq {
			if wrong++; wrong == 1 {
				t.Errorf("the interceptors read sequence number %d in the header of packet %d", f.last, seq)
			}
		}
		seq++
	}
	if want := n / pionEvery; left != want {
		t.Errorf("%d of %d packets left to Pion, want %d (one in %d)", left, n, want, pionEvery)
	}
	if f.seen != n-left {
		t.Errorf("the interceptors saw %d packets, the tap took %d", f.seen, n-left)
	}
	if got := f.tap.taken.Load(); got != uint64(n-left) {
		t.Errorf("taken %d, want %d", got, n-left)
	}
	if got := f.l.received.Load(); got != uint64(600+n) {
		t.Errorf("the layer read in %d packets, want %d", got, 600+n)
	}
	if f.l.recv.seqs.wraps != 2 { // 65000+600 wrapped once, +65536 once more
		t.Errorf("the layer counted %d wraps", f.l.recv.seqs.wraps)
	}
}

// What the tap cannot take is left to Pion untouched: another SSRC, a
// packet under other keys, a layer that was unrouted, RTCP.
func TestPublisherTapLeavesWhatItCannotTake(t *testing.T) {
	f := newTapFixture(t)
	f.byPion(t, 100)
	if f.tap.take(f.packet(t, 101), netip.AddrPort{}, nil) {
		t.Fatal("took a packet before the layer was routed")
	}
	f.tap.route(f.l, tapSSRC)
	if !f.tap.take(f.packet(t, 102), netip.AddrPort{}, nil) {
		t.Fatal("did not take a routed layer's packet")
	}
	other := &dtlsSecrets{master: bytes.Repeat([]byte{8}, 48), client: [32]byte{1}, server: [32]byte{2}, hash: sha256.New}
	wrong, err := other.remoteContext(srtp.ProtectionProfileAeadAes128Gcm)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := (&rtp.Packet{Header: rtp.Header{Version: 2, SSRC: tapSSRC, SequenceNumber: 103}, Payload: []byte{1}}).Marshal()
	forged, err := wrong.EncryptRTP(nil, raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.tap.take(forged, netip.AddrPort{}, nil) {
		t.Error("took a packet it could not authenticate")
	}
	if f.tap.take([]byte{0x80, 200, 0, 1, 0, 0, 0xCA, 0xFE}, netip.AddrPort{}, nil) {
		t.Error("took RTCP")
	}
	f.tap.unroute(f.l, tapSSRC)
	if f.tap.take(f.packet(t, 104), netip.AddrPort{}, nil) {
		t.Error("took a packet after the layer was unrouted")
	}
	if got := f.l.received.Load(); got != 2 {
		t.Errorf("the layer read in %d packets, want 2", got)
	}
}

func TestLayerROC(t *testing.T) {
	l := &layer{}
	if got := l.rocOf(5); got != 0 {
		t.Errorf("nothing seen: roc %d", got)
	}
	l.recv.seen(65530, 100, 1)
	if got := l.rocOf(65531); got != 0 {
		t.Errorf("next packet: roc %d", got)
	}
	if got := l.rocOf(3); got != 1 {
		t.Errorf("past the wrap: roc %d", got)
	}
	l.recv.seen(2, 100, 2) // wrapped
	if got := l.rocOf(4); got != 1 {
		t.Errorf("after the wrap: roc %d", got)
	}
	if got := l.rocOf(65533); got != 0 {
		t.Errorf("a late packet from before the wrap: roc %d", got)
	}
}
