package e2e

import (
	"testing"
	"time"
)

// TestLateRecoveryKeepsTheCall is the cause of the flaky
// TestDevicesAndReconnect/no_camera (issue 11, point 11: "call ended at 0:00,
// media token 403"): after signing in (or reconnecting) the page asks the
// server for an active call to resume. On a loaded machine that reply could
// arrive after the person had already answered a call; the page then joined
// the same call a second time, and starting the second session left the
// first one, which ends a 1:1 call for both; the second session's /v1/rtc was
// then refused (403: the call had ended). Here the question is held back
// until the call is answered, deterministically: the call must go on.
func TestLateRecoveryKeepsTheCall(t *testing.T) {
	srv := startServer(t, 20*time.Second)
	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	alice.signIn(srv.url, "Alice")
	bob.signIn(srv.url, "Bob")
	alice.waitOnline("bob")

	// Bob's next getActiveCall waits for the test to release it.
	eval[bool](bob, `(() => { const sb = window.switchboardApp.sb, orig = sb.getActiveCall.bind(sb);
		window.__held = new Promise((r) => (window.__release = r));
		sb.getActiveCall = async () => { await window.__held; try { return await orig(); } finally { window.__answered = true; } };
		return true; })()`)
	// A reconnection makes the page look for a call to resume (as signing in does).
	eval[bool](bob, `(window.switchboardApp.sb.conn.ws.close(), true)`)
	bob.waitJS("reconnected", `document.querySelector('[data-testid=conn-status]').dataset.state === "open" && window.switchboardApp.sb.conn.ws?.readyState === 1`, 15*time.Second)

	callAndAccept(alice, bob, "bob")

	eval[bool](bob, `(window.__release(), true)`)
	// the held reply now says "ongoing": the page must not join a second time
	bob.waitJS("the late recovery answered", `window.__answered === true`, 10*time.Second)
	eval[bool](bob, `new Promise((r) => setTimeout(() => r(true), 1000))`) // a second join, if any, has left the first
	for _, p := range []*person{alice, bob} {
		if s := eval[string](p, `document.body.dataset.screen`); s != "call" {
			t.Fatalf("%s left the call after a late recovery reply (screen %q)\n%s", p.name, s, p.describe())
		}
	}
	alice.waitMedia(1, 1)
	bob.waitMedia(1, 1)
	bob.click("btn-hangup")
	alice.waitScreen("home")
	alice.noConsoleErrors()
	bob.noConsoleErrors()
}
