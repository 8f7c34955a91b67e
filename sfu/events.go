package sfu

import "github.com/pion/webrtc/v4"

// Event names and payloads of /v1/rtc (docs/protocol.md).
const (
	evJoined          = "joined"
	evSubscriberOffer = "subscriberOffer"
	evTrickle         = "trickle"
	evUserJoined      = "userJoined"
	evUserLeft        = "userLeft"
	evTrackPublished  = "trackPublished"
	evTrackUnpub      = "trackUnpublished"
	evMuteChanged     = "muteChanged"
	evCallEnded       = "callEnded"
	evError           = "error"
)

// Reasons in userLeft and callEnded.
const (
	reasonLeft       = "left"
	reasonTimeout    = "timeout"
	reasonEnded      = "ended"
	reasonShutdown   = "server_shutdown"
	targetPublisher  = "publisher"
	targetSubscriber = "subscriber"
)

type participantInfo struct {
	UID   string          `json:"uid"`
	Name  string          `json:"name,omitempty"`
	Muted map[string]bool `json:"muted"`
}

// trackInfo describes a forwarded track to one subscriber: Mid is the
// media section that carries it on that subscriber's connection (absent
// when the track is not forwarded to it).
type trackInfo struct {
	TrackID string `json:"trackId"`
	UID     string `json:"uid"`
	Kind    string `json:"kind"`
	Codec   string `json:"codec"`
	Muted   bool   `json:"muted"`
	Mid     string `json:"mid,omitempty"`
}

type joinedData struct {
	SessionID    string            `json:"sessionId"`
	You          participantInfo   `json:"you"`
	Participants []participantInfo `json:"participants"`
	Tracks       []trackInfo       `json:"tracks"`
	ICEServers   []ICEServer       `json:"iceServers"`
}

type userJoinedData struct {
	participantInfo
	Rejoined bool `json:"rejoined,omitempty"`
}

type userLeftData struct {
	UID    string `json:"uid"`
	Reason string `json:"reason"`
}

type trackUnpublishedData struct {
	TrackID string `json:"trackId"`
	UID     string `json:"uid"`
	Mid     string `json:"mid,omitempty"`
}

type muteData struct {
	UID   string `json:"uid,omitempty"`
	Kind  string `json:"kind"`
	Muted bool   `json:"muted"`
}

type callEndedData struct {
	SessionID string `json:"sessionId"`
	Reason    string `json:"reason"`
}

type sdpData struct {
	SDP string `json:"sdp"`
}

// candidateData is an ICE candidate as /v1/rtc carries it both ways (the
// fields of RTCIceCandidateInit; absent fields are omitted, never null).
// An empty Candidate is the end of candidates.
type candidateData struct {
	Candidate        string  `json:"candidate"`
	SDPMid           *string `json:"sdpMid,omitempty"`
	SDPMLineIndex    *uint16 `json:"sdpMLineIndex,omitempty"`
	UsernameFragment *string `json:"usernameFragment,omitempty"`
}

// init converts to Pion's form; nil (a null candidate) is the end of candidates.
func (c *candidateData) init() webrtc.ICECandidateInit {
	if c == nil {
		return webrtc.ICECandidateInit{}
	}
	return webrtc.ICECandidateInit{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex, UsernameFragment: c.UsernameFragment}
}

// trickleData is the trickle event (a server candidate).
type trickleData struct {
	Target    string        `json:"target"`
	Candidate candidateData `json:"candidate"`
}
