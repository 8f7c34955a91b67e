package protocol

import (
	"encoding/json"
	"strings"
	"testing"
)

// A field the schema requires is refused when absent (or null, unless the
// field may be null), naming it, however the object is written; what the
// schema allows still decodes.
func TestParamsRequiredFields(t *testing.T) {
	for _, tc := range []struct {
		params string
		into   any
		want   string // "": decodes
	}{
		{`{"kind":"audio","muted":false}`, &MuteParams{}, ""},
		{`{"kind":"audio"}`, &MuteParams{}, `invalid params: field "muted" is required`},
		{`{"muted":true}`, &MuteParams{}, `field "kind" is required`},
		{`{}`, &MuteParams{}, `field "kind" is required`},
		{``, &MuteParams{}, `field "kind" is required`},
		{`null`, &MuteParams{}, `field "kind" is required`},
		{`{"kind":"audio","muted":null}`, &MuteParams{}, `field "muted" must be true or false, not null`},
		{`{"kind":null,"muted":true}`, &MuteParams{}, `field "kind" must be a string, not null`},
		{`{"kind":"audio","mut\u0065d":true}`, &MuteParams{}, ""},                                              // the Decoder's way
		{`{"kind":"audio","m\u0075ted":null}`, &MuteParams{}, `field "muted" must be true or false, not null`}, // likewise
		{`{"k\u0069nd":"audio"}`, &MuteParams{}, `field "muted" is required`},

		{`{"target":"publisher","candidate":null}`, &Trickle{}, ""}, // the end of candidates
		{`{"target":"publisher","candidate":{"candidate":""}}`, &Trickle{}, ""},
		{`{"target":"publisher","candidate":{"candidate":"candidate:1 1 udp 1 127.0.0.1 9 typ host","sdpMid":null,"sdpMLineIndex":null,"usernameFragment":null}}`, &Trickle{}, ""},
		{`{"target":"publisher"}`, &Trickle{}, `field "candidate" is required`},
		{`{"candidate":null}`, &Trickle{}, `field "target" is required`},
		{`{"target":"publisher","candidate":{}}`, &Trickle{}, `field "candidate.candidate" is required`},
		{`{"target":"publisher","candidate":{"sdpMid":"0"}}`, &Trickle{}, `field "candidate.candidate" is required`},
		{`{"target":"publisher","candidate":{"candidate":null}}`, &Trickle{}, `field "candidate.candidate" must be a string, not null`},
		{`{"target":"publisher","candidate":{"c\u0061ndidate":""}}`, &Trickle{}, ""},
		{`{"target":"publisher","candidate":{"Candidate":""}}`, &Trickle{}, `in field "candidate": field "Candidate": names are case-sensitive`},
		{`{"target":"publisher","candidate":{"candidate":"","candidate":""}}`, &Trickle{}, `in field "candidate": field "candidate" is given twice`},

		{`{"sdp":"v=0\r\n"}`, &SDP{}, ""},
		{`{}`, &SDP{}, `field "sdp" is required`},
		{`{"sources":{"1":"screen"}}`, &PublishOffer{}, `field "sdp" is required`},
		{`{"trackId":"a-video-1"}`, &TrackSettings{}, ""},
		{`{"paused":true}`, &TrackSettings{}, `field "trackId" is required`},

		{`{}`, &SessionParams{}, ""}, // /v1/ws checks its ids' values itself
	} {
		err := DecodeParams(json.RawMessage(tc.params), tc.into)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%T %s: %v, want it decoded", tc.into, tc.params, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || AsError(err).Code != CodeBadRequest):
			t.Errorf("%T %s: %v, want bad_request saying %q", tc.into, tc.params, err, tc.want)
		}
	}
}

// A type that contains itself is described without looping.
func TestFieldNamesOfARecursiveType(t *testing.T) {
	type node struct {
		Name string `json:"name" wire:"required"`
		Next *node  `json:"next"`
	}
	if err := DecodeParams(json.RawMessage(`{"name":"a","next":{"name":"b","next":{}}}`), &node{}); err == nil || !strings.Contains(err.Error(), `field "next.next.name" is required`) {
		t.Errorf("got %v", err)
	}
}
