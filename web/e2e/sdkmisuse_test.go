package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// TestSDKMisuse: what an app embedding the JS SDK does by mistake or by
// habit leaves the user's sign-in and call whole.
//   - login() twice (a retry, React StrictMode's second effect) or logout()
//     while login() waits: the earlier one rejects signed_out, and its timer
//     no longer signs out the sign-in that replaced it.
//   - A session listener that is a class instance: its prototype's methods
//     are called, with `this` the instance.
//   - startSession twice with one call token (a double-clicked Accept): the
//     same session, the call goes on. With startAudioMuted your own tile says
//     muted.
//   - setVideoInputDevice with a wrong id rejects with a MediaError and
//     changes nothing: the camera goes off and on again.
//   - endCall with a wrong id rejects and leaves your session alone.
//   - A screen share stops with the call (the browser stops capturing),
//     onScreenShareStopped before onCallEnded; your own share's tile says
//     data-source="screen".
//   - startSession with an element's id (a string) instead of the element
//     rejects bad_request naming it, and leaves the live session alone.
//   - The one who ends the call (endCall) hears no onCallEnded from their own
//     session, as in CometChat, even when /v1/rtc's callEnded comes first.
//   - The call ends while the session publishes and the browser never settles
//     the closed connection's createOffer: startSession still resolves.
func TestSDKMisuse(t *testing.T) {
	app := startAppOrigin(t)
	srv := startServer(t, 20*time.Second, func(c *switchboard.Config) { c.Server.AllowedOrigins = []string{app.url} })
	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	for _, p := range []*person{alice, bob} {
		p.open(app.url + "/blank.html")
		eval[bool](p, fmt.Sprintf(sdkPage, jsq(strings.TrimSuffix(srv.url, "/"))))
	}
	tokenOf := func(p *person) string {
		tok, err := srv.app.Tokens().MintAuth(strings.ToLower(p.name), p.name, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	// Two sign-ins in a row, then a logout and a sign-in while the first waits: each earlier
	// one rejects signed_out; past their timers (1.5 s) alice is still signed in.
	got := eval[[]string](alice, `(async (tok) => {
		const outcome = (p) => p.then(() => "resolved", (e) => e.code);
		const first = outcome(sb.login(tok, { timeoutMs: 1500 }));
		const second = outcome(sb.login(tok, { timeoutMs: 1500 }));
		const r = [await first, await second];
		const third = outcome(sb.login(tok, { timeoutMs: 1500 }));
		sb.logout();
		const fourth = outcome(sb.login(tok, { timeoutMs: 1500 }));
		r.push(await third, await fourth);
		await new Promise((res) => setTimeout(res, 2500));
		return [...r, (sb.getLoggedInUser() || {}).uid || "nobody", (sb.conn && sb.conn.state) || "no socket"];
	})(`+jsq(tokenOf(alice))+`)`)
	if want := []string{"signed_out", "resolved", "signed_out", "resolved", "alice", "open"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("login, login; login, logout, login (outcomes, then who is signed in, the socket): %q, want %q", got, want)
	}
	if got[4] != "alice" { // signed out by the bug: sign in again, to check the rest
		eval[bool](alice, `sb.login(`+jsq(tokenOf(alice))+`).then(() => true)`)
	}
	eval[bool](bob, `sb.login(`+jsq(tokenOf(bob))+`).then(() => true)`)
	eval[bool](alice, `(sb.addCallListener("t", { onOutgoingCallAccepted: (c) => (window.accepted = c) }), true)`)

	// Call 1: bob's session listener is a class; alice starts her session twice, muted.
	call := eval[string](alice, `sb.initiateCall("bob", "user", "video").then((c) => c.sessionId)`)
	eval[bool](bob, `sb.acceptCall(`+jsq(call)+`).then((c) => (window.accepted = c, true))`)
	alice.waitJS("accepted", `!!window.accepted`, 10*time.Second)
	eval[bool](bob, `(() => {
		class Listener {
			constructor() { this.heard = []; }
			onJoined() { this.heard.push("onJoined"); }
			onUserListUpdated(users) { this.heard.push("onUserListUpdated " + users.map((u) => u.uid).join()); }
			onScreenShareStopped() { this.heard.push("onScreenShareStopped"); }
			onCallEnded(info) { this.heard.push("onCallEnded " + info.reason); }
		}
		window.listener = new Listener();
		sb.startSession(window.accepted.callToken, { listener: window.listener }, stage).then(() => log("started"), (e) => log("start failed", e.code));
		return true;
	})()`)
	if same := eval[string](alice, `(() => {
		const settings = { startAudioMuted: true, listener: sessionLog() };
		const a = sb.startSession(window.accepted.callToken, settings, stage), b = sb.startSession(window.accepted.callToken, settings, stage);
		return Promise.all([a, b]).then(([x, y]) => (x === y ? "same" : "two sessions"), (e) => "rejected " + e.code);
	})()`); same != "same" {
		t.Errorf("startSession twice with one call token: %s, want the same session", same)
	}
	remoteVideo := `[...document.querySelectorAll('.sb-tile[data-local="false"]:not([data-source]) video')].some((v) => v.videoWidth > 0)`
	alice.waitJS("bob's video", remoteVideo, 15*time.Second)
	bob.waitJS("alice's video", remoteVideo, 15*time.Second)
	if got := eval[string](alice, `document.querySelector('.sb-tile[data-local="true"]').dataset.audioMuted`); got != "true" {
		t.Errorf("alice started muted (startAudioMuted): her own tile has data-audio-muted=%q", got)
	}
	bob.waitJS("bob's class listener to hear onJoined and alice in the list", `window.listener.heard.includes("onJoined") && window.listener.heard.includes("onUserListUpdated alice")`, 10*time.Second)

	// A camera that cannot be opened: a MediaError, nothing changed; off and on again works.
	got = eval[[]string](bob, `sb.setVideoInputDevice("no-such-camera").then(() => ["resolved"], (e) => [e.code, String(e instanceof SDK.MediaError), e.problem?.device || ""])`)
	if strings.Join(got, " ") != "media_missing true camera" {
		t.Errorf("setVideoInputDevice with a wrong id: %q, want a MediaError media_missing for the camera", got)
	}
	if got := eval[string](bob, `sb.pauseVideo(true).then(() => sb.pauseVideo(false)).then(() => "on again", (e) => "rejected " + e.code)`); got != "on again" {
		t.Errorf("bob's camera off and on after a wrong device id: %s", got)
	}
	alice.waitJS("bob's video again", remoteVideo+` && document.querySelector('[data-testid=tile-bob]').dataset.videoOff === "false"`, 15*time.Second)

	// startSession given an element's id instead of the element: refused, naming it; bob's session goes on.
	if got := eval[string](bob, `sb.startSession("any", {}, "stage").then(() => "resolved", (e) => e.code + ": " + e.message + (sb.session && !sb.session.ended ? ", session live" : ", session gone"))`); !strings.HasPrefix(got, `bad_request: startSession: element must be an HTMLElement (or null), not the string "stage"`) || !strings.HasSuffix(got, "session live") {
		t.Errorf("startSession with an element id: %s, want bad_request naming the string, session live", got)
	}

	// endCall with a wrong id: refused, bob's session goes on.
	if got := eval[string](bob, `sb.endCall("no-such-call").then(() => "resolved", (e) => e.code + (sb.session && !sb.session.ended ? ", session live" : ", session gone"))`); got != "not_found, session live" {
		t.Errorf("endCall of a wrong id: %s, want not_found, session live", got)
	}

	// bob shares a canvas; alice ends the call: the share's track ends with it.
	eval[bool](bob, `(() => {
		const c = document.createElement("canvas");
		c.width = 320; c.height = 180;
		const g = c.getContext("2d");
		setInterval(() => { g.fillStyle = "#" + Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, "0"); g.fillRect(0, 0, 320, 180); }, 100);
		window.share = c.captureStream(5).getVideoTracks()[0];
		return sb.startScreenShare(window.share).then(() => true);
	})()`)
	alice.waitJS("bob's screen", `!!document.querySelector('[data-testid="tile-bob:screen"]')`, 15*time.Second)
	if got := eval[string](bob, `document.querySelector('[data-testid="tile-bob:screen"]')?.dataset.source || "none"`); got != "screen" {
		t.Errorf("bob's own screen share tile has data-source %q, want screen", got)
	}
	// alice's endCall reply reaches her page after /v1/rtc's callEnded (held back here; a
	// slow ringing socket does it): her own session's listener still hears no onCallEnded.
	eval[bool](alice, `(() => {
		const request = sb.request.bind(sb);
		sb.request = async (method, params) => {
			const res = await request(method, params);
			if (method === "endCall") await new Promise((r) => setTimeout(r, 1500));
			return res;
		};
		return sb.endCall(`+jsq(call)+`).then(() => true);
	})()`)
	if got := eval[[]string](alice, `logged("onCallEnded")`); len(got) != 0 {
		t.Errorf("alice, who ended the call, heard onCallEnded %q from her own session", got)
	}
	eval[bool](alice, `(delete sb.request, true)`)
	bob.waitJS("bob's session to end", `window.listener.heard.some((h) => h.startsWith("onCallEnded"))`, 10*time.Second)
	if got := eval[string](bob, `window.share.readyState + " | " + window.listener.heard.filter((h) => !/^on(Joined|UserListUpdated)/.test(h)).join(" | ")`); got != "ended | onScreenShareStopped | onCallEnded ended" {
		t.Errorf("bob's share after the call ended (track state | what his listener heard): %q, want ended | onScreenShareStopped | onCallEnded ended", got)
	}

	// Call 2: bob's browser never settles his publisher's createOffer (as Chromium does for a
	// connection closed meanwhile); alice ends the call: his startSession resolves all the same.
	eval[bool](alice, `(window.accepted = null, true)`)
	call = eval[string](alice, `sb.initiateCall("bob", "user", "audio").then((c) => c.sessionId)`)
	eval[bool](bob, `sb.acceptCall(`+jsq(call)+`).then((c) => (window.accepted = c, true))`)
	eval[bool](bob, `(() => {
		RTCPeerConnection.prototype.createOffer = () => new Promise(() => {});
		window.outcome = "pending";
		sb.startSession(window.accepted.callToken, { listener: sessionLog() }, stage).then(() => (window.outcome = "resolved"), (e) => (window.outcome = "rejected " + e.code));
		return true;
	})()`)
	bob.waitJS("bob joined (his offer never made)", `!!(sb.session && sb.session.sessionId)`, 10*time.Second)
	eval[bool](alice, `sb.endCall(`+jsq(call)+`).then(() => true)`)
	bob.waitJS("bob's startSession to settle after the call ended", `window.outcome !== "pending"`, 10*time.Second)
	if got := eval[string](bob, `window.outcome`); got != "resolved" {
		t.Errorf("bob's startSession when the call ended during his offer: %s, want resolved", got)
	}
	for _, p := range []*person{alice, bob} {
		if got := eval[[]string](p, `seen.unhandled`); len(got) > 0 {
			t.Errorf("%s: unhandled rejections %q", p.name, got)
		}
	}
}
