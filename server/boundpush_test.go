package server_test

import (
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/push/pushtest"
	"github.com/switchboard-rtc/switchboard/server"
)

// TestClusterNoPushToADeviceWithASocket: the push policy offline-only holds
// across nodes. ben's iPhone has a socket on n2 bound to its push target
// (registerDevice); his iPad has none. ann (n1) calls him: n1, which runs
// the call and sends its pushes, rings the iPad by push and not the iPhone,
// whose socket rings; ben rejects on the iPhone and the iPad gets its stop
// push, still nothing for the iPhone.
func TestClusterNoPushToADeviceWithASocket(t *testing.T) {
	apns := pushtest.NewAPNs(t)
	tc := newTestClusterWith(t, func(cfg *server.Config) {
		cfg.Push.APNs = push.APNsConfig{KeyFile: apns.KeyFile, KeyID: apns.KeyID, TeamID: apns.TeamID, BaseURL: apns.URL}
		cfg.ProviderTLS = apns.TLS
		cfg.Outbox.MinBackoff, cfg.Outbox.MaxBackoff = 10*time.Millisecond, 50*time.Millisecond
	}, "n1", "n2")
	n1, n2 := tc.nodes[0], tc.nodes[1]
	ann, ben := dial(t, n1, "ann"), dial(t, n2, "ben")
	if _, err := ben.c.RegisterDevice(ctxT(t), client.DeviceParams{DeviceID: "ben-iphone", Kind: client.DeviceAPNsVoIP, Token: "tok-iphone", AppID: "com.example.calls"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ben.c.RegisterDevice(ctxT(t), client.DeviceParams{DeviceID: "ben-ipad", Kind: client.DeviceAPNsVoIP, Token: "tok-ipad", AppID: "com.example.calls"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ben.c.RegisterDevice(ctxT(t), client.DeviceParams{DeviceID: "ben-iphone", Kind: client.DeviceAPNsVoIP, Token: "tok-iphone", AppID: "com.example.calls"}); err != nil {
		t.Fatal(err) // the socket is the iPhone's again (the iPad's registration moved the binding)
	}
	call, err := ann.c.InitiateCall(ctxT(t), audioCall("ben"))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ben.incoming, "ben's incomingCall on his iPhone's socket")
	apns.Wait(t, 1)
	if _, err := ben.c.RejectCall(ctxT(t), call.SessionID, "rejected"); err != nil {
		t.Fatal(err)
	}
	for _, r := range apns.Wait(t, 2) {
		if r.Token != "tok-ipad" {
			t.Fatalf("a push (%s) went to %s, whose socket on another node rang", r.Header.Get("apns-push-type"), r.Token)
		}
	}
}
