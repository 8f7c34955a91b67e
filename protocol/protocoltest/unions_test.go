package protocoltest

import (
	"encoding/json"
	"testing"

	"github.com/switchboard-rtc/switchboard/docs"
)

// Each endpoint's unions (WsRequest, RtcEvent, ...) name every method's
// request and reply and every event that x-methods and x-events list: a
// code generator that starts from a union sees them all.
func TestUnionsNameEveryMethodAndEvent(t *testing.T) {
	var root struct {
		Methods map[string]map[string]struct{ Request, Reply string } `json:"x-methods"`
		Events  map[string]map[string]string                          `json:"x-events"`
		Defs    map[string]struct {
			OneOf []struct {
				Ref string `json:"$ref"`
			} `json:"oneOf"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(docs.ProtocolSchema(), &root); err != nil {
		t.Fatal(err)
	}
	in := func(union, ref string) bool {
		for _, r := range root.Defs[union].OneOf {
			if r.Ref == ref {
				return true
			}
		}
		return false
	}
	for ep, prefix := range map[string]string{WS: "Ws", RTC: "Rtc"} {
		for name, m := range root.Methods[ep] {
			if !in(prefix+"Request", m.Request) || !in(prefix+"Reply", m.Reply) {
				t.Errorf("%s %s: %sRequest or %sReply does not name %s / %s", ep, name, prefix, prefix, m.Request, m.Reply)
			}
		}
		for name, ref := range root.Events[ep] {
			if !in(prefix+"Event", ref) {
				t.Errorf("%s event %s: %sEvent does not name %s", ep, name, prefix, ref)
			}
		}
	}
}
