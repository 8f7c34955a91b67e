package webhook

import (
	"encoding/json"
	"testing"
	"time"
)

// TestCallEndedAlwaysHasDuration: call.ended's data (Timed) has a
// duration even for a call answered and ended within a second (0, which
// was left out), on both encodings (a call copied verbatim, and one that
// needs json.Marshal's escapes); other events have none.
func TestCallEndedAlwaysHasDuration(t *testing.T) {
	call := json.RawMessage(`{"sessionId":"S","status":"ended","joinedAt":1700000004000,"endedAt":1700000004800}`)
	tests := []struct {
		name string
		typ  string
		data CallData
		want any // the data's duration; nil: none
	}{
		{"ended under a second", CallEnded, CallData{Call: call, Reason: "ended", Timed: true}, float64(0)},
		{"ended after 4 s", CallEnded, CallData{Call: call, Reason: "ended", Duration: 4, Timed: true}, float64(4)},
		{"ended, no reason", CallEnded, CallData{Call: call, Timed: true}, float64(0)},
		{"ended, call needing escapes", CallEnded, CallData{Call: json.RawMessage(`{"name":"<b>"}`), Reason: "ended", Timed: true}, float64(0)},
		{"accepted", CallAccepted, CallData{Call: call, UID: "bob"}, nil},
		{"participant left", ParticipantLeft, CallData{Call: call, UID: "bob", Reason: "ended"}, nil},
	}
	cfg := DefaultConfig()
	cfg.Endpoints = []Endpoint{{Name: "app", URL: "https://a.test/", Secret: secret}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := tc.data.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			items, err := cfg.Items(Event{ID: "evt_S_8", Type: tc.typ, SessionID: "S", Seq: 8, Data: data}, time.Now())
			if err != nil || len(items) != 1 {
				t.Fatalf("Items = %v, %v", items, err)
			}
			var body struct {
				Data map[string]json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(items[0].Payload, &body); err != nil {
				t.Fatalf("payload %s: %v", items[0].Payload, err)
			}
			raw, ok := body.Data["duration"]
			switch {
			case tc.want == nil && ok:
				t.Fatalf("data %s has a duration", items[0].Payload)
			case tc.want != nil && !ok:
				t.Fatalf("data %s has no duration", items[0].Payload)
			case ok:
				var got any
				if err := json.Unmarshal(raw, &got); err != nil || got != tc.want {
					t.Fatalf("duration = %s, want %v", raw, tc.want)
				}
			}
		})
	}
}
