package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// TestCometChatPortedAppEdges: what an audit porting a CometChat app met
// beyond the seeds' happy paths, each of which broke the app before:
//   - init run again (an app's start-up twice) signed the user out while
//     getLoggedinUser() still gave them: calls no longer rang;
//   - the caller's second page also got onOutgoingCallAccepted, started the
//     session too and took the call's media from the page that placed it;
//   - calling someone who was calling you (glare) resolved initiateCall with
//     their call, ongoing, and nothing else: the app never started the
//     session and the other sat alone in the call;
//   - startSession again with the same token (a re-render) blanked the view;
//   - endCall with a stale id removed the view of the call going on;
//   - a refused rejectCall cleared getActiveCall();
//   - initiateCall(undefined) rejected with a TypeError, not a
//     CometChatException;
//   - getAvatar() was "" for every user.
func TestCometChatPortedAppEdges(t *testing.T) {
	app := startAppOrigin(t)
	srv := startServer(t, 20*time.Second, func(c *switchboard.Config) { c.Server.AllowedOrigins = []string{app.url} })
	app.setSDK(srv.url)
	const face = "https://cdn.example.com/alice.png"
	srv.admin(http.MethodPost, "/v1/admin/users", map[string]string{"uid": "alice", "name": "Alice", "avatar": face})
	srv.admin(http.MethodPost, "/v1/admin/users", map[string]string{"uid": "bob", "name": "Bob"})
	b := newBrowser(t)
	alice, alice2, bob := b.person("Alice"), b.person("Alice's second tab"), b.person("Bob")
	for _, p := range []*person{alice, alice2, bob} {
		uid := strings.ToLower(strings.Fields(p.name)[0])
		uid = strings.TrimSuffix(uid, "'s")
		tok, err := srv.app.Tokens().MintAuth(uid, p.name, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		p.open(app.url + "/?server=" + srv.url + "&token=" + tok)
		p.waitEvent("ready", 1)
	}
	const cc = `import("@switchboard-rtc/sdk/cometchat").then(async ({ CometChat, CometChatCalls, switchboardOf }) => `
	tiles := `document.querySelectorAll("#call-container .sb-tile").length + " tiles, end button " + !!document.querySelector("[data-testid=cc-end]")`

	t.Run("init again keeps the login", func(t *testing.T) {
		got := eval[string](bob, cc+`{
			await CometChat.init({ baseUrl: `+jsq(srv.url)+` });
			return (await CometChat.getLoggedinUser())?.getUid() || "none"; })`)
		if got != "bob" {
			t.Fatalf("getLoggedinUser() after init again: %s, want bob", got)
		}
		eval[bool](alice, `window.app.initiate("bob").then(() => true)`)
		bob.waitEvent("onIncomingCallReceived", 1) // still signed in: rung
		if got := eval[string](bob, `window.app.activeCall().getCallInitiator().getAvatar()`); got != face {
			t.Errorf("bob's incoming call: getCallInitiator().getAvatar() = %q, want %s", got, face)
		}
		if got := eval[string](alice, cc+`(await CometChat.getLoggedinUser()).getAvatar())`); got != face {
			t.Errorf("alice's getLoggedinUser().getAvatar() = %q, want %s", got, face)
		}
		eval[bool](alice, `window.app.cancel().then(() => true)`)
		bob.waitEvent("onIncomingCallCancelled", 1)
	})

	t.Run("bad input and a refused reject", func(t *testing.T) {
		got := eval[string](alice, cc+`{
			const e = await CometChat.initiateCall(undefined).then(() => null, (e) => e);
			return (e instanceof CometChat.CometChatException) + " " + e.code; })`)
		if got != "true bad_request" {
			t.Errorf("initiateCall(undefined) rejects with %q, want a CometChatException bad_request", got)
		}
		eval[bool](alice, `window.app.initiate("bob").then(() => true)`)
		bob.waitEvent("onIncomingCallReceived", 2)
		got = eval[string](alice, cc+`{
			const sid = CometChat.getActiveCall().getSessionId();
			const e = await CometChat.rejectCall(sid, CometChat.CALL_STATUS.REJECTED).then(() => null, (e) => e);
			return (e && e.code) + ", active " + (CometChat.getActiveCall()?.getSessionId() === sid); })`)
		if got != "forbidden, active true" {
			t.Errorf("the caller's rejectCall(REJECTED): %q, want forbidden, active true (the call still rings)", got)
		}
		eval[bool](alice, `window.app.cancel().then(() => true)`)
		bob.waitEvent("onIncomingCallCancelled", 2)
	})

	t.Run("accepted: only the page that placed it starts; startSession again and a stale endCall keep the view", func(t *testing.T) {
		eval[bool](alice, `window.app.initiate("bob").then(() => true)`)
		bob.waitEvent("onIncomingCallReceived", 3)
		eval[bool](bob, `window.app.accept().then(() => true)`)
		alice.waitEvent("startSession", 1)
		alice.waitMedia(1, 1)
		bob.waitMedia(1, 1)
		alice.waitJS("alice's two tiles", `document.querySelectorAll("#call-container .sb-tile").length === 2`, 10*time.Second)
		got := eval[string](alice, cc+`{
			const settings = new CometChatCalls.CallSettingsBuilder().enableDefaultLayout(true).build();
			await CometChatCalls.startSession(switchboardOf().session.callToken, settings, document.getElementById("call-container"));
			return `+tiles+`; })`)
		if got != "2 tiles, end button true" {
			t.Errorf("after startSession again with the same token: %s, want 2 tiles, end button true", got)
		}
		got = eval[string](alice, cc+`{
			const e = await CometChat.endCall("SESSION_ID").then(() => null, (e) => e);
			return (e && e.code) + ": " + `+tiles+`; })`)
		if got != "not_found: 2 tiles, end button true" {
			t.Errorf("after endCall with a stale id: %s, want not_found: 2 tiles, end button true", got)
		}
		alice.click("cc-end")
		alice.waitEvent("endedByButton", 1)
		bob.waitEvent("onCallEnded", 1)
		alice2.waitEvent("onCallEndedMessageReceived", 1) // after the acceptance on the same socket
		for _, e := range alice2.events() {
			if e == "onOutgoingCallAccepted" || e == "startSession" {
				t.Errorf("alice's second page, which did not place the call: %v", alice2.events())
			}
		}
	})

	t.Run("glare: the one called calls back; both start the session", func(t *testing.T) {
		eval[bool](alice, `window.app.initiate("bob").then(() => true)`)
		bob.waitEvent("onIncomingCallReceived", 4)
		eval[bool](bob, `window.app.initiate("alice").then(() => true)`)
		if got := bob.lastEvent("initiated").Status; got != "ongoing" {
			t.Errorf("bob's initiateCall while alice calls him resolves %q, want ongoing (her call)", got)
		}
		bob.waitEvent("onOutgoingCallAccepted", 1)
		bob.waitEvent("startSession", 1)
		alice.waitEvent("startSession", 2)
		alice.waitMedia(1, 1)
		bob.waitMedia(1, 1)
		bob.inOrder("initiated", "onOutgoingCallAccepted", "startSession")
		if a, b := alice.lastEvent("startSession").SessionID, bob.lastEvent("startSession").SessionID; a != b {
			t.Errorf("alice's session %s, bob's %s: want one call", a, b)
		}
		alice.click("cc-end")
		bob.waitEvent("onCallEnded", 2)
	})

	for _, p := range []*person{alice, alice2, bob} {
		for _, e := range p.events() {
			if strings.HasSuffix(e, "Failed") || e == "onError" {
				t.Errorf("%s: the app logged %s: %v", p.name, e, p.events())
			}
		}
		p.noConsoleErrors()
	}
}
