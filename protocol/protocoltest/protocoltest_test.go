package protocoltest

import (
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/protocol"
)

const call = `{"sessionId":"s1","callType":"audio","receiverType":"user","initiator":{"uid":"a","name":"A"},` +
	`"receiver":{"uid":"b","name":"B"},"status":"ongoing","initiatedAt":1,"joinedAt":2,"endedAt":null,"timeout":45,"participants":[]}`

func TestCheckerTypesRepliesByTheMethodAsked(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	sent, recv := protocol.FrameSent, protocol.FrameReceived
	for _, tc := range []struct {
		name    string
		frames  []string // "> " sent, "< " received
		wantErr string   // in the last frame's error; "" for none
	}{
		{"accept reply", []string{`> {"id":"c1","method":"acceptCall","params":{"sessionId":"s1"}}`, `< {"id":"c1","result":{"call":` + call + `,"callToken":"t"}}`}, ""},
		{"accept reply shaped as another method's", []string{`> {"id":"c1","method":"acceptCall","params":{"sessionId":"s1"}}`, `< {"id":"c1","result":` + call + `}`}, "AcceptCallReply"},
		{"error reply", []string{`> {"id":"c1","method":"ping"}`, `< {"id":"c1","error":{"code":"not_found","message":"x"}}`}, ""},
		{"unknown error code", []string{`> {"id":"c1","method":"ping"}`, `< {"id":"c1","error":{"code":"oops","message":"x"}}`}, "/error/code"},
		{"reply nobody asked for", []string{`< {"id":"c9","result":{}}`}, "no request had"},
		{"unparsable frame's reply", []string{`< {"error":{"code":"bad_request","message":"malformed"}}`}, ""},
		{"event", []string{`< {"event":"incomingCall","data":` + call + `}`}, ""},
		{"event with an extra field", []string{`< {"event":"userOnline","data":{"uid":"a","name":"A","x":1}}`}, "x"},
		{"unknown event", []string{`< {"event":"teleported","data":{}}`}, "no event"},
		{"request with a wrong param", []string{`> {"id":"c1","method":"rejectCall","params":{"sessionId":"s1","status":"maybe"}}`}, "status"},
		{"replies to one id, in order", []string{`> {"id":"t","method":"ping"}`, `> {"id":"t","method":"listGroups"}`, `< {"id":"t","result":{"now":5}}`, `< {"id":"t","result":[]}`}, ""},
	} {
		c := NewChecker(s, WS, true)
		var err error
		for _, f := range tc.frames {
			dir := recv
			if strings.HasPrefix(f, "> ") {
				dir = sent
			}
			err = c.Check(dir, []byte(f[2:]))
			if err != nil && f != tc.frames[len(tc.frames)-1] {
				t.Fatalf("%s: frame %s: %v", tc.name, f, err)
			}
		}
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: got %v, want an error naming %q", tc.name, err, tc.wantErr)
		}
	}
}

func TestRTCEndCallIsNotWSEndCall(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	c := NewChecker(s, RTC, true)
	if err := c.Check(protocol.FrameSent, []byte(`{"id":"c1","method":"endCall"}`)); err != nil {
		t.Fatal(err)
	}
	if err := c.Check(protocol.FrameReceived, []byte(`{"id":"c1","result":{}}`)); err != nil {
		t.Fatal(err)
	}
	w := NewChecker(s, WS, true)
	if err := w.Check(protocol.FrameSent, []byte(`{"id":"c1","method":"endCall"}`)); err == nil {
		t.Fatal("endCall on /v1/ws without a sessionId validated")
	}
}
