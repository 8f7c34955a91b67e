package e2e

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// appOrigin is a second web server on another 127.0.0.1 port: an app that
// embeds the SDK from switchboard's origin (cross-origin, as a customer's
// site would). It serves testdata/cometchat-app with the SDK's address
// filled in, and a blank page.
type appOrigin struct {
	url string
	mu  sync.Mutex
	sdk string // switchboard's base URL, set once it runs
}

func startAppOrigin(t *testing.T) *appOrigin {
	t.Helper()
	a := &appOrigin{}
	files := http.FileServer(http.Dir("testdata/cometchat-app"))
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/", "/index.html":
			raw, err := os.ReadFile("testdata/cometchat-app/index.html")
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			a.mu.Lock()
			sdk := a.sdk
			a.mu.Unlock()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(strings.ReplaceAll(string(raw), "{{SDK}}", sdk)))
		case "/readme.html": // the cross-origin example of the SDK's README, as written
			page, err := readmeExample()
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			a.mu.Lock()
			sdk := a.sdk
			a.mu.Unlock()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(strings.ReplaceAll(page, "https://calls.example.com", sdk)))
		case "/favicon.ico":
			w.WriteHeader(http.StatusNoContent)
		case "/blank.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(`<!doctype html><html lang="en"><title>blank</title><p>blank</p></html>`))
		default:
			files.ServeHTTP(w, r)
		}
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	a.url = srv.URL
	return a
}

func (a *appOrigin) setSDK(base string) {
	a.mu.Lock()
	a.sdk = strings.TrimRight(base, "/")
	a.mu.Unlock()
}

// waitEvent waits until the seeds app logged its n-th event called name.
func (p *person) waitEvent(name string, n int) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf("event %s #%d", name, n), fmt.Sprintf(`(window.events || []).filter((e) => e.name === %s).length >= %d`, jsq(name), n), 20*time.Second)
}

// events lists the names of the app's events so far.
func (p *person) events() []string {
	p.t.Helper()
	return eval[[]string](p, `(window.events || []).map((e) => e.name)`)
}

// inOrder fails the test unless the app's events include names in this order.
func (p *person) inOrder(names ...string) {
	p.t.Helper()
	got := p.events()
	i := 0
	for _, e := range got {
		if i < len(names) && e == names[i] {
			i++
		}
	}
	if i < len(names) {
		p.t.Errorf("%s: events %v do not have %v in this order", p.name, got, names)
	}
}

// appEvent is one logged event of the seeds app.
type appEvent struct {
	Name      string         `json:"name"`
	SessionID string         `json:"sessionId"`
	Status    string         `json:"status"`
	Detail    map[string]any `json:"detail"`
}

func (p *person) lastEvent(name string) appEvent {
	p.t.Helper()
	return eval[appEvent](p, fmt.Sprintf(`(() => { const e = window.events.filter((e) => e.name === %s).pop();
		return { name: e.name, sessionId: e.sessionId || "", status: e.status || "", detail: (e.detail && typeof e.detail === "object") ? e.detail : { value: e.detail } }; })()`, jsq(name)))
}

// TestCometChatSeedsApp: an app written from CometChat's calling pages (the
// seeds), with only its import and init/login lines swapped, served from
// another origin, runs against switchboard in Chromium: accept (with media
// both ways, ended with the default layout's End call button), reject,
// cancel, leave-then-endCall, and the initiateCall timeout rules.
func TestCometChatSeedsApp(t *testing.T) {
	app := startAppOrigin(t)
	srv := startServer(t, 20*time.Second, func(c *switchboard.Config) { c.Server.AllowedOrigins = []string{app.url} })
	app.setSDK(srv.url)
	for _, u := range []string{"alice", "bob"} {
		srv.admin(http.MethodPost, "/v1/admin/users", map[string]string{"uid": u, "name": strings.ToUpper(u[:1]) + u[1:]})
	}
	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	for _, p := range []*person{alice, bob} {
		tok, err := srv.app.Tokens().MintAuth(strings.ToLower(p.name), p.name, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		p.open(app.url + "/?server=" + srv.url + "&token=" + tok)
		p.waitEvent("ready", 1)
	}

	t.Run("accept, media, end with the End call button", func(t *testing.T) {
		eval[bool](alice, `window.app.initiate("bob").then(() => true)`)
		bob.waitEvent("onIncomingCallReceived", 1)
		in := bob.lastEvent("onIncomingCallReceived")
		if in.Detail["initiator"] != "Alice" {
			t.Errorf("getCallInitiator().getName() = %v, want Alice", in.Detail["initiator"])
		}
		if at, _ := in.Detail["initiatedAt"].(float64); at < 1.6e9 || at > 1e10 {
			t.Errorf("getInitiatedAt() = %v, want unix seconds", in.Detail["initiatedAt"])
		}
		eval[bool](bob, `window.app.accept().then(() => true)`)
		alice.waitEvent("onOutgoingCallAccepted", 1)
		alice.waitEvent("startSession", 1)
		bob.waitEvent("startSession", 1)
		alice.waitMedia(1, 1)
		bob.waitMedia(1, 1)
		if got := eval[string](bob, `window.app.activeCall()?.getSessionId() || ""`); got != in.SessionID {
			t.Errorf("bob's getActiveCall() = %q, want %q", got, in.SessionID)
		}
		alice.shotBoth("seeds-app-in-call")
		alice.inOrder("initiated", "onOutgoingCallAccepted", "startSession")
		bob.inOrder("onIncomingCallReceived", "accepted", "startSession")
		// the app mutes and turns the camera off itself: the default layout's buttons follow
		// (and say what pressing them does now); Switch camera is hidden with one camera
		eval[bool](alice, `import("@switchboard-rtc/sdk/cometchat").then(async (m) => {
			m.CometChatCalls.muteAudio(true);
			await m.CometChatCalls.pauseVideo(true);
			return true; })`)
		buttons := `["cc-mute", "cc-camera"].map((id) => { const b = document.querySelector("[data-testid=" + id + "]"); return b.textContent + "/" + b.getAttribute("aria-pressed"); }).join(" ") +
			" switch hidden " + document.querySelector("[data-testid=cc-switch]")?.hidden`
		if got := eval[string](alice, buttons); got != "Unmute/true Camera on/true switch hidden true" {
			t.Errorf("alice's buttons after the app muted and paused video: %q, want Unmute/true Camera on/true switch hidden true", got)
		}
		bob.waitJS("alice muted on bob's page", `document.querySelector('[data-testid=tile-alice]')?.dataset.audioMuted === "true"`, 10*time.Second)
		alice.click("cc-mute") // says Unmute: unmutes
		bob.waitJS("alice unmuted by her button", `document.querySelector('[data-testid=tile-alice]')?.dataset.audioMuted === "false"`, 10*time.Second)
		alice.click("cc-end")
		alice.waitEvent("endedByButton", 1)
		bob.waitEvent("onCallEnded", 1)
		bob.waitEvent("onCallEndedMessageReceived", 1)
		for _, p := range []*person{alice, bob} {
			p.waitJS("the call view cleared", `!document.querySelector('.sb-tile') && window.app.activeCall() === null`, 10*time.Second)
		}
	})

	t.Run("reject", func(t *testing.T) {
		eval[bool](alice, `window.app.initiate("bob").then(() => true)`)
		bob.waitEvent("onIncomingCallReceived", 2)
		eval[bool](bob, `window.app.reject().then(() => true)`)
		bob.waitEvent("rejected", 1)
		alice.waitEvent("onOutgoingCallRejected", 1)
		if got := alice.lastEvent("onOutgoingCallRejected").Status; got != "rejected" {
			t.Errorf("onOutgoingCallRejected call status %q, want rejected", got)
		}
	})

	t.Run("cancel", func(t *testing.T) {
		eval[bool](alice, `window.app.initiate("bob").then(() => true)`)
		bob.waitEvent("onIncomingCallReceived", 3)
		eval[bool](alice, `window.app.cancel().then(() => true)`)
		alice.waitEvent("cancelled", 1)
		bob.waitEvent("onIncomingCallCancelled", 1)
		if got := bob.lastEvent("onIncomingCallCancelled").Status; got != "cancelled" {
			t.Errorf("onIncomingCallCancelled call status %q, want cancelled", got)
		}
	})

	t.Run("leave the session, then endCall", func(t *testing.T) {
		eval[bool](alice, `window.app.initiate("bob").then(() => true)`)
		bob.waitEvent("onIncomingCallReceived", 4)
		eval[bool](bob, `window.app.accept().then(() => true)`)
		alice.waitEvent("startSession", 2)
		bob.waitEvent("startSession", 2)
		alice.waitMedia(1, 1)
		bob.waitMedia(1, 1)
		eval[bool](bob, `window.app.leaveThenEnd().then(() => true)`)
		bob.waitEvent("endedAfterLeave", 1)
		alice.waitEvent("onCallEnded", 1)
	})

	t.Run("initiateCall timeout: seconds, truncated, <= 0 is 45", func(t *testing.T) {
		for i, tc := range []struct {
			arg  string
			want float64
		}{{"2.9", 2}, {"-1", 45}, {"undefined", 45}} {
			eval[bool](alice, `window.app.initiate("bob", `+tc.arg+`).then(() => true)`)
			alice.waitEvent("initiated", 5+i)
			if got := alice.lastEvent("initiated").Detail["timeout"]; got != tc.want {
				t.Errorf("initiateCall(call, %s): the server rings for %v s, want %v", tc.arg, got, tc.want)
			}
			eval[bool](alice, `window.app.cancel().then(() => true)`)
			alice.waitEvent("cancelled", 2+i)
		}
	})

	for _, p := range []*person{alice, bob} {
		for _, e := range p.events() {
			if strings.HasSuffix(e, "Failed") || e == "onError" {
				t.Errorf("%s: the app logged %s: %v", p.name, e, p.events())
			}
		}
		p.noConsoleErrors()
	}
	// Last: the refused token's 401 is logged in the console (checked above).
	t.Run("a refused call token: onError once, startSession resolves", func(t *testing.T) {
		got := eval[string](alice, `import("@switchboard-rtc/sdk/cometchat").then(async (m) => {
			const errs = [];
			const listener = new m.CometChatCalls.OngoingCallListener({ onError: (e) => errs.push(e.code) });
			const settings = new m.CometChatCalls.CallSettingsBuilder().setCallListener(listener).build();
			const outcome = await m.CometChatCalls.startSession("garbage", settings, null).then(() => "resolved", (e) => "rejected " + e.code);
			await m.CometChatCalls.startSession("garbage", settings, "stage"); // an element's id: refused before anything
			return outcome + ": onError " + errs.join(", ");
		})`)
		if got != "resolved: onError unauthorized, bad_request" {
			t.Errorf("CometChatCalls.startSession with a refused token, then an element id: %q, want resolved: onError unauthorized, bad_request (each told once)", got)
		}
	})
}

// TestCrossOriginLogin: from a page on another origin, login() rejects with
// a clear error when the token is refused (401) and when the server cannot
// be reached (within its timeout), instead of never settling.
func TestCrossOriginLogin(t *testing.T) {
	app := startAppOrigin(t)
	srv := startServer(t, 20*time.Second, func(c *switchboard.Config) { c.Server.AllowedOrigins = []string{app.url} })
	b := newBrowser(t)
	p := b.person("Embedder")
	p.open(app.url + "/blank.html")
	type outcome struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Ms      int    `json:"ms"`
	}
	try := func(base, token string, timeoutMs int) outcome {
		return eval[outcome](p, fmt.Sprintf(`(async () => {
			const { Switchboard } = await import(%s);
			const sb = new Switchboard({ baseUrl: %s }), t0 = Date.now();
			try { await sb.login(%s, { timeoutMs: %d }); return { code: "ok", message: "", ms: Date.now() - t0 }; }
			catch (e) { return { code: e.code || "", message: e.message || "", ms: Date.now() - t0 }; } })()`,
			jsq(srv.url+"sdk/switchboard.js"), jsq(base), jsq(token), timeoutMs))
	}
	good, err := srv.app.Tokens().MintAuth("carol", "Carol", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got := try(srv.url, good, 5000); got.Code != "ok" {
		t.Errorf("login from another origin with a good token: %+v, want ok", got)
	}
	bad := good[:len(good)-4] + "AAAA" // signature broken
	if got := try(srv.url, bad, 5000); got.Code != "unauthorized" || !strings.Contains(got.Message, "refused") {
		t.Errorf("login with a refused token: %+v, want code unauthorized", got)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port with nobody serving: closed at once
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	_ = ln.Close()
	got := try(dead, good, 1500)
	if got.Code != "unreachable" || !strings.Contains(got.Message, "cannot be reached") {
		t.Errorf("login to an unreachable server: %+v, want code unreachable", got)
	}
	t.Logf("unreachable login rejected after %d ms (timeout 1500 ms)", got.Ms)
}

// readmeExample is the HTML block of web/static/sdk/README.md that follows
// its "cross-origin example" marker.
func readmeExample() (string, error) {
	raw, err := os.ReadFile("../static/sdk/README.md")
	if err != nil {
		return "", err
	}
	text := string(raw)
	i := strings.Index(text, "<!-- cross-origin example")
	if i < 0 {
		return "", fmt.Errorf("README.md has no cross-origin example marker")
	}
	text = text[i:]
	start := strings.Index(text, "```html\n")
	if start < 0 {
		return "", fmt.Errorf("no html block after the marker")
	}
	text = text[start+len("```html\n"):]
	end := strings.Index(text, "\n```")
	if end < 0 {
		return "", fmt.Errorf("the html block does not end")
	}
	return text[:end], nil
}

// TestReadmeCrossOriginExample: the SDK README's cross-origin page, served
// from another origin as written (only the server's address filled in),
// signs in, rings, answers and shows the other's video both ways; End call
// ends it for both.
func TestReadmeCrossOriginExample(t *testing.T) {
	app := startAppOrigin(t)
	srv := startServer(t, 20*time.Second, func(c *switchboard.Config) { c.Server.AllowedOrigins = []string{app.url} })
	app.setSDK(srv.url)
	for _, u := range []string{"alice", "bob"} {
		srv.admin(http.MethodPost, "/v1/admin/users", map[string]string{"uid": u, "name": strings.ToUpper(u[:1]) + u[1:]})
	}
	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	status := func(p *person, want string) {
		p.t.Helper()
		p.waitJS("status "+want, `document.getElementById("status")?.textContent.includes(`+jsq(want)+`)`, 20*time.Second)
	}
	for _, p := range []*person{alice, bob} {
		tok, err := srv.app.Tokens().MintAuth(strings.ToLower(p.name), p.name, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		p.open(app.url + "/readme.html?token=" + tok)
		status(p, "Signed in as "+p.name)
	}
	alice.do("call bob", chromedp.Click(chromedp.CSS("#call")))
	status(bob, "Alice is calling")
	bob.do("accept", chromedp.Click(chromedp.CSS("#accept"), chromedp.NodeVisible))
	remoteVideo := `[...document.querySelectorAll('.sb-tile[data-local="false"] video')].some((v) => v.videoWidth > 0)`
	alice.waitJS("bob's video", remoteVideo, 20*time.Second)
	bob.waitJS("alice's video", remoteVideo, 20*time.Second)
	alice.shot("readme-example-in-call")
	alice.click("cc-end")
	status(bob, "Call ended")
	alice.noConsoleErrors()
	bob.noConsoleErrors()
}

// TestCometChatActiveCallWithoutListeners: CometChat.getActiveCall() follows
// the ringing on a page that added no CallListener (an app that only polls
// it): the callee has the call while it rings, both have it ongoing once
// answered, and the side that did not end it loses it when it ends. Before,
// only a registered CallListener kept it: the callee had null while rung and
// a call that ended stayed "ongoing" (the SDK embedding audit).
func TestCometChatActiveCallWithoutListeners(t *testing.T) {
	app := startAppOrigin(t)
	srv := startServer(t, 20*time.Second, func(c *switchboard.Config) { c.Server.AllowedOrigins = []string{app.url} })
	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	base := strings.TrimSuffix(srv.url, "/")
	for _, p := range []*person{alice, bob} {
		tok, err := srv.app.Tokens().MintAuth(strings.ToLower(p.name), p.name, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		p.open(app.url + "/blank.html")
		eval[bool](p, fmt.Sprintf(`import(%s).then(async (m) => {
			window.CC = m.CometChat;
			await CC.init({ baseUrl: %s });
			await CC.login(%s);
			window.activeStatus = () => { const c = CC.getActiveCall(); return c ? c.getStatus() : "none"; };
			return true; })`, jsq(base+"/sdk/cometchat.js"), jsq(base), jsq(tok)))
	}
	sid := eval[string](alice, `CC.initiateCall(new CC.Call("bob", "audio", "user")).then((c) => c.getSessionId())`)
	bob.waitJS("bob's active call while it rings", `activeStatus() === "initiated"`, 10*time.Second)
	eval[bool](bob, `CC.acceptCall(`+jsq(sid)+`).then(() => true)`)
	alice.waitJS("alice's active call answered", `activeStatus() === "ongoing"`, 10*time.Second)
	if got := eval[string](bob, `activeStatus()`); got != "ongoing" {
		t.Errorf("bob's active call after he answered: %s, want ongoing", got)
	}
	eval[bool](alice, `CC.endCall(`+jsq(sid)+`).then(() => true)`)
	bob.waitJS("bob's active call gone when alice ended it", `activeStatus() === "none"`, 10*time.Second)
}
