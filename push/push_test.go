package push_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/push/pushtest"
	"github.com/switchboard-rtc/switchboard/store"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openStore(t *testing.T) store.Store {
	st, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), "sb.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

type fixture struct {
	apns *pushtest.APNs
	fcm  *pushtest.FCM
	st   store.Store
	clk  *clock
	s    *push.Sender
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{apns: pushtest.NewAPNs(t), fcm: pushtest.NewFCM(t), st: openStore(t), clk: &clock{t: time.Now()}}
	cfg := push.DefaultConfig()
	cfg.APNs = push.APNsConfig{KeyFile: f.apns.KeyFile, KeyID: f.apns.KeyID, TeamID: f.apns.TeamID, BaseURL: f.apns.URL}
	cfg.FCM = push.FCMConfig{CredentialsFile: f.fcm.CredentialsFile, BaseURL: f.fcm.URL}
	tlsConf := f.apns.TLS.Clone()
	tlsConf.RootCAs = f.apns.TLS.RootCAs // the fakes share one certificate
	var err error
	f.s, err = push.New(cfg, push.Deps{Store: f.st, Now: f.clk.Now, TLS: tlsConf})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func ring(kind, token string, now time.Time) push.Message {
	return push.Message{UID: "bob", DeviceID: "phone", Kind: kind, Token: token, AppID: "com.example.calls",
		ID: "6f1c2a8e-1b2c-4d3e-8f90-0a1b2c3d4e5f", Expires: now.Add(45 * time.Second),
		Payload: push.Payload{Type: push.TypeRing, SessionID: "v1.abc", CallType: "video", ReceiverType: "user",
			Caller: push.Caller{UID: "alice", Name: "Alice", Avatar: "https://x.test/a.png"}, RingDeadline: now.Add(45 * time.Second).UnixMilli()}}
}

func TestAPNsVoIPRing(t *testing.T) {
	f := newFixture(t)
	f.apns.Topics = map[string]bool{"com.example.calls.voip": true, "com.example.calls": true}
	tok := strings.Repeat("a1", 32)
	if err := f.s.Send(context.Background(), ring(store.DeviceAPNsVoIP, tok, f.clk.Now())); err != nil {
		t.Fatal(err)
	}
	r := f.apns.Wait(t, 1)[0]
	if r.AuthErr != "" || r.Proto != "HTTP/2.0" || r.Token != tok {
		t.Fatalf("request = %+v", r)
	}
	for k, want := range map[string]string{"apns-push-type": "voip", "apns-topic": "com.example.calls.voip",
		"apns-priority": "10", "apns-expiration": "0", "apns-id": "6f1c2a8e-1b2c-4d3e-8f90-0a1b2c3d4e5f"} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	sb, _ := r.JSON()["switchboard"].(map[string]any)
	caller, _ := sb["caller"].(map[string]any)
	if sb["type"] != "ring" || sb["sessionId"] != "v1.abc" || sb["callType"] != "video" || caller["name"] != "Alice" ||
		caller["avatar"] != "https://x.test/a.png" || sb["ringDeadline"] == nil {
		t.Fatalf("payload = %s", r.Body)
	}
}

func TestAPNsProviderTokenReusedThenRefreshed(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	send := func() {
		t.Helper()
		if err := f.s.Send(ctx, ring(store.DeviceAPNsVoIP, "aa", f.clk.Now())); err != nil {
			t.Fatal(err)
		}
	}
	send()
	f.clk.Advance(30 * time.Minute)
	send()
	f.clk.Advance(21 * time.Minute) // 51 minutes after the first signing
	send()
	reqs := f.apns.Wait(t, 3)
	a0, a1, a2 := reqs[0].Header.Get("authorization"), reqs[1].Header.Get("authorization"), reqs[2].Header.Get("authorization")
	if a0 != a1 {
		t.Error("the provider token was re-signed within 30 minutes")
	}
	if a1 == a2 {
		t.Error("the provider token was not refreshed after 51 minutes")
	}
}

func TestAPNsAnswers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dev := store.Device{UID: "bob", DeviceID: "phone", Kind: store.DeviceAPNsVoIP, Token: "dead", AppID: "com.example.calls"}
	if _, err := f.st.PutDevice(ctx, dev); err != nil {
		t.Fatal(err)
	}
	f.apns.Script("dead", pushtest.Response{Status: http.StatusGone, Body: `{"reason":"Unregistered","timestamp":1}`})
	f.apns.Script("busy", pushtest.Response{Status: http.StatusTooManyRequests, Body: `{"reason":"TooManyRequests"}`, RetryAfter: "7"})
	f.apns.Script("down", pushtest.Response{Status: http.StatusServiceUnavailable, Body: `{"reason":"ServiceUnavailable"}`})
	f.apns.Script("bad", pushtest.Response{Status: http.StatusBadRequest, Body: `{"reason":"BadDeviceToken"}`})

	err := f.s.Send(ctx, ring(store.DeviceAPNsVoIP, "dead", f.clk.Now()))
	var pe *push.Error
	if !errors.As(err, &pe) || !pe.Dead || !pe.Permanent() || !errors.Is(err, push.ErrDeadToken) {
		t.Fatalf("410: err = %v, want a dead token", err)
	}
	if list, _ := f.st.ListDevices(ctx, "bob"); len(list) != 0 {
		t.Fatalf("devices = %+v, want the dead one removed", list)
	}
	err = f.s.Send(ctx, ring(store.DeviceAPNsVoIP, "busy", f.clk.Now()))
	if !errors.As(err, &pe) || pe.Permanent() || pe.RetryAfter() != 7*time.Second {
		t.Fatalf("429: err = %v, want a retry after 7s", err)
	}
	err = f.s.Send(ctx, ring(store.DeviceAPNsVoIP, "down", f.clk.Now()))
	if !errors.As(err, &pe) || pe.Permanent() {
		t.Fatalf("503: err = %v, want a retry", err)
	}
	err = f.s.Send(ctx, ring(store.DeviceAPNsVoIP, "bad", f.clk.Now()))
	if !errors.As(err, &pe) || !pe.Permanent() || pe.Dead {
		t.Fatalf("400: err = %v, want permanent, token kept", err)
	}
}

func TestAPNsMissedAlertAndStop(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := ring(store.DeviceAPNs, "alert-token", f.clk.Now())
	m.Payload.Type = push.TypeMissed
	m.Expires = f.clk.Now().Add(time.Hour)
	if err := f.s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	m.Payload.Type, m.Payload.Reason = push.TypeStop, "answeredElsewhere"
	if err := f.s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	reqs := f.apns.Wait(t, 2)
	missed, stop := reqs[0], reqs[1]
	if missed.Header.Get("apns-push-type") != "alert" || missed.Header.Get("apns-topic") != "com.example.calls" {
		t.Fatalf("missed headers = %v", missed.Header)
	}
	aps, _ := missed.JSON()["aps"].(map[string]any)
	alert, _ := aps["alert"].(map[string]any)
	if alert["title"] != "Missed call from Alice" {
		t.Fatalf("missed body = %s", missed.Body)
	}
	if stop.Header.Get("apns-push-type") != "background" || stop.Header.Get("apns-priority") != "5" {
		t.Fatalf("stop headers = %v", stop.Header)
	}
}

func TestFCMRingAndTokenCache(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for range 2 {
		if err := f.s.Send(ctx, ring(store.DeviceFCM, "fcm-token", f.clk.Now())); err != nil {
			t.Fatal(err)
		}
	}
	reqs := f.fcm.Wait(t, 2)
	if f.fcm.Exchanges() != 1 {
		t.Fatalf("%d token exchanges, want 1 (cached)", f.fcm.Exchanges())
	}
	msg, _ := reqs[0].JSON()["message"].(map[string]any)
	data, _ := msg["data"].(map[string]any)
	android, _ := msg["android"].(map[string]any)
	if msg["token"] != "fcm-token" || android["priority"] != "high" || data["type"] != "ring" ||
		data["sessionId"] != "v1.abc" || data["callerName"] != "Alice" || data["callType"] != "video" || msg["notification"] != nil {
		t.Fatalf("FCM body = %s", reqs[0].Body)
	}
	// A revoked access token is replaced once, at once.
	f.fcm.RevokeAll()
	if err := f.s.Send(ctx, ring(store.DeviceFCM, "fcm-token", f.clk.Now())); err != nil {
		t.Fatal(err)
	}
	if f.fcm.Exchanges() != 2 {
		t.Fatalf("%d token exchanges after a 401, want 2", f.fcm.Exchanges())
	}
}

// Ring and missed-call pushes are high priority (the ring starts the call
// UI, the missed call shows a notification); the data-only stop push,
// which shows nothing, is normal.
func TestFCMPriorityPerPush(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := ring(store.DeviceFCM, "fcm-token", f.clk.Now())
	for _, typ := range []string{push.TypeRing, push.TypeStop, push.TypeMissed} {
		m.Payload.Type = typ
		if err := f.s.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, r := range f.fcm.Wait(t, 3) {
		msg, _ := r.JSON()["message"].(map[string]any)
		android, _ := msg["android"].(map[string]any)
		data, _ := msg["data"].(map[string]any)
		got = append(got, fmt.Sprintf("%v:%v:notification=%v", data["type"], android["priority"], msg["notification"] != nil))
	}
	if want := "ring:high:notification=false stop:normal:notification=false missed:high:notification=true"; strings.Join(got, " ") != want {
		t.Fatalf("FCM pushes %q, want %q", strings.Join(got, " "), want)
	}
}

// A field that would be empty is left out of both providers' bodies, as
// protocol.md says (app parsers take them as optional), and an audio
// call's alert says "Incoming call".
func TestPushFieldsAbsentWhenEmpty(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m := ring(store.DeviceFCM, "fcm-token", f.clk.Now())
	m.Payload.Caller.Avatar, m.Payload.CallType = "", "audio"
	if err := f.s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	m.Kind, m.Token = store.DeviceAPNs, "alert-token"
	if err := f.s.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
	msg, _ := f.fcm.Wait(t, 1)[0].JSON()["message"].(map[string]any)
	data, _ := msg["data"].(map[string]any)
	var keys []string
	for k := range data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if got, want := strings.Join(keys, " "), "callType callerName callerUid id receiverType ringDeadline sessionId type"; got != want {
		t.Fatalf("FCM data keys %q, want %q", got, want)
	}
	body := f.apns.Wait(t, 1)[0].JSON()
	sb, _ := body["switchboard"].(map[string]any)
	caller, _ := sb["caller"].(map[string]any)
	aps, _ := body["aps"].(map[string]any)
	alert, _ := aps["alert"].(map[string]any)
	_, hasAvatar := caller["avatar"]
	_, hasGroup := sb["group"]
	_, hasReason := sb["reason"]
	if hasAvatar || hasGroup || hasReason || alert["title"] != "Incoming call from Alice" {
		t.Fatalf("APNs body = %v", body)
	}
}

func TestFCMAnswers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.st.PutDevice(ctx, store.Device{UID: "bob", DeviceID: "pixel", Kind: store.DeviceFCM, Token: "gone", AppID: "com.example.calls"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.PutDevice(ctx, store.Device{UID: "carol", DeviceID: "pixel", Kind: store.DeviceFCM, Token: "fine", AppID: "com.example.calls"}); err != nil {
		t.Fatal(err)
	}
	f.fcm.Script("gone", pushtest.Response{Status: http.StatusNotFound,
		Body: `{"error":{"code":404,"status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}`})
	f.fcm.Script("fine", pushtest.Response{Status: http.StatusServiceUnavailable, Body: `{"error":{"status":"UNAVAILABLE"}}`, RetryAfter: "3"})
	err := f.s.Send(ctx, ring(store.DeviceFCM, "gone", f.clk.Now()))
	if !errors.Is(err, push.ErrDeadToken) {
		t.Fatalf("UNREGISTERED: err = %v", err)
	}
	err = f.s.Send(ctx, ring(store.DeviceFCM, "fine", f.clk.Now()))
	var pe *push.Error
	if !errors.As(err, &pe) || pe.Permanent() || pe.RetryAfter() != 3*time.Second || pe.Reason != "UNAVAILABLE" {
		t.Fatalf("503: err = %v", err)
	}
	bob, _ := f.st.ListDevices(ctx, "bob")
	carol, _ := f.st.ListDevices(ctx, "carol")
	if len(bob) != 0 || len(carol) != 1 {
		t.Fatalf("bob %+v carol %+v: want only bob's dead token removed", bob, carol)
	}
}

func TestFCMTokenEndpointRefuses(t *testing.T) {
	f := newFixture(t)
	f.fcm.ScriptToken(pushtest.Response{Status: http.StatusBadRequest, Body: `{"error":"invalid_grant"}`})
	err := f.s.Send(context.Background(), ring(store.DeviceFCM, "x", f.clk.Now()))
	var pe *push.Error
	if !errors.As(err, &pe) || !pe.Permanent() {
		t.Fatalf("err = %v, want a permanent refusal", err)
	}
}

func TestExpiredAndUnconfigured(t *testing.T) {
	f := newFixture(t)
	m := ring(store.DeviceAPNsVoIP, "aa", f.clk.Now())
	f.clk.Advance(46 * time.Second)
	err := f.s.Send(context.Background(), m)
	if p, ok := err.(interface{ Permanent() bool }); !ok || !p.Permanent() || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("late ring: err = %v", err)
	}
	bare, err := push.New(push.DefaultConfig(), push.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	err = bare.Send(context.Background(), ring(store.DeviceFCM, "x", time.Now()))
	if !errors.Is(err, push.ErrNotConfigured) {
		t.Fatalf("unconfigured: err = %v", err)
	}
	if len(f.apns.Requests()) != 0 {
		t.Fatal("an expired push was sent")
	}
}

func TestConfigRejects(t *testing.T) {
	tests := []struct {
		name string
		edit func(*push.Config)
		want string
	}{
		{"policy", func(c *push.Config) { c.Policy = "sometimes" }, "push.policy"},
		{"http base", func(c *push.Config) { c.APNs.BaseURL = "http://api.push.apple.com" }, "push.apns.base_url"},
		{"key id", func(c *push.Config) { c.APNs.KeyFile = "k.p8"; c.APNs.TeamID = "T" }, "key_id"},
		{"missing key file", func(c *push.Config) {
			c.APNs.KeyFile = "/nonexistent/k.p8"
			c.APNs.KeyID = "ABCDE12345"
			c.APNs.TeamID = "T"
		}, "push.apns.key_file"},
		{"bad sa", func(c *push.Config) { c.FCM.CredentialsFile = "push_test.go" }, "not a service-account JSON"},
		{"missing sa", func(c *push.Config) { c.FCM.CredentialsFile = "/nonexistent/sa.json" }, "push.fcm.credentials_file: open /nonexistent/sa.json"},
		{"sa key not RSA", func(c *push.Config) {
			c.FCM.CredentialsFile = filepath.Join(t.TempDir(), "sa.json")
			if err := os.WriteFile(c.FCM.CredentialsFile, []byte(`{"type":"service_account","project_id":"p","client_email":"e@x","private_key":"nope","token_uri":"https://t.example"}`), 0o600); err != nil {
				t.Fatal(err)
			}
		}, "push.fcm.credentials_file: the private_key of"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := push.DefaultConfig()
			tc.edit(&cfg)
			_, err := push.New(cfg, push.Deps{})
			if !errors.Is(err, push.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrConfig naming %s", err, tc.want)
			}
			// Validate (run before the server creates its database) finds the same
			if err := cfg.Validate(); !errors.Is(err, push.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate: err = %v, want ErrConfig naming %s", err, tc.want)
			}
		})
	}
}

// TestAPNsUnreachableErrorHasNoDeviceToken: an APNs that cannot be reached
// gives an error that says so without the request's URL, whose path is the
// device token (a secret; the error is logged and kept as lastError).
// Before, the WARN line "delivery failed for good" quoted the whole URL.
func TestAPNsUnreachableErrorHasNoDeviceToken(t *testing.T) {
	f := newFixture(t)
	cfg := push.DefaultConfig()
	cfg.APNs = push.APNsConfig{KeyFile: f.apns.KeyFile, KeyID: f.apns.KeyID, TeamID: f.apns.TeamID, BaseURL: "https://127.0.0.1:1"}
	s, err := push.New(cfg, push.Deps{Store: f.st, Now: f.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	tok := strings.Repeat("c3", 32)
	err = s.Send(context.Background(), ring(store.DeviceAPNsVoIP, tok, f.clk.Now()))
	if err == nil || strings.Contains(err.Error(), tok) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("send to an APNs nobody listens on: %v; want connection refused, without the device token", err)
	}
}
