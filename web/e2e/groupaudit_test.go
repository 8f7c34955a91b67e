package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/internal/calltest"
)

// Browser tests for what a four-person group call audit of the page found: two people
// starting the group's call at once, the screens after a reload, what the call screen says
// and shows, and names and counts that must fit a phone.

// teamOf signs people in, puts them all in group Team ("team") and reloads each page to list it.
func teamOf(t *testing.T, srv *server, b *browser, names ...string) []*person {
	t.Helper()
	people := b.signedIn(srv.url, names...)
	uids := make([]string, len(names))
	for i, n := range names {
		uids[i] = strings.ToLower(n)
	}
	srv.group("team", "Team", uids...)
	for _, p := range people {
		p.do("reload", reload()) // to list the new group
		p.waitScreen("home")
		p.waitJS("the group", `!!document.querySelector('[data-testid=call-group-video-team]')`, 10*time.Second)
	}
	return people
}

// holdInitiate makes the person's next calls wait, before they reach the server, until
// releaseInitiate; window.__rung says an incoming call reached the page meanwhile.
func (p *person) holdInitiate() {
	p.t.Helper()
	eval[bool](p, `(() => { const sb = window.switchboardApp.sb;
		window.__held = new Promise((r) => (window.__release = r));
		window.__rung = false; window.__placed = false;
		if (!window.__origInitiate) {
			window.__origInitiate = sb.initiateCall.bind(sb);
			sb.addCallListener("test", { onIncomingCallReceived: () => (window.__rung = true) });
			sb.initiateCall = async (...a) => { await window.__held; try { return await window.__origInitiate(...a); } finally { window.__placed = true; } };
		}
		return true; })()`)
}

// releaseInitiate lets the held call go to the server and waits for its answer.
func (p *person) releaseInitiate() {
	p.t.Helper()
	eval[bool](p, `(window.__release(), true)`)
	p.waitJS("the server's answer to the held call", `window.__placed === true`, 10*time.Second)
}

// TestGroupGlareShowsTheCallThatRings: Ann and Ben press Video on group Team at the same
// moment, Ben's call reaching the server first (Ann's is held in her page until his rings
// her: no timing luck). The server refuses Ann's (everyone is busy with Ben's) and rings her
// for Ben's: her page shows that call, ringing (not "everyone is busy" over a ring tone that
// plays with nothing to answer), and she answers it. Again, with the ring for Ben's call
// gone before hers is refused (declined on her other device, Cat in it with Ben): her page
// says the call goes on and offers Join, silent, and Join takes her in.
func TestGroupGlareShowsTheCallThatRings(t *testing.T) {
	srv := startServer(t, 30*time.Second)
	b := newBrowser(t)
	people := teamOf(t, srv, b, "Ann", "Ben", "Cat")
	ann, ben, cat := people[0], people[1], people[2]

	ann.holdInitiate()
	ann.click("call-group-video-team")
	ann.waitScreen("outgoing")
	ben.click("call-group-video-team")
	ben.waitScreen("outgoing")
	ann.waitJS("Ben's call ringing Ann's page", `window.__rung === true`, 10*time.Second)
	ann.releaseInitiate()
	ann.waitScreen("incoming")
	time.Sleep(300 * time.Millisecond) // a late "everyone is busy" would take the screen away now
	if s := eval[string](ann, `document.body.dataset.screen`); s != "incoming" {
		t.Fatalf("Ann's refused call took her off the incoming call she is rung for (screen %q)\n%s", s, ann.describe())
	}
	if got, kind := ann.text("incoming-caller"), ann.text("incoming-kind"); got != "Team" || kind != "Video call · started by Ben" {
		t.Errorf("Ann's incoming screen shows %q calling (%q), want Team, started by Ben", got, kind)
	}
	if !eval[bool](ann, `window.switchboardApp.ring.ringing && !window.switchboardApp.ringback.ringing`) {
		t.Errorf("Ann's page should ring (and not ring back) while Ben's call rings her")
	}
	ann.shot("glare-incoming")
	ann.click("incoming-accept")
	ann.waitScreen("call")
	ben.waitScreen("call")
	ann.waitMedia(1, 1)
	ben.waitMedia(1, 1)
	cat.waitScreen("incoming")
	cat.click("incoming-reject")
	cat.waitScreen("home")
	for _, p := range []*person{ann, ben} {
		p.click("btn-hangup")
		p.waitScreen("home")
	}
	cat.waitJS("the call over in cat's history", `!document.querySelector('[data-testid=join-group-team]') && !!document.querySelector('[data-testid=call-group-video-team]')`, 15*time.Second)

	// Round two: the ring for Ben's call stops (declined on Ann's other device) before Ann's
	// own call is refused; Ben and Cat are in it.
	annLaptop := b.person("Ann-laptop")
	annLaptop.signIn(srv.url, "Ann")
	ann.holdInitiate()
	ann.click("call-group-video-team")
	ann.waitScreen("outgoing")
	ben.click("call-group-video-team")
	ann.waitJS("Ben's call ringing Ann's page", `window.__rung === true`, 10*time.Second)
	cat.waitScreen("incoming")
	cat.click("incoming-accept")
	cat.waitScreen("call")
	annLaptop.waitScreen("incoming")
	annLaptop.click("incoming-reject")
	annLaptop.waitScreen("home")
	ann.releaseInitiate()
	ann.waitScreen("home")
	ann.waitJS("Join on Ann's group", `!!document.querySelector('[data-testid=join-group-team]')`, 10*time.Second)
	ann.waitNotice("already going on", 10*time.Second)
	if eval[bool](ann, `window.switchboardApp.ring.ringing || window.switchboardApp.ringback.ringing`) {
		t.Errorf("Ann's page plays a tone at home with no call ringing her")
	}
	ann.click("join-group-team")
	ann.waitScreen("call")
	ann.waitMedia(2, 2)
	for _, p := range []*person{ann, ben, cat} {
		p.click("btn-hangup")
		p.waitScreen("home")
	}
	for _, p := range []*person{ann, ben, cat, annLaptop} {
		if eval[bool](p, `window.switchboardApp.ring.ringing`) {
			t.Errorf("%s's page still rings at the end", p.name)
		}
		p.noConsoleErrors()
	}
}

// outgoingView is what the outgoing screen shows.
type outgoingView struct {
	Avatar   string `json:"avatar"`
	Kind     string `json:"kind"`
	Title    string `json:"title"`
	Ringback bool   `json:"ringback"`
}

const outgoingViewJS = `(() => ({ avatar: document.getElementById("outgoing-avatar").textContent,
	kind: document.getElementById("outgoing-kind").textContent,
	title: document.getElementById("outgoing-title").textContent.replace(/\s+/g, " ").trim(),
	ringback: window.switchboardApp.ringback.ringing }))()`

// TestOutgoingScreenAfterReload: the caller of a group call reloads while it rings: the
// outgoing screen comes back as it was (avatar, "Video group call", who is in another call
// and so not rung, the ring-back tone, the camera preview), and the call still connects
// when answered.
func TestOutgoingScreenAfterReload(t *testing.T) {
	srv := startServer(t, 30*time.Second)
	b := newBrowser(t)
	// cat, also in Team, is placing a call of her own (an app's user): busy, she is not rung
	cat := calltest.SignIn(t, srv.app, srv.app.URL(), "cat", client.DialOptions{})
	calltest.SignIn(t, srv.app, srv.app.URL(), "dan", client.DialOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), calltest.Limit)
	defer cancel()
	if _, err := cat.InitiateCall(ctx, client.CallRequest{ReceiverID: "dan", ReceiverType: client.ReceiverUser, CallType: client.CallAudio}); err != nil {
		t.Fatal(err)
	}
	people := teamOf(t, srv, b, "Ann", "Ben")
	srv.admin(http.MethodPost, "/v1/admin/groups/team/members", map[string][]string{"uids": {"cat"}})
	ann, ben := people[0], people[1]

	ann.click("call-group-video-team")
	ann.waitScreen("outgoing")
	ann.waitPreview("outgoing")
	before := eval[outgoingView](ann, outgoingViewJS)
	if before.Avatar == "" || before.Kind != "Video group call · cat is in another call" || !before.Ringback {
		t.Fatalf("Ann's outgoing screen before the reload: %+v (want it to say cat is in another call, not rung)", before)
	}
	ben.waitScreen("incoming")
	ann.do("reload", reload())
	ann.waitScreen("outgoing")
	ann.waitPreview("outgoing")
	if after := eval[outgoingView](ann, outgoingViewJS); after != before {
		t.Errorf("Ann's outgoing screen after the reload is %+v, want it as before: %+v", after, before)
	}
	ann.shot("outgoing-after-reload")
	ben.click("incoming-accept")
	ann.waitScreen("call")
	ann.waitMedia(1, 1)
	if eval[bool](ann, `window.switchboardApp.ringback.ringing`) {
		t.Errorf("Ann's ring-back tone goes on in the call")
	}
	ann.click("btn-hangup")
	ben.click("btn-hangup")
	ann.waitScreen("home")
	ben.waitScreen("home")
	ann.noConsoleErrors()
	ben.noConsoleErrors()
}

// TestGroupCallEventsAndQuality: in a four-person group call, "Ben left" stays readable
// (in a live region) when who is speaking changes a moment later, instead of being
// overwritten at once; afterwards the history shows call quality only for the calls you
// were in (Dan declined: no "Declined good"), naming the people rather than their uids.
func TestGroupCallEventsAndQuality(t *testing.T) {
	srv := startServer(t, 30*time.Second)
	b := newBrowser(t)
	people := teamOf(t, srv, b, "Ann", "Ben", "Cat", "Dan")
	ann, ben, cat, dan := people[0], people[1], people[2], people[3]

	ann.click("call-group-video-team")
	for _, p := range people[1:] {
		p.waitScreen("incoming")
	}
	ben.click("incoming-accept")
	cat.click("incoming-accept")
	dan.click("incoming-reject")
	for _, p := range people[:3] {
		p.waitScreen("call")
		p.waitMedia(2, 2)
	}
	ben.click("btn-hangup")
	ben.waitScreen("home")
	ann.waitJS("Ben left, said", `document.querySelector('[data-testid=screen-call]').innerText.includes("Ben left")`, 10*time.Second)
	// Cat speaks (the SDK's event, as the server's activeSpeakers make it)
	// (the real speaker events go on too: only "Ben left" is checked after the half second)
	if got := eval[string](ann, `(window.switchboardApp.sb.session.listener.onActiveSpeakerChanged("cat"), document.querySelector('[data-testid=speaker]').textContent)`); got != "Speaking: Cat" {
		t.Errorf("Ann's speaker line says %q as Cat speaks, want \"Speaking: Cat\"", got)
	}
	time.Sleep(500 * time.Millisecond)
	if !eval[bool](ann, `(() => { const all = [...document.querySelectorAll('[data-testid=screen-call] [aria-live]')];
		const left = all.find((e) => e.textContent.includes("Ben left"));
		return !!left && left.getClientRects().length > 0; })()`) {
		t.Errorf("half a second after Cat began to speak, \"Ben left\" is gone from Ann's call screen (want it readable a few seconds, in a live region): %q",
			eval[string](ann, `document.querySelector('[data-testid=screen-call]').innerText`))
	}
	ann.shot("ben-left-cat-speaking")
	ann.waitJS("Ben left, gone after a few seconds", `!document.querySelector('[data-testid=screen-call]').innerText.includes("Ben left")`, 10*time.Second)
	for _, p := range []*person{ann, cat} {
		p.click("btn-hangup")
		p.waitScreen("home")
	}

	ann.waitJS("a quality badge on Ann's call", `document.querySelector('[data-testid=history-row] [data-testid=history-quality]')?.querySelectorAll('li').length === 3`, 20*time.Second)
	q := eval[string](ann, `document.querySelector('[data-testid=history-row] [data-testid=history-quality] ul').textContent`)
	for _, name := range []string{"Ann: ", "Ben: ", "Cat: "} {
		if !strings.Contains(q, name) {
			t.Errorf("Ann's call quality details do not name %q: %s", name, q)
		}
	}
	dan.waitHistory("rejected")
	ben.waitJS("a quality badge on Ben's call (he was in it)", `!!document.querySelector('[data-testid=history-row] [data-testid=history-quality]')`, 20*time.Second)
	time.Sleep(time.Second) // the history reloads as the call closes
	if badge := eval[string](dan, `document.querySelector('[data-testid=history-row] [data-testid=history-quality]')?.textContent ?? ""`); badge != "" {
		t.Errorf("Dan declined the call, yet his history row shows its quality: %q", eval[string](dan, `document.querySelector('[data-testid=history-row]').innerText`))
	}
	for _, p := range people {
		p.noConsoleErrors()
	}
}

// TestScreenShareButton: the call screen offers Share screen (labelled as the other controls:
// the text says what pressing does, no aria-pressed). Closing the browser's picker is no
// error; a share shows the others your screen large and the button says Stop sharing; the
// browser's own "Stop sharing" (the track ends) and the button each end it, and the button
// follows. A browser without screen capture (a phone) shows no button.
func TestScreenShareButton(t *testing.T) {
	needAxe(t)
	srv := startServer(t, 30*time.Second)
	b := newBrowser(t, chromedp.Flag("auto-select-desktop-capture-source", "Entire screen"))
	people := b.signedIn(srv.url, "Alice", "Bob", "Phone")
	alice, bob, phone := people[0], people[1], people[2]
	alice.waitOnline("bob")
	callAndAccept(alice, bob, "bob")

	if !alice.visible("btn-share") || alice.text("btn-share") != "Share screen" {
		t.Fatalf("Alice's call controls offer no Share screen button\n%s", alice.describe())
	}
	if eval[bool](alice, `document.querySelector('[data-testid=btn-share]').hasAttribute("aria-pressed")`) {
		t.Errorf("Share screen flips its label and is also a toggle button (aria-pressed)")
	}
	alice.axe("the call screen with Share screen")

	// the person closes the picker: nothing happens, nothing is said
	eval[bool](alice, `(() => { navigator.mediaDevices.getDisplayMedia = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError")); return true; })()`)
	alice.click("btn-share")
	time.Sleep(300 * time.Millisecond)
	if alice.visible("media-warning") || alice.text("btn-share") != "Share screen" {
		t.Errorf("after the picker was closed Alice's page shows warning %q and button %q, want none and Share screen", alice.text("media-warning"), alice.text("btn-share"))
	}
	eval[bool](alice, `(delete navigator.mediaDevices.getDisplayMedia, true)`)

	const screenTile = `!!document.querySelector('[data-testid="tile-alice:screen"]')`
	alice.click("btn-share")
	alice.waitJS("Stop sharing", `document.querySelector('[data-testid=btn-share]').textContent === "Stop sharing"`, 10*time.Second)
	bob.waitJS("Alice's screen on Bob's page", screenTile, 15*time.Second)
	// large: most of the stage's width and height (its row as tall as a camera row, a 16:9
	// screen came out smaller than a camera picture)
	bob.waitJS("Alice's screen shown large", `(() => { const s = document.querySelector('[data-testid="tile-alice:screen"]').getBoundingClientRect(),
		g = document.querySelector('[data-testid=call-stage]').getBoundingClientRect(); return s.width > 0.6 * g.width && s.height > 0.6 * g.height; })()`, 10*time.Second)
	if fit := eval[string](bob, `getComputedStyle(document.querySelector('[data-testid="tile-alice:screen"] video')).objectFit`); fit != "contain" {
		t.Errorf("Alice's screen on Bob's page is shown with object-fit %q: a screen must not be cropped (want contain)", fit)
	}
	// before its first frame the tile shows Alice's initial, not "A(" from "Alice (screen)"
	if got := eval[string](bob, `document.querySelector('[data-testid="tile-alice:screen"] .sb-avatar').textContent`); got != "A" {
		t.Errorf("the avatar of Alice's screen tile reads %q, want A (her initial)", got)
	}
	bob.shot("alice-shares")
	// the browser's own "Stop sharing" ends the track
	eval[bool](alice, `(window.switchboardApp.callScreen.screen.dispatchEvent(new Event("ended")), true)`)
	alice.waitJS("Share screen again", `document.querySelector('[data-testid=btn-share]').textContent === "Share screen"`, 10*time.Second)
	bob.waitJS("Alice's screen gone from Bob's page", "!"+screenTile, 15*time.Second)

	// the SDK stops the share itself (an app's own control, or the SDK's handling of the
	// browser's stop): its onScreenShareStopped brings the page's button back
	alice.click("btn-share")
	bob.waitJS("Alice's screen on Bob's page again", screenTile, 15*time.Second)
	alice.waitJS("Stop sharing", `document.querySelector('[data-testid=btn-share]').textContent === "Stop sharing"`, 10*time.Second)
	eval[bool](alice, `window.switchboardApp.sb.stopScreenShare().then(() => true)`)
	alice.waitJS("Share screen after the SDK stopped the share", `document.querySelector('[data-testid=btn-share]').textContent === "Share screen" && !window.switchboardApp.callScreen.screen`, 10*time.Second)
	bob.waitJS("Alice's screen gone after the SDK stopped it", "!"+screenTile, 15*time.Second)

	// a third share in the call: the stopped share's m-line is used again (a new one each time
	// ran into media.max_tracks_per_participant: the offer was refused, nothing was shown)
	alice.click("btn-share")
	bob.waitJS("Alice's screen on Bob's page again, playing", `document.querySelector('[data-testid="tile-alice:screen"] video')?.videoWidth > 0`, 15*time.Second)
	alice.click("btn-share")
	alice.waitJS("Share screen", `document.querySelector('[data-testid=btn-share]').textContent === "Share screen"`, 10*time.Second)
	bob.waitJS("Alice's screen gone after Stop sharing", "!"+screenTile, 15*time.Second)
	if alice.visible("media-warning") {
		t.Errorf("Alice's page warns: %s", alice.text("media-warning"))
	}
	alice.click("btn-hangup")
	bob.waitScreen("home")

	// a phone's browser has no getDisplayMedia
	eval[bool](phone, `(() => { Object.defineProperty(MediaDevices.prototype, "getDisplayMedia", { value: undefined, configurable: true }); return true; })()`)
	phone.waitOnline("bob")
	callAndAccept(phone, bob, "bob")
	if phone.visible("btn-share") {
		t.Errorf("a browser without screen capture offers Share screen")
	}
	phone.click("btn-hangup")
	bob.waitScreen("home")
	for _, p := range people {
		p.noConsoleErrors()
	}
}

// rowProblems lists, for each row of the people and group lists, a name or status that is
// not shown, runs under a button or out of its row, or is cut; and a page that scrolls sideways.
const rowProblemsJS = `(() => {
	const inter = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
	const out = [];
	for (const li of document.querySelectorAll('#people > li, #groups > li')) {
		const id = li.dataset.testid, r = li.getBoundingClientRect();
		const btns = [...li.querySelectorAll('button')].map((b) => b.getBoundingClientRect());
		for (const [what, e] of [["name", li.querySelector('.name')], ["status", li.querySelector('.presence')]]) {
			const er = e.getBoundingClientRect();
			if (er.width === 0 || er.height === 0) out.push(id + ": " + what + " not shown");
			if (btns.some((b) => inter(er, b))) out.push(id + ": " + what + " runs under a button");
			if (er.left < r.left - 0.5 || er.right > r.right + 0.5 || er.right > innerWidth) out.push(id + ": " + what + " out of its row");
		}
		const p = li.querySelector('.presence');
		if (p.scrollWidth > p.clientWidth + 1) out.push(id + ": status cut: " + p.textContent);
	}
	if (document.documentElement.scrollWidth > innerWidth) out.push("the page scrolls sideways");
	return out;
})()`

// badgeInTile says whether uid's tile shows its red "muted" badge wholly inside the tile.
func badgeInTile(uid string) string {
	return `(() => { const t = document.querySelector('[data-testid="tile-` + uid + `"]'), m = t && t.querySelector('.sb-mic');
		if (!m || getComputedStyle(m).display === "none") return false;
		const a = t.getBoundingClientRect(), b = m.getBoundingClientRect();
		return b.width > 0 && b.left >= a.left - 0.5 && b.right <= a.right + 0.5 && b.top >= a.top - 0.5 && b.bottom <= a.bottom + 0.5; })()`
}

// TestPhoneLongNamesAndCounts: at a phone's size (390x844), long names (two words, forty
// characters, one long hyphenated word) never run under the call buttons, and each row's
// status (online, "4 members") stays whole; a group of one says "1 member". In a call, a
// long name on a tile ends in an ellipsis and the red "muted" badge stays on the tile, on
// the small picture of yourself too.
func TestPhoneLongNamesAndCounts(t *testing.T) {
	srv := startServer(t, 30*time.Second)
	b := newBrowser(t)
	long := "Bartholomew Maximilian Featherstonehaugh"
	people := b.signedIn(srv.url, "Ann", "Christopher Montgomery", "Priyanka Venkataraman", long, "Venkatanarasimharajuvaripeta-Subramaniam")
	ann, bart := people[0], people[3]
	const bartUID = "bartholomew-maximilian-featherstonehaugh"
	srv.group("team", "The Extraordinarily Long-Named Platform Team", "ann", "christopher-montgomery", "priyanka-venkataraman", bartUID)
	srv.group("solo", "Solo", "ann")
	ann.do("reload", reload())
	ann.waitScreen("home")
	ann.waitJS("both groups", `!!document.querySelector('[data-testid=group-team]') && !!document.querySelector('[data-testid=group-solo]')`, 10*time.Second)
	ann.waitOnline(bartUID)
	ann.do("phone size", emulatePhone())
	ann.waitJS("layout settled", `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, 5*time.Second)
	if bad := eval[[]string](ann, rowProblemsJS); len(bad) > 0 {
		t.Errorf("at 390x844 Ann's people and groups:\n  %s", strings.Join(bad, "\n  "))
	}
	for id, want := range map[string]string{"group-members-solo": "1 member", "group-members-team": "4 members"} {
		if got := ann.text(id); got != want {
			t.Errorf("%s says %q, want %q", id, got, want)
		}
	}
	ann.shot("phone-long-names")

	// a call: Bart (a forty-character name) mutes
	for _, p := range []*person{ann, bart} {
		p.do("phone size", emulatePhone())
	}
	callAndAccept(bart, ann, "ann")
	bart.click("btn-mute")
	ann.waitJS("Bart muted on Ann's page", tileState(bartUID)+` === "true/false"`, 10*time.Second)
	for _, c := range []struct {
		p    *person
		what string
	}{{ann, "Bart's tile on Ann's page"}, {bart, "Bart's own small picture"}} {
		c.p.waitJS("layout settled", `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, 5*time.Second)
		if !eval[bool](c.p, badgeInTile(bartUID)) {
			t.Errorf("at 390x844 the muted badge is not on %s: label %+v", c.what,
				eval[map[string]float64](c.p, `(() => { const r = document.querySelector('[data-testid="tile-`+bartUID+`"] .sb-label').getBoundingClientRect(),
					t = document.querySelector('[data-testid="tile-`+bartUID+`"]').getBoundingClientRect();
					return { labelLeft: r.left, labelRight: r.right, tileLeft: t.left, tileRight: t.right }; })()`))
		}
	}
	bart.shot("phone-muted-long-name")
	ann.click("btn-hangup")
	bart.waitScreen("home")
	for _, p := range people {
		p.noConsoleErrors()
	}
}
