package webhook

import (
	"encoding/json"
	"time"

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
			if body, err = json.Marshal(ev); err != nil {
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
