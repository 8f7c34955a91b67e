package protocol

// Push targets, the HTTPS answer path and webhooks (issue 10).

// Methods of /v1/ws for push targets and answering without a socket.
const (
	// MethodRegisterDevice registers (or updates) a push target of the
	// user and binds this socket to the device: while the socket lives,
	// the device is reachable without a push (policy offline-only).
	MethodRegisterDevice   = "registerDevice"
	MethodUnregisterDevice = "unregisterDevice"
	MethodListDevices      = "listDevices"
	// MethodAckCall says a ringing device got the call (the caller hears
	// ringing); the same as POST /v1/calls/{sid}/ack.
	MethodAckCall = "ackCall"
	// MethodGetCall returns a call with its per-participant ring state; the
	// same as GET /v1/calls/{sid}.
	MethodGetCall = "getCall"
)

// EventRinging tells the caller that a callee's device has the call and
// is ringing (data: the Call; the participant's ackedAt is set).
const EventRinging = "ringing"

// Device kinds.
const (
	DeviceAPNsVoIP = "apns-voip" // APNs VoIP (PushKit): rings through CallKit
	DeviceAPNs     = "apns"      // APNs alert pushes
	DeviceFCM      = "fcm"       // Firebase Cloud Messaging (data messages)
)

// Presence statuses (listUsers' status, and the data of presence events).
const (
	PresenceOnline  = "online"
	PresenceOffline = "offline"
	PresenceBusy    = "busy" // connected and in a call (ringing out or joined)
)

// Webhook event types (docs/webhooks.md).
const (
	HookCallInitiated     = "call.initiated"
	HookCallRinging       = "call.ringing"
	HookCallAccepted      = "call.accepted"
	HookCallRejected      = "call.rejected"
	HookCallCancelled     = "call.cancelled"
	HookCallBusy          = "call.busy"
	HookCallUnanswered    = "call.unanswered" // the caller's view: nobody answered
	HookCallMissed        = "call.missed"     // one per callee who did not answer
	HookCallEnded         = "call.ended"
	HookParticipantJoined = "participant.joined"
	HookParticipantLeft   = "participant.left"
)

// HookTypes lists every webhook event type.
func HookTypes() []string {
	return []string{HookCallInitiated, HookCallRinging, HookCallAccepted, HookCallRejected, HookCallCancelled,
		HookCallBusy, HookCallUnanswered, HookCallMissed, HookCallEnded, HookParticipantJoined, HookParticipantLeft}
}

// Device is a registered push target (registerDevice's result, listDevices'
// entries, /v1/devices).
type Device struct {
	DeviceID  string `json:"deviceId"`
	Kind      string `json:"kind"`
	Token     string `json:"token"`
	AppID     string `json:"appId"`
	CreatedAt Millis `json:"createdAt"`
	UpdatedAt Millis `json:"updatedAt"`
}

// RegisterDeviceParams are registerDevice's params (and the body of
// POST /v1/devices).
type RegisterDeviceParams struct {
	DeviceID string `json:"deviceId"`
	Kind     string `json:"kind"`
	Token    string `json:"token"`
	AppID    string `json:"appId"`
}

// UnregisterDeviceParams are unregisterDevice's params: every kind the
// install holds goes, or only the row of Kind when it is set.
type UnregisterDeviceParams struct {
	DeviceID string `json:"deviceId"`
	Kind     string `json:"kind,omitempty"`
}

// DeviceList is listDevices' result.
type DeviceList struct {
	Devices []Device `json:"devices"`
}

// WebhookEvent is the body of a webhook delivery. Data holds the Call
// (call.* events) plus, for participant.* and call.missed, the uid
// concerned, and for call.ended the duration.
type WebhookEvent struct {
	ID        string      `json:"id"`
	Type      string      `json:"type"`
	CreatedAt int64       `json:"createdAt"` // unix ms
	SessionID string      `json:"sessionId"`
	Seq       int         `json:"seq"` // 1, 2, ... per call
	Data      WebhookData `json:"data"`
}

// WebhookData is a webhook event's data.
type WebhookData struct {
	Call     Call   `json:"call"`
	UID      string `json:"uid,omitempty"`      // participant.*, call.missed, call.ringing, call.rejected
	Reason   string `json:"reason,omitempty"`   // why the call or a participant stopped
	Duration int64  `json:"duration,omitempty"` // call.ended (always there, 0 included): whole seconds from the first answer to the end, rounded down
}
