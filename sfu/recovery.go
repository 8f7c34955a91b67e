package sfu

import (
	"time"

	"github.com/coder/websocket"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// Keeping a participant through network trouble: resuming the session on
// a new socket, and telling the others while media is interrupted. All on
// the room goroutine.

// resume hands old's session (PeerConnections, tracks, mids, timers) to
// the new socket of p: old's socket, if still open, gets error conflict
// and is closed; the others see nothing. The client then restarts ICE.
func (r *room) resume(old, p *participant) {
	prev := old.conn
	old.conn = p.conn
	p.alias = old
	_ = prev.Emit(protocol.EventError, protocol.Errorf(protocol.CodeConflict, "resumed by a new connection of the same user"))
	prev.Close(websocket.StatusNormalClosure, "resumed")
	old.socketLost = false
	// The client is back and recovering: its ICE restart gets a whole
	// DisconnectTimeout from now, not what the lost socket left of it.
	old.disarmGoneTimer()
	if !old.healthy() {
		old.armGoneTimer(r)
	}
	d := r.joinedData(old)
	d.Resumed = true
	_ = old.conn.Emit(protocol.EventJoined, d)
	for _, d := range old.downs { // what the lost socket was told of paused tracks (streamState)
		if d.pausedSent {
			tellStreamState(old, d)
		}
	}
	if old.offerPending {
		// Sent on the lost socket and never answered: again on this one.
		if o := old.sub.PendingLocalDescription(); o != nil {
			_ = old.conn.Emit(protocol.EventSubscriberOffer, protocol.SDP{SDP: o.SDP})
			old.answer.offerSent(time.Now())
		}
	}
	r.srv.log.Info("media session resumed", "session", r.id, "uid", old.uid)
}

// socketGone: the socket conn of p closed. Ignored if p's session has been
// taken over by (or handed to) another socket since.
func (r *room) socketGone(p *participant, conn *protocol.Conn) {
	if p.alias != nil {
		p = p.alias
	}
	if r.current(p) && p.conn == conn {
		p.socketLost = true
		p.armGoneTimer(r)
	}
}

func (r *room) iceState(p *participant, target string, s webrtc.ICEConnectionState) {
	if !r.current(p) {
		return
	}
	switch s {
	case webrtc.ICEConnectionStateDisconnected, webrtc.ICEConnectionStateFailed:
		p.iceBad[target] = true
		p.armGoneTimer(r)
		if !p.reconnecting {
			p.reconnecting = true
			r.srv.log.Info("participant media interrupted", "session", r.id, "uid", p.uid, "target", target, "ice", s.String())
			r.broadcast(protocol.EventParticipantReconnecting, protocol.ParticipantReconnect{UID: p.uid}, p)
		}
	case webrtc.ICEConnectionStateClosed:
		// Closed by the client (its DTLS close_notify; the server closes a
		// participant's connections only once it is no longer current): a
		// closed connection never comes back. Kept like a lost socket, for
		// a reload to rejoin within DisconnectTimeout, then removed (it
		// stayed in the call for good, its socket open).
		p.iceBad[target] = true
		p.armGoneTimer(r)
	case webrtc.ICEConnectionStateConnected, webrtc.ICEConnectionStateCompleted:
		p.connected[target] = true
		if t := p.connectDue[target]; t != nil {
			t.Stop()
		}
		r.watchLive(p, target)
		// Back from disconnected, or on the new path of an ICE restart (a
		// network move can be quicker than the disconnected timeout): what
		// went to the old path is lost.
		if p.iceBad[target] || p.iceRestarted[target] {
			r.pathBack(p, target)
		}
		p.iceBad[target] = false
		delete(p.iceRestarted, target)
		if p.healthy() {
			p.disarmGoneTimer()
		}
		if p.reconnecting && !p.iceBad[protocol.TargetPublisher] && !p.iceBad[protocol.TargetSubscriber] {
			p.reconnecting = false
			r.srv.log.Info("participant media back", "session", r.id, "uid", p.uid)
			r.broadcast(protocol.EventParticipantReconnected, protocol.ParticipantReconnect{UID: p.uid}, p)
		}
	}
}

// expectConnect gives p's target connection media.media_timeout to
// connect, from its first negotiation (the subscriber's first offer at
// join; the publisher's first publishOffer answered, so a refused offer
// from a client that then only watches starts nothing).
func (p *participant) expectConnect(r *room, target string) {
	if _, armed := p.connectDue[target]; armed {
		return
	}
	p.connectDue[target] = time.AfterFunc(r.srv.cfg.MediaTimeout, func() {
		r.box.push(func() { r.neverConnected(p, target) })
	})
}

// neverConnected: p's target connection has not connected
// media.media_timeout after its first negotiation. Its media never
// started, which the others are told as they are of media that stops:
// interrupted now, removed disconnect_timeout later unless it connects.
// Pion's own checking timeout would take media_timeout +
// disconnect_timeout more, and never comes for a client that does not
// answer (ICE never starts).
func (r *room) neverConnected(p *participant, target string) {
	if !r.current(p) || p.connected[target] {
		return // connected meanwhile, or p is gone
	}
	r.srv.log.Info("participant media not connected", "session", r.id, "uid", p.uid, "target", target, "after", r.srv.cfg.MediaTimeout)
	r.iceState(p, target, webrtc.ICEConnectionStateDisconnected)
}

// pathBack asks for keyframes when a connection's path came back (an ICE
// restart after a move, a stalled path): what was lost meanwhile is past
// repair, and the decoders wait for a keyframe; asked at once, it does not
// wait for the receivers' own requests.
func (r *room) pathBack(p *participant, target string) {
	if target == protocol.TargetSubscriber {
		for _, d := range p.downs {
			if d.binding.Load() != nil {
				d.up.forceKeyframe(d.target.Load())
			}
		}
		return
	}
	for _, up := range p.ups {
		for i := range int32(maxLayers) {
			up.forceKeyframe(i)
		}
	}
}

// hubReason is why the ringing side is told uid left (MediaLeft): a user
// whose media vanished (the disconnect timeout) left "disconnected", as
// when their /v1/ws reconnect grace expires, so a vanished 1:1 call ends
// with one reason whichever timer fires first; a leave is "ended".
func hubReason(userLeftReason string) string {
	if userLeftReason == protocol.ReasonTimeout {
		return protocol.ReasonDisconnected
	}
	return protocol.ReasonEnded
}
