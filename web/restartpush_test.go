package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/server"
	"github.com/switchboard-rtc/switchboard/store"
)

// TestCallsLeftRingingByACrashGetTheirStopPushes: a run that died (kill -9)
// with calls ringing phones through push leaves them open in the store; the
// next run closes them (server_restart) and each phone gets its stop push,
// the app its webhook. Before, the notifier asked the hub which devices
// were online while the hub was still being built: a data race, and with
// 30-40 calls a nil pointer panic in the start-up that lost those pushes
// and webhooks for good (the push integration audit).
func TestCallsLeftRingingByACrashGetTheirStopPushes(t *testing.T) {
	path := t.TempDir() + "/switchboard.db"
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	st, err := store.Open(ctx, store.Config{Path: path}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	const calls = 40
	now := time.Now()
	for i := range calls {
		callee := fmt.Sprintf("phone%02d", i)
		for _, u := range []string{"alice", callee} {
			if _, err := st.UpsertUser(ctx, store.User{UID: u, Name: u}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.PutDevice(ctx, store.Device{UID: callee, DeviceID: callee + "-pixel", Kind: store.DeviceFCM,
			Token: "tok-" + callee, AppID: "com.example.calls"}); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveCall(ctx, store.Call{SessionID: fmt.Sprintf("crashed-call-%02d", i), CallType: protocol.CallVideo,
			ReceiverType: protocol.ReceiverUser, InitiatorUID: "alice", ReceiverID: callee, Status: protocol.StatusInitiated,
			InitiatedAt: now.Add(-time.Second), Timeout: 45, Participants: []store.Participant{
				{UID: "alice", Status: protocol.StatusInitiated}, {UID: callee, Status: protocol.StatusInitiated}}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	p := newProviders(t)
	startPushAppWith(t, p, func(c *server.Config) { c.Store.Path = path })
	stops := map[string]bool{}
	for _, r := range p.fcm.Wait(t, calls) {
		data, _ := r.JSON()["message"].(map[string]any)["data"].(map[string]any)
		if data["type"] == "stop" && data["reason"] == protocol.ReasonServerRestart {
			stops[r.Token] = true
		}
	}
	if len(stops) != calls {
		t.Errorf("%d of the %d phones got a stop push (server_restart)", len(stops), calls)
	}
	cancelled := 0
	deadline := time.Now().Add(waitLimit)
	for cancelled < calls && time.Now().Before(deadline) {
		cancelled = 0
		for _, e := range p.hook.Events() {
			if e.Type == "call.cancelled" && strings.HasPrefix(e.SessionID, "crashed-call-") {
				cancelled++
			}
		}
		time.Sleep(20 * time.Millisecond) // polling an outcome
	}
	if cancelled != calls {
		t.Errorf("%d call.cancelled webhooks of the %d calls", cancelled, calls)
	}
}
