package e2e

import (
	"testing"
	"time"

	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// TestPagehideSnippetHangsUp runs the SDK README's pagehide snippet as an
// app would add it ("Closing or reloading the tab mid-call does not hang
// up ... can hang up when the page goes away instead"): Bob's page goes
// away mid-call and Alice's call ends at once, as ended by Bob, not after
// the grace a socket closed without leave gets (30 s here).
func TestPagehideSnippetHangsUp(t *testing.T) {
	srv := startServer(t, 20*time.Second, func(c *switchboard.Config) { c.Media.DisconnectTimeout = 30 * time.Second })
	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	alice.signIn(srv.url, "Alice")
	bob.signIn(srv.url, "Bob")
	alice.waitOnline("bob")
	callAndAccept(alice, bob, "bob")

	// The snippet, word for word but for where the app keeps its Switchboard.
	eval[bool](bob, `(() => { const sb = window.switchboardApp.sb;
		addEventListener("pagehide", () => {
		  const call = sb.session && sb.session.sessionId;
		  if (call) sb.endCall(call); // sent at once on the open socket; the page does not wait for the reply
		});
		return true; })()`)
	bob.open("about:blank")
	alice.waitJS("the call ended by Bob's page going away", `document.body.dataset.screen === "home"`, 10*time.Second)
	if row := alice.waitHistory("ended"); row.Direction != "outgoing" {
		t.Errorf("Alice's history row = %+v, want her outgoing call ended", row)
	}
	alice.noConsoleErrors()
}
