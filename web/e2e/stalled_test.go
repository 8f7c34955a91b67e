package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestFrozenPictureIsMarked: when someone's camera picture stops moving
// while it should (here Alice's sender stops sending frames; on a real
// network a slow downlink does the same), Bob's page marks her tile "poor
// connection" within a few seconds and names it so to a screen reader;
// when frames come again the mark goes. A picture frozen for 25 s used to
// look exactly like a live one (the constrained-network audit).
func TestFrozenPictureIsMarked(t *testing.T) {
	srv := startServer(t, 20*time.Second)
	b := newBrowser(t)
	people := b.signedIn(srv.url, "Alice", "Bob")
	alice, bob := people[0], people[1]
	callAndAccept(alice, bob, "bob")
	const mark = `document.querySelector('[data-testid=tile-alice]')?.dataset.stalled`
	if got := eval[string](bob, mark); got != "false" {
		t.Errorf("Alice's moving picture is marked stalled=%q, want false", got)
	}
	eval[bool](alice, `(async () => { const s = window.switchboardApp.sb.session.publisher.getSenders().find((x) => x.track?.kind === "video");
		window.__sender = s; window.__camera = s.track; await s.replaceTrack(null); return true; })()`)
	bob.waitJS("Alice's tile marked", mark+` === "true"`, 10*time.Second)
	if !bob.visible("tile-alice") || !eval[bool](bob, `getComputedStyle(document.querySelector('[data-testid=tile-alice] .sb-stalled')).display !== "none"`) {
		t.Errorf("the stalled mark is not shown on Alice's tile")
	}
	if got := eval[string](bob, `document.querySelector('[data-testid=tile-alice]').getAttribute("aria-label")`); got != "Alice, picture frozen: poor connection" {
		t.Errorf("Alice's frozen tile is labelled %q", got)
	}
	bob.shot("frozen-picture")
	eval[bool](alice, `(async () => { await window.__sender.replaceTrack(window.__camera); return true; })()`)
	bob.waitJS("the mark gone", mark+` === "false"`, 10*time.Second)
	if got := eval[string](bob, `document.querySelector('[data-testid=tile-alice]').getAttribute("aria-label")`); strings.Contains(got, "frozen") {
		t.Errorf("Alice's tile, moving again, is labelled %q", got)
	}
	alice.click("btn-hangup")
	bob.waitScreen("home")
	for _, p := range []*person{alice, bob} {
		p.noConsoleErrors()
	}
}
