package server_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/push/pushtest"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/webhook"
)

// TestClusterOutboxItemsBelongToTheirNode: the webhook events a node
// stores name it; when it stops with them undelivered (its receiver was
// down), the other node takes them over at its first look after the
// node's registration is gone (not when they are StaleAfter late, an hour
// here), delivers each once, and the store names it as theirs.
func TestClusterOutboxItemsBelongToTheirNode(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	rcv := webhook.NewReceiver("0123456789abcdef0123")
	rcv.Fail = func(webhook.Event) int {
		if down.Load() {
			return http.StatusServiceUnavailable
		}
		return 0
	}
	srv := httptest.NewUnstartedServer(rcv)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	edit := func(cfg *server.Config) {
		cfg.Webhooks.Endpoints = []webhook.Endpoint{{Name: "app", URL: srv.URL + "/hooks", Secret: rcv.Secret}}
		cfg.Outbox.MinBackoff, cfg.Outbox.MaxBackoff = 20*time.Millisecond, 100*time.Millisecond
		cfg.Outbox.SweepEvery, cfg.Outbox.StaleAfter = 100*time.Millisecond, time.Hour
		cfg.ProviderTLS = pushtest.ClientTLS(srv)
	}
	tc := newTestClusterWith(t, edit, "n1")
	n1 := tc.nodes[0]
	ann, ben := dial(t, n1, "ann"), dial(t, n1, "ben")
	ctx := ctxT(t)
	call, err := ann.c.InitiateCall(ctx, client.CallRequest{ReceiverID: "ben", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatal(err)
	}
	wait(t, ben.incoming, "ben's ring")
	if _, err := ann.c.RejectCall(ctx, call.SessionID, client.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	var stored []store.OutboxItem
	for deadline := time.Now().Add(waitLimit); len(stored) < 2 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		stored, _ = n1.Store().ListOutbox(ctx, store.OutboxQuery{State: store.OutboxPending})
	}
	if len(stored) < 2 { // call.initiated, call.cancelled (and call.ringing for ben's socket)
		t.Fatalf("pending items = %+v, want the call's webhook events", stored)
	}
	for _, it := range stored {
		if it.Node != "n1" {
			t.Fatalf("item %s names node %q, want n1 (it stored it)", it.EventID, it.Node)
		}
	}
	n2 := tc.startWith(func() server.Config { cfg := tc.config("n2"); edit(&cfg); return cfg }())
	time.Sleep(1500 * time.Millisecond) // n2 settles (expiry + keepalive) and sweeps beside a live n1: takes nothing
	if still, _ := n2.Store().ListOutbox(ctx, store.OutboxQuery{State: store.OutboxPending}); len(still) < len(stored) || still[0].Node != "n1" {
		t.Fatalf("pending items while n1 lives = %+v, want n1's still", still)
	}
	_ = n1.Close()
	down.Store(false)
	got := rcv.WaitEvents(len(stored), waitLimit)
	if len(got) < len(stored) {
		t.Fatalf("%d of %d events delivered after n1 stopped", len(got), len(stored))
	}
	time.Sleep(300 * time.Millisecond) // more sweeps: nothing comes twice
	seen := map[string]bool{}
	for _, ev := range rcv.Events() {
		if seen[ev.ID] {
			t.Fatalf("event %s (%s) delivered twice", ev.ID, ev.Type)
		}
		seen[ev.ID] = true
	}
	for _, it := range stored {
		if id := strings.TrimSuffix(it.EventID, ".app"); !seen[id] { // the outbox's id names the endpoint
			t.Fatalf("event %s never delivered", id)
		}
	}
	done, err := n2.Store().ListOutbox(ctx, store.OutboxQuery{State: store.OutboxDelivered})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range done {
		if it.Node != "n2" {
			t.Fatalf("delivered item %s names %q, want n2 (it took it over)", it.EventID, it.Node)
		}
	}
}
