package webhook

import (
	"bytes"
	"encoding/json"
	"strings"
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

// FuzzEventMarshal: an Event with valid JSON data encodes exactly as
// json.Marshal encodes it.
func FuzzEventMarshal(f *testing.F) {
	f.Add("evt_s1_1", "call.initiated", int64(1700000000000), "s1", 1, `{"call":{"sessionId":"s1","n":[1,{"a":"<b>"}]}}`)
	f.Add("a\"\\\u2028<", "t\n", int64(-1), "", 0, `{ "a" : 1 }`)
	f.Add("x", "y", int64(0), "z", -3, `[1,"\u2029",{"k":"\\\""}]`)
	f.Add("x", "y", int64(0), "z", 7, "{\"\xff\":1}")
	f.Fuzz(func(t *testing.T, id, typ string, at int64, sid string, seq int, data string) {
		if !json.Valid([]byte(data)) {
			t.Skip()
		}
		ev := Event{ID: id, Type: typ, CreatedAt: at, SessionID: sid, Seq: seq, Data: json.RawMessage(data)}
		type plain Event
		want, err := json.Marshal(plain(ev))
		if err != nil {
			t.Skip()
		}
		got, err := ev.MarshalJSON()
		if err != nil || string(got) != string(want) {
			t.Fatalf("MarshalJSON = %s, %v; json.Marshal = %s", got, err, want)
		}
	})
}

// FuzzCallDataMarshal: CallData with a valid call encodes exactly as
// json.Marshal encodes it.
func FuzzCallDataMarshal(f *testing.F) {
	f.Add(`{"sessionId":"s1","initiator":{"uid":"a","name":"Ann"}}`, "bob", "answered elsewhere", int64(42))
	f.Add(`{ "a" : "<b>" }`, "a\"\\\u2028<", "", int64(0))
	f.Add(`[1,"\u2029",{"k":"\\\""}]`, "", "r\n", int64(-7))
	f.Add("{\"\xff\":1}", "x", "y", int64(1))
	f.Add(`null`, "", "", int64(0))
	f.Fuzz(func(t *testing.T, call, uid, reason string, duration int64) {
		if !json.Valid([]byte(call)) {
			t.Skip()
		}
		d := CallData{Call: json.RawMessage(call), UID: uid, Reason: reason, Duration: duration}
		type plain CallData
		want, err := json.Marshal(plain(d))
		if err != nil {
			t.Skip()
		}
		got, err := d.MarshalJSON()
		if err != nil || string(got) != string(want) {
			t.Fatalf("MarshalJSON = %s, %v; json.Marshal = %s", got, err, want)
		}
	})
}

// BenchmarkCallDataMarshal: the hand-built encoding against json.Marshal of
// the same data (the notifier did the latter for every webhook event).
func BenchmarkCallDataMarshal(b *testing.B) {
	call := []byte(`{"sessionId":"v1.abc.123","receiverType":"user","type":"audio","status":"ongoing","initiatedAt":1764700000000,` +
		`"initiator":{"uid":"caller-1","name":"Caller One","avatar":"https://x.test/a.png"},"receiver":{"uid":"callee-1","name":"Callee One"},` +
		`"participants":[{"uid":"caller-1","name":"Caller One","status":"joined","joinedAt":1764700000100},{"uid":"callee-1","name":"Callee One","status":"joined","joinedAt":1764700000200}]}`)
	d := CallData{Call: call, UID: "callee-1", Reason: "answered", Duration: 12}
	type plain CallData
	b.Run("json.Marshal", func(b *testing.B) {
		for b.Loop() {
			_, _ = json.Marshal(plain(d))
		}
	})
	b.Run("hand-built", func(b *testing.B) {
		for b.Loop() {
			_, _ = d.MarshalJSON()
		}
	})
}

// FuzzEventHeadersFast: whatever the body, the fast path agrees with a
// whole decode whenever the body is valid JSON.
func FuzzEventHeadersFast(f *testing.F) {
	f.Add([]byte(`{"id":"evt_1","type":"call.ended","data":{}}`))
	f.Add([]byte(`{"id":"a\u00e9","type":"b"}`))
	f.Add([]byte(`{"id":"a","type":"b","type":"c"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		id, typ := eventHeaders(body)
		if !json.Valid(body) {
			return
		}
		wantID, wantType := eventHeadersSlow(body)
		// A key repeated (json matches keys case-insensitively, after
		// unescaping them): the decoder keeps the last; Event's writer
		// never repeats one.
		if repeated(body, "id") || repeated(body, "type") {
			return
		}
		if id != wantID || typ != wantType {
			t.Fatalf("eventHeaders(%s) = %q, %q; a decode says %q, %q", body, id, typ, wantID, wantType)
		}
	})
}

func BenchmarkEventHeaders(b *testing.B) {
	body, _ := json.Marshal(Event{ID: "evt_0123456789abcdefghij_3", Type: "call.accepted",
		Data: json.RawMessage(`{"call":{"sessionId":"0123456789abcdefghij","participants":[{"uid":"a"},{"uid":"b"}]}}`)})
	for b.Loop() {
		eventHeaders(body)
	}
}

// repeated reports whether the object body has key (in any case) twice.
func repeated(body []byte, key string) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	n := 0
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false
		}
		if s, ok := k.(string); ok && strings.EqualFold(s, key) {
			n++
		}
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return false
		}
	}
	return n > 1
}
