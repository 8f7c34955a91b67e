package protocol

import (
	"encoding/json"
	"errors"
	"testing"
)

// Marshal's frames are byte for byte what json.Marshal gives, including
// raw fields that need compacting or HTML escaping and strings that need
// escaping.
func TestMarshalMatchesEncodingJSON(t *testing.T) {
	call := json.RawMessage(`{"sessionId":"v1.abc","initiator":{"uid":"ann","name":"Ann"},"status":"initiated","participants":[{"uid":"ann","joinedAt":null}]}`)
	msgs := []Message{
		{},
		{ID: "c1", Method: "initiateCall", Params: json.RawMessage(`{"receiverId":"bob"}`)},
		{ID: "c1", Method: "ping"},
		{ID: "c2", Result: call},
		{ID: "c2", Result: json.RawMessage(`null`)},
		{ID: "c3", Error: &Error{Code: CodeNotFound, Message: `no user "bob" <here> & there`}},
		{ID: "", Error: &Error{Code: CodeBadRequest}},
		{Event: "incomingCall", Data: call},
		{Event: "userOnline", Data: json.RawMessage(`{"uid":"ann","name":"Ann"}`)},
		{Event: "callEnded"},
		// raw fields json.Marshal rewrites: whitespace, HTML characters, U+2028
		{ID: "c4", Result: json.RawMessage(" { \"a\" : [ 1 , \"b c\" ] }\n")},
		{ID: "c5", Result: json.RawMessage(`{"html":"<b>&amp;</b>"}`)},
		{ID: "c6", Result: json.RawMessage("{\"ls\":\"a\u2028b\u2029\"}")},
		{Event: "x", Data: json.RawMessage(`"a \"quoted\" \\ string"`)},
		{Event: "x", Data: json.RawMessage(`12.5`)},
		// strings json.Marshal escapes
		{ID: "tab\there", Method: "m\"q\\", Params: json.RawMessage(`[]`)},
		{ID: "ünï", Method: "\u2028", Event: "<&>"},
		{ID: "bad\xffutf8", Method: "ctl\x01\b\f"},
	}
	for _, m := range msgs {
		want, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Marshal(m)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", m, err)
		}
		if string(got) != string(want) {
			t.Errorf("Marshal(%+v) =\n%s\nwant\n%s", m, got, want)
		}
	}
}

// Unbalanced raw JSON is refused, as json.Marshal refuses it.
func TestMarshalRefusesBrokenRaw(t *testing.T) {
	for _, raw := range []string{`{"a":1`, `{"a":"1}`, `]`, `[1}}`, `1 2`} {
		_, err := Marshal(Message{ID: "c1", Result: json.RawMessage(raw)})
		if err == nil {
			t.Errorf("Marshal with result %s succeeded", raw)
		}
		if _, jerr := json.Marshal(Message{ID: "c1", Result: json.RawMessage(raw)}); jerr == nil {
			t.Errorf("json.Marshal accepts %s: the test is wrong", raw)
		}
	}
	if _, err := Marshal(Message{Event: "x", Data: json.RawMessage(`{`)}); !errors.Is(err, errBadRaw) {
		t.Fatalf("err = %v, want errBadRaw", err)
	}
}

// Reply and Event take already-encoded JSON as is and marshal the rest.
func TestBuildersKeepRawJSON(t *testing.T) {
	raw := json.RawMessage(`{"a":1}`)
	m, err := Reply("c1", raw)
	if err != nil || string(m.Result) != `{"a":1}` {
		t.Fatalf("Reply(raw) = %s, %v", m.Result, err)
	}
	if m, _ = Reply("c1", nil); string(m.Result) != "null" {
		t.Fatalf("Reply(nil) result = %s, want null", m.Result)
	}
	if m, _ = Reply("c1", json.RawMessage(nil)); string(m.Result) != "null" {
		t.Fatalf("Reply(empty raw) result = %s, want null", m.Result)
	}
	if m, _ = Event("e", map[string]int{"b": 2}); string(m.Data) != `{"b":2}` {
		t.Fatalf("Event(map) data = %s", m.Data)
	}
	if m, _ = Event("e", nil); m.Data != nil {
		t.Fatalf("Event(nil) data = %s, want none", m.Data)
	}
}

// benchFrame is a typical event: incomingCall with a rendered call and a token.
var benchFrame = Message{Event: "incomingCall", Data: json.RawMessage(`{"sessionId":"v1.2b7f0c0d9a1e4c7b8f6e","callType":"audio","receiverType":"user","initiator":{"uid":"ring-12","name":"ring-12"},"receiver":{"uid":"ring-13","name":"ring-13"},"status":"initiated","initiatedAt":1767225600000,"joinedAt":null,"endedAt":null,"timeout":45,"participants":[{"uid":"ring-12","status":"initiated","joinedAt":1767225600000,"leftAt":null},{"uid":"ring-13","status":"initiated","joinedAt":null,"leftAt":null}]}`)}

func BenchmarkMarshalFrame(b *testing.B) {
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(benchFrame); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("protocol.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Marshal(benchFrame); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkParseFrame(b *testing.B) {
	event, _ := Marshal(benchFrame)
	request := []byte(`{"id":"c12","method":"acceptCall","params":{"sessionId":"0Yb3kq8lZ1xWc2Vn9aBcDe"}}`)
	for _, f := range []struct {
		name  string
		frame []byte
	}{{"event", event}, {"request", request}} {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(f.frame); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
