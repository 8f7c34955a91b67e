package protocol

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzParse feeds arbitrary frames to the frame parser: it never panics,
// it accepts nothing the strict decoder refuses, and what it accepts
// survives a Marshal and Parse round trip unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"id":"c1","method":"initiateCall","params":{"receiverId":"bob","receiverType":"user","callType":"video"}}`,
		`{"id":"c1","result":{"sessionId":"x"}}`,
		`{"id":"c1","error":{"code":"rate_limited","message":"m","retryAfterMs":5}}`,
		`{"event":"incomingCall","data":{"sessionId":"..."}}`,
		`{"ID":"1","Method":"ping"}`, `{"id":"1","method":"x","params":null}`, `{`, `[]`, `null`, `{"id":"\u00e9","method":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		m, err := Parse(frame)
		var strict Message
		if serr := decodeStrict(frame, &strict); err == nil && serr != nil {
			t.Fatalf("Parse accepted what the strict decoder refuses (%v): %q", serr, frame)
		}
		if err != nil {
			return
		}
		out, err := Marshal(m)
		if err != nil {
			t.Fatalf("Marshal of a parsed frame: %v (%q)", err, frame)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("re-Parse of %s: %v", out, err)
		}
		if !sameMessage(m, again) {
			t.Fatalf("round trip changed the message:\n%+v\n%+v", m, again)
		}
	})
}

// sameMessage compares messages, the raw fields as JSON values.
func sameMessage(a, b Message) bool {
	for _, p := range [][2]json.RawMessage{{a.Params, b.Params}, {a.Result, b.Result}, {a.Data, b.Data}} {
		if !sameJSON(p[0], p[1]) {
			return false
		}
	}
	a.Params, a.Result, a.Data, b.Params, b.Result, b.Data = nil, nil, nil, nil, nil, nil
	return reflect.DeepEqual(a, b)
}

func sameJSON(x, y json.RawMessage) bool {
	x, y = bytes.TrimSpace(x), bytes.TrimSpace(y)
	if len(x) == 0 || len(y) == 0 {
		return len(x) == len(y)
	}
	var vx, vy any
	if json.Unmarshal(x, &vx) != nil || json.Unmarshal(y, &vy) != nil {
		return false
	}
	return reflect.DeepEqual(vx, vy)
}

// FuzzCheckFieldNames: the key scan that every request's params pass
// through agrees with a json.Decoder reading the same keys, on any object
// the decoder takes, and never panics: for a type without required fields
// and for one with required fields and a nested object it looks into.
func FuzzCheckFieldNames(f *testing.F) {
	for _, s := range []string{
		`{"receiverId":"bob","receiverType":"user","callType":"video"}`,
		`{"ReceiverId":"bob"}`, `{"receiverId":"a","receiverId":"b"}`, `{"receiver\u0049d":"a"}`,
		`{"\u0052eceiverId":"a"}`, `{"timeout":{"receiverId":1,"receiverId":2}}`, `{"a":[1,"}",{"b":2}],"timeout":3}`,
		`{}`, `{`, `[]`, `{"receiverId":"bob",}`,
		`{"target":"publisher","candidate":{"candidate":"","sdpMid":"0"}}`, `{"target":"publisher","candidate":null}`,
		`{"target":"publisher","candidate":{}}`, `{"target":null,"candidate":{"candidate":null}}`,
		`{"t\u0061rget":"x","candidate":{"c\u0061ndidate":"","Candidate":""}}`, `{"target":"x","candidate":{"candidate":"","candidate":""}}`,
	} {
		f.Add([]byte(s))
	}
	initiate := fieldNamesOf(reflect.TypeFor[InitiateParams]())
	trickle := fieldNamesOf(reflect.TypeFor[Trickle]())
	f.Fuzz(func(t *testing.T, raw []byte) {
		var probe map[string]json.RawMessage
		fast := CheckFieldNames(raw, &InitiateParams{})
		fastTrickle := CheckFieldNames(raw, &Trickle{})
		if json.Unmarshal(raw, &probe) != nil {
			return // not an object: decoding refuses it before any check
		}
		slow := checkFieldNamesSlow(raw, initiate)
		if (fast == nil) != (slow == nil) {
			t.Fatalf("%q: the scan says %v, the decoder %v", raw, fast, slow)
		}
		var into Trickle
		if json.Unmarshal(raw, &into) != nil {
			return // the nested check assumes the object decoded
		}
		if slow := checkFieldNamesSlow(raw, trickle); (fastTrickle == nil) != (slow == nil) {
			t.Fatalf("%q as Trickle: the scan says %v, the decoder %v", raw, fastTrickle, slow)
		}
	})
}

// FuzzEnvelopeFields: on every frame whose keys envelopeKeysKnown accepts,
// envelopeFields either declines (and sets nothing) or fills exactly what
// json.Unmarshal fills, raw fields byte for byte.
func FuzzEnvelopeFields(f *testing.F) {
	for _, s := range []string{
		`{"id":"c1","method":"initiateCall","params":{"receiverId":"bob","receiverType":"user","callType":"video"}}`,
		`{"id":"c1","result":{"sessionId":"x"}}`, `{"event":"incomingCall","data":{"sessionId":"s","n":[1,2.5e3,true,null]}}`,
		` { "id" : "1" , "method" : "x" , "params" : null } `, `{"id":null,"method":"x"}`, `{"id":"\u00e9","method":"x"}`,
		`{"id":"a\"b","method":"x"}`, `{"id":1,"method":"x"}`, `{"data":"str","event":"e"}`, `{"result": 12 ,"id":"x"}`,
		`{"id":"1","method":"x"} trailing`, `{"id":"1",}`, `{}`, "{\"id\":\"\x7f\",\"method\":\"x\"}", `{"params":[],"id":"x","method":"m"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		if !envelopeKeysKnown(frame) {
			return
		}
		var fast, slow Message
		ok := envelopeFields(frame, &fast)
		err := json.Unmarshal(frame, &slow)
		if !ok {
			if !reflect.DeepEqual(fast, Message{}) {
				t.Fatalf("declined but set %+v (%q)", fast, frame)
			}
			return
		}
		if err != nil {
			t.Fatalf("took a frame json.Unmarshal refuses (%v): %q", err, frame)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q:\nenvelopeFields %+v\njson.Unmarshal %+v", frame, fast, slow)
		}
	})
}
