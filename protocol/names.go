package protocol

// Methods of /v1/ws (ringing, presence, call log).
const (
	MethodInitiateCall  = "initiateCall"
	MethodAcceptCall    = "acceptCall"
	MethodRejectCall    = "rejectCall"
	MethodEndCall       = "endCall"
	MethodGenerateToken = "generateToken"
	MethodGetActiveCall = "getActiveCall"
	MethodListCalls     = "listCalls"
	MethodListUsers     = "listUsers"
	MethodListGroups    = "listGroups"
	MethodPing          = "ping"
	// MethodSubscribe asks for optional events on this connection
	// (SubscribeParams); EventIncomingCallBusy is the one there is.
	MethodSubscribe = "subscribe"
)

// Why a node is degraded, as /healthz's "reason" says it (docs/operations.md).
const (
	// HealthStoreFailing: call saves fail; they are kept and retried. New
	// calls are refused (503).
	HealthStoreFailing = "store_failing"
	// HealthStoreUnreachable: the database (PostgreSQL) does not answer.
	// New calls are refused, but every node shares it: 200, so a load
	// balancer does not take them all out.
	HealthStoreUnreachable = "store_unreachable"
)

// Methods of /v1/rtc (one participant's media session).
const (
	MethodPublishOffer     = "publishOffer"
	MethodSubscriberAnswer = "subscriberAnswer"
	MethodTrickle          = "trickle"
	MethodMute             = "mute"
	MethodLeave            = "leave"
	MethodTrackSettings    = "trackSettings"
	// MethodEndCall is shared with /v1/ws.
)

// Events of /v1/ws.
const (
	EventConnected             = "connected" // first frame: the device is registered
	EventIncomingCall          = "incomingCall"
	EventOutgoingCallAccepted  = "outgoingCallAccepted"
	EventOutgoingCallRejected  = "outgoingCallRejected"
	EventIncomingCallCancelled = "incomingCallCancelled"
	EventCallEnded             = "callEnded" // also on /v1/rtc, with RTCCallEnded data
	EventUserOnline            = "userOnline"
	EventUserOffline           = "userOffline"
	// EventIncomingCallBusy tells a busy callee's subscribed connections
	// that a call came and did not ring them (auto busy). Data: the Call,
	// reason busy.
	EventIncomingCallBusy = "incomingCallBusy"
)

// Events of /v1/rtc.
const (
	EventJoined           = "joined"
	EventSubscriberOffer  = "subscriberOffer"
	EventTrickle          = "trickle"
	EventUserJoined       = "userJoined"
	EventUserLeft         = "userLeft"
	EventTrackPublished   = "trackPublished"
	EventTrackUnpublished = "trackUnpublished"
	EventMuteChanged      = "muteChanged"
	EventActiveLayers     = "activeLayers"
	EventActiveSpeakers   = "activeSpeakers"
	EventError            = "error"
	// EventCallEnded is shared with /v1/ws.
)

// Call statuses (the Call object's status; also per-participant statuses).
const (
	StatusInitiated  = "initiated"
	StatusOngoing    = "ongoing"
	StatusBusy       = "busy"
	StatusRejected   = "rejected"
	StatusCancelled  = "cancelled"
	StatusEnded      = "ended"
	StatusMissed     = "missed" // a callee's view of an unanswered call; never a call's own status
	StatusUnanswered = "unanswered"
	StatusLeft       = "left" // a participant's status after leaving an ongoing call
)

// Reasons: incomingCallCancelled, outgoingCallRejected and callEnded carry
// one; a Call's endReason is one. /v1/rtc's userLeft and callEnded use
// ReasonLeft, ReasonTimeout, ReasonEnded and ReasonServerShutdown.
const (
	ReasonCancelled         = "cancelled"
	ReasonUnanswered        = "unanswered"
	ReasonAnsweredElsewhere = "answeredElsewhere"
	ReasonRejectedElsewhere = "rejectedElsewhere"
	ReasonRejected          = "rejected"
	ReasonBusy              = "busy"
	ReasonEnded             = "ended"
	ReasonDisconnected      = "disconnected"
	ReasonServerShutdown    = "server_shutdown"
	ReasonServerRestart     = "server_restart"
	ReasonNodeLost          = "node_lost"      // cluster: the node that owned the call or hosted its media is gone
	ReasonEndedByAdmin      = "ended_by_admin" // the app's backend ended the call (POST /v1/admin/calls/{sid}/end)
	ReasonLeft              = "left"
	ReasonTimeout           = "timeout"
)

// Receiver types, call types, log directions, media kinds and trickle targets.
const (
	ReceiverUser  = "user"
	ReceiverGroup = "group"

	CallAudio = "audio"
	CallVideo = "video"

	DirectionIncoming = "incoming"
	DirectionOutgoing = "outgoing"

	KindAudio = "audio"
	KindVideo = "video"

	TargetPublisher  = "publisher"
	TargetSubscriber = "subscriber"
)
