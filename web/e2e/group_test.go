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

// TestGroupCall: four people in a group call each see three remote videos;
// when one leaves, the others see it.
func TestGroupCall(t *testing.T) {
	// a long ring: screenshots (with axe-core) are taken while it rings, on a loaded machine
	srv := startServer(t, 60*time.Second)
	b := newBrowser(t)
	people := b.signedIn(srv.url, "Ann", "Ben", "Cat", "Dan")
	srv.group("team", "Team", "ann", "ben", "cat", "dan")
	ann := people[0]
	ann.open(srv.url) // reload to list the new group
	ann.waitScreen("home")
	ann.waitJS("the group", `!!document.querySelector('[data-testid=group-team]')`, 10*time.Second)

	ann.click("call-group-video-team")
	ann.waitScreen("outgoing")
	for _, p := range people[1:] {
		p.waitScreen("incoming")
		if got := p.text("incoming-kind"); got != "Video call in Team" {
			t.Errorf("%s's incoming screen says %q, want \"Video call in Team\"", p.name, got)
		}
	}
	for i, p := range people[1:] {
		p.waitPreview("incoming")
		if i == 0 {
			p.shot("group-incoming")
		}
		p.click("incoming-accept")
		p.waitScreen("call")
	}
	ann.waitScreen("call")
	for _, p := range people {
		p.waitMedia(3, 3)
		if got := len(p.tiles()); got != 4 {
			t.Errorf("%s sees %d tiles, want 4 (self + 3)", p.name, got)
		}
	}
	printFirstFrame(t.Name(), nil, people...)
	ann.shot("group-call")

	dan := people[3]
	dan.click("btn-hangup")
	dan.waitScreen("home")
	for _, p := range people[:3] {
		p.waitJS("dan's tile to go", `!document.querySelector('[data-testid=tile-dan]')`, 15*time.Second)
		if got := p.tiles(); len(got) != 3 || slices.Contains(got, "dan") {
			t.Errorf("%s sees tiles %v after dan left, want 3 without dan", p.name, got)
		}
		p.waitMedia(2, 2)
	}
	ann.shot("group-after-leave")
	for _, p := range people[:3] {
		p.click("btn-hangup")
		p.waitScreen("home")
	}
	for _, p := range people {
		p.noConsoleErrors()
	}
}

// TestReloadMidCall: bob reloads the page during a call; the call comes back
// with media both ways. Then his media socket drops; the page rejoins.
func TestReloadMidCall(t *testing.T) {
	srv := startServer(t, 20*time.Second)
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
