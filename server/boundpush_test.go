package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

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
	tc := pushCluster(t, apns, nil)
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

// pushCluster is two nodes whose pushes go to the fake apns; edit, if
// set, changes each node's config further.
func pushCluster(t *testing.T, apns *pushtest.APNs, edit func(*server.Config)) *testCluster {
	t.Helper()
	return newTestClusterWith(t, func(cfg *server.Config) {
		cfg.Push.APNs = push.APNsConfig{KeyFile: apns.KeyFile, KeyID: apns.KeyID, TeamID: apns.TeamID, BaseURL: apns.URL}
		cfg.ProviderTLS = apns.TLS
		cfg.Outbox.MinBackoff, cfg.Outbox.MaxBackoff = 10*time.Millisecond, 50*time.Millisecond
		if edit != nil {
			edit(cfg)
		}
	}, "n1", "n2")
}

// TestClusterBoundDeviceSetAgainAfterAFailedWrite: a socket bound to a
// push target closes while Redis is down, and Redis comes back with its
// data (saved to disk, as a production Redis keeps it): the writes that
// uncount the socket and unbind the device were lost. The node sets the
// user's counts again from its sockets once Redis answers, so the user
// does not stay "connected" (calls would wait for a device that is gone)
// and the device is pushed again.
func TestClusterBoundDeviceSetAgainAfterAFailedWrite(t *testing.T) {
	tc := pushCluster(t, pushtest.NewAPNs(t), func(cfg *server.Config) {
		cfg.Cluster.Keepalive, cfg.Cluster.Expiry = time.Second, 30*time.Second // the outage expires nothing
	})
	ben := dial(t, tc.nodes[1], "ben")
	if _, err := ben.c.RegisterDevice(ctxT(t), client.DeviceParams{DeviceID: "ben-iphone", Kind: client.DeviceAPNsVoIP, Token: "tok-iphone", AppID: "com.example.calls"}); err != nil {
		t.Fatal(err)
	}
	bound := func() []string {
		rdb := redis.NewClient(tc.redis.Options())
		defer rdb.Close()
		f, _ := rdb.HKeys(context.Background(), "sb:bound:ben").Result()
		d, _ := rdb.HKeys(context.Background(), "sb:dev:ben").Result()
		return append(f, d...)
	}
	if f := bound(); !slices.Equal(f, []string{"ben-iphone|n2", "n2"}) {
		t.Fatalf("ben's bound devices and device nodes in Redis: %v, want [ben-iphone|n2 n2]", f)
	}
	rdb := redis.NewClient(tc.redis.Options())
	if err := rdb.Save(context.Background()).Err(); err != nil { // loaded again at the restart
		t.Fatal(err)
	}
	_ = rdb.Close()
	tc.redis.Stop()
	_ = ben.c.Close()
	time.Sleep(6 * time.Second) // the queued unbind meets no Redis, for longer than a write is tried (5 s)
	if err := tc.redis.Begin(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(waitLimit)
	for f := bound(); len(f) > 0; f = bound() {
		if time.Now().After(deadline) {
			t.Fatalf("ben's bound devices and device nodes still %v after Redis came back", f)
		}
		time.Sleep(50 * time.Millisecond) // polling Redis for the node's write
	}
}

// TestClusterSocketLostMidRingPushesItsDevice: ben's iPhone is rung on its
// socket on n2 while n1 runs the call; the socket goes (the app was
// killed) while the call still rings. n2 tells n1, which pushes the iPhone
// the ring and, when ann cancels, the stop.
func TestClusterSocketLostMidRingPushesItsDevice(t *testing.T) {
	apns := pushtest.NewAPNs(t)
	tc := pushCluster(t, apns, nil)
	n1, n2 := tc.nodes[0], tc.nodes[1]
	ann, ben := dial(t, n1, "ann"), dial(t, n2, "ben")
	if _, err := ben.c.RegisterDevice(ctxT(t), client.DeviceParams{DeviceID: "ben-iphone", Kind: client.DeviceAPNsVoIP, Token: "tok-iphone", AppID: "com.example.calls"}); err != nil {
		t.Fatal(err)
	}
	call, err := ann.c.InitiateCall(ctxT(t), audioCall("ben"))
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ben.incoming, "ben's incomingCall on his iPhone's socket")
	if n := apns.Count(); n != 0 {
		t.Fatalf("%d pushes while the iPhone's socket lived", n)
	}
	_ = ben.c.Close()
	r := apns.Wait(t, 1)[0]
	if r.Token != "tok-iphone" || r.JSON()["switchboard"].(map[string]any)["type"] != "ring" {
		t.Fatalf("push after the socket went: %s to %s; want the ring to the iPhone", r.Body, r.Token)
	}
	if _, err := ann.c.RejectCall(ctxT(t), call.SessionID, "cancelled"); err != nil {
		t.Fatal(err)
	}
	if r := apns.Wait(t, 2)[1]; r.Token != "tok-iphone" || r.JSON()["switchboard"].(map[string]any)["type"] != "stop" {
		t.Fatalf("push after the cancel: %s to %s; want the stop", r.Body, r.Token)
	}
}
