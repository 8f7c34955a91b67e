package sfu

import (
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/srtp/v3"
	"github.com/pion/webrtc/v4"
)

// The media sockets' readers take two kinds of datagrams themselves,
// decrypted with the connection's own SRTP keys (srtpkeys.go), instead of
// handing them to Pion's receive chain (the UDP mux's worker, the ICE
// agent, the DTLS/SRTP demultiplexer, the SRTP session and the reader of
// the stream: four goroutine hand-offs, ~25 µs a datagram; benchmarks.md,
// "Estimation's cost at 1 -> 100"):
//   - a subscriber's RTCP (transport-cc feedback ten or more times a
//     second, receiver reports, NACKs, PLIs), handed to its down-tracks
//     (rtcpTap, below);
//   - a publisher's RTP, read into its layers there and then (rtpTap,
//     rtptap.go).
// A datagram a tap cannot take goes to Pion as before, so a tap that is
// missing, stale or wrong only costs speed.

// socketTap is one connection's tap: take reports whether it took b (an
// RTP or RTCP datagram as received from from on conn); false leaves b to
// Pion, unchanged.
type socketTap interface {
	take(b []byte, from netip.AddrPort, conn *batchConn) bool
}

// mediaTaps are the taps by remote address.
//
// Concurrency: mu guards by; readers of any socket look up under RLock, the
// room goroutines set and remove.
type mediaTaps struct {
	taken    atomic.Uint64 // RTCP datagrams a tap took
	takenRTP atomic.Uint64 // RTP datagrams a tap took
	keys     *keyStore     // the DTLS secrets the taps' keys come from

	mu sync.RWMutex
	by map[netip.AddrPort]socketTap
}

func newMediaTaps() *mediaTaps {
	return &mediaTaps{by: map[netip.AddrPort]socketTap{}, keys: newKeyStore()}
}

func (t *mediaTaps) get(from netip.AddrPort) socketTap {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.by[from]
}

// set makes tap the one for datagrams from addr (unmapped IPv4 and IPv4-mapped
// IPv6 forms alike: the socket reports either).
func (t *mediaTaps) set(addr netip.AddrPort, tap socketTap) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ip := addr.Addr().Unmap()
	t.by[netip.AddrPortFrom(ip, addr.Port())] = tap
	if ip.Is4() {
		t.by[netip.AddrPortFrom(netip.AddrFrom16(ip.As16()), addr.Port())] = tap
	}
}

// remove forgets every address of tap.
func (t *mediaTaps) remove(tap socketTap) {
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

// take gives b, read from from on conn, to from's tap; false leaves it to
// Pion.
func (t *mediaTaps) take(b []byte, from netip.AddrPort, conn *batchConn) bool {
	if len(b) < 8 || b[0]>>6 != 2 { // neither RTP nor RTCP
		return false
	}
	tap := t.get(from)
	if tap == nil || !tap.take(b, from, conn) {
		return false
	}
	if isRTCP(b) {
		t.taken.Add(1)
	} else {
		t.takenRTP.Add(1)
	}
	return true
}

// isRTCP reports whether b looks like (S)RTCP rather than RTP (RFC 5761:
// payload types 192-223 are RTCP's packet types).
func isRTCP(b []byte) bool {
	return len(b) >= 8 && b[0]>>6 == 2 && b[1] >= 192 && b[1] <= 223
}

// rtcpTap is one subscriber connection's: its DTLS secrets, the SRTCP
// context learnt from them, and its down-tracks.
type rtcpTap struct {
	queue *sendQueue // the subscriber's (its estimator takes the feedback); set before the tap is used
	// keysKnown (nil: none) is told, once per secrets, where and how the
	// subscriber's first RTCP read at the socket came (srtpout.go: it opens
	// the subscriber's way out); set before use, must not block.
	keysKnown func(wayOutKeys)
	// downs is the subscriber's down-tracks (its room goroutine replaces it).
	downs atomic.Pointer[[]*downTrack]

	// mu guards the fields below; held by one socket reader at a time.
	mu     sync.Mutex
	in     remoteSRTP // the connection's keys, once known (room goroutine sets them)
	buf    []byte
	opened bool // keysKnown was called for these secrets
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

// take decrypts the SRTCP datagram b and acts on it as the down-tracks'
// RTCP readers would (readCompound): transport-cc feedback to the
// subscriber's estimator (through its queue), anything else to the
// down-tracks it names (Pion's routing: the packet's destination SSRCs).
// False when b could not be decrypted: it is then Pion's, unchanged.
func (t *rtcpTap) take(b []byte, from netip.AddrPort, conn *batchConn) bool {
	if !isRTCP(b) {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	plain, ok := t.decryptLocked(b)
	if !ok {
		return false
	}
	if !t.opened {
		t.opened = true
		if t.keysKnown != nil && conn != nil {
			t.keysKnown(wayOutKeys{conn: conn, to: from, secrets: t.in.secrets, profile: t.in.profile})
		}
	}
	readCompound(plain, t.queue, t.route)
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
	return t.in.open(t.buf[:0], b, nil)
}

// remoteSRTP decrypts what one connection's remote side sends, with keys
// put together from its handshake's secrets (srtpkeys.go). Not safe for
// concurrent use: its owner locks.
type remoteSRTP struct {
	secrets *dtlsSecrets // nil until known
	// ctx is the context that works; nil until a packet authenticated
	// under one of tries (one context per profile the server negotiates:
	// Pion does not say which one was).
	ctx     *srtp.Context
	profile srtp.ProtectionProfile // ctx's
	tries   []*srtp.Context        // in remoteProfiles' order
}

// setSecrets starts over with s.
func (r *remoteSRTP) setSecrets(s *dtlsSecrets) { *r = remoteSRTP{secrets: s} }

// open decrypts the SRTP (hdr not nil: it gets the packet's header) or
// SRTCP (hdr nil) datagram b into dst; false when no context
// authenticates it.
func (r *remoteSRTP) open(dst, b []byte, hdr *rtp.Header) ([]byte, bool) {
	if r.ctx != nil {
		return decryptWith(r.ctx, dst, b, hdr)
	}
	for i, c := range r.candidates() {
		if out, ok := decryptWith(c, dst, b, hdr); ok {
			r.ctx, r.profile, r.tries = c, remoteProfiles()[i], nil
			return out, true
		}
	}
	return nil, false
}

// candidates are the contexts open may use: the one that works, or one
// per profile (none while the secrets are not known).
func (r *remoteSRTP) candidates() []*srtp.Context {
	if r.ctx != nil {
		return []*srtp.Context{r.ctx}
	}
	if r.tries == nil && r.secrets != nil {
		for _, p := range remoteProfiles() {
			c, err := r.secrets.remoteContext(p)
			if err != nil {
				return nil
			}
			r.tries = append(r.tries, c)
		}
	}
	return r.tries
}

// setROC tells every candidate context the rollover counter of ssrc's
// next packet (SRTP carries none: a context that starts mid-stream must
// be told how many times the sequence number has wrapped).
func (r *remoteSRTP) setROC(ssrc, roc uint32) {
	for _, c := range r.candidates() {
		c.SetROC(ssrc, roc)
	}
}

func decryptWith(c *srtp.Context, dst, b []byte, hdr *rtp.Header) ([]byte, bool) {
	var out []byte
	var err error
	if hdr != nil {
		out, err = c.DecryptRTP(dst, b, hdr)
	} else {
		out, err = c.DecryptRTCP(dst, b, nil)
	}
	return out, err == nil
}

// tapSubscriber points the socket readers' tap for p's subscriber
// connection at the remote address of its selected candidate pair, once
// the handshake's secrets are known. An ICE-TCP pair is left to Pion (its
// datagrams do not pass the UDP sockets).
func (r *room) tapSubscriber(p *participant) {
	taps := r.srv.eng.taps
	if p.tap == nil || p.sub == nil || taps == nil {
		return
	}
	remote, ok := selectedUDPRemote(p.sub)
	if !ok {
		return
	}
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

// startedICE is pc's ICE transport once it has started, else nil: Pion's
// GetSelectedCandidatePair and GetSelectedCandidatePairStats read the
// transport's gatherer without its lock, which starting it writes (the race
// detector caught a call ending while its subscriber answer was starting
// the transport). The state leaves "new" after that write.
func startedICE(pc *webrtc.PeerConnection) *webrtc.ICETransport {
	if pc == nil || pc.SCTP() == nil || pc.SCTP().Transport() == nil {
		return nil
	}
	ice := pc.SCTP().Transport().ICETransport()
	if ice.State() == webrtc.ICETransportStateNew {
		return nil
	}
	return ice
}

// selectedUDPRemote is the remote address of pc's selected candidate pair,
// when there is one and it is UDP.
func selectedUDPRemote(pc *webrtc.PeerConnection) (netip.AddrPort, bool) {
	ice := startedICE(pc)
	if ice == nil {
		return netip.AddrPort{}, false
	}
	pair, err := ice.GetSelectedCandidatePair()
	if err != nil || pair == nil || pair.Remote == nil || pair.Remote.Protocol != webrtc.ICEProtocolUDP {
		return netip.AddrPort{}, false
	}
	ip, err := netip.ParseAddr(pair.Remote.Address)
	if err != nil {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ip, pair.Remote.Port), true
}

// setSecrets gives the tap its connection's secrets (a key store hands
// them out once, so this happens once per connection).
func (t *rtcpTap) setSecrets(s *dtlsSecrets) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.in.setSecrets(s)
	t.opened = false
}
