package sfu

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

type trackInfo struct {
	TrackID string `json:"trackId"`
	UID     string `json:"uid"`
	Kind    string `json:"kind"`
	Codec   string `json:"codec"`
	Muted   bool   `json:"muted"`
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
