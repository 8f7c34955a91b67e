package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/signaling"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/webhook"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// collect is an Outbox that keeps what it is handed.
type collect struct {
	mu    sync.Mutex
	items []store.OutboxItem
}

func (c *collect) Enqueue(items ...store.OutboxItem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items = append(c.items, items...)
}

func (c *collect) take() []store.OutboxItem {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.items
	c.items = nil
	return out
}

type pusher struct{ policy string }

func (p pusher) Policy() string      { return p.policy }
func (pusher) Enabled(k string) bool { return true }

func setup(t *testing.T, policy string, online map[string]bool) (*Notifier, *collect) {
	return setupWith(t, policy, online,
		store.Device{UID: "bob", DeviceID: "iphone", Kind: store.DeviceAPNsVoIP, Token: "v1", AppID: "com.example.calls"},
		store.Device{UID: "bob", DeviceID: "pixel", Kind: store.DeviceFCM, Token: "f1", AppID: "com.example.calls"})
}

// setupWith is setup with bob's devices devs.
func setupWith(t *testing.T, policy string, online map[string]bool, devs ...store.Device) (*Notifier, *collect) {
	st, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), "sb.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ctx := context.Background()
	for _, d := range devs {
		if _, err := st.PutDevice(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	hooks := webhook.DefaultConfig()
	hooks.Endpoints = []webhook.Endpoint{{Name: "app", URL: "https://x.test/", Secret: "0123456789abcdef!", Events: []string{"call.*"}}}
	out := &collect{}
	n := New(Deps{Store: st, Outbox: out, Push: pusher{policy}, Webhooks: hooks,
		Online: func(_ context.Context, uid string) map[string]bool {
			out := map[string]bool{}
			for k, on := range online {
				if dev, ok := strings.CutPrefix(k, uid+"/"); ok && on {
					out[dev] = true
				}
			}
			return out
		}})
	t.Cleanup(n.Close)
	return n, out
}

func ev(typ, uid, reason string, seq int) signaling.CallEvent {
	return signaling.CallEvent{Type: typ, Seq: seq, At: time.Now(), SessionID: "s1", UID: uid, Reason: reason,
		Call: json.RawMessage(`{"sessionId":"s1"}`), CallType: "audio", ReceiverType: "user",
		Caller: protocol.Party{UID: "alice", Name: "Alice"}, RingDeadline: time.Now().Add(45 * time.Second)}
}

// wait returns the items once n have been handed over.
func wait(t *testing.T, c *collect, n int) []store.OutboxItem {
	t.Helper()
	var got []store.OutboxItem
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		got = append(got, c.take()...)
		if len(got) >= n {
			return got
		}
	}
	t.Fatalf("got %d items, want %d", len(got), n)
	return nil
}

func pushOf(t *testing.T, it store.OutboxItem) push.Message {
	var m push.Message
	if err := json.Unmarshal(it.Payload, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestRingStopMissedAndWebhooks(t *testing.T) {
	n, out := setup(t, push.PolicyOfflineOnly, map[string]bool{"bob/pixel": true})
	n.CallEvent(ev(protocol.HookCallInitiated, "", "", 1))
	n.CallEvent(ev(signaling.HookRing, "bob", "", 0))
	items := wait(t, out, 2)
	if items[0].Channel != webhook.Channel || items[0].EventID != "evt_s1_1.app" {
		t.Fatalf("first item %+v, want the webhook", items[0])
	}
	ring, ringKey := pushOf(t, items[1]), items[1].OrderKey
	if len(items) != 2 || ring.DeviceID != "iphone" || ring.Payload.Type != push.TypeRing || ring.Payload.Caller.Name != "Alice" {
		t.Fatalf("items %+v: want one ring push, to the iphone only (the pixel has a live socket)", items)
	}
	n.CallEvent(ev(signaling.HookStopRinging, "bob", "unanswered", 0))
	n.CallEvent(ev(protocol.HookCallMissed, "bob", "unanswered", 2))
	items = wait(t, out, 2)
	stop := pushOf(t, items[0])
	if stop.DeviceID != "iphone" || stop.Payload.Type != push.TypeStop || stop.Payload.Reason != "unanswered" || items[0].OrderKey != ringKey {
		t.Fatalf("stop = %+v", stop)
	}
	// call.missed: a webhook, and no alert push (the iphone is VoIP only, the pixel is online).
	if len(items) != 2 || items[1].Channel != webhook.Channel {
		t.Fatalf("after missed: %+v", items)
	}
}

// pushesOf lists the push items as "deviceId/kind:type".
func pushesOf(t *testing.T, items []store.OutboxItem) string {
	t.Helper()
	var out []string
	for _, it := range items {
		if it.Channel == push.Channel {
			m := pushOf(t, it)
			out = append(out, m.DeviceID+"/"+m.Kind+":"+m.Payload.Type)
		}
	}
	return strings.Join(out, " ")
}

// An iPhone holding a PushKit token and an alert token under one deviceId
// is rung and stopped through PushKit only (no alert banner beside the
// CallKit ring), gets the missed-call alert on its alert token only, and
// naming it in the request that stopped the ring keeps every stop push
// from it.
func TestInstallWithVoIPAndAlertTokens(t *testing.T) {
	devs := []store.Device{
		{UID: "bob", DeviceID: "iphone", Kind: store.DeviceAPNsVoIP, Token: "v1", AppID: "com.example.calls"},
		{UID: "bob", DeviceID: "iphone", Kind: store.DeviceAPNs, Token: "a1", AppID: "com.example.calls"},
		{UID: "bob", DeviceID: "ipad", Kind: store.DeviceAPNs, Token: "a2", AppID: "com.example.calls"},
	}
	n, out := setupWith(t, push.PolicyOfflineOnly, nil, devs...)
	n.CallEvent(ev(protocol.HookCallInitiated, "", "", 1))
	n.CallEvent(ev(signaling.HookRing, "bob", "", 0))
	if got, want := pushesOf(t, wait(t, out, 3)), "ipad/apns:ring iphone/apns-voip:ring"; got != want {
		t.Fatalf("ring pushes %q, want %q", got, want)
	}
	stop := ev(signaling.HookStopRinging, "bob", "answeredElsewhere", 0)
	stop.Device = "iphone" // POST /accept {"deviceId":"iphone"}
	n.CallEvent(stop)
	if got, want := pushesOf(t, wait(t, out, 1)), "ipad/apns:stop"; got != want {
		t.Fatalf("stop pushes %q, want %q (none to the iphone that answered)", got, want)
	}

	n, out = setupWith(t, push.PolicyOfflineOnly, nil, devs...)
	n.CallEvent(ev(signaling.HookRing, "bob", "", 0))
	wait(t, out, 2)
	n.CallEvent(ev(signaling.HookStopRinging, "bob", "unanswered", 0))
	n.CallEvent(ev(protocol.HookCallMissed, "bob", "unanswered", 2))
	if got, want := pushesOf(t, wait(t, out, 5)), "ipad/apns:stop iphone/apns-voip:stop ipad/apns:missed iphone/apns:missed"; got != want {
		t.Fatalf("pushes after the ring timed out %q, want %q", got, want)
	}
}

func TestPolicyAlwaysAndFilters(t *testing.T) {
	n, out := setup(t, push.PolicyAlways, map[string]bool{"bob/pixel": true})
	n.CallEvent(ev(signaling.HookRing, "bob", "", 0))
	n.CallEvent(ev(protocol.HookParticipantJoined, "bob", "", 3)) // filtered out: call.* only
	items := wait(t, out, 2)
	if len(items) != 2 || items[0].Channel != push.Channel || items[1].Channel != push.Channel {
		t.Fatalf("items %+v, want a ring to both devices and no participant webhook", items)
	}
	if items[0].OrderKey == items[1].OrderKey {
		t.Fatal("two devices share an order key")
	}
}

// Push ids are UUIDs of version 7 (RFC 9562) that sort in time order.
func TestNewIDIsTimeOrderedUUID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	prev := newID()
	seen := map[string]bool{prev: true}
	for range 1000 {
		id := newID()
		if !re.MatchString(id) {
			t.Fatalf("%q is not a version 7 UUID", id)
		}
		if seen[id] {
			t.Fatalf("%q twice", id)
		}
		seen[id] = true
		if id[:13] < prev[:13] { // the time part never goes back
			t.Fatalf("%q sorts before the earlier %q", id, prev)
		}
		prev = id
	}
}

// Events of a call whose numbering is not known here (a lost node's, or
// the run before a crash) follow the call's last event in the outbox, past
// a window of numbers, for any endpoint; a call with none starts at 1.
func TestRenumberFollowsTheOutbox(t *testing.T) {
	st, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), "sb.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	var stored []store.OutboxItem
	for k := 1; k <= 30; k++ {
		ep := "app"
		if k == 30 {
			ep = "audit" // only the second endpoint took the last one
		}
		stored = append(stored, store.OutboxItem{EventID: fmt.Sprintf("evt_s1_%d.%s", k, ep), Channel: webhook.Channel, Target: ep,
			OrderKey: "k", Payload: []byte(`{}`), Deadline: time.Now().Add(time.Hour)})
	}
	if _, err := st.EnqueueOutbox(context.Background(), stored); err != nil {
		t.Fatal(err)
	}
	hooks := webhook.DefaultConfig()
	hooks.Endpoints = []webhook.Endpoint{{Name: "app", URL: "https://x.test/", Secret: "0123456789abcdef!"},
		{Name: "audit", URL: "https://y.test/", Secret: "0123456789abcdef!"}}
	out := &collect{}
	n := New(Deps{Store: st, Outbox: out, Webhooks: hooks, Online: func(context.Context, string) map[string]bool { return nil }})
	t.Cleanup(n.Close)
	left, ended := ev(protocol.HookParticipantLeft, "bob", "node_lost", 0), ev(protocol.HookCallEnded, "", "node_lost", 0)
	fresh := ev(protocol.HookCallCancelled, "", "server_restart", 0)
	fresh.SessionID = "s2"
	for _, e := range []*signaling.CallEvent{&left, &ended, &fresh} {
		e.Renumber = true
		n.CallEvent(*e)
	}
	var got []string
	for _, it := range wait(t, out, 6) {
		got = append(got, it.EventID)
	}
	want := "evt_s1_31.app evt_s1_31.audit evt_s1_32.app evt_s1_32.audit evt_s2_1.app evt_s2_1.audit"
	if strings.Join(got, " ") != want {
		t.Fatalf("event ids %v, want %s", got, want)
	}
}

// A stop for a ring this notifier never sent (the node that rang is gone,
// or it was the run before a crash) goes to every device the ring may
// have reached; an ordinary one without its ring sends nothing.
func TestStopOfAnotherRunsRing(t *testing.T) {
	n, out := setup(t, push.PolicyOfflineOnly, map[string]bool{"bob/pixel": true})
	n.CallEvent(ev(signaling.HookStopRinging, "bob", "cancelled", 0))
	lost := ev(signaling.HookStopRinging, "bob", "node_lost", 0)
	lost.Renumber = true
	n.CallEvent(lost)
	items := wait(t, out, 1)
	if len(items) != 1 {
		t.Fatalf("items %+v; want one stop push", items)
	}
	if stop := pushOf(t, items[0]); stop.DeviceID != "iphone" || stop.Payload.Type != push.TypeStop || stop.Payload.Reason != "node_lost" {
		t.Fatalf("stop = %+v; want a node_lost stop to the iphone (the pixel has a live socket)", stop)
	}
}

// call.ended's webhook always says how long the call lasted, 0 for a call
// answered and ended within a second (it was left out); the events
// without a duration have none.
func TestCallEndedWebhookHasItsDuration(t *testing.T) {
	hooks := webhook.DefaultConfig()
	hooks.Endpoints = []webhook.Endpoint{{Name: "app", URL: "https://x.test/", Secret: "0123456789abcdef!"}}
	out := &collect{}
	st, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), "sb.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	n := New(Deps{Store: st, Outbox: out, Webhooks: hooks, Online: func(context.Context, string) map[string]bool { return nil }})
	t.Cleanup(n.Close)
	short, long, left := ev(protocol.HookCallEnded, "", "ended", 1), ev(protocol.HookCallEnded, "", "ended", 2), ev(protocol.HookParticipantLeft, "bob", "ended", 3)
	short.Duration, long.Duration = 800*time.Millisecond, 4800*time.Millisecond
	for _, e := range []signaling.CallEvent{short, long, left} {
		n.CallEvent(e)
	}
	var got []string
	for _, it := range wait(t, out, 3) {
		var body struct {
			Data map[string]json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(it.Payload, &body); err != nil {
			t.Fatal(err)
		}
		got = append(got, string(body.Data["duration"]))
	}
	if strings.Join(got, ",") != "0,4," {
		t.Fatalf("durations %q, want 0, 4 and none", got)
	}
}

// A ring naming a device (its socket went while the call rang it) pushes
// that device only, even though the live-socket view still counts it
// online; a second such ring, or one for a device rung already, pushes
// nothing; the stop then goes to every device rung, the first ring's
// and the later one's.
func TestRingOfADeviceWhoseSocketWent(t *testing.T) {
	n, out := setup(t, push.PolicyOfflineOnly, map[string]bool{"bob/pixel": true})
	n.CallEvent(ev(signaling.HookRing, "bob", "", 0))
	if got := pushesOf(t, wait(t, out, 1)); got != "iphone/apns-voip:ring" {
		t.Fatalf("first ring pushed %q, want the iphone only", got)
	}
	lost := ev(signaling.HookRing, "bob", "", 0)
	lost.Device = "pixel"
	n.CallEvent(lost)
	if got := pushesOf(t, wait(t, out, 1)); got != "pixel/fcm:ring" {
		t.Fatalf("the pixel's ring pushed %q, want the pixel only", got)
	}
	n.CallEvent(lost)
	again := ev(signaling.HookRing, "bob", "", 0)
	again.Device = "iphone"
	n.CallEvent(again)
	n.CallEvent(ev(signaling.HookStopRinging, "bob", "cancelled", 0))
	if got := pushesOf(t, wait(t, out, 2)); got != "iphone/apns-voip:stop pixel/fcm:stop" {
		t.Fatalf("after the rings again and the stop: %q, want only the two stops", got)
	}
}
