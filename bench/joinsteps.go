package bench

import (
	"sync"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// Join steps, as one participant's /v1/rtc frames show them (ms after the
// accept): where accept -> first RTP goes.
var joinStepNames = []string{
	"joined (event)",
	"own publishOffer answered",
	"publisher ICE connected",
	"publisher DTLS up (connected)",
	"subscriber ICE connected",
	"subscriber DTLS up (connected)",
	"other's track announced (trackPublished)",
	"subscriberAnswer acknowledged (m-lines negotiated)",
}

// The steps' indexes in joinStepNames.
const (
	stepJoined = iota
	stepPublished
	stepPubICE
	stepPubDTLS
	stepSubICE
	stepSubDTLS
	stepAnnounced
	stepNegotiated
	joinStepCount
)

// joinSteps timestamps one participant's join steps from its frames.
type joinSteps struct {
	epoch Epoch
	// mu guards the fields below (frames come from the socket's goroutines).
	mu        sync.Mutex
	at        [joinStepCount]time.Duration // per joinStepNames; 0: not yet
	pending   map[string]string
	announced bool
}

func newJoinSteps(epoch Epoch) *joinSteps {
	return &joinSteps{epoch: epoch, pending: map[string]string{}}
}

// hook is the session's protocol.FrameHook.
func (j *joinSteps) hook(dir protocol.FrameDir, frame []byte) {
	m, err := protocol.Parse(frame)
	if err != nil {
		return
	}
	now := j.epoch.Now()
	j.mu.Lock()
	defer j.mu.Unlock()
	switch {
	case dir == protocol.FrameSent && m.Method != "":
		j.pending[m.ID] = m.Method
	case m.Event == protocol.EventJoined:
		j.mark(stepJoined, now)
	case m.Event == protocol.EventTrackPublished:
		j.announced = true
		j.mark(stepAnnounced, now)
	case m.Event == "" && m.ID != "":
		method := j.pending[m.ID]
		delete(j.pending, m.ID)
		switch {
		case method == protocol.MethodPublishOffer:
			j.mark(stepPublished, now)
		case method == protocol.MethodSubscriberAnswer && j.announced:
			j.mark(stepNegotiated, now)
		}
	}
}

// iceState and peerState are the session's connection state hooks
// (client.MediaOptions.OnICEState, OnPeerState).
func (j *joinSteps) iceState(target string, st webrtc.ICEConnectionState) {
	if st == webrtc.ICEConnectionStateConnected {
		j.markNow(map[string]int{"publisher": stepPubICE, "subscriber": stepSubICE}[target])
	}
}

func (j *joinSteps) peerState(target string, st webrtc.PeerConnectionState) {
	if st == webrtc.PeerConnectionStateConnected {
		j.markNow(map[string]int{"publisher": stepPubDTLS, "subscriber": stepSubDTLS}[target])
	}
}

func (j *joinSteps) markNow(i int) {
	now := j.epoch.Now()
	j.mu.Lock()
	defer j.mu.Unlock()
	j.mark(i, now)
}

func (j *joinSteps) mark(i int, now time.Duration) {
	if j.at[i] == 0 {
		j.at[i] = now
	}
}

// since returns the steps seen, relative to accept.
func (j *joinSteps) since(accept time.Duration) [joinStepCount]time.Duration {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out [joinStepCount]time.Duration
	for i, at := range j.at {
		if at > 0 {
			out[i] = at - accept
		} else {
			out[i] = -1
		}
	}
	return out
}
