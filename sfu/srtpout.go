package sfu

import (
	"net/netip"

	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
)

// A subscriber's RTP is written by its writer goroutine itself: encrypted
// with the connection's own SRTP key and queued on the media socket the
// subscriber's RTCP arrives on (the local end of its selected pair), to the
// address it comes from. Pion would pass each packet through its SRTP
// session, the DTLS/SRTP demultiplexer's endpoint, the ICE connection, the
// candidate pair and the UDP mux before the same socket write (about a
// tenth of the server's CPU at 1 -> 100: docs/benchmarks.md).
//
// The way is open once the subscriber's RTCP has been read at the socket
// (rtcptap.go): that says which SRTP profile the handshake chose, and
// where the subscriber is; the room goroutine opens it if that is where
// the selected pair goes. It closes when the selected pair changes (an ICE
// restart, a new path): Pion writes again. As for publishers' RTP
// (rtptap.go), Pion's own context must stay able to take over: one packet
// in pionEvery of each stream still goes through it, and a stream that
// Pion started is continued with the rollover counter its sequence numbers
// reached (seqWraps.roc over downTrack.out).

// srtpOut is one subscriber connection's way out. conn and to are fixed;
// ctx, hdr, buf and enc belong to the subscriber's writer goroutine.
type srtpOut struct {
	conn *batchConn
	to   netip.AddrPort
	ctx  *srtp.Context
	hdr  rtp.Header
	buf  [maxPacket]byte      // the packet in clear
	enc  [maxPacket + 32]byte // and encrypted (room for the tag)
}

// wayOutKeys is what opening a way out takes: the socket and the address
// the subscriber's RTCP came by, the connection's secrets and the SRTP
// profile that RTCP authenticated under.
type wayOutKeys struct {
	conn    *batchConn
	to      netip.AddrPort
	secrets *dtlsSecrets
	profile srtp.ProtectionProfile
}

// newSRTPOut makes the way out for a connection whose secrets and SRTP
// profile are known.
func newSRTPOut(k wayOutKeys) (*srtpOut, error) {
	ctx, err := k.secrets.context(k.profile, false)
	if err != nil {
		return nil, err
	}
	return &srtpOut{conn: k.conn, to: k.to, ctx: ctx}, nil
}

// openWayOut opens p's way out with k, when k.to is where p's subscriber
// connection's selected pair goes now (room goroutine; the RTCP that told
// k may have come by a path given up since: subscriberPathChanged, on this
// same goroutine, closes a way out only once it is open).
func (r *room) openWayOut(p *participant, k wayOutKeys) {
	if !r.current(p) || p.queue == nil || p.sub == nil {
		return
	}
	if remote, ok := selectedUDPRemote(p.sub); !ok || unmapped(remote) != unmapped(k.to) {
		r.srv.log.Debug("subscriber RTP left to Pion: its RTCP came by another path", "session", r.id, "uid", p.uid)
		return
	}
	o, err := newSRTPOut(k)
	if err != nil {
		r.srv.log.Debug("subscriber RTP left to Pion", "session", r.id, "uid", p.uid, "err", err)
		return
	}
	p.queue.out.Store(o)
}

// write encrypts and queues the packet h + payload (with h's padding) and
// returns its size in clear; 0 when it could not (too large: Pion's, which
// can).
func (o *srtpOut) write(h *rtp.Header, payload []byte) int {
	hl := h.MarshalSize()
	pad := 0
	if h.Padding {
		pad = int(h.PaddingSize)
	}
	n := hl + len(payload) + pad
	if n > len(o.buf) {
		return 0
	}
	if _, err := h.MarshalTo(o.buf[:hl]); err != nil {
		return 0
	}
	copy(o.buf[hl:], payload)
	if pad > 0 {
		clear(o.buf[n-pad : n])
		o.buf[n-1] = byte(pad)
	}
	out, err := o.ctx.EncryptRTP(o.enc[:0], o.buf[:n], &o.hdr)
	if err != nil || len(out) > len(o.enc) {
		return 0
	}
	if _, err := o.conn.WriteToAddrPort(out, o.to); err != nil {
		return 0
	}
	return n
}

// writeRTP writes one of d's packets: through the subscriber's own way out
// when it is open (but one in pionEvery), else through Pion. Writer
// goroutine.
func (d *downTrack) writeRTP(b *binding, h *rtp.Header, payload []byte) (int, error) {
	if o := d.wayOut(); o != nil {
		if d.outOf != o {
			// a new way out: its context continues the stream where
			// Pion's (or the last way out's) left it
			o.ctx.SetROC(b.ssrc, d.out.roc(h.SequenceNumber))
			d.outOf, d.outN = o, 0
		}
		d.outN++
		if d.outN%pionEvery != 0 {
			if n := o.write(h, payload); n > 0 {
				d.out.sent(h.SequenceNumber)
				if d.up.stats != nil {
					d.up.stats.written.Add(1)
				}
				return n, nil
			}
		}
	}
	n, err := b.writer.WriteRTP(h, payload)
	if err == nil && n > 0 {
		d.out.sent(h.SequenceNumber)
	}
	return n, err
}

// subscriberPathChanged closes p's way out when its selected pair no
// longer goes where the way out writes: Pion writes from now on.
func (r *room) subscriberPathChanged(p *participant) {
	o := p.queue.out.Load()
	if o == nil || !r.current(p) {
		return
	}
	if remote, ok := selectedUDPRemote(p.sub); !ok || unmapped(remote) != unmapped(o.to) {
		p.queue.out.CompareAndSwap(o, nil)
		r.srv.log.Debug("subscriber RTP back to Pion: the path changed", "session", r.id, "uid", p.uid)
	}
}

func (d *downTrack) wayOut() *srtpOut {
	if d.queue == nil {
		return nil
	}
	return d.queue.out.Load()
}
