package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/push/pushtest"
	"github.com/switchboard-rtc/switchboard/store"
)

// pushesTo lists reqs as "token:type", sorted (devices are pushed in
// parallel).
func pushesTo(reqs []pushtest.Request) string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Token+":"+strings.TrimSpace(sb(r)["type"].(string)))
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// TestIPhoneHoldsVoIPAndAlertTokens: an iPhone registers its PushKit token
// (apns-voip) and its alert token (apns) under one deviceId, as mobile.md
// says. A ring reaches it once, by VoIP (no alert banner beside CallKit);
// answering with its deviceId keeps every stop push from it; a missed call
// reaches it as a VoIP ring and stop plus one missed-call alert on the
// alert token. Unregistering takes one kind or the whole install.
func TestIPhoneHoldsVoIPAndAlertTokens(t *testing.T) {
	app, p := startPushApp(t)
	alice := signIn(t, app, "alice", "Alice")
	bob := newPhone(t, app, "bob", "Bob")
	bob.register("iphone", "apns-voip", "voip1")
	bob.register("iphone", "apns", "alert1")
	bob.register("ipad", "apns-voip", "voip2")
	if d := bob.devices(); len(d) != 3 {
		t.Fatalf("devices = %+v, want the iphone's two rows and the ipad's", d)
	}

	c := call(t, alice, "bob", 0)
	if got, want := pushesTo(p.apns.Wait(t, 2)), "voip1:ring voip2:ring"; got != want {
		t.Fatalf("ring pushes %q, want %q", got, want)
	}
	if r := bob.do("POST", "/v1/calls/"+c.SessionID+"/accept", `{"deviceId":"iphone"}`); r.status != http.StatusOK {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	if got, want := pushesTo(p.apns.Wait(t, 3)), "voip1:ring voip2:ring voip2:stop"; got != want {
		t.Fatalf("pushes after the iphone answered %q, want %q", got, want)
	}
	items, err := app.Store().ListOutbox(context.Background(), store.OutboxQuery{Channel: push.Channel})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if strings.Contains(string(it.Payload), `"type":"stop"`) && it.Target != "bob/ipad" {
			t.Fatalf("a stop push stored for %s, want the ipad's only", it.Target)
		}
	}
	if r := bob.do("POST", "/v1/calls/"+c.SessionID+"/end", `{"deviceId":"iphone"}`); r.status != http.StatusOK {
		t.Fatalf("end: %d %s", r.status, r.body)
	}

	c = call(t, alice, "bob", 1) // rings a second, unanswered
	got := pushesTo(p.apns.Wait(t, 3+5)[3:])
	if want := "alert1:missed voip1:ring voip1:stop voip2:ring voip2:stop"; got != want {
		t.Fatalf("pushes of the missed call %q, want %q", got, want)
	}
	for _, r := range p.apns.Requests()[3:] {
		if r.Token == "alert1" && r.Header.Get("apns-push-type") != "alert" {
			t.Fatalf("missed-call push type %q, want alert", r.Header.Get("apns-push-type"))
		}
	}

	bobSocket := signIn(t, app, "bob", "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := bobSocket.chat.UnregisterDevice(ctx, "iphone", "apns"); err != nil {
		t.Fatal(err)
	}
	if d := bob.devices(); len(d) != 2 || d[0].DeviceID != "ipad" || d[1].Kind != "apns-voip" {
		t.Fatalf("devices after unregistering the iphone's apns = %+v, want the ipad and the iphone's apns-voip", d)
	}
	if r := bob.do("DELETE", "/v1/devices/ipad?kind=apns", ""); r.status != http.StatusNotFound {
		t.Fatalf("DELETE a kind the ipad does not hold: %d %s, want 404", r.status, r.body)
	}
	if r := bob.do("DELETE", "/v1/devices/ipad?kind=sms", ""); r.status != http.StatusBadRequest {
		t.Fatalf("DELETE an unknown kind: %d %s, want 400", r.status, r.body)
	}
	bob.register("iphone", "apns", "alert1")
	if r := bob.do("DELETE", "/v1/devices/iphone", ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE the iphone: %d %s", r.status, r.body)
	}
	if d := bob.devices(); len(d) != 1 || d[0].DeviceID != "ipad" {
		t.Fatalf("devices after unregistering the iphone = %+v, want the ipad only", d)
	}
}
