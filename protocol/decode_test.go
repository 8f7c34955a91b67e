package protocol

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Parse gives the same message, or the same error, as the strict decoder
// alone, for frames on and off its fast path.
func TestParseMatchesStrictDecoding(t *testing.T) {
	frames := []string{
		`{"id":"c1","method":"ping"}`,
		`{"id":"c1","method":"initiateCall","params":{"receiverId":"bob","timeout":30.5}}`,
		` { "id" : "c2" , "result" : { "a" : [1, "b,}"] } } `,
		`{"event":"incomingCall","data":{"sessionId":"x","participants":[{"uid":"a"}]}}`,
		`{"ID":"c3","Method":"ping"}`,                     // keys match ignoring case
		`{"id":"c4","method":"ping","id":"c5"}`,           // a repeated key: the last wins
		`{"id":"c6","method":"ping","bogus":1}`,           // unknown key
		`{"id":"c7","method":"ping","\u0069d":"c8"}`,      // escaped key
		`{"id":"c9","method":"ping","\u212ad":1}`,         // non-ASCII key
		`{"id":"c10","error":{"code":"x","message":"y"}}`, // error: strict path
		`{"id":"c11","error":{"code":"x","extra":1}}`,
		`{"id":"c12","method":"ping"} trailing`,
		`{"id":"c13","method":"ping"}{}`,
		`{"id":"c14","method":"ping","params":{"a":tru}}`,
		`{"id":"c15","method":"ping","params":null}`,
		`{"id":null,"method":"ping"}`,
		`{"id":"c16","method":"p\u00efng\n"}`,
		`{"id":"c17","method":"ping",}`,
		`{"id":"c18" "method":"ping"}`,
		`{"id":"c19","method":"ping"`,
		`{"id":"c20","method":["ping"]}`,
		`[]`, `{}`, `{`, ``, `"x"`,
	}
	for _, f := range frames {
		var strict Message
		serr := decodeStrict([]byte(f), &strict)
		var fast Message
		ferr := decodeEnvelope([]byte(f), &fast)
		if (serr == nil) != (ferr == nil) || (serr != nil && serr.Error() != ferr.Error()) {
			t.Errorf("%s: error %v, strict decoding says %v", f, ferr, serr)
			continue
		}
		if !reflect.DeepEqual(fast, strict) {
			t.Errorf("%s: %+v, strict decoding gives %+v", f, fast, strict)
		}
	}
}

// The fast path takes the usual frames and leaves the others to the
// strict decoder.
func TestEnvelopeKeysKnown(t *testing.T) {
	for f, want := range map[string]bool{
		`{"id":"c1","method":"ping"}`:                         true,
		` { "id" : "c2" , "result" : { "a" : [1, "b,}"] } } `: true,
		`{"event":"e","data":{"error":{"x":1}}}`:              true,  // nested keys are not the envelope's
		`{"ID":"c3","Method":"ping"}`:                         false, // another case: the strict decoder refuses it
		`{"id":"c4","method":"ping","id":"c5"}`:               false, // a key twice: likewise
		`{}`:                                                  true,
		`{"id":"c6","method":"ping","bogus":1}`:               false,
		`{"id":"c7","\u0069d":"c8"}`:                          false,
		`{"id":"c10","error":{"code":"x","message":"y"}}`:     false,
		`{"id":"c17","method":"ping",}`:                       true, // keys only: json.Unmarshal then refuses it
		`{"id":"c19","method":"ping"`:                         false,
		`[]`:                                                  false,
	} {
		if got := envelopeKeysKnown([]byte(f)); got != want {
			t.Errorf("envelopeKeysKnown(%s) = %v, want %v", f, got, want)
		}
	}
}

// TestParamsErrorsSpeakJSON: a request's params of the wrong JSON type are
// refused naming the field and the JSON type it must have, not the Go
// struct it was decoded into; the HTTP API's bodies say it the same way.
func TestParamsErrorsSpeakJSON(t *testing.T) {
	for _, tc := range []struct{ params, want string }{
		{`{"limit":"5"}`, `invalid params: field "limit" must be an integer, not string`},
		{`{"limit":2.5}`, `invalid params: field "limit" must be an integer, not number 2.5`},
		{`{"before":true}`, `invalid params: field "before" must be an integer, not bool`},
		{`[1]`, `invalid params: must be an object, not array`},
		{`{"limit":5,"x":1}`, `invalid params: json: unknown field "x"`},
		{`{"limit":5} {}`, `invalid params: trailing data after JSON value`},
	} {
		var q LogQuery
		err := DecodeParams([]byte(tc.params), &q)
		if err == nil || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.params, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "Go ") {
			t.Errorf("%s: %v names Go's types", tc.params, err)
		}
	}
}

// Params and bodies are decoded as the schema names them: a key in
// another case or a key given twice is refused, naming it; a nested
// object's keys are its own business.
func TestParamsNamesAreExact(t *testing.T) {
	for raw, want := range map[string]string{
		`{"SessionId":"s1"}`:                               `field "SessionId": names are case-sensitive; it is "sessionId"`,
		`{"sessionId":"s1","sessionId":"s2"}`:              `field "sessionId" is given twice`,
		`{"sessionId":"s1","SESSIONID":"s2"}`:              `names are case-sensitive`,
		`{"sessionId":"s1"}`:                               "",
		"{\"\u017fessionId\":\"s1\"}":                      "field \"\u017fessionId\": names are case-sensitive; it is \"sessionId\"",
		"{\"sessionId\":\"s1\",\"\u017fessionId\":\"s2\"}": `names are case-sensitive`,
		`{"\u0053essionId":"s1"}`:                          `field "SessionId": names are case-sensitive`,
		`{"session\u0049d":"s1","sessionId":"s2"}`:         `field "sessionId" is given twice`,
		` { "sessionId" : "s\u0031" } `:                    "",
	} {
		var p SessionParams
		err := DecodeParams(json.RawMessage(raw), &p)
		if want == "" {
			if err != nil {
				t.Errorf("DecodeParams(%s) = %v, want nil", raw, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) || AsError(err).Code != CodeBadRequest {
			t.Errorf("DecodeParams(%s) = %v, want bad_request saying %q", raw, err, want)
		}
	}
	var ip InitiateParams // nested values are not looked into
	if err := DecodeParams(json.RawMessage(`{"receiverId":"bob","receiverType":"user","callType":"audio","metadata":{"A":1,"a":2}}`), &ip); err != nil && strings.Contains(err.Error(), "twice") {
		t.Errorf("a nested object's keys were checked: %v", err)
	}
}
