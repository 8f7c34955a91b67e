package protocoltest

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// rtcParams: for each /v1/rtc method, params the schema takes with every
// field given, and the type the server decodes them into ("" params: the
// method takes none).
var rtcParams = map[string]struct {
	params string
	into   func() any
}{
	"publishOffer":     {`{"sdp":"v=0\r\n","sources":{"1":"camera"}}`, func() any { return &protocol.PublishOffer{} }},
	"subscriberAnswer": {`{"sdp":"v=0\r\n"}`, func() any { return &protocol.SDP{} }},
	"trickle": {`{"target":"publisher","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"u"}}`,
		func() any { return &protocol.Trickle{} }},
	"mute":          {`{"kind":"audio","muted":true}`, func() any { return &protocol.MuteParams{} }},
	"trackSettings": {`{"trackId":"a-video-1","paused":true,"width":320,"height":180,"layer":"low"}`, func() any { return &protocol.TrackSettings{} }},
	"leave":         {"", func() any { return &struct{}{} }},
	"restartIce":    {"", func() any { return &struct{}{} }},
	"endCall":       {"", func() any { return &struct{}{} }},
	"ping":          {"", func() any { return &struct{}{} }},
}

// Every /v1/rtc method's params are refused by the server exactly when the
// schema refuses them for a field left out (the schema's "required"), or
// for a null in a field it requires (a bool the server would read as
// false), nested objects included (trickle's candidate). A null in a field
// the schema does not require is not compared: the server takes it as
// absent.
func TestRTCParamsRequiredAsTheSchemaSays(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range s.Methods(RTC) {
		ex, ok := rtcParams[method]
		if !ok {
			t.Errorf("/v1/rtc method %s has no example in rtcParams: add one", method)
			continue
		}
		agree := func(what string, params json.RawMessage) bool {
			frame := map[string]any{"id": "c1", "method": method}
			if params != nil {
				frame["params"] = params
			}
			b, _ := json.Marshal(frame)
			v, _ := Decode(b)
			_, _, schemaErr := s.RequestMethod(RTC, v)
			decodeErr := protocol.DecodeParams(params, ex.into())
			if (schemaErr == nil) != (decodeErr == nil) {
				t.Errorf("%s %s: the schema says %v, the server %v", method, what, schemaErr, decodeErr)
			}
			return schemaErr == nil
		}
		if ex.params == "" {
			agree("without params", nil)
			continue
		}
		if !agree("with every field", json.RawMessage(ex.params)) {
			continue
		}
		agree("without params", nil)
		var top map[string]json.RawMessage
		if err := json.Unmarshal([]byte(ex.params), &top); err != nil {
			t.Fatal(err)
		}
		for _, v := range variants(top) {
			if !agree(v.what, v.params) && v.null != nil {
				agree(v.null.what, v.null.params)
			}
		}
	}
}

// variant is params with one field left out; null, the same with that
// field null instead.
type variant struct {
	what   string
	params json.RawMessage
	null   *variant
}

// variants are obj with each field left out (or null), and so for each
// field of an object-valued field.
func variants(obj map[string]json.RawMessage) []variant {
	var out []variant
	for k, v := range obj {
		out = append(out, variant{"without " + k, with(obj, k, nil), &variant{what: k + " null", params: with(obj, k, json.RawMessage("null"))}})
		var inner map[string]json.RawMessage
		if json.Unmarshal(v, &inner) != nil {
			continue
		}
		for _, iv := range variants(inner) {
			out = append(out, variant{fmt.Sprintf("%s: %s", k, iv.what), with(obj, k, iv.params),
				&variant{what: fmt.Sprintf("%s: %s", k, iv.null.what), params: with(obj, k, iv.null.params)}})
		}
	}
	return out
}

// with is a copy of obj marshalled, with key k set to v (nil: left out).
func with(obj map[string]json.RawMessage, k string, v json.RawMessage) json.RawMessage {
	c := make(map[string]json.RawMessage, len(obj))
	for key, val := range obj {
		c[key] = val
	}
	delete(c, k)
	if v != nil {
		c[k] = v
	}
	b, _ := json.Marshal(c)
	return b
}
