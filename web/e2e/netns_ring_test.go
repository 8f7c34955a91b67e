package e2e

import (
	"testing"
	"time"
)

// TestSilentlyDeadSocketIsReplaced: Alice's page is signed in and idle when
// her path stalls without her browser noticing (her port is taken off the
// switch, her link stays up: no "online" or "offline" event, nothing arrives
// on the socket, which still looks open). Her SDK's heartbeat (a ping after
// 10 s of silence, 5 s for the reply) takes the socket for dead and dials
// again; once the path is back she is connected on a new socket and Bob's
// call rings on her page. Before, the dead socket looked open for good and
// Bob's calls never rang there.
func TestSilentlyDeadSocketIsReplaced(t *testing.T) {
	srv, ap, alice, bob := aliceAndBobOnLAN(t)
	alice.signIn(srv.url, "Alice")
	bob.signIn(srv.url, "Bob")
	bob.waitOnline("alice")

	eval[bool](alice, `(window.firstSocket = window.switchboardApp.sb.conn.ws, true)`)
	ap.Blackhole()
	cut := time.Now()
	alice.waitJS("alice's SDK gives up on the dead socket (within 25 s of the cut)", `window.switchboardApp.sb.conn.ws !== window.firstSocket`, 25*time.Second)
	noticed := time.Since(cut)
	ap.Reconnect()
	back := time.Now()
	alice.waitJS("alice connected on a new socket", `(() => { const c = window.switchboardApp.sb.conn;
		return c.state === "open" && !!c.ws && c.ws !== window.firstSocket; })()`, 30*time.Second)
	reconnected := time.Since(back)

	bob.waitOnline("alice")
	bob.click("call-audio-alice")
	alice.waitScreen("incoming")
	t.Logf("alice's SDK replaced the dead socket %v after the cut, and was connected again %v after the path came back (load %s)",
		noticed.Round(time.Millisecond), reconnected.Round(time.Millisecond), load())
}
