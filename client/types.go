package client

import "github.com/switchboard-rtc/switchboard/protocol"

// The client speaks the wire types of package protocol; these names are
// aliases kept for the client's API (CometChat's names), not copies.
type (
	// Call is the Call object. Times are unix milliseconds (protocol.Millis,
	// 0 when unset, null on the wire). CallToken opens the call's media
	// (JoinSession): set by AcceptCall, on OnOutgoingCallAccepted, and by
	// InitiateCall when it answered a call that was ringing you (glare).
	// Reason is set on OnIncomingCallCancelled and OnCallEndedMessageReceived.
	Call = protocol.Call
	// Party is a call's initiator or receiver: a user (UID) or a group (GUID).
	Party = protocol.Party
	// Participant is one user's part in a call.
	Participant = protocol.Participant
	// User is a listUsers entry, or the user of a presence event.
	User = protocol.User
	// Group is a listGroups entry.
	Group = protocol.Group
	// CallRequest is initiateCall's params.
	CallRequest = protocol.InitiateParams
	// LogQuery is listCalls' and listCallPage's params.
	LogQuery = protocol.LogQuery
	// CallPage is a page of the call log with the next page's After.
	CallPage = protocol.CallPage
)

// Receiver types, call types and rejectCall statuses.
const (
	ReceiverUser    = protocol.ReceiverUser
	ReceiverGroup   = protocol.ReceiverGroup
	CallAudio       = protocol.CallAudio
	CallVideo       = protocol.CallVideo
	StatusRejected  = protocol.StatusRejected
	StatusBusy      = protocol.StatusBusy
	StatusCancelled = protocol.StatusCancelled
)
