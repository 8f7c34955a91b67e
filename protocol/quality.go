package protocol

// Quality ratings of a participant's media session (Quality.Rating).
const (
	QualityGood = "good"
	QualityPoor = "poor"
)

// ICE candidate types (Quality.Candidate): how the participant reached the
// server, as the server's selected candidate pair saw its side.
const (
	CandidateHost  = "host"
	CandidateSrflx = "srflx"
	CandidatePrflx = "prflx"
	CandidateRelay = "relay"
)

// Quality is one participant's media quality over one media session of a
// call (join to leave), as the SFU measured it. "Sent" is what the
// participant sent (the server's view of its uplink), "received" what the
// server sent it (from its RTCP receiver reports). A figure that could not
// be measured is omitted (for example loss received when the participant
// received nothing).
type Quality struct {
	UID      string `json:"uid"`
	JoinedAt Millis `json:"joinedAt"`
	LeftAt   Millis `json:"leftAt"`
	// Rating is good or poor, from MOS and freezes (docs/protocol.md).
	Rating string  `json:"rating"`
	MOS    float64 `json:"mos"`
	// Loss is a fraction, 0 to 1.
	LossSent         *float64 `json:"lossSent,omitempty"`
	LossReceived     *float64 `json:"lossReceived,omitempty"`
	JitterSentMs     *float64 `json:"jitterSentMs,omitempty"`
	JitterReceivedMs *float64 `json:"jitterReceivedMs,omitempty"`
	RTTMs            *float64 `json:"rttMs,omitempty"`
	// Bitrates are bits per second, averaged over the session.
	BitrateSent     int64 `json:"bitrateSent"`
	BitrateReceived int64 `json:"bitrateReceived"`
	// Freezes counts the times a received video stood still for more than
	// 500 ms, as the server can tell (docs/protocol.md, "Quality kept in the
	// call log").
	Freezes       int    `json:"freezes"`
	LayerSwitches int    `json:"layerSwitches"`
	Candidate     string `json:"candidate,omitempty"`
}

// CallQuality is the admin API's quality of one call: every media session
// of every participant, in the order they ended.
type CallQuality struct {
	SessionID string    `json:"sessionId"`
	Quality   []Quality `json:"quality"`
}

// EventConnectionQuality (/v1/rtc): a participant's connection quality
// changed, as the server saw it over the last seconds (docs/protocol.md,
// "Connection quality"): sent to everyone in the call, that participant
// included, and at join for those already poor.
const EventConnectionQuality = "connectionQuality"

// ConnectionQuality is the data of connectionQuality: Quality is
// QualityGood or QualityPoor.
type ConnectionQuality struct {
	UID     string `json:"uid"`
	Quality string `json:"quality"`
}
