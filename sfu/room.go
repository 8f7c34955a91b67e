package sfu

import (
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// room is one call session's media. Its goroutine (run) owns every field
// and every participant's signaling state; everybody else pushes closures
// into box.
type room struct {
	id    string
	srv   *Server
	box   *mailbox
	parts map[string]*participant // by uid
	ended bool
	done  chan struct{} // closed when run has returned
	// Active speakers last sent, and when (speaker.go).
	speakerUIDs []string
	speakersAt  time.Time
	// trackSeq numbers the call's published tracks (OnTrack goroutines).
	trackSeq atomic.Int64
	// lives are the connections watched for silence (liveness.go).
	lives lives
	// nextConnQuality is when the next connection quality window ends (connquality.go).
	nextConnQuality time.Time
}

func newRoom(id string, srv *Server) *room {
	return &room{id: id, srv: srv, box: newMailbox(), parts: map[string]*participant{}, done: make(chan struct{})}
}

func (r *room) run() {
	defer r.srv.rooms.Done()
	defer close(r.done)
	r.srv.rooms.Add(2)
	go r.tickLoop()
	go r.liveLoop()
	for !r.ended {
		<-r.box.wake
		for _, f := range r.box.take() {
			f()
		}
		r.flushOffers()
	}
	for _, f := range r.srv.forget(r) {
		f()
	}
}

func (r *room) current(p *participant) bool { return !r.ended && r.parts[p.uid] == p }

// broadcast emits an event to every participant but except.
func (r *room) broadcast(event string, data any, except *participant) {
	for _, q := range r.parts {
		if q != except {
			_ = q.conn.Emit(event, data)
		}
	}
}

// refuse tells a connection why it cannot join and closes it.
func (r *room) refuse(p *participant, err error) {
	_ = p.conn.Emit(protocol.EventError, protocol.AsError(err))
	p.close(r.srv, closeStatus(err), err.Error())
}

func (r *room) join(p *participant) {
	if r.ended {
		r.refuse(p, ErrCallEnded)
		return
	}
	old := r.parts[p.uid]
	if old != nil && p.resume {
		r.resume(old, p)
		return
	}
	if p.resumeOnly {
		r.refuse(p, ErrNothingToResume)
		return
	}
	if old != nil {
		_ = old.conn.Emit(protocol.EventError, protocol.Errorf(protocol.CodeConflict, "replaced by a new connection of the same user"))
		r.detach(old, websocket.StatusNormalClosure, "replaced")
	} else if len(r.parts) >= r.srv.cfg.MaxParticipants {
		r.refuse(p, ErrCallFull)
		return
	}
	// The first subscriber offer holds only the data section (mid "0"), so
	// the transport connects while the tracks already published are
	// negotiated by the next offer; their mids are known now.
	first, err := p.setup(r)
	if err != nil {
		r.srv.log.Error("peer connection setup failed", "session", r.id, "uid", p.uid, "err", err)
		r.refuse(p, err)
		return
	}
	r.parts[p.uid] = p
	if h := r.srv.getHooks(); h != nil {
		h.MediaJoined(r.id, p.uid)
	}
	p.joined = true
	p.qual.joinedAt = time.Now()
	r.srv.stats.participants.Add(1)
	for _, q := range r.parts {
		for _, up := range q.ups {
			if q != p {
				r.addDown(p, up)
			}
		}
	}
	_ = p.conn.Emit(protocol.EventJoined, r.joinedData(p))
	_ = p.conn.Emit(protocol.EventSubscriberOffer, protocol.SDP{SDP: first})
	if old != nil && old.reconnecting {
		// the others were told the old connection's media stopped: the
		// new one ends that, as its media coming back would have
		r.broadcast(protocol.EventParticipantReconnected, protocol.ParticipantReconnect{UID: p.uid}, p)
	}
	r.broadcast(protocol.EventUserJoined, protocol.UserJoined{MediaParticipant: p.info(), Rejoined: old != nil}, p)
	r.tellPoorConnections(p)
}

func (r *room) joinedData(p *participant) protocol.Joined {
	d := protocol.Joined{SessionID: r.id, You: p.info(), Participants: []protocol.MediaParticipant{}, Tracks: []protocol.Track{}}
	d.ICEServers = append([]ICEServer{}, r.srv.cfg.ICEServers...)
	if r.srv.iceServers != nil {
		d.ICEServers = append(d.ICEServers, r.srv.iceServers(p.uid)...)
	}
	for _, q := range r.parts {
		if q == p {
			continue
		}
		d.Participants = append(d.Participants, q.info())
		for _, up := range q.ups {
			d.Tracks = append(d.Tracks, q.trackInfo(up, p.midOf(up)))
		}
	}
	return d
}

// trackInfo describes p's track up to a subscriber that receives it on mid.
func (p *participant) trackInfo(up *upTrack, mid string) protocol.Track {
	kind := up.kind.String()
	return protocol.Track{TrackID: up.id, UID: p.uid, Kind: kind, Codec: up.codec.MimeType, Muted: p.muted[kind], Mid: mid, Source: up.source}
}

// midOf is the mid of the m-line that carries up to p ("" if none).
func (p *participant) midOf(up *upTrack) string {
	if d := p.downs[up.id]; d != nil {
		return d.mid
	}
	return ""
}

// onTrack runs on Pion's goroutine for a new published track, or a new
// simulcast layer of one, and owns its read loop until the publisher PC
// closes. The room attaches the layer to the track announced for its
// m-line (trackArrived) first.
func (r *room) onTrack(p *participant, pub *webrtc.PeerConnection, remote *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
	mid := receiverMid(pub, recv)
	l := newLayer(remote, pub)
	got := make(chan *upTrack, 1)
	if !r.box.push(func() { got <- r.trackArrived(p, pub, mid, l) }) {
		return
	}
	up := <-got // every pushed closure runs, also once the room has ended
	if up == nil {
		return
	}
	if up.kind == webrtc.RTPCodecTypeAudio { // one layer: set before its reader starts
		up.level.id = extensionID(recv, sdp.AudioLevelURI)
	}
	if p.pubFB != nil { // before the layer's first packet is read in
		l.fb, l.twccID = p.pubFB, extensionID(recv, sdp.TransportCCURI)
		p.pubFB.addLayer(l)
	}
	go drainRTCP(recv, l)
	if p.pubTap != nil {
		p.pubTap.route(l)
	}
	l.run()
	if p.pubTap != nil {
		p.pubTap.unroute(l)
	}
	if p.pubFB != nil {
		p.pubFB.removeLayer(l)
	}
	r.box.push(func() { r.layerEnded(p, up, l) })
}

// drainRTCP reads the publisher's RTCP about l (Pion's buffer would fill
// otherwise) and keeps the time of its sender reports, which the receiver
// reports quote (pubFeedback).
func drainRTCP(recv *webrtc.RTPReceiver, l *layer) {
	buf := make([]byte, 1500)
	for {
		var n int
		var err error
		if l.rid != "" {
			n, _, err = recv.ReadSimulcast(buf, l.rid)
		} else {
			n, _, err = recv.Read(buf)
		}
		if err != nil {
			return
		}
		if mid, ok := senderReportOf(buf[:n], l.ssrc); ok {
			l.lastSR.Store(&senderReportSeen{mid: mid, at: time.Now().UnixNano()})
		}
	}
}

// layerEnded drops a layer whose reader stopped; the track goes with its last.
func (r *room) layerEnded(p *participant, up *upTrack, l *layer) {
	up.removeLayer(l)
	if r.current(p) {
		p.qual.up.add(l, up.codec.ClockRate)
	}
	if up.live() {
		r.layersChanged(up)
		return
	}
	r.unpublish(p, up)
}

// publish announces up to the others and starts their down-tracks; false:
// refused (p is gone, or has too many tracks).
func (r *room) publish(p *participant, up *upTrack) bool {
	if !r.current(p) {
		return false
	}
	if len(p.ups) >= r.srv.cfg.MaxTracksPerParticipant {
		_ = p.conn.Emit(protocol.EventError, protocol.AsError(ErrTooManyTracks))
		return false
	}
	p.ups[up.id] = up
	for _, q := range r.parts {
		if q != p {
			r.addDown(q, up)
			_ = q.conn.Emit(protocol.EventTrackPublished, p.trackInfo(up, q.midOf(up)))
		}
	}
	return true
}

func (r *room) unpublish(p *participant, up *upTrack) {
	if !r.current(p) || p.ups[up.id] != up {
		return
	}
	r.dropTrack(p, up)
}

// dropTrack stops forwarding up to everyone and tells them.
func (r *room) dropTrack(p *participant, up *upTrack) {
	delete(p.ups, up.id)
	for _, q := range r.parts {
		if q != p {
			mid := q.midOf(up)
			r.removeDown(q, up)
			_ = q.conn.Emit(protocol.EventTrackUnpublished, protocol.TrackUnpublished{TrackID: up.id, UID: p.uid, Mid: mid})
		}
	}
}

// addDown starts forwarding up to subscriber q (after q's next
// negotiation) on a new m-line of its own, offered sendonly, whose mid is
// known at once. m-lines are never reused: see removeDown.
func (r *room) addDown(q *participant, up *upTrack) {
	if _, ok := q.downs[up.id]; ok {
		return
	}
	codec, ok := r.srv.eng.codecFor(up.codec.RTPCodecCapability)
	if !ok {
		return
	}
	d := newDownTrack(up, q.queue, codec, q.sub.WriteRTCP)
	t, err := q.sub.AddTransceiverFromTrack(d, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err == nil {
		err = t.SetCodecPreferences([]webrtc.RTPCodecParameters{codec})
	}
	if err == nil {
		d.mid = q.newMid()
		err = t.SetMid(d.mid)
	}
	if err != nil {
		r.srv.log.Warn("add track failed", "session", r.id, "uid", q.uid, "track", up.id, "err", err)
		return
	}
	d.setSender(t.Sender())
	q.downs[up.id] = d
	q.tap.setDowns(q.downs)
	up.addDown(d)
	q.needOffer = true
}

// removeDown stops forwarding up to q. Its m-line stays as it is
// (sendonly, same msid) and carries nothing from now on: no m-line ever
// changes direction or is given to another track, which some stacks
// mishandle (GStreamer's DTLS stalls on a direction change before it
// connects; werift reuses an inactive transceiver for any new m-line). So
// the subscriber connection grows by one m-line per track ever forwarded
// to it; the sender is released when the connection closes.
func (r *room) removeDown(q *participant, up *upTrack) {
	d, ok := q.downs[up.id]
	if !ok {
		return
	}
	delete(q.downs, up.id)
	q.tap.setDowns(q.downs)
	up.removeDown(d)
	d.retire()
	q.qual.down.add(d)
}

// flushOffers sends a subscriberOffer to everyone whose received tracks
// changed and who has no offer in flight (changes are coalesced).
func (r *room) flushOffers() {
	for _, q := range r.parts {
		// An ICE-restart offer waits while the connection gathers.
		if q.needOffer && !q.offerPending && (!q.restartSub || !gathering(q.sub)) {
			r.sendOffer(q)
		}
	}
}

func (r *room) sendOffer(q *participant) {
	q.needOffer = false
	offer, err := q.createOffer(r)
	if err != nil {
		// Nothing is pending: the next change (a track, a restartIce, which
		// a pending restart would have swallowed) makes a new offer. The
		// client hears of it: tracks announced meanwhile have no m-line.
		q.restartSub = false
		r.srv.log.Warn("subscriber offer failed", "session", r.id, "uid", q.uid, "err", err)
		_ = q.conn.Emit(protocol.EventError, protocol.Errorf(protocol.CodeInternal,
			"the server could not make your next subscriberOffer (%v): tracks announced since do not reach you yet; send restartIce, or leave and join again", err))
		return
	}
	_ = q.conn.Emit(protocol.EventSubscriberOffer, protocol.SDP{SDP: offer})
}

// localCandidate sends a server candidate (nil: gathering is complete, sent
// as the end of candidates) in the documented shape: the candidate line,
// the mid and index of the first m-line (every m-line is bundled) and the
// connection's ICE ufrag.
func (r *room) localCandidate(p *participant, target string, c *webrtc.ICECandidateInit) {
	if !r.current(p) {
		return
	}
	pc := p.pc(target)
	if pc == nil {
		return
	}
	if c == nil {
		defer r.gatheringDone(p, target)
	}
	out := protocol.Candidate{}
	if c != nil {
		out.Candidate = c.Candidate
	}
	if local := parsedOrNil(pc.LocalDescription()); local != nil && len(local.MediaDescriptions) > 0 {
		m := local.MediaDescriptions[0]
		if mid, ok := m.Attribute(sdp.AttrKeyMID); ok {
			var index uint16
			out.SDPMid, out.SDPMLineIndex = &mid, &index
		}
		ufrag, ok := m.Attribute("ice-ufrag")
		if !ok {
			ufrag, ok = local.Attribute("ice-ufrag")
		}
		if ok {
			out.UsernameFragment = &ufrag
		}
	}
	if target == protocol.TargetSubscriber && p.holdOwn(out) {
		return
	}
	_ = p.conn.Emit(protocol.EventTrickle, protocol.Trickle{Target: target, Candidate: &out})
}

// subscriberConnected asks the publishers of everything p receives for a
// keyframe: p's transport is up now, so video can start at once.
func (r *room) subscriberConnected(p *participant) {
	if !r.current(p) { // left, replaced or ended while this was queued
		return
	}
	r.tapSubscriber(p)
	for _, d := range p.downs {
		// Not negotiated yet: its Bind asks. Able to start from the cached
		// keyframe: its next packet does. Else the keyframe it saw before
		// SRTP was up went nowhere (downTrack.write): ask for the next.
		if d.binding.Load() != nil && !d.canReplay() {
			d.up.forceKeyframe(d.target.Load())
		}
	}
}

func (r *room) goneTimeout(p *participant) {
	p.goneTimer = nil
	if !r.current(p) || p.healthy() {
		return
	}
	r.srv.log.Info("participant removed: media did not come back", "session", r.id, "uid", p.uid,
		"after", r.srv.cfg.DisconnectTimeout, "socket_lost", p.socketLost,
		"ice_bad_publisher", p.iceBad[protocol.TargetPublisher], "ice_bad_subscriber", p.iceBad[protocol.TargetSubscriber])
	// A socket still open (media stopped, the socket did not) hears that
	// the call is over for it, and is closed as done: 1001 told a client
	// to reconnect to a session that no longer exists.
	_ = p.conn.Emit(protocol.EventCallEnded, protocol.RTCCallEnded{SessionID: r.id, Reason: protocol.ReasonDisconnected})
	r.remove(p, protocol.ReasonTimeout, websocket.StatusNormalClosure, true)
}

// remove takes p out of the call for good: the ringing side hears it first
// (MediaLeft, when tellHub is set), then the others get userLeft.
func (r *room) remove(p *participant, reason string, code websocket.StatusCode, tellHub bool) {
	if !r.current(p) {
		return
	}
	if tellHub {
		r.tellHubLeft(p, reason)
	}
	r.detach(p, code, reason)
	r.broadcast(protocol.EventUserLeft, protocol.UserLeft{UID: p.uid, Reason: reason}, nil)
	if len(r.parts) == 0 {
		r.ended = true
		r.srv.unlist(r)
	}
}

// tellHubLeft tells the ringing side that p left the call's media (it
// never blocks).
func (r *room) tellHubLeft(p *participant, reason string) {
	if h := r.srv.getHooks(); h != nil {
		h.MediaLeft(r.id, p.uid, hubReason(reason))
	}
}

// detach unpublishes p's tracks, closes its PCs and socket.
func (r *room) detach(p *participant, code websocket.StatusCode, reason string) {
	r.recordQuality(p, time.Now())
	for _, up := range p.ups {
		r.dropTrack(p, up)
	}
	delete(r.parts, p.uid)
	r.srv.stats.participants.Add(-1)
	p.close(r.srv, code, reason)
}

// removeByHub is the ringing side's RemoveParticipant: for uid the call is
// over, for reason.
func (r *room) removeByHub(uid, reason string) {
	p := r.parts[uid]
	if p == nil || r.ended {
		return
	}
	_ = p.conn.Emit(protocol.EventCallEnded, protocol.RTCCallEnded{SessionID: r.id, Reason: reason})
	r.remove(p, reason, websocket.StatusNormalClosure, false)
}

// end closes every participant's media with callEnded and stops the room.
func (r *room) end(reason string) {
	if r.ended {
		return
	}
	r.ended = true
	code := websocket.StatusNormalClosure
	if reason == protocol.ReasonServerShutdown {
		code = websocket.StatusGoingAway
	}
	for _, p := range r.parts {
		r.recordQuality(p, time.Now())
		_ = p.conn.Emit(protocol.EventCallEnded, protocol.RTCCallEnded{SessionID: r.id, Reason: reason})
		delete(r.parts, p.uid)
		r.srv.stats.participants.Add(-1)
		p.close(r.srv, code, "call ended")
	}
}
