package webhook

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/store"
)

// Event types (the names are protocol's).
const (
	CallInitiated     = protocol.HookCallInitiated
	CallRinging       = protocol.HookCallRinging
	CallAccepted      = protocol.HookCallAccepted
	CallRejected      = protocol.HookCallRejected
	CallCancelled     = protocol.HookCallCancelled
	CallBusy          = protocol.HookCallBusy
	CallUnanswered    = protocol.HookCallUnanswered
	CallMissed        = protocol.HookCallMissed
	CallEnded         = protocol.HookCallEnded
	ParticipantJoined = protocol.HookParticipantJoined
	ParticipantLeft   = protocol.HookParticipantLeft
)

// EventTypes lists every event type.
var EventTypes = protocol.HookTypes()

// Channel is the outbox channel of webhook deliveries.
const Channel = store.ChannelWebhook

// Event is the JSON body of a delivery: protocol.WebhookEvent with its
// data left as JSON.
type Event struct {
	ID        string          `json:"id"`        // unique; the same on every retry and replay
	Type      string          `json:"type"`      // e.g. call.accepted
	CreatedAt int64           `json:"createdAt"` // unix ms
	SessionID string          `json:"sessionId"`
	Seq       int             `json:"seq"` // 1, 2, ... per call: the order of the call's events
	Data      json.RawMessage `json:"data"`
}

// Items turns an event into outbox items, one per endpoint that wants it,
// ordered per endpoint and call and retried until now + MaxAge.
func (c Config) Items(ev Event, now time.Time) ([]store.OutboxItem, error) {
	var out []store.OutboxItem
	var body []byte
	for _, e := range c.Endpoints {
		if !e.wants(ev.Type) {
			continue
		}
		if body == nil {
			var err error
			if body, err = ev.MarshalJSON(); err != nil {
				return nil, err
			}
		}
		out = append(out, store.OutboxItem{
			EventID: ev.ID + "." + e.Name, Channel: Channel, Target: e.Name,
			OrderKey: Channel + "/" + e.Name + "/" + ev.SessionID, Payload: body,
			CreatedAt: now, Deadline: now.Add(c.MaxAge),
		})
	}
	return out, nil
}

// Enabled reports whether any endpoint is configured.
func (c Config) Enabled() bool { return len(c.Endpoints) > 0 }

// MarshalJSON is json.Marshal's encoding of ev, built by hand: Data, which
// must be valid JSON, is copied as it is when it is a compact object or
// array without the characters json.Marshal escapes (what json.Marshal
// writes), so the call in it is not scanned a second time; other Data goes
// through json.Marshal.
func (ev Event) MarshalJSON() ([]byte, error) {
	if !verbatim(ev.Data) {
		type plain Event // without this method
		return json.Marshal(plain(ev))
	}
	b := make([]byte, 0, len(ev.Data)+len(ev.ID)+len(ev.SessionID)+96)
	b = protocol.AppendString(append(b, `{"id":`...), ev.ID)
	b = protocol.AppendString(append(b, `,"type":`...), ev.Type)
	b = strconv.AppendInt(append(b, `,"createdAt":`...), ev.CreatedAt, 10)
	b = protocol.AppendString(append(b, `,"sessionId":`...), ev.SessionID)
	b = strconv.AppendInt(append(b, `,"seq":`...), int64(ev.Seq), 10)
	b = append(append(b, `,"data":`...), ev.Data...)
	return append(b, '}'), nil
}

// verbatim reports whether data, valid JSON, is an object or array that
// json.Marshal would copy unchanged: no whitespace outside strings, none of
// <, >, &, U+2028, U+2029, valid UTF-8, balanced, strings closed.
func verbatim(data []byte) bool {
	if len(data) < 2 || (data[0] != '{' && data[0] != '[') {
		return false
	}
	depth, inString := 0, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c == '<' || c == '>' || c == '&' || c < 0x20:
			return false
		case c == 0xE2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xA8 || data[i+2] == 0xA9):
			return false // U+2028, U+2029
		case inString && c == '\\':
			i++ // the escaped character
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth == 0 && i != len(data)-1 {
				return false
			}
		case c == ' ':
			return false
		}
	}
	return depth == 0 && !inString && utf8.Valid(data)
}

// CallData is the data of a call event: the call as the server rendered
// it, and the user, reason and duration where the event has them
// (Duration: whole seconds; written when Timed, call.ended's, even if 0).
type CallData struct {
	Call     json.RawMessage `json:"call"`
	UID      string          `json:"uid,omitempty"`
	Reason   string          `json:"reason,omitempty"`
	Duration int64           `json:"duration,omitempty"`
	Timed    bool            `json:"-"` // the event has a duration (call.ended)
}

// MarshalJSON encodes d as protocol.WebhookData, by hand as Event's:
// Call, which must be valid JSON, is copied as it is when json.Marshal
// would copy it unchanged (the notifier's json.Marshal of it was a third of
// its webhook work), else everything goes through json.Marshal.
func (d CallData) MarshalJSON() ([]byte, error) {
	if !verbatim(d.Call) {
		v := struct {
			Call     json.RawMessage `json:"call"`
			UID      string          `json:"uid,omitempty"`
			Reason   string          `json:"reason,omitempty"`
			Duration *int64          `json:"duration,omitempty"`
		}{Call: d.Call, UID: d.UID, Reason: d.Reason}
		if d.Timed || d.Duration != 0 {
			v.Duration = &d.Duration
		}
		return json.Marshal(v)
	}
	b := make([]byte, 0, len(d.Call)+len(d.UID)+len(d.Reason)+48)
	b = append(append(b, `{"call":`...), d.Call...)
	if d.UID != "" {
		b = protocol.AppendString(append(b, `,"uid":`...), d.UID)
	}
	if d.Reason != "" {
		b = protocol.AppendString(append(b, `,"reason":`...), d.Reason)
	}
	if d.Timed || d.Duration != 0 {
		b = strconv.AppendInt(append(b, `,"duration":`...), d.Duration, 10)
	}
	return append(b, '}'), nil
}
