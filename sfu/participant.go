package sfu

import (
	"strconv"
	"sync/atomic"
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
	trackSeq  atomic.Int64  // numbering of published tracks (OnTrack goroutines)

	// room goroutine only.
	joined       bool
	pub, sub     *webrtc.PeerConnection
	queue        *sendQueue
	ups          map[string]*upTrack   // published tracks, by track id
	downs        map[string]*downTrack // received tracks, by up-track id
	muted        map[string]bool       // by kind
	mutes        muteFanout            // what the others heard of muted
	held         map[string][]webrtc.ICECandidateInit
	candidates   map[string]int // remote candidates received, by target
	offerPending bool           // a subscriberOffer awaits its answer
	needOffer    bool           // what it should receive changed
	socketLost   bool
	iceBad       map[string]bool // by target: ICE disconnected or failed
	goneTimer    *time.Timer
}

func newParticipant(p Participant, conn *protocol.Conn) *participant {
	return &participant{
		uid: p.UID, name: p.Name, conn: conn,
		slots:      make(chan struct{}, requestSlots),
		ups:        map[string]*upTrack{},
		downs:      map[string]*downTrack{},
		muted:      map[string]bool{protocol.KindAudio: false, protocol.KindVideo: false},
		mutes:      newMuteFanout(),
		held:       map[string][]webrtc.ICECandidateInit{},
		candidates: map[string]int{},
		iceBad:     map[string]bool{},
	}
}

// inbound runs on the socket's reader goroutine: it hands the frame to the
// room, waiting only for one of this socket's own request slots.
func (p *participant) inbound(m protocol.Message) {
	select {
	case p.slots <- struct{}{}:
	case <-p.conn.Done():
		return
	}
	r := p.room
	if !r.box.push(func() { defer p.freeSlot(); r.handle(p, m) }) {
		p.freeSlot()
		_ = p.conn.ReplyError(m.ID, protocol.AsError(ErrCallEnded))
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

// setup creates the subscriber PeerConnection and the send queue. The
// publisher PC waits for the first publishOffer: a participant who only
// watches never pays for it.
func (p *participant) setup(r *room) error {
	var err error
	if p.sub, err = r.srv.eng.newSubscriberPC(); err != nil {
		return err
	}
	// A placeholder m-line lets the subscriber transport (ICE, DTLS) come
	// up at join, before anything is published: the publisher's first
	// keyframe then reaches p at once instead of waiting for a new one.
	if _, err = p.sub.AddTransceiverFromKind(webrtc.RTPCodecTypeAudio,
		webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
		return err
	}
	p.needOffer = true
	p.queue = r.srv.writers.newQueue(r.srv.cfg.SendQueue)
	p.watch(r, protocol.TargetSubscriber, p.sub)
	p.sub.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			r.box.push(func() { r.subscriberConnected(p) })
		}
	})
	return nil
}

// publisher returns the publisher PC, creating it on first use.
func (p *participant) publisher(r *room) (*webrtc.PeerConnection, error) {
	if p.pub != nil {
		return p.pub, nil
	}
	pc, err := r.srv.eng.newPublisherPC()
	if err != nil {
		return nil, err
	}
	p.pub = pc
	p.watch(r, protocol.TargetPublisher, pc)
	pc.OnTrack(func(remote *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
		r.onTrack(p, pc, remote, recv)
	})
	return pc, nil
}

// watch wires a PC's ICE callbacks to the room (they only queue work).
func (p *participant) watch(r *room, target string, pc *webrtc.PeerConnection) {
	pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		if c != nil {
			init := c.ToJSON()
			r.box.push(func() { r.localCandidate(p, target, init) })
		}
	})
	pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		r.box.push(func() { r.iceState(p, target, s) })
	})
}

func (p *participant) newTrackID(kind webrtc.RTPCodecType) string {
	return p.uid + "-" + kind.String() + "-" + strconv.FormatInt(p.trackSeq.Add(1), 10)
}

// armGoneTimer removes p after the disconnect timeout unless it recovers.
func (p *participant) armGoneTimer(r *room) {
	if p.goneTimer != nil {
		return
	}
	p.goneTimer = time.AfterFunc(r.srv.cfg.DisconnectTimeout, func() {
		r.box.push(func() { r.goneTimeout(p) })
	})
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

// close releases everything p owns and closes its socket with code.
func (p *participant) close(code websocket.StatusCode, reason string) {
	p.disarmGoneTimer()
	p.mutes.stop()
	for _, d := range p.downs {
		d.up.removeDown(d)
	}
	if p.queue != nil {
		p.queue.close()
	}
	if p.pub != nil {
		_ = p.pub.Close()
	}
	if p.sub != nil {
		_ = p.sub.Close()
	}
	p.conn.Close(code, reason)
}
