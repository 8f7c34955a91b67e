package webhook

import (
	"bytes"
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
const Channel = "webhook"

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
// ordered per endpoint and call and retried until now + MaxAge. The data
// of call.ended always has a duration (0 for a call that lasted under a
// second, which CallData leaves out).
func (c Config) Items(ev Event, now time.Time) ([]store.OutboxItem, error) {
	var out []store.OutboxItem
	var body []byte
	if ev.Type == CallEnded {
		ev.Data = withDuration(ev.Data)
	}
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

// withDuration returns data, a JSON object, with a top-level "duration"
// (0) if it has none; anything else is returned as it is. CallData writes
// duration last, so a data ending in `,"duration":<digits>}` has one
// without a decode; only the rest (a call under a second) is decoded.
func withDuration(data json.RawMessage) json.RawMessage {
	if endsWithDuration(data) {
		return data
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return data
	}
	if _, ok := fields["duration"]; ok {
		return data
	}
	d := bytes.TrimRight(data, " \t\r\n")
	if len(d) == 0 || d[len(d)-1] != '}' { // null
		return data
	}
	out := append([]byte(nil), d[:len(d)-1]...) // without the closing brace
	if len(fields) > 0 {
		out = append(out, ',')
	}
	return append(out, `"duration":0}`...)
}

// endsWithDuration reports whether data ends with `,"duration":<digits>}`.
func endsWithDuration(data []byte) bool {
	rest, ok := bytes.CutSuffix(data, []byte("}"))
	if !ok {
		return false
	}
	digits := bytes.TrimRight(rest, "0123456789")
	return len(digits) < len(rest) && bytes.HasSuffix(digits, []byte(`,"duration":`))
}

// CallData is the data of a call event: the call as the server rendered
// it, and the user, reason and duration where the event has them
// (Duration: whole seconds, left out when 0; Config.Items puts a 0 back
// into call.ended's).
type CallData struct {
	Call     json.RawMessage `json:"call"`
	UID      string          `json:"uid,omitempty"`
	Reason   string          `json:"reason,omitempty"`
	Duration int64           `json:"duration,omitempty"`
}

// MarshalJSON is json.Marshal's encoding of d built by hand, as Event's:
// Call, which must be valid JSON, is copied as it is when json.Marshal
// would copy it unchanged (the notifier's json.Marshal of it was a third of
// its webhook work), else everything goes through json.Marshal.
func (d CallData) MarshalJSON() ([]byte, error) {
	if !verbatim(d.Call) {
		type plain CallData // without this method
		return json.Marshal(plain(d))
	}
	b := make([]byte, 0, len(d.Call)+len(d.UID)+len(d.Reason)+48)
	b = append(append(b, `{"call":`...), d.Call...)
	if d.UID != "" {
		b = protocol.AppendString(append(b, `,"uid":`...), d.UID)
	}
	if d.Reason != "" {
		b = protocol.AppendString(append(b, `,"reason":`...), d.Reason)
	}
	if d.Duration != 0 {
		b = strconv.AppendInt(append(b, `,"duration":`...), d.Duration, 10)
	}
	return append(b, '}'), nil
}
