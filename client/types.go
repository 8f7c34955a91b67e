package client

// Call is the Call object of docs/protocol.md. Times are unix milliseconds,
// 0 when unset (null on the wire).
type Call struct {
	SessionID    string        `json:"sessionId"`
	CallType     string        `json:"callType"`     // audio | video
	ReceiverType string        `json:"receiverType"` // user | group
	Initiator    Party         `json:"initiator"`
	Receiver     Party         `json:"receiver"`
	Status       string        `json:"status"`
	InitiatedAt  int64         `json:"initiatedAt"`
	JoinedAt     int64         `json:"joinedAt"`
	EndedAt      int64         `json:"endedAt"`
	Timeout      int           `json:"timeout"` // seconds
	Participants []Participant `json:"participants"`
	EndReason    string        `json:"endReason,omitempty"`

	// CallToken opens the call's media (JoinSession). It is set by
	// AcceptCall, on OnOutgoingCallAccepted, and by InitiateCall when it
	// answered a call that was ringing you (glare).
	CallToken string `json:"callToken,omitempty"`
	// Reason is set on OnIncomingCallCancelled (cancelled, unanswered,
	// answeredElsewhere, rejectedElsewhere, disconnected, ended) and
	// OnCallEndedMessageReceived.
	Reason string `json:"reason,omitempty"`
}

// Party is a call's initiator or receiver: a user (UID) or a group (GUID).
type Party struct {
	UID  string `json:"uid,omitempty"`
	GUID string `json:"guid,omitempty"`
	Name string `json:"name"`
}

// Participant is one user's part in a call.
type Participant struct {
	UID      string `json:"uid"`
	Status   string `json:"status"`
	JoinedAt int64  `json:"joinedAt"`
	LeftAt   int64  `json:"leftAt"`
}

// User is a listUsers entry, or the user of a presence event (Online unset).
type User struct {
	UID    string `json:"uid"`
	Name   string `json:"name"`
	Avatar string `json:"avatar,omitempty"`
	Online bool   `json:"online"`
}

// Group is a listGroups entry.
type Group struct {
	GUID         string `json:"guid"`
	Name         string `json:"name"`
	MembersCount int    `json:"membersCount"`
}

// CallRequest is initiateCall's params.
type CallRequest struct {
	ReceiverID   string  `json:"receiverId"`
	ReceiverType string  `json:"receiverType"` // user | group
	CallType     string  `json:"callType"`     // audio | video
	Timeout      float64 `json:"timeout,omitempty"`
}

// LogQuery is listCalls' params.
type LogQuery struct {
	Limit     int    `json:"limit,omitempty"`
	Before    int64  `json:"before,omitempty"` // unix ms
	Status    string `json:"status,omitempty"`
	Direction string `json:"direction,omitempty"` // incoming | outgoing
}

// Receiver types, call types and rejectCall statuses.
const (
	ReceiverUser    = "user"
	ReceiverGroup   = "group"
	CallAudio       = "audio"
	CallVideo       = "video"
	StatusRejected  = "rejected"
	StatusBusy      = "busy"
	StatusCancelled = "cancelled"
)
