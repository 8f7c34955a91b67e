package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// box is an element's place on the screen.
type box struct {
	X, Y, W, H float64
	VW, VH     float64 // the viewport
}

func (p *person) box(testid string) box {
	p.t.Helper()
	return eval[box](p, `(() => { const r = document.querySelector('[data-testid=`+jsq(testid)+`]').getBoundingClientRect();
		return { X: r.x, Y: r.y, W: r.width, H: r.height, VW: innerWidth, VH: innerHeight }; })()`)
}

// inView reports whether the whole box is on the screen.
func (b box) inView() bool {
	return b.W > 0 && b.X >= 0 && b.Y >= 0 && b.X+b.W <= b.VW+0.5 && b.Y+b.H <= b.VH+0.5
}

// TestCallScreenLayout: in a 1:1 video call, at a phone's size (390x844)
// and a desktop's (1280x800), the other person fills the stage, you are a
// small picture, the controls (Hang up included) are on the screen without
// scrolling, and the header is compact; the caller hears a ringback tone
// while it rings; someone else sees both as "in a call".
func TestCallScreenLayout(t *testing.T) {
	srv := startServer(t, 20*time.Second)
	b := newBrowser(t)
	people := b.signedIn(srv.url, "Alice", "Bob", "Carol")
	alice, bob, carol := people[0], people[1], people[2]
	alice.waitOnline("bob")
	carol.waitOnline("bob")
	if got := carol.text("presence-bob"); got != "online" {
		t.Errorf("carol sees bob as %q before the call, want online", got)
	}

	alice.click("call-video-bob")
	alice.waitScreen("outgoing")
	if !eval[bool](alice, `window.switchboardApp.ringback.ringing`) {
		t.Errorf("alice hears no ringback tone while bob's phone rings")
	}
	bob.waitScreen("incoming")
	if eval[bool](bob, `window.switchboardApp.ringback.ringing`) || !eval[bool](bob, `window.switchboardApp.ring.ringing`) {
		t.Errorf("bob should hear the ring, not the ringback")
	}
	if got := bob.text("incoming-caller"); got != "Alice" {
		t.Errorf("incoming screen: caller %q", got)
	}
	bob.click("incoming-accept")
	alice.waitScreen("call")
	bob.waitScreen("call")
	if eval[bool](alice, `window.switchboardApp.ringback.ringing`) {
		t.Errorf("alice's ringback goes on after bob answered")
	}
	alice.waitMedia(1, 1)
	bob.waitMedia(1, 1)
	carol.waitJS("bob in a call", `document.querySelector('[data-testid=presence-bob]')?.textContent === "in a call"`, 10*time.Second)

	for _, sz := range shotSizes {
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
		if sz.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		bob.do("viewport "+sz.name, chromedp.EmulateViewport(sz.width, sz.height, opts...))
		bob.waitJS("layout settled", `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, 5*time.Second)
		stage, remote, local := bob.box("call-stage"), bob.box("tile-alice"), bob.box("tile-bob")
		for _, id := range []string{"btn-hangup", "btn-mute", "btn-camera"} {
			if bx := bob.box(id); !bx.inView() {
				t.Errorf("at %s, %s is not wholly on the screen: %+v", sz.name, id, bx)
			}
		}
		if remote.W < 0.9*stage.W-20 || remote.H < 0.8*stage.H-100 {
			t.Errorf("at %s the other person's video does not fill the stage: tile %+v, stage %+v", sz.name, remote, stage)
		}
		if local.W > 0.4*stage.W || local.W == 0 {
			t.Errorf("at %s your own picture is not small: %+v (stage %+v)", sz.name, local, stage)
		}
		if h := eval[float64](bob, `document.querySelector('.topbar').getBoundingClientRect().height`); h > 56 {
			t.Errorf("at %s the header takes %.0f px during a call, want a compact one (<= 56)", sz.name, h)
		}
		if w := eval[float64](bob, `document.documentElement.scrollWidth`); w > float64(sz.width) {
			t.Errorf("at %s the call screen scrolls sideways (%.0f px wide)", sz.name, w)
		}
	}
	bob.do("viewport reset", chromedp.EmulateReset())
	bob.shot("call-layout")
	alice.click("btn-hangup")
	bob.waitScreen("home")
	carol.waitJS("bob back online", `document.querySelector('[data-testid=presence-bob]')?.textContent === "online"`, 10*time.Second)
	// the end notice and the history say the same duration
	for _, p := range []*person{alice, bob} {
		row := p.waitHistory("ended")
		p.waitJS("the end notice", `document.querySelector('[data-testid=notice]').textContent.startsWith("Call ended")`, 5*time.Second)
		if n := p.text("notice"); !strings.HasSuffix(n, "· "+row.Duration) {
			t.Errorf("%s: the end notice %q and the history %q disagree on the duration", p.name, n, row.Duration)
		}
	}
	for _, p := range []*person{alice, bob, carol} {
		p.noConsoleErrors()
	}
}

// TestCallAlertsAndSound: the page offers desktop alerts once signed in
// (not on load); with them allowed, an incoming call in a background tab
// raises a notification; when the browser holds the ring back (no click
// since a reload), the page says so and one click turns it on.
func TestCallAlertsAndSound(t *testing.T) {
	srv := startServer(t, 90*time.Second) // the screenshots and axe run while it rings
	// as a desktop browser does: no sound before the person clicks or types on the page
	b := newBrowser(t, chromedp.Flag("autoplay-policy", "document-user-activation-required"))
	alice, bob := b.person("Alice"), b.person("Bob")
	bob.open(srv.url)
	bob.waitScreen("signin")
	if bob.visible("alerts") {
		t.Errorf("the page offers call alerts before sign-in")
	}
	alice.signIn(srv.url, "Alice")
	bob.signIn(srv.url, "Bob")
	if !bob.visible("alerts") {
		t.Errorf("signed in, bob is not offered call alerts")
	}
	// Bob's second tab, opened by his app with a token and never clicked: the ring is held back
	tok, err := srv.app.Tokens().MintAuth("bob", "Bob", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tab := b.person("Bob-tab")
	tab.open(srv.url + "#token=" + tok)
	tab.waitScreen("home")
	eval[bool](tab, `(() => { // the tab is in the background; notifications are allowed; record them
		Object.defineProperty(document, "visibilityState", { get: () => "hidden" });
		document.hasFocus = () => false;
		window.__notes = [];
		window.Notification = class { static permission = "granted"; static requestPermission() { return Promise.resolve("granted"); }
			constructor(title, opts) { window.__notes.push({ title, body: opts.body }); } close() { window.__closed = true; } };
		return true; })()`)
	// Headless Chromium under automation plays sound without a click; a desktop browser holds
	// it back: its AudioContext stays suspended, and resume() works only from a click or key
	// press on the page. The tab's ring gets such a context (DevTools evaluations count as
	// user gestures, so the test marks real clicks itself).
	eval[bool](tab, `(async () => { const r = window.switchboardApp.ring, c = new AudioContext(); await c.suspend();
		addEventListener("pointerdown", () => (window.__clicked = true), { capture: true });
		c.resume = () => window.__clicked ? AudioContext.prototype.resume.call(c) : new Promise(() => {});
		r.ctx = c; c.onstatechange = () => r.onBlocked?.(r.blocked); return c.state === "suspended"; })()`)
	alice.waitOnline("bob")
	alice.click("call-audio-bob")
	tab.waitScreen("incoming")
	tab.waitJS("a desktop notification", `window.__notes.length === 1 && window.__notes[0].title === "Alice is calling"`, 10*time.Second)
	tab.waitJS("the blocked-sound hint", `!document.querySelector('[data-testid=sound-hint]').hidden`, 10*time.Second)
	if bob.visible("sound-hint") {
		t.Errorf("bob's first tab (clicked in) says its sound is blocked")
	}
	tab.shot("sound-blocked")
	tab.click("sound-on")
	tab.waitJS("sound on", `document.querySelector('[data-testid=sound-hint]').hidden && !window.switchboardApp.ring.blocked`, 10*time.Second)
	tab.click("incoming-reject")
	tab.waitJS("the notification closed", `window.__closed === true`, 5*time.Second)
	alice.waitScreen("home")
	for _, p := range []*person{alice, bob, tab} {
		p.noConsoleErrors()
	}
}

// TestGroupWaitingAndRejoin: in a group call, whoever is alone sees
// "waiting for others"; history rows of a group call say who called; when
// camera and microphone are both refused, the others see that person muted
// with no video, and the "Rejoin" the page offers brings both in once
// allowed, without leaving the call.
func TestGroupWaitingAndRejoin(t *testing.T) {
	srv := startServer(t, 20*time.Second)
	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	alice.signIn(srv.url, "Alice")
	bob.signIn(srv.url, "Bob")
	srv.group("team", "Team", "alice", "bob")
	alice.do("reload", reload()) // to list the new group
	alice.waitScreen("home")
	alice.waitOnline("bob")

	bob.failDevice("video", "NotAllowedError")
	bob.failDevice("audio", "NotAllowedError")
	alice.click("call-group-video-team")
	bob.waitScreen("incoming")
	if got := bob.text("incoming-caller"); !strings.Contains(got, "Team") {
		t.Errorf("bob's incoming screen says %q is calling, want the group named", got)
	}
	bob.click("incoming-accept")
	alice.waitScreen("call")
	bob.waitScreen("call")
	bob.waitJS("the refusal explained", `document.querySelector('[data-testid=media-warning]').textContent.includes("Access to your camera was refused")`, 10*time.Second)
	alice.waitJS("bob shown muted, without video", `(() => { const t = document.querySelector('[data-testid=tile-bob]');
		return t && t.dataset.audioMuted === "true" && t.dataset.videoOff === "true"; })()`, 10*time.Second)
	bob.shot("camera-and-mic-refused")
	if !bob.visible("btn-rejoin") {
		t.Fatalf("bob's page says to rejoin but offers no Rejoin\n%s", bob.describe())
	}
	// bob allows them in the site settings (the test lifts its refusal), then rejoins
	eval[bool](bob, `(() => { delete navigator.mediaDevices.getUserMedia; return true; })()`)
	eval[bool](bob, `(() => { const md = navigator.mediaDevices; md.getUserMedia = MediaDevices.prototype.getUserMedia.bind(md); return true; })()`)
	bob.click("btn-rejoin")
	alice.waitJS("bob's camera and mic in", `(() => { const t = document.querySelector('[data-testid=tile-bob]');
		return t.dataset.audioMuted === "false" && t.dataset.videoOff === "false"; })()`, 15*time.Second)
	alice.waitMedia(1, 1)
	if got := eval[string](bob, `document.body.dataset.screen`); got != "call" {
		t.Errorf("bob left the call to rejoin (screen %q)", got)
	}

	// bob leaves: alice is alone in the group call
	bob.click("btn-hangup")
	bob.waitScreen("home")
	alice.waitJS("waiting for others", `!document.querySelector('[data-testid=call-waiting]').hidden`, 10*time.Second)
	alice.shot("group-alone")
	alice.click("btn-hangup")
	alice.waitScreen("home")
	bob.waitJS("the group call in bob's history, saying who called", `document.querySelector('[data-testid=history-row]')?.textContent.includes("from Alice in Team")`, 10*time.Second)
	alice.noConsoleErrors()
	bob.noConsoleErrors()
}
