package web_test

// Ringing a phone that sleeps, end to end against real local HTTP/2 TLS
// servers that behave as APNs, FCM (with its OAuth token endpoint) and an
// application's webhook receiver.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/server"

	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/protocol"
	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/push/pushtest"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/webhook"
)

const hookSecret = "whsec-0123456789abcdef"

// providers are the local stand-ins of a push test.
type providers struct {
	apns    *pushtest.APNs
	fcm     *pushtest.FCM
	hook    *webhook.Receiver
	hookSrv *httptest.Server
}

// newProviders starts the fakes (HTTP/2 over TLS).
func newProviders(t testing.TB) *providers {
	p := &providers{apns: pushtest.NewAPNs(t), fcm: pushtest.NewFCM(t), hook: webhook.NewReceiver(hookSecret)}
	p.hookSrv = httptest.NewUnstartedServer(p.hook)
	p.hookSrv.EnableHTTP2 = true
	p.hookSrv.StartTLS()
	t.Cleanup(p.hookSrv.Close)
	return p
}

// startPushApp runs a switchboard whose pushes and webhooks go to fresh fakes.
func startPushApp(t testing.TB, edit ...func(*server.Config)) (*server.App, *providers) {
	t.Helper()
	p := newProviders(t)
	return startPushAppWith(t, p, edit...), p
}

// startPushAppWith runs a switchboard whose pushes and webhooks go to p.
func startPushAppWith(t testing.TB, p *providers, edit ...func(*server.Config)) *server.App {
	t.Helper()
	return startApp(t, append([]func(*server.Config){func(cfg *server.Config) {
		cfg.Push.APNs = push.APNsConfig{KeyFile: p.apns.KeyFile, KeyID: p.apns.KeyID, TeamID: p.apns.TeamID, BaseURL: p.apns.URL}
		cfg.Push.FCM = push.FCMConfig{CredentialsFile: p.fcm.CredentialsFile, BaseURL: p.fcm.URL}
		cfg.Webhooks.Endpoints = []webhook.Endpoint{{Name: "app", URL: p.hookSrv.URL + "/hooks", Secret: hookSecret}}
		cfg.Outbox.MinBackoff, cfg.Outbox.MaxBackoff = 10*time.Millisecond, 50*time.Millisecond
		cfg.ProviderTLS = pushtest.ClientTLS(p.hookSrv)
	}}, edit...)...)
}

// phone is a user with no socket: an auth token and HTTPS.
type phone struct {
	t     *testing.T
	app   *server.App
	uid   string
	token string
}

func newPhone(t *testing.T, app *server.App, uid, name string) *phone {
	t.Helper()
	if _, err := app.Store().UpsertUser(context.Background(), store.User{UID: uid, Name: name, Avatar: "https://x.test/" + uid + ".png"}); err != nil {
		t.Fatal(err)
	}
	tok, err := app.Tokens().MintAuth(uid, name, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &phone{t: t, app: app, uid: uid, token: tok}
}

func (p *phone) do(method, path, body string) reply {
	p.t.Helper()
	return do(p.t, method, p.app.URL()+path, body, bearer(p.token), "Content-Type: application/json")
}

func (p *phone) register(deviceID, kind, token string) {
	p.t.Helper()
	r := p.do("POST", "/v1/devices", fmt.Sprintf(`{"deviceId":%q,"kind":%q,"token":%q,"appId":"com.example.calls"}`, deviceID, kind, token))
	if r.status != http.StatusOK {
		p.t.Fatalf("register %s: %d %s", deviceID, r.status, r.body)
	}
}

func (p *phone) devices() []protocol.Device {
	p.t.Helper()
	var l protocol.DeviceList
	p.do("GET", "/v1/devices", "").decode(p.t, &l)
	return l.Devices
}

// call places a call from a signed-in person.
func call(t *testing.T, from *person, to string, timeout float64) client.Call {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	c, err := from.chat.InitiateCall(ctx, client.CallRequest{ReceiverID: to, ReceiverType: client.ReceiverUser, CallType: client.CallVideo, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sb(r pushtest.Request) map[string]any {
	m, _ := r.JSON()["switchboard"].(map[string]any)
	return m
}

// TestPhoneWithoutSocketRingsAnswersOverHTTPSAndJoinsMedia: the whole path
// of a sleeping phone, and the webhooks of the call in order.
func TestPhoneWithoutSocketRingsAnswersOverHTTPSAndJoinsMedia(t *testing.T) {
	app, p := startPushApp(t)
	alice := signIn(t, app, "alice", "Alice")
	ringing := make(chan client.Call, 1)
	accepted := make(chan client.Call, 1)
	alice.chat.AddCallListener("t", client.CallListener{
		OnRinging:              func(c client.Call) { ringing <- c },
		OnOutgoingCallAccepted: func(c client.Call) { accepted <- c },
	})
	bob := newPhone(t, app, "bob", "Bob")
	voipToken := strings.Repeat("b0", 32)
	bob.register("iphone", "apns-voip", voipToken)

	c := call(t, alice, "bob", 0)
	if c.Unreachable {
		t.Fatal("a callee with a push target is marked unreachable")
	}
	req := p.apns.Wait(t, 1)[0]
	if req.AuthErr != "" || req.Token != voipToken || req.Header.Get("apns-push-type") != "voip" ||
		req.Header.Get("apns-topic") != "com.example.calls.voip" || req.Header.Get("apns-expiration") != "0" {
		t.Fatalf("VoIP push = %+v", req)
	}
	payload := sb(req)
	caller, _ := payload["caller"].(map[string]any)
	if payload["sessionId"] != c.SessionID || payload["type"] != "ring" || caller["name"] != "Alice" ||
		payload["callType"] != "video" || payload["ringDeadline"] == nil {
		t.Fatalf("VoIP payload = %s", req.Body)
	}

	// The phone woke up: ack, then read the call as a cold start would.
	if r := bob.do("POST", "/v1/calls/"+c.SessionID+"/ack", ""); r.status != http.StatusOK {
		t.Fatalf("ack: %d %s", r.status, r.body)
	}
	select {
	case rc := <-ringing:
		if rc.Participants[1].AckedAt == 0 {
			t.Errorf("ringing event without ackedAt: %+v", rc.Participants)
		}
	case <-time.After(waitLimit):
		t.Fatal("alice never heard ringing")
	}
	var got client.Call
	bob.do("GET", "/v1/calls/"+c.SessionID, "").decode(t, &got)
	if got.Status != "initiated" || got.Participants[1].UID != "bob" || got.Participants[1].AckedAt == 0 {
		t.Fatalf("GET call = %+v", got)
	}

	r := bob.do("POST", "/v1/calls/"+c.SessionID+"/accept", "")
	var ans protocol.AcceptResult
	r.decode(t, &ans)
	if r.status != http.StatusOK || ans.CallToken == "" || ans.Call.Status != "ongoing" {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	var aliceTok string
	select {
	case ac := <-accepted:
		aliceTok = ac.CallToken
	case <-time.After(waitLimit):
		t.Fatal("alice never heard accepted")
	}
	a := join(t, app, aliceTok, nil)
	b := join(t, app, ans.CallToken, nil)
	flowUntilReceived(t, []*client.Session{a, b}, a, b)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if _, err := alice.chat.EndCall(ctx, c.SessionID); err != nil {
		t.Fatal(err)
	}

	want := []string{"call.initiated", "call.ringing", "call.accepted", "participant.joined", "participant.joined",
		"participant.left", "participant.left", "call.ended"}
	evs := p.hook.WaitEvents(len(want), waitLimit)
	var types []string
	for i, ev := range evs {
		types = append(types, ev.Type)
		if ev.Seq != i+1 || ev.SessionID != c.SessionID || ev.ID != fmt.Sprintf("evt_%s_%d", c.SessionID, i+1) {
			t.Errorf("event %d: id %s type %s seq %d, want seq %d of %s", i, ev.ID, ev.Type, ev.Seq, i+1, c.SessionID)
		}
	}
	if strings.Join(types, " ") != strings.Join(want, " ") {
		t.Fatalf("webhooks %v, want %v", types, want)
	}
	var ended protocol.WebhookData
	if err := json.Unmarshal(evs[len(evs)-1].Data, &ended); err != nil {
		t.Fatal(err)
	}
	if ended.Call.Status != "ended" || len(ended.Call.Participants) != 2 || ended.Call.Participants[1].JoinedAt == 0 ||
		ended.Call.Participants[1].LeftAt == 0 {
		t.Fatalf("call.ended data = %s", evs[len(evs)-1].Data)
	}
	if len(p.hook.Refused()) != 0 {
		t.Fatalf("the receiver refused signatures: %v", p.hook.Refused())
	}
}

func TestStopPushWhenAnsweredElsewhere(t *testing.T) {
	app, p := startPushApp(t)
	alice := signIn(t, app, "alice", "Alice")
	bobSocket := signIn(t, app, "bob", "Bob")
	bob := newPhone(t, app, "bob", "Bob")
	bob.register("iphone", "apns-voip", "aa11")

	c := call(t, alice, "bob", 0)
	p.apns.Wait(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if _, err := bobSocket.chat.AcceptCall(ctx, c.SessionID); err != nil {
		t.Fatal(err)
	}
	reqs := p.apns.Wait(t, 2)
	stop := sb(reqs[1])
	if reqs[1].Token != "aa11" || stop["type"] != "stop" || stop["sessionId"] != c.SessionID || stop["reason"] != "answeredElsewhere" {
		t.Fatalf("stop push = %s", reqs[1].Body)
	}
	if reqs[1].Header.Get("apns-push-type") != "voip" {
		t.Fatalf("stop push type %q, want voip (PushKit must report it to CallKit)", reqs[1].Header.Get("apns-push-type"))
	}
}

func TestSocketBoundDeviceIsNotPushedUnlessPolicyAlways(t *testing.T) {
	for _, policy := range []string{push.PolicyOfflineOnly, push.PolicyAlways} {
		t.Run(policy, func(t *testing.T) {
			app, p := startPushApp(t, func(cfg *server.Config) { cfg.Push.Policy = policy })
			alice := signIn(t, app, "alice", "Alice")
			bob := signIn(t, app, "bob", "Bob")
			ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
			defer cancel()
			if _, err := bob.chat.RegisterDevice(ctx, client.DeviceParams{DeviceID: "pixel", Kind: client.DeviceFCM, Token: "fcm-1", AppID: "com.example.calls"}); err != nil {
				t.Fatal(err)
			}
			c := call(t, alice, "bob", 0)
			if _, err := alice.chat.RejectCall(ctx, c.SessionID, client.StatusCancelled); err != nil {
				t.Fatal(err)
			}
			// The webhook of the cancel comes after the ring's push was handed over.
			p.hook.WaitEvents(2, waitLimit)
			time.Sleep(100 * time.Millisecond) // let a push that should not exist show up
			n := len(p.fcm.Requests())
			if policy == push.PolicyOfflineOnly && n != 0 {
				t.Fatalf("%d pushes to a device with a live socket", n)
			}
			if policy == push.PolicyAlways && n == 0 {
				t.Fatal("no push with policy always")
			}
		})
	}
}

func TestDeadTokenIsRemovedAndTheCallGoesOn(t *testing.T) {
	app, p := startPushApp(t)
	alice := signIn(t, app, "alice", "Alice")
	bob := newPhone(t, app, "bob", "Bob")
	bob.register("pixel", "fcm", "dead-token")
	bob.register("ipad", "apns-voip", "cc22")
	p.fcm.Script("dead-token", pushtest.Response{Status: http.StatusNotFound,
		Body: `{"error":{"status":"NOT_FOUND","details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}`})
	c := call(t, alice, "bob", 0)
	p.fcm.Wait(t, 1)
	p.apns.Wait(t, 1)
	waitFor(t, func() bool { return len(bob.devices()) == 1 })
	if d := bob.devices(); d[0].DeviceID != "ipad" {
		t.Fatalf("devices = %+v, want only ipad left", d)
	}
	r := bob.do("POST", "/v1/calls/"+c.SessionID+"/reject", `{"status":"rejected"}`)
	if r.status != http.StatusOK {
		t.Fatalf("reject over HTTPS: %d %s", r.status, r.body)
	}
}

func TestMissedCallPushesAndWebhooks(t *testing.T) {
	app, p := startPushApp(t)
	alice := signIn(t, app, "alice", "Alice")
	bob := newPhone(t, app, "bob", "Bob")
	bob.register("iphone-alerts", "apns", "dd33")
	c := call(t, alice, "bob", 1) // rings one second
	reqs := p.apns.Wait(t, 3)     // ring (alert), stop (background), missed (alert)
	types := []string{}
	for _, r := range reqs {
		types = append(types, fmt.Sprint(sb(r)["type"]))
	}
	if strings.Join(types, " ") != "ring stop missed" {
		t.Fatalf("pushes %v, want ring stop missed", types)
	}
	aps, _ := reqs[2].JSON()["aps"].(map[string]any)
	alert, _ := aps["alert"].(map[string]any)
	if alert["title"] != "Missed call from Alice" || reqs[2].Header.Get("apns-push-type") != "alert" {
		t.Fatalf("missed push = %v %s", reqs[2].Header, reqs[2].Body)
	}
	evs := p.hook.WaitEvents(3, waitLimit)
	got := []string{}
	for _, ev := range evs {
		got = append(got, ev.Type)
	}
	if strings.Join(got, " ") != "call.initiated call.missed call.unanswered" {
		t.Fatalf("webhooks %v", got)
	}
	var missed protocol.WebhookData
	_ = json.Unmarshal(evs[1].Data, &missed)
	if missed.UID != "bob" || missed.Call.SessionID != c.SessionID {
		t.Fatalf("call.missed data = %s", evs[1].Data)
	}
}

func TestUnreachableCallee(t *testing.T) {
	app, _ := startPushApp(t)
	alice := signIn(t, app, "alice", "Alice")
	newPhone(t, app, "zed", "Zed")
	c := call(t, alice, "zed", 0)
	if !c.Unreachable || c.Status != "initiated" {
		t.Fatalf("call to zed = %+v, want ringing and unreachable", c)
	}
}

// TestHTTPSAndSocketAcceptRace: the same callee accepts on a socket and over
// HTTPS at once; exactly one wins, the other is told why.
func TestHTTPSAndSocketAcceptRace(t *testing.T) {
	app, _ := startPushApp(t, func(cfg *server.Config) { cfg.Ringing.InitiateRate = 0 })
	alice := signIn(t, app, "alice", "Alice")
	for i := range 10 {
		bobSocket := signIn(t, app, "bob", "Bob")
		bob := newPhone(t, app, "bob", "Bob")
		c := call(t, alice, "bob", 0)
		var wg sync.WaitGroup
		var sockErr error
		var httpStatus int
		wg.Add(2)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
			defer cancel()
			_, sockErr = bobSocket.chat.AcceptCall(ctx, c.SessionID)
		}()
		go func() {
			defer wg.Done()
			httpStatus = bob.do("POST", "/v1/calls/"+c.SessionID+"/accept", "").status
		}()
		wg.Wait()
		if (sockErr == nil) == (httpStatus == http.StatusOK) {
			t.Fatalf("round %d: socket err %v, HTTPS status %d: want exactly one winner", i, sockErr, httpStatus)
		}
		if httpStatus != http.StatusOK && httpStatus != http.StatusConflict {
			t.Fatalf("round %d: losing HTTPS accept got %d, want 409", i, httpStatus)
		}
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		if _, err := alice.chat.EndCall(ctx, c.SessionID); err != nil {
			t.Fatal(err)
		}
		cancel()
		_ = bobSocket.chat.Close()
	}
}

func TestClientRequestIDIsIdempotent(t *testing.T) {
	app, _ := startPushApp(t)
	alice := signIn(t, app, "alice", "Alice")
	signIn(t, app, "bob", "Bob")
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	req := client.CallRequest{ReceiverID: "bob", ReceiverType: client.ReceiverUser, CallType: client.CallAudio, ClientRequestID: "req-1"}
	first, err := alice.chat.InitiateCall(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := alice.chat.InitiateCall(ctx, req)
	if err != nil || again.SessionID != first.SessionID {
		t.Fatalf("retry = %+v, %v; want the same call %s", again, err, first.SessionID)
	}
	signIn(t, app, "carol", "Carol")
	other := req
	other.ReceiverID = "carol"
	var we *protocol.Error
	if c, err := alice.chat.InitiateCall(ctx, other); !errors.As(err, &we) || we.Code != protocol.CodeConflict || !strings.Contains(we.Message, "req-1") {
		t.Fatalf("the same id for a call to someone else = %+v, %v; want conflict naming the id (it answered with the call to bob)", c, err)
	}
	req.ClientRequestID = "req-2"
	if _, err := alice.chat.InitiateCall(ctx, req); err == nil {
		t.Fatal("a new request id placed a second call while the first rings")
	}
}

func TestDeviceRegistrationRefusesBadInput(t *testing.T) {
	app, _ := startPushApp(t)
	bob := newPhone(t, app, "bob", "Bob")
	for _, body := range []string{
		`{"deviceId":"d","kind":"sms","token":"t","appId":"com.example.calls"}`,
		`{"deviceId":"d","kind":"fcm","token":"` + strings.Repeat("x", 5000) + `","appId":"com.example.calls"}`,
		`{"deviceId":"d","kind":"fcm","token":"t","appId":"not an app id"}`,
		`{"deviceId":"d","kind":"fcm","token":"t","appId":"com.example.calls","extra":1}`,
	} {
		if r := bob.do("POST", "/v1/devices", body); r.status != http.StatusBadRequest {
			t.Errorf("POST /v1/devices %.60s: %d %s, want 400", body, r.status, r.body)
		}
	}
	if d := bob.devices(); len(d) != 0 {
		t.Fatalf("devices after bad input: %+v", d)
	}
	if r := do(t, "POST", app.URL()+"/v1/devices", `{}`); r.status != http.StatusUnauthorized {
		t.Fatalf("no token: %d", r.status)
	}
}

// A device of a kind the server sends no pushes of would never ring: its
// registration is refused, over HTTPS and on the socket, naming the config.
func TestDeviceOfAnUnconfiguredProviderIsRefused(t *testing.T) {
	p := newProviders(t)
	apnsOnly := startPushAppWith(t, p, func(cfg *server.Config) { cfg.Push.FCM = push.FCMConfig{BaseURL: p.fcm.URL} })
	plain := startApp(t)
	for _, tc := range []struct {
		name      string
		app       *server.App
		kind, key string
		ok        bool
	}{
		{"fcm without fcm", apnsOnly, "fcm", "push.fcm.credentials_file", false},
		{"apns-voip with apns", apnsOnly, "apns-voip", "", true},
		{"apns-voip without push", plain, "apns-voip", "push.apns.key_file", false},
		{"apns without push", plain, "apns", "push.apns.key_file", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bob := newPhone(t, tc.app, "bob", "Bob")
			body := fmt.Sprintf(`{"deviceId":"d1","kind":%q,"token":"tok-1","appId":"com.example.calls"}`, tc.kind)
			r := bob.do("POST", "/v1/devices", body)
			if tc.ok {
				if r.status != http.StatusOK {
					t.Fatalf("POST /v1/devices: %d %s, want 200", r.status, r.body)
				}
				return
			}
			if r.status != http.StatusBadRequest || !strings.Contains(r.body, tc.key) {
				t.Fatalf("POST /v1/devices: %d %s, want 400 naming %s", r.status, r.body, tc.key)
			}
			ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
			defer cancel()
			sock := signIn(t, tc.app, "carol", "Carol")
			_, err := sock.chat.RegisterDevice(ctx, client.DeviceParams{DeviceID: "d2", Kind: tc.kind, Token: "tok-2", AppID: "com.example.calls"})
			if perr := (*protocol.Error)(nil); !errors.As(err, &perr) || perr.Code != "bad_request" || !strings.Contains(perr.Message, tc.key) {
				t.Fatalf("registerDevice: %v, want bad_request naming %s", err, tc.key)
			}
			if d := bob.devices(); len(d) != 0 {
				t.Fatalf("devices after a refusal: %+v", d)
			}
		})
	}
}

func TestPresenceSaysBusy(t *testing.T) {
	app := startApp(t)
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	carol := signIn(t, app, "carol", "Carol")
	changes := make(chan string, 16)
	carol.chat.AddCallListener("p", client.CallListener{
		OnUserBusy:   func(u client.User) { changes <- u.UID + " " + u.Status },
		OnUserOnline: func(u client.User) { changes <- u.UID + " " + u.Status },
	})
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if _, err := carol.chat.ListUsers(ctx); err != nil { // carol watches presence from now on
		t.Fatal(err)
	}
	sid, _, _ := connectCall(t, alice, bob)
	users, err := carol.chat.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]string{}
	for _, u := range users {
		status[u.UID] = u.Status
	}
	if status["alice"] != "busy" || status["bob"] != "busy" || status["carol"] != "online" {
		t.Fatalf("listUsers during the call: %v", status)
	}
	// Changes of one user queued together are coalesced to the last one:
	// busy is awaited before the call ends, as a person's call lasts.
	seen := func(want map[string]bool) {
		t.Helper()
		for len(want) > 0 {
			select {
			case c := <-changes:
				delete(want, c)
			case <-ctx.Done():
				t.Fatalf("presence changes never seen: %v", want)
			}
		}
	}
	seen(map[string]bool{"alice busy": true, "bob busy": true})
	if _, err := alice.chat.EndCall(ctx, sid); err != nil {
		t.Fatal(err)
	}
	seen(map[string]bool{"alice online": true, "bob online": true})
}

func TestHTTPSInitiateIsRetrySafe(t *testing.T) {
	app, p := startPushApp(t)
	alice := newPhone(t, app, "alice", "Alice")
	bob := newPhone(t, app, "bob", "Bob")
	bob.register("iphone", "apns-voip", "ee44")
	body := `{"receiverId":"bob","receiverType":"user","callType":"audio","clientRequestId":"r-1"}`
	var first, again client.Call
	r := alice.do("POST", "/v1/calls", body)
	if r.status != http.StatusCreated {
		t.Fatalf("POST /v1/calls: %d %s", r.status, r.body)
	}
	r.decode(t, &first)
	alice.do("POST", "/v1/calls", body).decode(t, &again)
	if again.SessionID != first.SessionID || first.Initiator.Name != "Alice" {
		t.Fatalf("retry gave %s, first %s (%+v)", again.SessionID, first.SessionID, first.Initiator)
	}
	if reqs := p.apns.Wait(t, 1); len(reqs) != 1 || sb(reqs[0])["sessionId"] != first.SessionID {
		t.Fatalf("pushes = %d, want one ring for the one call", len(reqs))
	}
	if r := alice.do("POST", "/v1/calls", `{"receiverId":"bob","receiverType":"user","callType":"fax"}`); r.status != http.StatusBadRequest {
		t.Fatalf("bad callType: %d", r.status)
	}
}

// twoPhonesRung: alice (a socket) calls bob, who has no socket and two
// phones (iphone aa11, ipad bb22), both rung by push.
func twoPhonesRung(t *testing.T) (*server.App, *providers, *phone, client.Call) {
	t.Helper()
	app, p := startPushApp(t)
	alice := signIn(t, app, "alice", "Alice")
	bob := newPhone(t, app, "bob", "Bob")
	bob.register("iphone", "apns-voip", "aa11")
	bob.register("ipad", "apns-voip", "bb22")
	c := call(t, alice, "bob", 0)
	p.apns.Wait(t, 2) // the rings
	return app, p, bob, c
}

// TestNoStopPushToThePhoneThatAnswered: bob has two phones; the one that
// answers over HTTPS names itself and gets no stop push (it would end the
// call CallKit just answered); the other one gets its stop push.
func TestNoStopPushToThePhoneThatAnswered(t *testing.T) {
	app, p, bob, c := twoPhonesRung(t)
	if r := bob.do("POST", "/v1/calls/"+c.SessionID+"/accept", `{"deviceId":"iphone"}`); r.status != http.StatusOK {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	stop := p.apns.Wait(t, 3)[2]
	if stop.Token != "bb22" || sb(stop)["type"] != "stop" {
		t.Fatalf("third push %s to %s, want the ipad's stop push", stop.Body, stop.Token)
	}
	// A notifier batch is stored whole before anything of it is sent: the
	// outbox now holds every push of the accept.
	if stops := storedStops(t, app); len(stops) != 1 {
		t.Fatalf("stop pushes stored for %v, want the ipad's only", stops)
	}
}

// storedStops lists the targets of the stop pushes in app's outbox.
func storedStops(t *testing.T, app *server.App) []string {
	t.Helper()
	items, err := app.Store().ListOutbox(context.Background(), store.OutboxQuery{Channel: push.Channel})
	if err != nil {
		t.Fatal(err)
	}
	var stops []string
	for _, it := range items {
		if strings.Contains(string(it.Payload), `"type":"stop"`) {
			stops = append(stops, it.Target)
		}
	}
	return stops
}

// A node that stops (SIGTERM's drain over, or Close) ends the calls it
// still runs (server_shutdown) and sends their webhooks before it exits,
// not at its next start, which a node retired for good never has
// (operations.md, SIGTERM). Before, Close returned with participant.left
// and call.ended pending in the store.
func TestShutdownSendsTheLastCallsWebhooks(t *testing.T) {
	app, p := startPushApp(t)
	alice, bob := signIn(t, app, "alice", "Alice"), signIn(t, app, "bob", "Bob")
	sid, _, _ := connectCall(t, alice, bob)
	p.hook.WaitEvents(4, waitLimit) // call.initiated, call.accepted, participant.joined x2
	if err := app.Close(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range p.hook.Events() {
		if ev.Type == "call.ended" || ev.Type == "participant.left" {
			var d protocol.WebhookData
			_ = json.Unmarshal(ev.Data, &d)
			if d.Call.SessionID != sid || d.Reason != protocol.ReasonServerShutdown {
				t.Errorf("%s = %s, want call %s, reason server_shutdown", ev.Type, ev.Data, sid)
			}
			got = append(got, ev.Type)
		}
	}
	if strings.Join(got, " ") != "participant.left participant.left call.ended" {
		t.Fatalf("webhooks received by the time Close returned: %v, want both participant.left and call.ended", got)
	}
}

// A phone that answered over HTTPS hangs up before opening either socket
// (the user pressed End in CallKit while media connected): POST /end ends
// the 1:1 call at once, not after ringing.reconnect_grace, and the caller
// is told. Ending again changes nothing; someone else's call is 403, one
// still ringing 409, one that does not exist 404.
func TestPhoneHangsUpOverHTTPSBeforeMedia(t *testing.T) {
	app, p := startPushApp(t)
	alice := signIn(t, app, "alice", "Alice")
	ended := make(chan client.Call, 1)
	alice.chat.AddCallListener("t", client.CallListener{OnCallEndedMessageReceived: func(c client.Call) { ended <- c }})
	bob := newPhone(t, app, "bob", "Bob")
	bob.register("iphone", "apns-voip", strings.Repeat("c1", 32))
	carol := newPhone(t, app, "carol", "Carol")

	c := call(t, alice, "bob", 0)
	p.apns.Wait(t, 1)
	if r := bob.do("POST", "/v1/calls/"+c.SessionID+"/end", `{"deviceId":"iphone"}`); r.status != http.StatusConflict || r.errorCode() != "invalid_state" {
		t.Errorf("end while ringing: %d %s; want 409 invalid_state (reject instead)", r.status, r.body)
	}
	if r := bob.do("POST", "/v1/calls/"+c.SessionID+"/accept", `{"deviceId":"iphone"}`); r.status != http.StatusOK {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	if r := carol.do("POST", "/v1/calls/"+c.SessionID+"/end", ""); r.status != http.StatusForbidden {
		t.Errorf("end by someone not in the call: %d %s; want 403", r.status, r.body)
	}
	asked := time.Now()
	r := bob.do("POST", "/v1/calls/"+c.SessionID+"/end", `{"deviceId":"iphone"}`)
	var got protocol.Call
	r.decode(t, &got)
	if r.status != http.StatusOK || got.Status != protocol.StatusEnded || got.EndReason != protocol.ReasonEnded {
		t.Fatalf("end: %d %s; want 200, the call ended", r.status, r.body)
	}
	select {
	case e := <-ended:
		if e.SessionID != c.SessionID {
			t.Errorf("alice's callEnded is for %s, want %s", e.SessionID, c.SessionID)
		}
	case <-time.After(waitLimit):
		t.Fatal("alice never heard the call end")
	}
	t.Logf("alice told %v after bob's end", time.Since(asked).Round(time.Millisecond))
	if r := bob.do("POST", "/v1/calls/"+c.SessionID+"/end", ""); r.status != http.StatusOK {
		t.Errorf("ending again: %d %s; want 200, nothing changed", r.status, r.body)
	}
	if r := bob.do("POST", "/v1/calls/"+"nosuchcall/end", ""); r.status != http.StatusNotFound {
		t.Errorf("end of a call that does not exist: %d %s; want 404", r.status, r.body)
	}
	if r := bob.do("POST", "/v1/calls/"+c.SessionID+"/end", `{"deviceId":"bad id!"}`); r.status != http.StatusBadRequest {
		t.Errorf("a bad deviceId: %d %s; want 400", r.status, r.body)
	}
}

// TestTokenNameOverHTTPS: users a backend never provisioned, known only by
// their tokens (uid and name), as a /v1/ws connect records them: the
// phone that registers its device first, and the caller whose first
// request is POST /v1/calls, carry the token's name to the call, the
// other's screen and the ring push. Before, both were named by their uid.
func TestTokenNameOverHTTPS(t *testing.T) {
	app, p := startPushApp(t)
	phoneOf := func(uid, name string) *phone {
		tok, err := app.Tokens().MintAuth(uid, name, 0)
		if err != nil {
			t.Fatal(err)
		}
		return &phone{t: t, app: app, uid: uid, token: tok}
	}
	erin, frank := phoneOf("erin", "Erin"), phoneOf("frank", "Frank")
	erin.register("iphone", "apns-voip", "ee55")
	if u, err := app.Store().GetUser(context.Background(), "erin"); err != nil || u.Name != "Erin" {
		t.Fatalf("erin after registering her phone: %+v %v", u, err)
	}
	var c client.Call
	r := frank.do("POST", "/v1/calls", `{"receiverId":"erin","receiverType":"user","callType":"audio"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("POST /v1/calls: %d %s", r.status, r.body)
	}
	r.decode(t, &c)
	if c.Initiator.Name != "Frank" || c.Receiver.Name != "Erin" {
		t.Fatalf("initiator %+v, receiver %+v", c.Initiator, c.Receiver)
	}
	caller, _ := sb(p.apns.Wait(t, 1)[0])["caller"].(map[string]any)
	if caller["name"] != "Frank" {
		t.Fatalf("the ring push names the caller %v", caller)
	}
}

// Glare over HTTPS: bob's phone, rung by alice's call (push), places a call
// to alice with POST /v1/calls naming its deviceId: that answers her call
// (glare), and, as an /accept naming it, the phone gets no stop push for
// the call it is now in; bob's other device does. Before, POST /v1/calls
// refused deviceId, and the phone's own stop push could end the call it had
// just answered (the push integration audit).
func TestGlareOverHTTPSSparesThePhoneItsStopPush(t *testing.T) {
	app, p, bob, c := twoPhonesRung(t)
	r := bob.do("POST", "/v1/calls", `{"receiverId":"alice","receiverType":"user","callType":"video","deviceId":"iphone"}`)
	var got struct {
		SessionID, Status, CallToken string
	}
	r.decode(t, &got)
	if r.status != http.StatusCreated || got.SessionID != c.SessionID || got.Status != "ongoing" || got.CallToken == "" {
		t.Fatalf("bob calls alice while she rings him: %d %s; want her call, ongoing, with his call token", r.status, r.body)
	}
	stop := p.apns.Wait(t, 3)[2]
	if stop.Token != "bb22" || sb(stop)["type"] != "stop" {
		t.Fatalf("third push %s to %s, want the ipad's stop push", stop.Body, stop.Token)
	}
	if stops := storedStops(t, app); len(stops) != 1 {
		t.Errorf("stop pushes stored for %v, want the ipad's only (not the phone that answered by glare)", stops)
	}
	if r := bob.do("POST", "/v1/calls", `{"receiverId":"alice","receiverType":"user","callType":"video","deviceId":"not a device id!"}`); r.status != http.StatusBadRequest {
		t.Errorf("a bad deviceId: %d %s, want 400", r.status, r.body)
	}
}
