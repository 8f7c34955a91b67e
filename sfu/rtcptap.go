package sfu

import (
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/pion/rtcp"
	"github.com/pion/srtp/v3"
	"github.com/pion/webrtc/v4"
)

// rtcpTaps let the media sockets' readers take a subscriber's RTCP
// (transport-cc feedback ten or more times a second, receiver reports,
// NACKs, PLIs) straight from the datagram: decrypted with the connection's
// own SRTCP keys (srtpkeys.go) and handed to its down-tracks, instead of
// through Pion's receive chain (the UDP mux's worker, the ICE agent, the
// DTLS/SRTP demultiplexer, the SRTCP session and the RTP sender's reader:
// four goroutine hand-offs, ~25 µs a datagram; benchmarks.md, "Estimation's
// cost at 1 -> 100"). A datagram the tap cannot decrypt goes to Pion as
// before, so a tap that is missing, stale or wrong only costs speed.
//
// Concurrency: mu guards by; readers of any socket look up under RLock, the
// room goroutines set and remove.
type rtcpTaps struct {
	taken atomic.Uint64 // datagrams a tap took
	keys  *keyStore     // the DTLS secrets the taps' keys come from

	mu sync.RWMutex
	by map[netip.AddrPort]*rtcpTap
}

func newRTCPTaps() *rtcpTaps {
	return &rtcpTaps{by: map[netip.AddrPort]*rtcpTap{}, keys: newKeyStore()}
}

func (t *rtcpTaps) get(from netip.AddrPort) *rtcpTap {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.by[from]
}

// set makes tap the one for datagrams from addr (unmapped IPv4 and IPv4-mapped
// IPv6 forms alike: the socket reports either).
func (t *rtcpTaps) set(addr netip.AddrPort, tap *rtcpTap) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ip := addr.Addr().Unmap()
	t.by[netip.AddrPortFrom(ip, addr.Port())] = tap
	if ip.Is4() {
		t.by[netip.AddrPortFrom(netip.AddrFrom16(ip.As16()), addr.Port())] = tap
	}
}

// remove forgets every address of tap.
func (t *rtcpTaps) remove(tap *rtcpTap) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for a, x := range t.by {
		if x == tap {
			delete(t.by, a)
		}
	}
}

// isRTCP reports whether b looks like (S)RTCP rather than RTP (RFC 5761:
// payload types 192-223 are RTCP's packet types).
func isRTCP(b []byte) bool {
	return len(b) >= 8 && b[0]>>6 == 2 && b[1] >= 192 && b[1] <= 223
}

// rtcpTap is one subscriber connection's: its DTLS secrets, the SRTCP
// context learnt from them, and its down-tracks.
type rtcpTap struct {
	bwe *bwe // the subscriber's estimator (nil: estimation off); set before the tap is used
	// downs is the subscriber's down-tracks (its room goroutine replaces it).
	downs atomic.Pointer[[]*downTrack]

	// mu guards the fields below; held by one socket reader at a time.
	mu      sync.Mutex
	secrets *dtlsSecrets // the connection's, once known (room goroutine sets it)
	// ctx decrypts the remote's SRTCP; nil until a packet authenticated
	// under one of tries (one context per profile the server negotiates:
	// Pion does not say which one was).
	ctx   *srtp.Context
	tries []*srtp.Context
	buf   []byte
}

func newRTCPTap() *rtcpTap {
	t := &rtcpTap{buf: make([]byte, 0, maxPacket)}
	t.downs.Store(&[]*downTrack{})
	return t
}

// setDowns publishes the subscriber's down-tracks (room goroutine).
func (t *rtcpTap) setDowns(downs map[string]*downTrack) {
	if t == nil {
		return
	}
	list := make([]*downTrack, 0, len(downs))
	for _, d := range downs {
		list = append(list, d)
	}
	t.downs.Store(&list)
}

// consume decrypts the SRTCP datagram b and acts on it as the down-tracks'
// RTCP readers would (readCompound): transport-cc feedback to the
// subscriber's estimator, anything else to the down-tracks it names (Pion's
// routing: the packet's destination SSRCs). False when b could not be
// decrypted: it is then Pion's, unchanged.
func (t *rtcpTap) consume(b []byte) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	plain, ok := t.decryptLocked(b)
	if !ok {
		return false
	}
	readCompound(plain, t.bwe, t.route)
	return true
}

// route gives p to the down-tracks it names (its destination SSRCs).
func (t *rtcpTap) route(p rtcp.Packet) {
	ssrcs := p.DestinationSSRC()
	for _, d := range *t.downs.Load() {
		if b := d.binding.Load(); b != nil && slices.Contains(ssrcs, b.ssrc) {
			d.handleRTCP(p)
		}
	}
}

func (t *rtcpTap) decryptLocked(b []byte) ([]byte, bool) {
	if t.ctx != nil {
		out, err := t.ctx.DecryptRTCP(t.buf[:0], b, nil)
		return out, err == nil
	}
	if t.tries == nil {
		if t.secrets == nil {
			return nil, false
		}
		for _, p := range remoteProfiles() {
			c, err := t.secrets.remoteContext(p)
			if err != nil {
				return nil, false
			}
			t.tries = append(t.tries, c)
		}
	}
	for _, c := range t.tries {
		if out, err := c.DecryptRTCP(t.buf[:0], b, nil); err == nil {
			t.ctx, t.tries = c, nil
			return out, true
		}
	}
	return nil, false
}

// tapSubscriber points the socket readers' tap for p's subscriber
// connection at the remote address of its selected candidate pair, once
// the handshake's secrets are known. An ICE-TCP pair is left to Pion (its
// datagrams do not pass the UDP sockets).
func (r *room) tapSubscriber(p *participant) {
	if p.tap == nil || p.sub == nil {
		return
	}
	sctp := p.sub.SCTP()
	if sctp == nil || sctp.Transport() == nil {
		return
	}
	pair, err := sctp.Transport().ICETransport().GetSelectedCandidatePair()
	if err != nil || pair == nil || pair.Remote == nil || pair.Remote.Protocol != webrtc.ICEProtocolUDP {
		return
	}
	ip, err := netip.ParseAddr(pair.Remote.Address)
	if err != nil {
		return
	}
	taps := r.srv.eng.taps
	if taps == nil {
		return
	}
	remote := netip.AddrPortFrom(ip, pair.Remote.Port)
	// A path found after an ICE restart (the same handshake, no hellos
	// from it) is left to Pion, whose pair counters the liveness watch
	// then reads with the RTCP in them.
	secrets, err := taps.keys.secrets(remote)
	if err != nil {
		r.srv.log.Debug("subscriber RTCP left to Pion", "session", r.id, "uid", p.uid, "remote", remote, "err", err)
		return
	}
	p.tap.setSecrets(secrets)
	taps.set(remote, p.tap)
}

// setSecrets gives the tap its connection's secrets (a key store hands
// them out once, so this happens once per connection).
func (t *rtcpTap) setSecrets(s *dtlsSecrets) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.secrets, t.ctx, t.tries = s, nil, nil
}
