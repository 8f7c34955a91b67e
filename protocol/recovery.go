package protocol

// /v1/rtc recovery: ICE restart, resuming a session on a new socket, and
// telling the others while a participant's media is interrupted
// (docs/protocol.md, "Network changes and interruptions").
const (
	// MethodRestartICE asks the server for a subscriberOffer with new ICE
	// credentials (the publisher side restarts with a publishOffer whose
	// ice-ufrag/ice-pwd are new).
	MethodRestartICE = "restartIce"

	// EventParticipantReconnecting: another participant's media stopped
	// (no packets and no ICE consent for media.media_timeout); they are
	// kept until media.disconnect_timeout more has passed.
	EventParticipantReconnecting = "participantReconnecting"
	// EventParticipantReconnected: their media came back.
	EventParticipantReconnected = "participantReconnected"
)

// ParticipantReconnect is the data of participantReconnecting and
// participantReconnected.
type ParticipantReconnect struct {
	UID string `json:"uid"`
}
