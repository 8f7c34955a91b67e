package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// axe-core comes from npm (scripts/test installs it with typescript into
// ~/.cache/switchboard-sdk-tools, or SWITCHBOARD_SDK_TOOLS); it is injected
// into the tab by the tests, never served by the page.
var (
	axeOnce sync.Once
	axeJS   string
)

// axeSource is axe.min.js, or "" when it is not installed.
func axeSource() string {
	axeOnce.Do(func() {
		dir := os.Getenv("SWITCHBOARD_SDK_TOOLS")
		if dir == "" {
			if c, err := os.UserCacheDir(); err == nil {
				dir = filepath.Join(c, "switchboard-sdk-tools")
			}
		}
		if raw, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")); err == nil {
			axeJS = string(raw)
		}
	})
	return axeJS
}

// needAxe skips the test when axe-core is missing (fails when CI is set).
func needAxe(t *testing.T) {
	t.Helper()
	if axeSource() != "" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set and axe-core is missing: scripts/test installs it into ~/.cache/switchboard-sdk-tools")
	}
	t.Skip("axe-core (npm) is not installed: scripts/test installs it into ~/.cache/switchboard-sdk-tools")
}

// axeViolation is one serious or critical finding.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// axe runs axe-core on what the tab shows and fails the test on any serious
// or critical violation. It does nothing when axe-core is not installed.
func (p *person) axe(screen string) {
	p.t.Helper()
	for _, v := range axeFindings(p) {
		p.t.Errorf("%s: accessibility (axe-core) on %s: %s", p.name, screen, v)
	}
}

// axeFindings are axe-core's serious and critical violations on the tab, as text.
func axeFindings(p *person) []string {
	p.t.Helper()
	src := axeSource()
	if src == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(p.ctx, 90*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object" || (function () {`+src+`
		; return true; })()`)); err != nil {
		p.t.Errorf("%s: inject axe-core: %v", p.name, err)
		return nil
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, { resultTypes: ["violations"] }).then((r) =>
		r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({
			id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").replace(/\s+/g, " ")) })))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Errorf("%s: run axe-core: %v", p.name, err)
		return nil
	}
	out := make([]string, 0, len(found))
	for _, v := range found {
		out = append(out, fmt.Sprintf("%s %s: %s\n    %s", v.Impact, v.ID, v.Help, strings.Join(v.Nodes, "\n    ")))
	}
	return out
}

// focusByTab presses Tab (at most 40 times) until the element with the
// data-testid has the focus, then returns; it fails the test if Tab never
// gets there.
func (p *person) focusByTab(testid string) {
	p.t.Helper()
	for range 40 {
		if eval[string](p, `document.activeElement?.dataset?.testid ?? ""`) == testid {
			return
		}
		p.do("tab", chromedp.KeyEvent(kb.Tab))
	}
	p.t.Fatalf("%s: Tab never reaches %s\n%s", p.name, testid, p.describe())
}

// press focuses the control by Tab and presses Enter on it.
func (p *person) press(testid string) {
	p.t.Helper()
	p.focusByTab(testid)
	p.do("enter on "+testid, chromedp.KeyEvent(kb.Enter))
}

// unnamedControls lists visible controls without an accessible name (the
// text, aria-label or label a screen reader says) or that Tab cannot reach.
func (p *person) unnamedControls() []string {
	p.t.Helper()
	return eval[[]string](p, `[...document.querySelectorAll("button, a[href], input, textarea, select, [role=button]")]
		.filter((e) => !e.closest("[hidden]") && e.getClientRects().length > 0)
		.filter((e) => {
			const name = (e.getAttribute("aria-label") || e.textContent || (e.labels && e.labels[0]?.textContent) || e.getAttribute("title") || "").trim();
			return !name || e.tabIndex < 0 || e.disabled;
		})
		.map((e) => e.dataset.testid || e.id || e.outerHTML.slice(0, 80))`)
}

// TestAccessibility walks every screen of the page, a 1:1 call and a group
// call, driven from the keyboard only: axe-core finds no serious or
// critical violation at 1280x800 or 390x844, every visible control has a
// name and Tab reaches it, and each screen is screenshot at both sizes.
func TestAccessibility(t *testing.T) {
	needAxe(t)
	srv := startServer(t, 90*time.Second) // axe and screenshots at two sizes run while it rings
	b := newBrowser(t)
	alice, bob, carol := b.person("Alice"), b.person("Bob"), b.person("Carol")
	viewport := func(p *person, i int) {
		sz := shotSizes[i]
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
		if sz.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		p.do("viewport "+sz.name, chromedp.EmulateViewport(sz.width, sz.height, opts...))
	}
	check := func(p *person, screen string) {
		t.Helper()
		for i, sz := range shotSizes {
			viewport(p, i)
			if bad := p.unnamedControls(); len(bad) > 0 {
				t.Errorf("%s: on %s at %s these controls have no name or cannot be reached by Tab: %v", p.name, screen, sz.name, bad)
			}
		}
		p.do("viewport reset", chromedp.EmulateReset())
		// The screenshots run axe-core at each size; where one did not
		// (no screenshot directory, a screenshot that failed), it runs here.
		checked := p.shotBoth(screen)
		for i, sz := range shotSizes {
			if !slices.Contains(checked, sz.name) {
				viewport(p, i)
				p.axe(screen + " at " + sz.name)
				p.do("viewport reset", chromedp.EmulateReset())
			}
		}
	}

	// axe itself finds what it should: a button without a name
	alice.open("data:text/html,<!doctype html><html lang=en><title>t</title><main><button></button></main></html>")
	if bad := axeFindings(alice); !strings.Contains(strings.Join(bad, " "), "button-name") {
		t.Errorf("axe-core on a page with an unnamed button found %v, want button-name", bad)
	}

	alice.open(srv.url)
	alice.waitScreen("signin")
	check(alice, "signin")
	for _, p := range []*person{alice, bob, carol} {
		if p != alice {
			p.open(srv.url)
			p.waitScreen("signin")
		}
		// the name field has the focus: type, Enter
		p.waitJS("focus on the name", `document.activeElement?.dataset.testid === "signin-name"`, 10*time.Second)
		p.do("type name", chromedp.KeyEvent(p.name), chromedp.KeyEvent(kb.Enter))
		p.waitScreen("home")
	}
	alice.waitOnline("bob")
	alice.waitOnline("carol")
	check(alice, "home")

	// 1:1 video call, from the keyboard
	alice.press("call-video-bob")
	alice.waitScreen("outgoing")
	bob.waitScreen("incoming")
	check(alice, "outgoing")
	check(bob, "incoming")
	bob.press("incoming-accept")
	alice.waitScreen("call")
	bob.waitScreen("call")
	bob.waitMedia(1, 1)
	check(bob, "call")
	bob.press("btn-mute")
	alice.waitJS("bob muted", `document.querySelector('[data-testid=tile-bob]')?.dataset.audioMuted === "true"`, 10*time.Second)
	bob.press("btn-hangup")
	alice.waitScreen("home")
	bob.waitScreen("home")
	check(alice, "home-after-call")

	// group call: alice rings bob and carol; both answer
	srv.group("team", "Team", "alice", "bob", "carol")
	alice.do("reload", reload()) // to list the new group
	alice.waitScreen("home")
	alice.waitJS("the group listed", `!!document.querySelector('[data-testid=call-group-video-team]')`, 10*time.Second)
	alice.press("call-group-video-team")
	bob.waitScreen("incoming")
	carol.waitScreen("incoming")
	bob.press("incoming-accept")
	alice.waitScreen("call")
	check(alice, "group-call")
	carol.press("incoming-accept")
	carol.waitScreen("call")
	carol.waitMedia(2, 2)
	check(carol, "group-call-three")
	for _, p := range []*person{carol, bob, alice} {
		p.press("btn-hangup")
		p.waitScreen("home")
	}
	for _, p := range []*person{alice, bob, carol} {
		p.noConsoleErrors()
	}
}
