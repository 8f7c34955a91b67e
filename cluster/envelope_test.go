package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func sampleEnvelopes() []Envelope {
	return []Envelope{
		{Kind: KindDeliver, From: "n1", UID: "ann", Frame: json.RawMessage(`{"type":"event","event":"incomingCall","data":{"sessionId":"s\u00e9"}}`), SkipNode: "n2", Conn: 7},
		{Kind: KindCommand, From: "n2", ID: "n2/41", UID: "ben", Method: "acceptCall", SessionID: "v1.abc", Params: json.RawMessage(`{"sessionId":"v1.abc"}`), Conn: 1 << 40},
		{Kind: KindReply, From: "n1", ID: "n2/41", Result: json.RawMessage(`{"call":{}}`)},
		{Kind: KindReply, From: "n1", ID: "n2/42", ErrCode: "not_found", ErrText: "no call \"x\"\n"},
		{Kind: KindMedia, From: "n3", Method: MediaEnd, SessionID: "s", Params: json.RawMessage(`{"reason":"node_lost"}`)},
		{},
	}
}

// TestEnvelopeRoundTrip: every kind of envelope decodes to what was
// encoded, and the presence script's JSON decodes too.
func TestEnvelopeRoundTrip(t *testing.T) {
	for _, e := range sampleEnvelopes() {
		got, err := decodeEnvelope(encodeEnvelope(e))
		if err != nil {
			t.Fatalf("%+v: %v", e, err)
		}
		if !reflect.DeepEqual(got, e) {
			t.Fatalf("round trip: got %+v, want %+v", got, e)
		}
	}
	got, err := decodeEnvelope([]byte(`{"kind":"presence","uid":"ann","name":"Ann","status":"busy"}`))
	if want := (Envelope{Kind: KindPresence, UID: "ann", Name: "Ann", Status: "busy"}); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("presence JSON: %+v %v", got, err)
	}
}

// TestEnvelopeBadInput: truncated, padded or unknown payloads are refused
// with ErrBadEnvelope, never half-read.
func TestEnvelopeBadInput(t *testing.T) {
	good := encodeEnvelope(sampleEnvelopes()[0])
	for name, b := range map[string][]byte{
		"empty": nil, "version": {2, 0}, "truncated": good[:len(good)-3],
		"trailing": append(bytes.Clone(good), 0), "json": []byte(`{"kind":`),
		"huge length": {envelopeV1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
	} {
		if _, err := decodeEnvelope(b); !errors.Is(err, ErrBadEnvelope) {
			t.Errorf("%s: err %v, want ErrBadEnvelope", name, err)
		}
	}
}

// FuzzEnvelope: any payload decodes or is refused without panicking; a
// binary one that decodes encodes back to the same bytes.
func FuzzEnvelope(f *testing.F) {
	for _, e := range sampleEnvelopes() {
		f.Add(encodeEnvelope(e))
	}
	f.Add([]byte(`{"kind":"presence","uid":"a","status":"online"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeEnvelope(b)
		if err != nil {
			if !errors.Is(err, ErrBadEnvelope) {
				t.Fatalf("error %v is not ErrBadEnvelope", err)
			}
			return
		}
		if b[0] != envelopeV1 {
			return
		}
		if re := encodeEnvelope(e); !bytes.Equal(re, b) {
			// Uvarints have one shortest form; a longer one decodes but
			// encodes shorter. Then the re-encoding must decode the same.
			again, err := decodeEnvelope(re)
			if err != nil || !reflect.DeepEqual(again, e) {
				t.Fatalf("re-encoded %x decodes to %+v (%v), want %+v", re, again, err, e)
			}
		}
	})
}
