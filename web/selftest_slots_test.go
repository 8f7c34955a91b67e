package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pion/webrtc/v4"
)

// selfTestOffer is a /test page's offer: a data channel, candidates inside.
func selfTestOffer(t *testing.T) string {
	t.Helper()
	pc, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	if _, err := pc.CreateDataChannel("selftest", nil); err != nil {
		t.Fatal(err)
	}
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := pc.SetLocalDescription(offer); err != nil {
		t.Fatal(err)
	}
	return offer.SDP
}

// TestSelfTestSlotsPerAddress: without a login, one address gets two
// self-tests at once; the third is a 429 that says why (the repro held all
// eight with eight requests).
func TestSelfTestSlotsPerAddress(t *testing.T) {
	app := startApp(t)
	body, _ := json.Marshal(map[string]string{"sdp": selfTestOffer(t)})
	for i, want := range []int{200, 200, 429} {
		r := do(t, "POST", app.URL()+"/v1/selftest", string(body), "Content-Type: application/json")
		if r.status != want {
			t.Fatalf("self-test %d: %d %s, want %d", i+1, r.status, r.body, want)
		}
		if want == 429 && (r.errorCode() != "rate_limited" || !strings.Contains(r.body, "from this address")) {
			t.Errorf("the refusal does not say why: %s", r.body)
		}
	}
}
