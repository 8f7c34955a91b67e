package sfu

import (
	"strconv"
	"time"

	"github.com/coder/websocket"
	"github.com/pion/webrtc/v4"
	"github.com/switchboard-rtc/switchboard/protocol"
)

// requestSlots is how many requests of one socket may wait for the room;
// the socket's reader waits beyond that (back-pressure on that client only).
const requestSlots = 16

// participant is one /v1/rtc connection in a room: a publisher PC (the
// client offers), a subscriber PC (the server offers) and a send queue with
// its writer goroutine. Fields below "room goroutine only" are touched by the
// room's goroutine and nobody else.
type participant struct {
	uid, name string
	conn      *protocol.Conn
	room      *room         // set before the socket is read
	slots     chan struct{} // in-flight requests of this socket

	// room goroutine only.
	joined       bool
	pub, sub     *webrtc.PeerConnection
	queue        *sendQueue
	ups          map[string]*upTrack   // published tracks, by track id
	downs        map[string]*downTrack // received tracks, by up-track id
	cq           connQuality           // connection quality's window (connquality.go)
	muted        map[string]bool       // by kind
	mutes        muteFanout            // what the others heard of muted
	held         map[string][]webrtc.ICECandidateInit
	own          ownCandidates  // the server's subscriber candidates not sent yet (owncandidates.go)
	candidates   map[string]int // remote candidates received, by target
	lastMid      int            // mids of forwarded tracks: 1, 2, ... ("0" is the data section)
	offerPending bool           // a subscriberOffer awaits its answer
	answer       answerWait     // how long it has waited (answerwait.go)
	needOffer    bool           // what it should receive changed
	socketLost   bool
	iceBad       map[string]bool // by target: ICE disconnected or failed
	iceRestarted map[string]bool // by target: an ICE restart was accepted, not connected yet
	goneTimer    *time.Timer

	// By target: connectDue is armed once, when the connection is first
	// negotiated, and stopped when it first connects (connected); see
	// recovery.go, expectConnect.
	connectDue map[string]*time.Timer
	connected  map[string]bool

	probe        prober              // bandwidth probing of the subscriber connection
	sources      map[string]string   // what each publisher video m-line shows, by mid
	rids         map[string][]string // the simulcast rids each publisher m-line declares, by mid
	resume       bool                // this socket asked to take over the user's session
	resumeOnly   bool                // and may do nothing else (its call token has expired)
	alias        *participant        // set when this socket took over alias's session
	reconnecting bool                // the others were told participantReconnecting
	restarts     []time.Time         // ICE restarts accepted, within the window
	restartSub   bool                // the next subscriber offer restarts ICE
	subRestart   bool                // the pending subscriber offer restarts ICE
	deferred     []protocol.Message  // ICE-restart publishOffers waiting for gathering to end
	qual         qualityAcc          // media quality so far (quality.go)
	lives        []*liveWatch        // pub and sub watched for silence (liveness.go)
	tap          *rtcpTap            // takes the subscriber connection's RTCP at the socket (rtcptap.go)
	pubTap       *rtpTap             // takes the publisher connection's RTP at the socket (rtptap.go)
	pubFB        *pubFeedback        // the publisher connection's NACKs, reports and transport-cc feedback
}

func newParticipant(p Participant, conn *protocol.Conn) *participant {
	return &participant{
		uid: p.UID, name: p.Name, conn: conn, resume: p.Resume, resumeOnly: p.ResumeOnly,
		slots:        make(chan struct{}, requestSlots),
		ups:          map[string]*upTrack{},
		downs:        map[string]*downTrack{},
		muted:        map[string]bool{protocol.KindAudio: false, protocol.KindVideo: false},
		mutes:        newMuteFanout(),
		held:         map[string][]webrtc.ICECandidateInit{},
		candidates:   map[string]int{},
		sources:      map[string]string{},
		iceBad:       map[string]bool{},
		iceRestarted: map[string]bool{},
		connectDue:   map[string]*time.Timer{},
		connected:    map[string]bool{},
	}
}

// inbound runs on the reader goroutine of conn (this participant's
// socket): it hands the frame to the room, waiting only for one of this
// socket's own request slots. Every reply is sent by the room goroutine, or
// after it has ended, so replies go out in request order. A malformed frame
// comes here as its error reply (m.Error set), sent in turn. conn is passed
// in because p.conn may be swapped by the room (a resume).
func (p *participant) inbound(conn *protocol.Conn, m protocol.Message) {
	select {
	case p.slots <- struct{}{}:
	case <-conn.Done():
		return
	}
	r := p.room
	if m.Error != nil {
		if !r.box.push(func() { defer p.freeSlot(); _ = conn.Send(m) }) {
			p.freeSlot()
			<-r.done
			_ = conn.Send(m)
		}
		return
	}
	if !r.box.push(func() { defer p.freeSlot(); r.handle(p, conn, m) }) {
		p.freeSlot()
		<-r.done // what was queued before is answered first
		_ = conn.ReplyError(m.ID, protocol.AsError(ErrCallEnded))
	}
}

func (p *participant) freeSlot() { <-p.slots }

func (p *participant) info() protocol.MediaParticipant {
	muted := make(map[string]bool, len(p.muted))
	for k, v := range p.muted {
		muted[k] = v
	}
	return protocol.MediaParticipant{UID: p.uid, Name: p.name, Muted: muted}
}

func (p *participant) pc(target string) *webrtc.PeerConnection {
	switch target {
	case protocol.TargetPublisher:
		return p.pub
	case protocol.TargetSubscriber:
		return p.sub
	}
	return nil
}

// setup creates the subscriber PeerConnection and the send queue, and
// returns the first subscriber offer. The publisher PC waits for the first
// publishOffer: a participant who only watches never pays for it.
func (p *participant) setup(r *room) (string, error) {
	var err error
	if p.sub, err = r.srv.eng.newSubscriberPC(); err != nil {
		return "", err
	}
	p.tap = newRTCPTap()
	p.queue = r.srv.writers.newQueue(r.srv.cfg.SendQueue)
	if !r.srv.cfg.DisableEstimation {
		p.queue.bwe = newBWE(time.Now())
	}
	p.tap.queue = p.queue
	p.tap.keysKnown = func(k wayOutKeys) { r.box.push(func() { r.openWayOut(p, k) }) }
	p.watch(r, protocol.TargetSubscriber, p.sub)
	p.sub.SCTP().Transport().ICETransport().OnSelectedCandidatePairChange(func(*webrtc.ICECandidatePair) {
		r.box.push(func() { r.subscriberPathChanged(p) })
	})
	p.sub.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			r.box.push(func() { r.subscriberConnected(p) })
		}
	})
	// The subscriber connection always negotiates a data section (SCTP,
	// mid "0", no channel opened): it lets the transport (ICE, DTLS) come
	// up at join, before anything is published, so the publisher's first
	// keyframe reaches p at once. It never carries media, and no media
	// m-line ever stands in for it.
	offer, err := p.createOffer(r)
	if err == nil {
		p.expectConnect(r, protocol.TargetSubscriber)
	}
	return offer, err
}

// createOffer makes and applies the next subscriber offer; the caller (on
// r's goroutine) sends it.
func (p *participant) createOffer(r *room) (string, error) {
	var opts *webrtc.OfferOptions
	if p.restartSub {
		opts = &webrtc.OfferOptions{ICERestart: true}
	}
	if p.restartSub || p.sub.RemoteDescription() == nil {
		r.holdOwnCandidates(p) // this offer starts ICE
	}
	offer, err := p.sub.CreateOffer(opts)
	if err == nil {
		err = p.sub.SetLocalDescription(offer)
	}
	if err != nil {
		return "", err
	}
	p.offerPending = true
	p.answer.offerSent(time.Now())
	p.subRestart, p.restartSub = p.restartSub, false
	return offer.SDP, nil
}

// newMid names the m-line of the next track forwarded to p.
func (p *participant) newMid() string {
	p.lastMid++
	return strconv.Itoa(p.lastMid)
}

// publisher returns the publisher PC, creating it on first use.
func (p *participant) publisher(r *room) (*webrtc.PeerConnection, error) {
	if p.pub != nil {
		return p.pub, nil
	}
	fb := newPubFeedback(r.srv.eng.logs)
	pc, err := r.srv.eng.newPublisherPC(fb)
	if err != nil {
		return nil, err
	}
	p.pub, p.pubTap, p.pubFB = pc, newRTPTap(), fb
	p.watch(r, protocol.TargetPublisher, pc)
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			r.box.push(func() { r.tapPublisher(p) })
		}
	})
	pc.SCTP().Transport().ICETransport().OnSelectedCandidatePairChange(func(*webrtc.ICECandidatePair) {
		r.box.push(func() {
			if p.pubTap.hasSecrets() { // a new path after the handshake: the tap follows it
				r.tapPublisher(p)
			}
		})
	})
	pc.OnTrack(func(remote *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
		r.onTrack(p, pc, remote, recv)
	})
	return pc, nil
}

// watch wires a PC's ICE callbacks to the room (they only queue work).
func (p *participant) watch(r *room, target string, pc *webrtc.PeerConnection) {
	pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		var init *webrtc.ICECandidateInit // nil: gathering is complete
		if c != nil {
			v := c.ToJSON()
			init = &v
		}
		r.box.push(func() { r.localCandidate(p, target, init) })
	})
	pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		r.box.push(func() { r.iceState(p, target, s) })
	})
}

// newTrackID names a published track, unique in the call even across a
// rejoin of the same user: a subscriber's m-line of an unpublished track
// keeps its a=msid, and browsers refuse two m-lines with the same one.
func (p *participant) newTrackID(r *room, kind webrtc.RTPCodecType) string {
	return p.uid + "-" + kind.String() + "-" + strconv.FormatInt(r.trackSeq.Add(1), 10)
}

// armGoneTimer removes p after the disconnect timeout unless it recovers.
// A timer that fired while it was being disarmed (Stop came too late: its
// work is queued) does nothing: only the timer armed now counts, so a
// resume or an ICE recovery that re-armed it gets a whole timeout.
func (p *participant) armGoneTimer(r *room) {
	if p.goneTimer != nil {
		return
	}
	var t *time.Timer
	t = time.AfterFunc(r.srv.cfg.DisconnectTimeout, func() {
		r.box.push(func() {
			if p.goneTimer == t {
				r.goneTimeout(p)
			}
		})
	})
	p.goneTimer = t
}

func (p *participant) disarmGoneTimer() {
	if p.goneTimer != nil {
		p.goneTimer.Stop()
		p.goneTimer = nil
	}
}

// healthy reports whether the socket is up and no ICE transport is down.
func (p *participant) healthy() bool {
	return !p.socketLost && !p.iceBad[protocol.TargetPublisher] && !p.iceBad[protocol.TargetSubscriber]
}

// close releases everything p owns and closes its socket with code. Its
// PeerConnections close on a goroutine of their own, which srv.closing
// counts: Pion's Close waits for the SCTP and DTLS shutdowns, measured at
// up to 408 ms here, and the room's goroutine must not wait for that.
func (p *participant) close(srv *Server, code websocket.StatusCode, reason string) {
	p.disarmGoneTimer()
	for _, t := range p.connectDue {
		t.Stop()
	}
	p.mutes.stop()
	for _, d := range p.downs {
		d.up.removeDown(d)
	}
	if p.queue != nil {
		p.queue.close()
	}
	for _, w := range p.lives {
		w.close()
	}
	if p.tap != nil {
		srv.eng.taps.remove(p.tap)
	}
	if p.pubTap != nil {
		srv.eng.taps.remove(p.pubTap)
	}
	if pub, sub := p.pub, p.sub; pub != nil || sub != nil {
		srv.closing.Go(func() {
			if pub != nil {
				_ = pub.Close()
			}
			if sub != nil {
				_ = sub.Close()
			}
		})
	}
	p.conn.Close(code, reason)
}
