package webhook

import (
	"encoding/json"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// Event types.
const (
	CallInitiated     = "call.initiated"
	CallRinging       = "call.ringing"
	CallAccepted      = "call.accepted"
	CallRejected      = "call.rejected"
	CallCancelled     = "call.cancelled"
	CallBusy          = "call.busy"
	CallUnanswered    = "call.unanswered" // to the caller: nobody answered
	CallMissed        = "call.missed"     // one per callee who did not answer
	CallEnded         = "call.ended"
	ParticipantJoined = "participant.joined"
	ParticipantLeft   = "participant.left"
)

// EventTypes lists every event type.
var EventTypes = []string{CallInitiated, CallRinging, CallAccepted, CallRejected, CallCancelled, CallBusy,
	CallUnanswered, CallMissed, CallEnded, ParticipantJoined, ParticipantLeft}

// Channel is the outbox channel of webhook deliveries.
const Channel = "webhook"

// Event is the JSON body of a delivery.
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
