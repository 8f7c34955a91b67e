package e2e

import (
	"slices"
	"testing"
	"time"
)

// TestSignedInTwice: bob is signed in on two devices; both ring, one
// accepts, the other stops ringing.
func TestSignedInTwice(t *testing.T) {
	srv := startServer(t, 60*time.Second) // screenshots (with axe-core) are taken while it rings
	b := newBrowser(t)
	alice, bobPhone, bobLaptop := b.person("Alice"), b.person("Bob-phone"), b.person("Bob-laptop")
	alice.signIn(srv.url, "Alice")
	bobPhone.signIn(srv.url, "Bob")
	bobLaptop.signIn(srv.url, "Bob")
	alice.waitOnline("bob")

	alice.click("call-video-bob")
	for _, p := range []*person{bobPhone, bobLaptop} {
		p.waitScreen("incoming")
		p.waitJS("the ring tone", `window.switchboardApp.ring.ringing === true`, 5*time.Second)
	}
	bobLaptop.shot("ringing")
	bobPhone.waitPreview("incoming")
	bobPhone.click("incoming-accept")
	bobPhone.waitScreen("call")
	bobLaptop.waitNotice("You answered on another device.", 10*time.Second)
	bobLaptop.waitScreen("home")
	if eval[bool](bobLaptop, `window.switchboardApp.ring.ringing`) {
		t.Errorf("bob's laptop still rings after the phone answered")
	}
	bobLaptop.shot("answered-elsewhere")
	alice.waitScreen("call")
	alice.waitMedia(1, 1)
	bobPhone.waitMedia(1, 1)
	printFirstFrame(t.Name(), bobPhone, alice, bobPhone)
	alice.click("btn-hangup")
	bobPhone.waitScreen("home")
	for _, p := range []*person{alice, bobPhone, bobLaptop} {
		p.noConsoleErrors()
	}
}

// TestReloadMidCall: bob reloads the page during a call; the call comes back
// with media both ways. Then his media socket drops; the page rejoins.
func TestReloadMidCall(t *testing.T) {
	srv := startServer(t, 20*time.Second, productGraces)
	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	alice.signIn(srv.url, "Alice")
	bob.signIn(srv.url, "Bob")
	alice.waitOnline("bob")
	alice.click("call-video-bob")
	bob.waitScreen("incoming")
	bob.waitPreview("incoming")
	bob.click("incoming-accept")
	alice.waitScreen("call")
	bob.waitScreen("call")
	alice.waitMedia(1, 1)
	bob.waitMedia(1, 1)
	printFirstFrame(t.Name(), bob, alice, bob)

	bob.do("reload", reload())
	bob.waitScreen("call")
	bob.waitMedia(1, 1)
	alice.waitMedia(1, 1)
	if got := bob.tiles(); !slices.Equal(got, []string{"bob", "alice"}) {
		t.Errorf("bob sees tiles %v after the reload, want [bob alice]", got)
	}
	if got := alice.tiles(); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("alice sees tiles %v after bob's reload, want [alice bob] (no duplicate)", got)
	}
	bob.shot("after-reload")

	// the media socket drops (not the page): the page rejoins by itself
	eval[bool](bob, `(window.switchboardApp.sb.session.conn.ws.close(), true)`)
	bob.waitJS("a new session", `window.switchboardApp.sb.session?.marks.subscriberConnected > 0 && window.switchboardApp.sb.session.conn.ws?.readyState === 1`, 15*time.Second)
	bob.waitScreen("call")
	bob.waitMedia(1, 1)
	alice.waitMedia(1, 1)
	if got := alice.tiles(); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("alice sees tiles %v after bob's media reconnect, want [alice bob]", got)
	}
	bob.click("btn-hangup")
	alice.waitScreen("home")
	bob.waitScreen("home")
	alice.noConsoleErrors()
	bob.noConsoleErrors()
}
