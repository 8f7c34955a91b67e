package sfu

import (
	"bytes"
	"crypto/sha256"
	"net/netip"
	"testing"

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
	l.ssrc, l.nack = tapSSRC, true
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
// the layer's count), every packet is read in once (nothing is missing for
// the NACKs), and one in pionEvery is left to Pion so that its SRTP context
// keeps up.
func TestPublisherTapTakesAWrappedStream(t *testing.T) {
	f := newTapFixture(t)
	seq := uint16(65000)
	for range 600 { // through the wrap, as Pion reads them before the route
		f.byPion(t, seq)
		_ = f.packet(t, seq) // the publisher's context counts them too
		seq++
	}
	f.tap.route(f.l)
	const n = 16 * pionEvery // and through the next wrap, which the tap's own context counts
	left := 0
	for i := range n {
		if !f.tap.take(f.packet(t, seq), netip.AddrPort{}, nil) {
			left++
			f.byPion(t, seq)
		}
		if i%1000 == 0 {
			if last := uint16(f.l.lastSeq.Load()); last != seq {
				t.Fatalf("packet %d read in as %d", seq, last)
			}
		}
		seq++
	}
	if want := n / pionEvery; left != want {
		t.Errorf("%d of %d packets left to Pion, want %d (one in %d)", left, n, want, pionEvery)
	}
	if missing := f.l.missingPackets(nil); len(missing) != 0 {
		t.Errorf("packets missing after every one was read in: %v", missing)
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
	f.tap.route(f.l)
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
	f.tap.unroute(f.l)
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
