package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// shortScreens are screens on which the ringing card used to run past the
// bottom: a phone held sideways, a small phone, a 1280x800 window at 200 %.
var shortScreens = []screenSize{
	{"phone sideways 863x360", 863, 360, true},
	{"small phone 320x568", 320, 568, true},
	{"200% zoom 640x400", 640, 400, false},
}

// viewport sizes the tab (a phone's touch screen when mobile) and waits for
// the layout to settle.
func (p *person) viewport(width, height int64, mobile bool) {
	p.t.Helper()
	opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile)
	}
	p.do(fmt.Sprintf("viewport %dx%d", width, height), chromedp.EmulateViewport(width, height, opts...))
	p.waitJS("layout settled", `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, 5*time.Second)
}

// colorScheme makes the tab prefer a dark or light colour scheme ("" for the system's).
func (p *person) colorScheme(scheme string) {
	p.t.Helper()
	var features []*emulation.MediaFeature
	if scheme != "" {
		features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}
	}
	p.do("colour scheme "+scheme, func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: features})
		return chromedp.Void{}, err
	})
}

// TestShortScreensDarkAndLargeText: the page as a phone held sideways, a small
// phone, a zoomed window, dark mode, large text and a keyboard or screen
// reader meet it (the audit of 6 December): the answer and cancel buttons are
// on the screen without scrolling, Escape cancels a call that rings out as it
// declines one that rings in, your own picture stays clear of the controls
// and smaller than the other's, a group of three is not cut into strips,
// camera warnings can be put away, axe-core finds no serious violation in
// dark mode, the page follows the browser's text size without squeezing
// names, what a finger presses is 44 px high on a phone, the focus lands on
// the home screen's heading after signing in, Tab stays in the ringing
// dialog, the call's heading says it is a call, and a tile names its muted
// state to a screen reader.
func TestShortScreensDarkAndLargeText(t *testing.T) {
	needAxe(t)
	srv := startServer(t, 60*time.Second)
	b := newBrowser(t)
	people := b.signedIn(srv.url, "Alice", "Bob", "Carol")
	alice, bob, carol := people[0], people[1], people[2]
	if got := eval[string](alice, `(document.activeElement?.id || document.activeElement?.tagName) + " / " + (document.querySelector('#screen-home h1')?.textContent ?? "no h1")`); !strings.HasPrefix(got, "home-title / ") {
		t.Errorf("after signing in the focus is on %q, want the home screen's heading (an h1)", got)
	}
	alice.waitOnline("bob")

	// dark mode and a phone: contrast (axe-core), and 44 px for a finger
	alice.colorScheme("dark")
	alice.viewport(390, 844, true)
	alice.axe("home in dark mode")
	small := eval[[]string](alice, `[...document.querySelectorAll("#screen-home button, #screen-home summary, .topbar button")]
		.filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().height < 43.5)
		.map((e) => (e.dataset.testid || e.textContent) + " " + Math.round(e.getBoundingClientRect().height) + " px")`)
	if len(small) > 0 {
		t.Errorf("on a phone these controls are less than 44 px high: %v", small)
	}

	// ringing on short screens: Cancel, Decline and Accept in view, side by side
	alice.click("call-video-bob")
	alice.waitScreen("outgoing")
	bob.waitScreen("incoming")
	// Tab stays in the ringing dialog (aria-modal), not off to the top bar behind it
	bob.focusByTab("incoming-accept")
	for range 3 {
		bob.do("tab", chromedp.KeyEvent(kb.Tab))
		if got := eval[string](bob, `(() => { const a = document.activeElement;
			return document.getElementById("screen-incoming").contains(a) || a?.id === "sound-on" ? "" : (a?.dataset?.testid || a?.id || a?.tagName); })()`); got != "" {
			t.Errorf("Tab from the ringing dialog's controls went to %q", got)
			break
		}
	}
	bob.colorScheme("dark")
	bob.axe("incoming call in dark mode")
	bob.colorScheme("")
	for _, sz := range shortScreens {
		alice.viewport(sz.width, sz.height, sz.mobile)
		bob.viewport(sz.width, sz.height, sz.mobile)
		if bx := alice.box("outgoing-cancel"); !bx.inView() {
			t.Errorf("%s: Cancel is off the screen: %+v", sz.name, bx)
		}
		decline, accept := bob.box("incoming-reject"), bob.box("incoming-accept")
		for what, bx := range map[string]box{"Decline": decline, "Accept": accept} {
			if !bx.inView() {
				t.Errorf("%s: %s is off the screen: %+v", sz.name, what, bx)
			}
		}
		if decline.Y != accept.Y {
			t.Errorf("%s: Decline (y=%.0f) and Accept (y=%.0f) are not side by side", sz.name, decline.Y, accept.Y)
		}
	}
	// Escape on the calling screen cancels, as it declines on the ringing one
	alice.do("escape", chromedp.KeyEvent(kb.Escape))
	alice.waitScreen("home")
	bob.waitScreen("home")
	bob.waitHistory("cancelled")
	bob.viewport(390, 844, true)
	bob.colorScheme("dark")
	bob.axe("home after a call in dark mode")
	bob.colorScheme("")
	alice.colorScheme("")

	// a 1:1 call on a phone held sideways, Bob's camera refused
	bob.failDevice("video", "NotAllowedError")
	alice.click("call-video-bob")
	bob.waitScreen("incoming")
	bob.click("incoming-accept")
	alice.waitScreen("call")
	bob.waitScreen("call")
	alice.waitMedia(0, 1)
	if got := eval[string](alice, `document.getElementById("call-title").textContent`); got != "In a call with Bob" {
		t.Errorf("the call's heading reads %q to a screen reader, want %q", got, "In a call with Bob")
	}
	const sideways = "phone sideways 839x412"
	alice.viewport(839, 412, true)
	self, other, controls := alice.box("tile-alice"), alice.box("tile-bob"), alice.box("btn-hangup")
	if self.Y+self.H > controls.Y {
		t.Errorf("%s: your own picture (bottom y=%.0f) runs under the controls (top y=%.0f)", sideways, self.Y+self.H, controls.Y)
	}
	if self.H >= other.H/2 {
		t.Errorf("%s: your own picture is %.0f px high, the other person's %.0f", sideways, self.H, other.H)
	}
	bob.viewport(839, 412, true)
	bob.waitJS("the camera warning", `document.querySelector('[data-testid=media-warning]').textContent.includes("camera")`, 10*time.Second)
	before := bob.box("tile-alice")
	bob.press("btn-hide-warnings")
	if bob.visible("media-warning") {
		t.Errorf("the camera warning is still shown after Hide")
	}
	if got := eval[string](bob, `document.activeElement?.id ?? ""`); got != "call-title" {
		t.Errorf("after Hide the focus is on %q, want the call's heading", got)
	}
	bob.waitJS("layout settled", `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, 5*time.Second)
	if after := bob.box("tile-alice"); after.H <= before.H {
		t.Errorf("%s: with the warning hidden Alice's video is %.0f px high, %.0f with it", sideways, after.H, before.H)
	}
	// a screen reader hears that Bob is muted
	bob.press("btn-mute")
	// (", poor connection" may follow on a loaded machine: connectionQuality)
	alice.waitJS("Bob's tile says muted", `document.querySelector('[data-testid=tile-bob]')?.getAttribute("aria-label")?.startsWith("Bob, muted, camera off")`, 10*time.Second)
	if got := eval[string](alice, `document.querySelector('[data-testid=tile-alice]')?.getAttribute("aria-label") ?? ""`); !strings.HasPrefix(got, "Alice (you)") || strings.Contains(got, "camera off") {
		t.Errorf("Alice's own tile is labelled %q, want %q", got, "Alice (you)")
	}
	bob.click("btn-hangup")
	alice.waitScreen("home")
	bob.waitScreen("home")

	// a group of three on a phone held sideways: three side by side
	srv.group("team", "Team", "alice", "bob", "carol")
	alice.do("reload", reload())
	alice.waitScreen("home")
	alice.waitJS("the group listed", `!!document.querySelector('[data-testid=call-group-video-team]')`, 10*time.Second)
	alice.viewport(1280, 800, false)
	alice.click("call-group-video-team")
	bob.waitScreen("incoming")
	carol.waitScreen("incoming")
	bob.click("incoming-accept")
	carol.click("incoming-accept")
	alice.waitScreen("call")
	alice.waitMedia(1, 2)
	alice.viewport(839, 412, true)
	for _, uid := range []string{"alice", "bob", "carol"} {
		if bx := alice.box("tile-" + uid); bx.H == 0 || bx.W/bx.H > 2.2 {
			t.Errorf("%s: %s's tile is %.0fx%.0f, a strip", sideways, uid, bx.W, bx.H)
		}
	}
	for _, p := range []*person{alice, bob, carol} {
		p.click("btn-hangup")
		p.waitScreen("home")
	}

	// the browser's text size is followed, and names are not squeezed by it
	carol.viewport(390, 844, true)
	carol.do("text size 32", func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Call(ctx, page.SetFontSizes, page.SetFontSizesParams{FontSizes: &page.FontSizes{Standard: 32}})
		return chromedp.Void{}, err
	})
	carol.waitJS("layout settled", `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, 5*time.Second)
	if got := eval[string](carol, `getComputedStyle(document.body).fontSize`); got != "32px" {
		t.Errorf("with the browser's text at 32 px the page's text is %s", got)
	}
	if lines := eval[float64](carol, `(() => { const n = document.querySelector('[data-testid=person-alice] .name');
		return n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight); })()`); lines > 1.1 {
		t.Errorf("with large text the name Alice takes %.1f lines: squeezed beside the buttons", lines)
	}
	for _, p := range []*person{alice, bob, carol} {
		p.noConsoleErrors()
	}
}
