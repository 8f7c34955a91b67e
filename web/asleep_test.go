package web_test

// A phone app its system suspended keeps its socket open but reads
// nothing: with push.policy offline-only the server must not take that
// socket for a live device (signaling/asleep.go).

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/server"
)

// suspendedApp opens ph's /v1/ws socket, registers push target (deviceID,
// kind, token) on it, and from then on reads nothing: the app was
// suspended (its socket stays open; the phone's TCP stack still
// acknowledges what arrives).
func suspendedApp(t *testing.T, app *server.App, ph *phone, deviceID, kind, token string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(app.URL(), "http")+"/v1/ws",
		&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + ph.token}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.CloseNow() })
	params, _ := json.Marshal(protocol.RegisterDeviceParams{DeviceID: deviceID, Kind: kind, Token: token, AppID: "com.example.calls"})
	req, _ := json.Marshal(protocol.Message{ID: "r1", Method: protocol.MethodRegisterDevice, Params: params})
	if err := ws.Write(ctx, websocket.MessageText, req); err != nil {
		t.Fatal(err)
	}
	for { // "connected", then the reply
		_, frame, err := ws.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m, err := protocol.Parse(frame); err == nil && m.ID == "r1" {
			if m.Error != nil {
				t.Fatalf("registerDevice: %v", m.Error)
			}
			return ws
		}
	}
}

// probingApp runs a switchboard that pushes (offline-only) and gives a
// quiet bound socket 300 ms to answer its ping, with alice signed in and
// her "ringing" events.
func probingApp(t *testing.T) (*server.App, *providers, *person, chan client.Call) {
	t.Helper()
	app, p := startPushApp(t, func(cfg *server.Config) { cfg.Ringing.RingProbeTimeout = 300 * time.Millisecond })
	alice := signIn(t, app, "alice", "Alice")
	ringing := make(chan client.Call, 4)
	alice.chat.AddCallListener("ringing", client.CallListener{OnRinging: func(c client.Call) { ringing <- c }})
	return app, p, alice, ringing
}

// TestSuspendedAppIsPushed: bob's phone registered its VoIP token on its
// socket and was then suspended. A call to bob finds that socket silent for
// more than a second and pings it; with no pong within
// ringing.ring_probe_timeout the socket is closed and the phone gets the
// VoIP ring push. Alice does not hear "ringing" from the silent socket,
// only from the phone's acknowledgement over HTTPS, and her cancel sends
// the phone its stop push.
func TestSuspendedAppIsPushed(t *testing.T) {
	app, p, alice, ringing := probingApp(t)
	bob := newPhone(t, app, "bob", "Bob")
	ws := suspendedApp(t, app, bob, "iphone", "apns-voip", "aa11")
	time.Sleep(1200 * time.Millisecond) // nothing came from it for more than a second

	c := call(t, alice, "bob", 0)
	reqs := p.apns.Wait(t, 1)
	if ring := sb(reqs[0]); reqs[0].Token != "aa11" || ring["type"] != "ring" || ring["sessionId"] != c.SessionID {
		t.Fatalf("push to the suspended phone: %s to %s; want its ring", reqs[0].Body, reqs[0].Token)
	}
	select {
	case <-ringing:
		t.Fatal(`alice heard "ringing" from a socket that answered nothing`)
	case <-time.After(200 * time.Millisecond):
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	for { // what it was sent while asleep (the ring), then the end: closed at once, no handshake waited for
		if _, _, err := ws.Read(ctx); err != nil {
			if ctx.Err() != nil {
				t.Errorf("the suspended socket is still open: %v", err)
			}
			break
		}
	}
	if r := bob.do("POST", "/v1/calls/"+c.SessionID+"/ack", `{"deviceId":"iphone"}`); r.status != http.StatusOK {
		t.Fatalf("ack over HTTPS: %d %s", r.status, r.body)
	}
	select {
	case <-ringing:
	case <-time.After(waitLimit):
		t.Fatal(`alice never heard "ringing" after the phone's ack`)
	}
	if _, err := alice.chat.RejectCall(ctx, c.SessionID, client.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	reqs = p.apns.Wait(t, 2)
	if stop := sb(reqs[1]); reqs[1].Token != "aa11" || stop["type"] != "stop" || stop["sessionId"] != c.SessionID {
		t.Fatalf("second push: %s to %s; want the stop", reqs[1].Body, reqs[1].Token)
	}
	metrics := do(t, "GET", app.URL()+"/metrics", "").body
	for _, want := range []string{`switchboard_ring_probes_total{result="unanswered"} 1`, `switchboard_ring_pushes_after_socket_lost_total 1`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// TestAwakeAppAnswersThePingAndIsNotPushed: an app in the foreground that
// has been quiet for a while answers the ping (its WebSocket library
// does): the ring stays on its socket, alice hears "ringing", no push.
func TestAwakeAppAnswersThePingAndIsNotPushed(t *testing.T) {
	app, p, alice, ringing := probingApp(t)
	bob := signIn(t, app, "bob", "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if _, err := bob.chat.RegisterDevice(ctx, client.DeviceParams{DeviceID: "pixel", Kind: client.DeviceFCM, Token: "fcm-1", AppID: "com.example.calls"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1200 * time.Millisecond)
	c := call(t, alice, "bob", 0)
	select {
	case <-ringing:
	case <-time.After(waitLimit):
		t.Fatal(`alice never heard "ringing" from bob's awake socket`)
	}
	time.Sleep(500 * time.Millisecond) // past the probe's timeout: a push that should not exist shows up
	if n := p.fcm.Count(); n != 0 {
		t.Fatalf("%d pushes to a device whose socket answered", n)
	}
	if m := do(t, "GET", app.URL()+"/metrics", "").body; !strings.Contains(m, `switchboard_ring_probes_total{result="answered"} 1`) {
		t.Error(`/metrics lacks switchboard_ring_probes_total{result="answered"} 1`)
	}
	if _, err := alice.chat.RejectCall(ctx, c.SessionID, client.StatusCancelled); err != nil {
		t.Fatal(err)
	}
}

// TestSocketLostMidRingPushesItsDevice: bob's app is rung on its socket,
// then its socket goes (the app was killed, or the network dropped) while
// the call still rings: the phone is pushed the ring, then the stop when
// alice cancels.
func TestSocketLostMidRingPushesItsDevice(t *testing.T) {
	app, p := startPushApp(t)
	alice := signIn(t, app, "alice", "Alice")
	bob := signIn(t, app, "bob", "Bob")
	incoming := make(chan client.Call, 4)
	bob.chat.AddCallListener("in", client.CallListener{OnIncomingCallReceived: func(c client.Call) { incoming <- c }})
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if _, err := bob.chat.RegisterDevice(ctx, client.DeviceParams{DeviceID: "pixel", Kind: client.DeviceFCM, Token: "fcm-1", AppID: "com.example.calls"}); err != nil {
		t.Fatal(err)
	}
	c := call(t, alice, "bob", 0)
	select {
	case <-incoming:
	case <-time.After(waitLimit):
		t.Fatal("bob's socket was never rung")
	}
	if n := p.fcm.Count(); n != 0 {
		t.Fatalf("%d pushes while bob's socket lived", n)
	}
	_ = bob.chat.Close()
	reqs := p.fcm.Wait(t, 1)
	if ring := reqs[0].JSON(); reqs[0].Token != "fcm-1" || !strings.Contains(string(reqs[0].Body), `"type":"ring"`) || !strings.Contains(string(reqs[0].Body), c.SessionID) {
		t.Fatalf("push after bob's socket went: %v to %s; want the ring", ring, reqs[0].Token)
	}
	if _, err := alice.chat.RejectCall(ctx, c.SessionID, client.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	reqs = p.fcm.Wait(t, 2)
	if !strings.Contains(string(reqs[1].Body), `"type":"stop"`) {
		t.Fatalf("second push: %s; want the stop", reqs[1].Body)
	}
}
