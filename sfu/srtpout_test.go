package sfu

import (
	"bytes"
	"crypto/sha256"
	"net"
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
	"github.com/pion/webrtc/v4"
)

// pionStandIn writes as Pion's SRTP session would: its own context, the
// same socket.
type pionStandIn struct {
	ctx  *srtp.Context
	conn *batchConn
	to   *net.UDPAddr
}

func (w *pionStandIn) WriteRTP(h *rtp.Header, payload []byte) (int, error) {
	raw, err := (&rtp.Packet{Header: *h, Payload: payload}).Marshal()
	if err != nil {
		return 0, err
	}
	enc, err := w.ctx.EncryptRTP(nil, raw, nil)
	if err != nil {
		return 0, err
	}
	return w.conn.WriteToAddrPort(enc, w.to.AddrPort())
}

func (w *pionStandIn) Write(b []byte) (int, error) { return len(b), nil }

// A stream Pion began (and wrapped) continues through the subscriber's own
// way out, one packet in pionEvery still through Pion, and back through
// Pion when the way out closes: the subscriber decrypts every packet, in
// order, with one context that followed the stream from its start.
func TestWayOutContinuesPionsStream(t *testing.T) {
	s := &dtlsSecrets{master: bytes.Repeat([]byte{5}, 48), client: [32]byte{3}, server: [32]byte{4}, hash: sha256.New}
	const profile = srtp.ProtectionProfileAeadAes128Gcm
	newCtx := func() *srtp.Context {
		c, err := s.context(profile, false)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	rx, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer rx.Close()
	udp, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer udp.Close()
	conn := newBatchConn(udp, nil, nil)
	to := rx.LocalAddr().(*net.UDPAddr)

	up, _ := testUpTrack(webrtc.RTPCodecTypeVideo, "video/VP8", func() {})
	q := &sendQueue{}
	d := newDownTrack(up, q, webrtc.RTPCodecParameters{}, nil)
	pion := &pionStandIn{ctx: newCtx(), conn: conn, to: to}
	b := &binding{ssrc: 777, pt: 96, writer: pion}
	out, err := newSRTPOut(wayOutKeys{conn: conn, to: to.AddrPort(), secrets: s, profile: profile})
	if err != nil {
		t.Fatal(err)
	}

	subscriber := newCtx()
	buf := make([]byte, 1500)
	seq := uint16(65000)
	payload := bytes.Repeat([]byte{0x42}, 100)
	send := func(n int) {
		t.Helper()
		for range n {
			h := &rtp.Header{Version: 2, SSRC: b.ssrc, PayloadType: b.pt, SequenceNumber: seq, Timestamp: uint32(seq) * 3000}
			if n, err := d.writeRTP(b, h, payload); err != nil || n == 0 {
				t.Fatalf("write %d: %d, %v", seq, n, err)
			}
			if err := rx.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
				t.Fatal(err)
			}
			m, err := rx.Read(buf)
			if err != nil {
				t.Fatalf("packet %d not received: %v", seq, err)
			}
			plain, err := subscriber.DecryptRTP(nil, buf[:m], nil)
			if err != nil {
				t.Fatalf("packet %d: %v", seq, err)
			}
			var p rtp.Packet
			if err := p.Unmarshal(plain); err != nil || p.SequenceNumber != seq || !bytes.Equal(p.Payload, payload) {
				t.Fatalf("packet %d came as %d (%v)", seq, p.SequenceNumber, err)
			}
			seq++
		}
	}
	send(600) // Pion's, through the wrap
	q.out.Store(out)
	const own = 9*pionEvery + 10 // more than SRTP's 2^15 window: Pion must have kept up
	send(own)
	if got := up.stats.written.Load(); got != own-9 {
		t.Errorf("%d packets through the way out, want %d (one in %d through Pion)", got, own-9, pionEvery)
	}
	q.out.Store(nil)
	send(100) // Pion's again
}
