package push

import (
	"encoding/json"
	"strconv"
	"time"
)

// Push types: what the app is told.
const (
	TypeRing   = "ring"   // a call rings this user: report it to CallKit / ConnectionService
	TypeStop   = "stop"   // the call stopped ringing for this user (answered elsewhere, cancelled, ...)
	TypeMissed = "missed" // an alert: "Missed call from Alice"
)

// Caller is who calls.
type Caller struct {
	UID    string `json:"uid"`
	Name   string `json:"name"`
	Avatar string `json:"avatar,omitempty"`
}

// Group is the group a group call rings.
type Group struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
}

// Payload is what the app receives: enough to show the call and answer it
// over HTTPS without a socket.
type Payload struct {
	Type         string `json:"type"`
	SessionID    string `json:"sessionId"`
	CallType     string `json:"callType"`
	ReceiverType string `json:"receiverType"`
	Caller       Caller `json:"caller"`
	Group        *Group `json:"group,omitempty"`
	RingDeadline int64  `json:"ringDeadline"` // unix ms: the call stops ringing then
	Reason       string `json:"reason,omitempty"`
}

// Message is one push to one device: the body of an outbox item of
// channel "push".
type Message struct {
	UID      string  `json:"uid"`
	DeviceID string  `json:"deviceId"`
	Kind     string  `json:"kind"` // store.DeviceAPNsVoIP, DeviceAPNs, DeviceFCM
	Token    string  `json:"token"`
	AppID    string  `json:"appId"`
	ID       string  `json:"id"` // a UUID: apns-id, and the push's id in the payload
	Payload  Payload `json:"payload"`
	// Expires is when the push is useless (a ring push: the ring deadline).
	Expires time.Time `json:"expires"`
}

// title is the alert text of a push shown to the user (non-VoIP kinds).
func (p Payload) title() string {
	switch p.Type {
	case TypeMissed:
		return "Missed call from " + p.Caller.Name
	case TypeRing:
		if p.CallType == "video" {
			return "Incoming video call from " + p.Caller.Name
		}
		return "Incoming call from " + p.Caller.Name
	}
	return ""
}

// data is the payload flattened to strings, as FCM data messages need.
func (p Payload) data(id string) map[string]string {
	d := map[string]string{
		"id": id, "type": p.Type, "sessionId": p.SessionID, "callType": p.CallType,
		"receiverType": p.ReceiverType, "callerUid": p.Caller.UID, "callerName": p.Caller.Name,
		"ringDeadline": strconv.FormatInt(p.RingDeadline, 10),
	}
	if p.Caller.Avatar != "" {
		d["callerAvatar"] = p.Caller.Avatar
	}
	if p.Group != nil {
		d["groupId"], d["groupName"] = p.Group.GUID, p.Group.Name
	}
	if p.Reason != "" {
		d["reason"] = p.Reason
	}
	return d
}

// apnsBody is the APNs JSON body: aps plus the switchboard payload.
func apnsBody(m Message, voip bool) ([]byte, error) {
	aps := map[string]any{}
	switch {
	case voip:
	case m.Payload.Type == TypeStop:
		aps["content-available"] = 1
	default:
		aps["alert"] = map[string]string{"title": m.Payload.title()}
		aps["sound"] = "default"
		aps["thread-id"] = m.Payload.SessionID
	}
	return json.Marshal(struct {
		APS         map[string]any `json:"aps"`
		ID          string         `json:"id"`
		Switchboard Payload        `json:"switchboard"`
	}{aps, m.ID, m.Payload})
}
