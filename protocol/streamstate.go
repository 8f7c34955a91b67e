package protocol

// EventStreamState (/v1/rtc, to one subscriber): the server stopped
// forwarding a video track to you because your downlink cannot carry it
// (State StreamPaused, Reason StreamReasonBandwidth), or forwards it again
// (StreamActive; its picture starts at the next keyframe). Only a video
// sent in one layer is paused this way: a simulcast video drops to its low
// layer instead. docs/protocol.md, "Bandwidth estimation and layer choice".
const EventStreamState = "streamState"

// StreamState states and reasons.
const (
	StreamPaused          = "paused"
	StreamActive          = "active"
	StreamReasonBandwidth = "bandwidth"
)

// StreamState is the data of streamState. TrackID, UID and Mid are those
// of the track's trackPublished (Mid: its m-line on your subscriber
// connection); Reason is set while paused.
type StreamState struct {
	TrackID string `json:"trackId"`
	UID     string `json:"uid"`
	Mid     string `json:"mid,omitempty"`
	State   string `json:"state"`
	Reason  string `json:"reason,omitempty"`
}
