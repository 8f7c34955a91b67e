package webhook

import (
	"encoding/json"
	"testing"
)

// FuzzEventHeaders: the headers of a marshalled Event are its id and type,
// whatever they hold, and no body makes eventHeaders panic.
func FuzzEventHeaders(f *testing.F) {
	f.Add("evt_s1_1", "call.initiated", `{"call":{"sessionId":"s1"}}`, []byte(`{"type":"call.ended","id":"x"}`))
	f.Add("", "", `null`, []byte(`{"id":"a","type":7}`))
	f.Add("a\"\\\u2028", "t\n", `[1,2]`, []byte(`{"id":"a","type":"b"`))
	f.Fuzz(func(t *testing.T, id, typ, data string, other []byte) {
		if !json.Valid([]byte(data)) {
			data = "{}"
		}
		body, err := json.Marshal(Event{ID: id, Type: typ, Data: json.RawMessage(data)})
		if err != nil {
			t.Skip()
		}
		var want Event
		if err := json.Unmarshal(body, &want); err != nil {
			t.Fatal(err)
		}
		if gotID, gotType := eventHeaders(body); gotID != want.ID || gotType != want.Type {
			t.Fatalf("eventHeaders(%s) = %q, %q; want %q, %q", body, gotID, gotType, want.ID, want.Type)
		}
		eventHeaders(other)
	})
}

// Bodies not in Event's key order still read whole.
func TestEventHeadersOtherOrder(t *testing.T) {
	for body, want := range map[string][2]string{
		`{"type":"call.ended","id":"x","data":{}}`: {"x", "call.ended"},
		`{"id":"x","seq":1,"type":"call.ended"}`:   {"x", "call.ended"},
		`{"id":"x","type":7}`:                      {"x", ""},
		`not json`:                                 {"", ""},
	} {
		if id, typ := eventHeaders([]byte(body)); id != want[0] || typ != want[1] {
			t.Errorf("eventHeaders(%s) = %q, %q; want %q, %q", body, id, typ, want[0], want[1])
		}
	}
}
