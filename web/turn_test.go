package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol/protocoltest"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/turnserver"
)

// turnOnLoopback turns the embedded TURN server on, on 127.0.0.1 (UDP and
// TCP, free ports, any relay port).
func turnOnLoopback(cfg *server.Config) {
	cfg.TURN.Enabled = true
	cfg.TURN.Secret = "turn-test-secret-0123456789"
	cfg.TURN.ListenUDP, cfg.TURN.ListenTCP = "127.0.0.1:0", "127.0.0.1:0"
	cfg.TURN.RelayPortMin, cfg.TURN.RelayPortMax = 0, 0
}

// TestRelayOnlyClientCallsThroughEmbeddedTURN: joined hands each
// participant its own TURN credentials; a client that may use only relay
// candidates completes a call with a direct one, media both ways, and the
// TURN metrics show the allocations and the relayed bytes.
func TestRelayOnlyClientCallsThroughEmbeddedTURN(t *testing.T) {
	app := startApp(t, turnOnLoopback)
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	_, aliceTok, bobTok := connectCall(t, alice, bob)

	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	a, err := client.JoinSession(ctx, app.URL(), aliceTok, client.MediaOptions{Audio: true, Video: "vp8", Loopback: true, RelayOnly: true,
		OnFrame: protocoltest.Hook(t, protocoltest.RTC)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	b := join(t, app, bobTok, nil)

	ice := a.Info().ICEServers
	if len(ice) != 1 || len(ice[0].URLs) != 2 || !strings.HasPrefix(ice[0].URLs[0], "turn:127.0.0.1:") {
		t.Fatalf("alice's iceServers %+v", ice)
	}
	if _, uid, err := turnserver.ParseUsername(ice[0].Username); err != nil || uid != "alice" {
		t.Fatalf("alice's TURN username %q: %v", ice[0].Username, err)
	}
	if bu := b.Info().ICEServers[0].Username; bu == ice[0].Username || !strings.HasSuffix(bu, ":bob") {
		t.Fatalf("bob's TURN username %q (alice's %q)", bu, ice[0].Username)
	}
	flowUntilReceived(t, []*client.Session{a, b}, a, b)
	if app.TURN().Allocations() == 0 {
		t.Fatal("media flowed without a TURN allocation")
	}
	metrics := get(t, app.URL()+"/metrics")
	for _, want := range []string{"switchboard_turn_allocations ", `switchboard_turn_relayed_bytes_total{direction="from_peer"}`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestTURNOffHandsOutNoServers: the default (and --dev) configuration runs
// no TURN and joined's iceServers stay empty.
func TestTURNOffHandsOutNoServers(t *testing.T) {
	app := startApp(t)
	if app.TURN().Enabled() {
		t.Fatal("TURN runs by default")
	}
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	_, aliceTok, _ := connectCall(t, alice, bob)
	if got := join(t, app, aliceTok, nil).Info().ICEServers; len(got) != 0 {
		t.Fatalf("iceServers %+v", got)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url) //nolint:noctx // test
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestSelfTestRefusesBadOffers: the /test page's endpoint needs no login,
// so bad input gets a clear error and nothing else.
func TestSelfTestRefusesBadOffers(t *testing.T) {
	app := startApp(t, turnOnLoopback)
	for body, want := range map[string]string{
		``:                   "bad_request",
		`{"sdp":""}`:         "bad_request",
		`{"sdp":"v=0 junk"}`: "bad_request",
		`{"sdp":1}`:          "bad_request",
		`{"offer":"x"}`:      "bad_request",
	} {
		r := do(t, "POST", app.URL()+"/v1/selftest", body, "Content-Type: application/json")
		if r.status != 400 || r.errorCode() != want {
			t.Errorf("%q: %d %s", body, r.status, r.body)
		}
	}
	info := get(t, app.URL()+"/v1/selftest")
	if !strings.Contains(info, `"username":"`) || !strings.Contains(info, ":"+turnserver.SelfTestUID+`"`) {
		t.Errorf("GET /v1/selftest: %s", info)
	}
}
