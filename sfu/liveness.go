package sfu

import (
	"slices"
	"sync"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Silence on a participant's connection is noticed here, not by Pion's ICE
// agent. Pion looks for silence only when it sends a consent check (both
// run on one timer, every keepalive interval), so noticing it within a
// tenth of media.media_timeout cost a STUN round trip on every connection
// twice a second: about 85 µs of server CPU each, a tenth of the server's
// CPU at 1 -> 100 fan-out (docs/benchmarks.md). Instead, Pion's agent
// checks consent every liveKeepalive and never reports "disconnected";
// each room's liveLoop reads its connections' selected pairs every
// liveEvery and calls a connection silent when nothing arrived on it (RTP,
// RTCP, DTLS, SCTP or a reply to a consent check) for media.media_timeout.
// Pion's "failed" stays, as a backstop, at media_timeout +
// disconnect_timeout.

// liveEvery is how often the connections are looked at: silence is noticed
// between media_timeout and media_timeout + liveEvery after the last packet.
func liveEvery(cfg Config) time.Duration { return max(cfg.MediaTimeout/10, tickEvery) }

// liveKeepalive is how often Pion's agent checks consent on the selected
// pair: often enough that a peer which sends nothing else answers at least
// twice in media_timeout, so one lost reply is not silence.
func liveKeepalive(cfg Config) time.Duration { return cfg.MediaTimeout * 2 / 5 }

// liveWatch is one connection watched for silence. p, target and stats
// are fixed; mu guards closed; the rest belongs to the room's liveLoop.
type liveWatch struct {
	p      *participant
	target string
	// stats reads the connection's selected pair (its ICE transport's
	// GetSelectedCandidatePairStats, a round trip to the agent's goroutine).
	stats func() (webrtc.ICECandidatePairStats, bool)
	// tapped (nil: none) counts the packets a socket tap took from the
	// connection, which Pion's pair never sees (when it moves, traffic is
	// seen as of now).
	tapped func() uint64

	mu     sync.Mutex
	closed bool // the connection is being closed: read it no more

	mark   pairMark
	seen   time.Time // when mark last moved (zero: no pair selected yet)
	silent bool      // the room was told this connection is silent
}

// pairMark is what moves on a selected pair when anything arrives on it.
type pairMark struct {
	local, remote string
	packets       uint32
	responses     uint64
	tapped        uint64
}

// pairRead is one read of a selected pair: its mark, and when its last
// packet other than ICE's own arrived (zero: none yet).
type pairRead struct {
	mark       pairMark
	lastPacket time.Time
}

// lives are a room's watched connections: added by the room goroutine,
// read and pruned by its liveLoop.
type lives struct {
	mu   sync.Mutex
	list []*liveWatch
}

func (l *lives) add(w *liveWatch) {
	l.mu.Lock()
	l.list = append(l.list, w)
	l.mu.Unlock()
}

// open returns the watches not closed, dropping the closed ones.
func (l *lives) open() []*liveWatch {
	l.mu.Lock()
	defer l.mu.Unlock()
	kept := l.list[:0]
	for _, w := range l.list {
		w.mu.Lock()
		if !w.closed {
			kept = append(kept, w)
		}
		w.mu.Unlock()
	}
	clear(l.list[len(kept):])
	l.list = kept
	return append([]*liveWatch(nil), kept...)
}

// close stops reading w's connection; it returns once no read is under way,
// so the connection can then be closed without Pion logging a failed read.
func (w *liveWatch) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
}

// read reads the selected pair; false when there is none (not connected
// yet, or between an ICE restart's old and new pair) or w is closed.
func (w *liveWatch) read() (pairRead, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return pairRead{}, false
	}
	st, ok := w.stats()
	if !ok {
		return pairRead{}, false
	}
	r := pairRead{mark: pairMark{local: st.LocalCandidateID, remote: st.RemoteCandidateID, packets: st.PacketsReceived, responses: st.ResponsesReceived}}
	if st.PacketsReceived > 0 && st.LastPacketReceivedTimestamp > 0 {
		r.lastPacket = st.LastPacketReceivedTimestamp.Time()
	}
	if w.tapped != nil {
		r.mark.tapped = w.tapped()
	}
	return r, true
}

// step looks at w once: it returns +1 when w has just become silent, -1
// when traffic came back after silence, 0 otherwise. A connection that has
// never had a selected pair is not watched yet (one that never comes up is
// recovery.go's: expectConnect). When packets moved, silence counts from
// the last one's arrival; when only replies to consent checks did (Pion
// keeps no time of those for the selected pair), from now.
func (w *liveWatch) step(now time.Time, timeout time.Duration) int {
	r, ok := w.read()
	switch {
	case ok && (w.seen.IsZero() || r.mark != w.mark):
		seen := now
		if r.mark.packets != w.mark.packets && r.mark.tapped == w.mark.tapped && !r.lastPacket.IsZero() && r.lastPacket.Before(now) && r.lastPacket.After(w.seen) {
			seen = r.lastPacket
		}
		w.mark, w.seen = r.mark, seen
		if w.silent {
			w.silent = false
			return -1
		}
	case !w.seen.IsZero() && !w.silent && now.Sub(w.seen) > timeout:
		w.silent = true
		return 1
	}
	return 0
}

// liveLoop looks for silent connections every liveEvery until the room
// ends. A goroutine of its own: a read waits for the ICE agent's goroutine,
// which must not hold up the room's ticks.
func (r *room) liveLoop() { r.every(liveEvery(r.srv.cfg), r.checkLive) }

// checkLive runs on liveLoop's goroutine: it steps every open watch and
// hands the changes to the room, which treats them as ICE going
// disconnected and coming back (recovery.go).
func (r *room) checkLive(now time.Time) {
	timeout := r.srv.cfg.MediaTimeout
	for _, w := range r.lives.open() {
		var s webrtc.ICEConnectionState
		switch w.step(now, timeout) {
		case 1:
			s = webrtc.ICEConnectionStateDisconnected
		case -1:
			s = webrtc.ICEConnectionStateConnected
		default:
			continue
		}
		r.box.push(func() { r.iceState(w.p, w.target, s) })
	}
}

// watchLive starts watching p's target connection for silence, once: when
// it has connected (its ICE transport is not safe to read before it has
// started).
func (r *room) watchLive(p *participant, target string) {
	pc := p.pc(target)
	if pc == nil || slices.ContainsFunc(p.lives, func(w *liveWatch) bool { return w.target == target }) {
		return
	}
	w := &liveWatch{p: p, target: target, stats: pc.SCTP().Transport().ICETransport().GetSelectedCandidatePairStats}
	if target == protocol.TargetPublisher && p.pubTap != nil {
		w.tapped = p.pubTap.arrivals
	}
	p.lives = append(p.lives, w)
	r.lives.add(w)
}
