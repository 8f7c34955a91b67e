package e2e

import (
	"testing"
	"time"

	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// TestSlowAnswerSkipsTheOfferSentAgain: Bob's browser is slow to apply the
// subscriber offer that brings Alice's tracks (a tab slowed in the
// background does this), past media.answer_timeout, so the server sends the
// offer again while Bob's answer is on its way. The SDK answers the first
// and skips the copy (the server has the answer): the call goes on with
// media both ways and Bob is shown no warning. Before, the copy was
// answered too and the server's refusal ("no subscriber offer is pending")
// came up on Bob's call screen.
func TestSlowAnswerSkipsTheOfferSentAgain(t *testing.T) {
	srv := startServer(t, 20*time.Second, func(c *switchboard.Config) { c.Media.AnswerTimeout = time.Second })
	b := newBrowser(t)
	people := b.signedIn(srv.url, "Alice", "Bob")
	alice, bob := people[0], people[1]
	eval[bool](bob, `(() => {
		const apply = RTCPeerConnection.prototype.setRemoteDescription;
		RTCPeerConnection.prototype.setRemoteDescription = async function (d) {
			if (d && d.type === "offer" && d.sdp.includes("m=video") && !window.__slowed) {
				window.__slowed = true;
				await new Promise((r) => setTimeout(r, 1800)); // past the resend: 1 s, checked every 200 ms
			}
			return apply.call(this, d);
		};
		return true;
	})()`)
	callAndAccept(alice, bob, "bob")
	const skipped = `window.switchboardApp.sb.session.steps.some(([n]) => n === "sub:resendSkipped")`
	bob.waitJS("the offer sent again, skipped", skipped, 10*time.Second)
	if !eval[bool](bob, `!!window.__slowed`) {
		t.Fatal("bob's browser was never slowed: no subscriber offer with video came")
	}
	alice.waitMedia(1, 1)
	bob.waitMedia(1, 1)
	if w := eval[string](bob, `document.querySelector('[data-testid=media-warning]')?.textContent || ""`); w != "" {
		t.Errorf("bob is shown a warning: %q", w)
	}
	alice.click("btn-hangup")
	bob.waitScreen("home")
	for _, p := range []*person{alice, bob} {
		p.noConsoleErrors()
	}
}
