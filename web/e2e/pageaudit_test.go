package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Browser tests for what an ordinary user's audit of the page found: getting back into a group
// call, mute state across a reload, refused devices, and where the focus goes.

// focused is the data-testid of the element that has the focus ("" for <body> or none).
func (p *person) focused() string {
	p.t.Helper()
	return eval[string](p, `document.activeElement?.dataset?.testid ?? ""`)
}

// waitFocus waits until the element with the data-testid has the focus.
func (p *person) waitFocus(testid string) {
	p.t.Helper()
	p.waitJS("the focus on "+testid, `document.activeElement?.dataset?.testid === `+jsq(testid), 5*time.Second)
}

// activate presses the element with a data-testid from script (Enter on it would do the same):
// the history list is redrawn as the call log reloads, which can replace the row under a click.
func (p *person) activate(testid string) {
	p.t.Helper()
	if !eval[bool](p, `(() => { const e = document.querySelector('[data-testid=`+jsq(testid)+`]'); if (!e) return false; e.click(); return true; })()`) {
		p.t.Fatalf("%s: no %s to press\n%s", p.name, testid, p.describe())
	}
}

// tileState is data-audio-muted and data-video-off of uid's tile, as "audio/video".
func tileState(uid string) string {
	return `(() => { const t = document.querySelector('[data-testid=tile-` + uid + `]');
		return t ? t.dataset.audioMuted + "/" + t.dataset.videoOff : "none"; })()`
}

// TestGroupJoinAfterLeavingOrDeclining: a member who declined a group call, and one who left
// it while the others carried on, each see it going on (their group and the history row offer
// Join, "You left the call" says the leaver's notice) and get back in with Join: the same
// call, media both ways, no new call refused as busy. The focus lands on the notice each time
// the page returns home.
func TestGroupJoinAfterLeavingOrDeclining(t *testing.T) {
	srv := startServer(t, 30*time.Second)
	b := newBrowser(t)
	people := b.signedIn(srv.url, "Alice", "Bob", "Carol")
	alice, bob, carol := people[0], people[1], people[2]
	srv.group("team", "Team", "alice", "bob", "carol")
	for _, p := range people {
		p.do("reload", reload()) // to list the new group
		p.waitScreen("home")
		p.waitJS("the group", `!!document.querySelector('[data-testid=call-group-video-team]')`, 10*time.Second)
	}

	alice.click("call-group-video-team")
	bob.waitScreen("incoming")
	carol.waitScreen("incoming")
	bob.click("incoming-accept")
	carol.click("incoming-reject")
	alice.waitScreen("call")
	bob.waitScreen("call")
	carol.waitScreen("home")
	carol.waitFocus("notice")

	// carol declined; the call goes on: she joins it from her group
	carol.waitJS("Join on carol's group", `!!document.querySelector('[data-testid=join-group-team]')`, 10*time.Second)
	if carol.visible("call-group-video-team") {
		t.Errorf("carol's group offers a new video call while its call goes on (the server would refuse it: everyone busy)")
	}
	carol.click("join-group-team")
	carol.waitScreen("call")
	carol.waitMedia(2, 2)
	alice.waitMedia(2, 2)

	// bob leaves while the others carry on (after long enough in it to count)
	eval[bool](bob, `new Promise((r) => setTimeout(() => r(true), 1500))`)
	bob.click("btn-hangup")
	bob.waitScreen("home")
	bob.waitNotice("You left the call", 10*time.Second)
	bob.waitFocus("notice")
	bob.waitJS("Join on bob's history row", `!!document.querySelector('[data-testid=history-row] [data-testid=history-join]')`, 10*time.Second)
	bob.waitJS("Join on bob's group", `!!document.querySelector('[data-testid=join-group-team]')`, 10*time.Second)
	bob.activate("history-join")
	bob.waitScreen("call")
	bob.waitMedia(2, 2)
	alice.waitMedia(2, 2)
	carol.waitMedia(2, 2)
	callID := eval[string](alice, `window.switchboardApp.state.call.sessionId`)
	if got := eval[string](bob, `window.switchboardApp.state.call.sessionId`); got != callID {
		t.Errorf("bob's Join put him in call %s, want the ongoing %s", got, callID)
	}
	// one call in everyone's history, no stray "busy" one
	for _, p := range []*person{bob, carol} {
		p.click("btn-hangup")
		p.waitScreen("home")
	}
	alice.waitJS("waiting for others", `!document.querySelector('[data-testid=call-waiting]').hidden`, 10*time.Second)
	alice.click("btn-hangup")
	alice.waitScreen("home")
	alice.waitNotice("Call ended", 10*time.Second)
	for _, p := range people {
		p.waitJS("the call ended in the history", `document.querySelector('[data-testid=history-row]')?.dataset.status !== "ongoing" && !document.querySelector('[data-testid=history-join]')`, 15*time.Second)
		if p == bob { // his time before leaving counts too (earlierMs), in his history's duration
			got := eval[string](bob, `window.switchboardApp.sb.listCallPage({limit: 1}).then(({calls}) => {
				const me = calls[0].participants.find((x) => x.uid === "bob");
				const want = Math.round(((me.earlierMs || 0) + me.leftAt - me.joinedAt) / 1000);
				return (me.earlierMs || 0) + " " + want + " " + document.querySelector('[data-testid=history-row]').dataset.duration; })`)
			var earlier, want, shown int
			if _, err := fmt.Sscan(got, &earlier, &want, &shown); err != nil || earlier < 1500 || shown != want {
				t.Errorf("bob's time before leaving, and his history's duration: %q, want earlierMs >= 1500 and the duration counting it", got)
			}
		}
		if n := eval[int](p, `[...document.querySelectorAll('[data-testid=history-row]')].filter((r) => r.dataset.status === "busy").length`); n != 0 {
			t.Errorf("%s's history has %d busy rows: a Join placed a new call", p.name, n)
		}
		if p.visible("join-group-team") {
			t.Errorf("%s's group still offers Join after the call ended", p.name)
		}
		p.noConsoleErrors()
	}
}

// TestReloadMuteState: after a reload mid-call the other side shows the reloaded person's
// real state (userJoined {rejoined} carries it: unmuted after a reload that lost the mutes),
// and a person who had muted comes back muted, with buttons that say so.
func TestReloadMuteState(t *testing.T) {
	srv := startServer(t, 20*time.Second, productGraces)
	b := newBrowser(t)
	people := b.signedIn(srv.url, "Alice", "Bob")
	alice, bob := people[0], people[1]
	alice.waitOnline("bob")
	callAndAccept(alice, bob, "bob")

	alice.click("btn-mute")
	alice.click("btn-camera")
	bob.waitJS("alice muted, camera off", tileState("alice")+` === "true/true"`, 10*time.Second)

	// a reload that keeps nothing (the tab's storage gone): alice is back live, bob sees it
	alice.do("reload without saved state", chromedp.Evaluate[chromedp.Void](`sessionStorage.removeItem("switchboard.mutes")`), reload())
	alice.waitScreen("call")
	bob.waitMedia(1, 1)
	bob.waitJS("alice shown live again", tileState("alice")+` === "false/false"`, 10*time.Second)
	if got := alice.text("btn-mute") + "/" + alice.text("btn-camera"); got != "Mute/Camera off" {
		t.Errorf("alice's buttons after the reload say %q, want Mute/Camera off (her mic and camera are live)", got)
	}

	// muted again, then an ordinary reload: she stays muted and her page says so
	alice.click("btn-mute")
	alice.click("btn-camera")
	bob.waitJS("alice muted again", tileState("alice")+` === "true/true"`, 10*time.Second)
	alice.do("reload", reload())
	alice.waitScreen("call")
	alice.waitJS("the session", `window.switchboardApp.sb.session?.marks.subscriberConnected > 0`, 15*time.Second)
	alice.waitJS("alice's buttons say muted", `document.querySelector('[data-testid=btn-mute]').textContent === "Unmute" &&
		document.querySelector('[data-testid=btn-camera]').textContent === "Camera on"`, 10*time.Second)
	if live := eval[bool](alice, `window.switchboardApp.sb.session.localStream.getAudioTracks().some((t) => t.enabled)`); live {
		t.Errorf("alice had muted before the reload but her microphone is live after it")
	}
	bob.waitJS("alice still shown muted", tileState("alice")+` === "true/true"`, 10*time.Second)
	time.Sleep(time.Second) // a late userJoined {rejoined} must not undo it
	if got := eval[string](bob, tileState("alice")); got != "true/true" {
		t.Errorf("bob sees alice's tile as %s a second after her reload, want true/true (muted, camera off)", got)
	}
	alice.click("btn-mute")
	bob.waitJS("alice unmuted", tileState("alice")+` === "false/true"`, 10*time.Second)
	alice.click("btn-hangup")
	bob.waitScreen("home")
	alice.noConsoleErrors()
	bob.noConsoleErrors()
}

// TestRefusedDevicesWarnEarlyAndRetry: a refused or missing camera and microphone are said on
// the ringing screens, before the call connects; in the call, no microphone and no camera
// means listen-only (not "audio only"); "Rejoin" names only the refused device, and a retry
// while it is still refused keeps the button, with the focus on it.
func TestRefusedDevicesWarnEarlyAndRetry(t *testing.T) {
	srv := startServer(t, 30*time.Second)
	b := newBrowser(t)
	people := b.signedIn(srv.url, "Alice", "Bob")
	alice, bob := people[0], people[1]
	alice.waitOnline("bob")

	alice.failDevice("audio", "NotAllowedError")
	bob.failDevice("audio", "NotFoundError")
	bob.failDevice("video", "NotFoundError")
	alice.click("call-video-bob")
	alice.waitScreen("outgoing")
	alice.waitJS("the microphone warned about while it rings", `(() => { const n = document.querySelector('[data-testid=outgoing-media-warning]');
		return !n.hidden && n.textContent.includes("microphone") && !n.textContent.includes("camera"); })()`, 10*time.Second)
	bob.waitScreen("incoming")
	bob.waitJS("no camera and microphone warned about while it rings", `(() => { const n = document.querySelector('[data-testid=incoming-media-warning]');
		return !n.hidden && n.textContent.includes("camera and microphone"); })()`, 10*time.Second)
	bob.click("incoming-accept")
	bob.waitScreen("call")
	alice.waitScreen("call")

	bob.waitJS("bob's warnings", `document.querySelector('[data-testid=media-warning]').textContent.includes("listen-only")`, 10*time.Second)
	if w := bob.text("media-warning"); strings.Contains(w, "audio only") {
		t.Errorf("bob has neither camera nor microphone, yet his page says %q", w)
	}

	alice.waitJS("alice's Rejoin", `!!document.querySelector('[data-testid=btn-rejoin]')`, 10*time.Second)
	if got := alice.text("btn-rejoin"); got != "Rejoin with microphone" {
		t.Errorf("alice's camera works, only the microphone was refused; Rejoin says %q", got)
	}
	// what the retry meets, kept for the message below (CI once lost the button here, unexplained)
	eval[bool](alice, `(() => { const sb = window.switchboardApp.sb, orig = sb.setAudioInputDevice.bind(sb); window.__retries = [];
		sb.setAudioInputDevice = (id) => { const p = orig(id); window.__retries.push(p === undefined ? "no session" : "pending");
			const i = window.__retries.length - 1;
			p?.then(() => (window.__retries[i] = "opened"), (e) => (window.__retries[i] = e.name + " " + e.code + " " + JSON.stringify(e.problem || null)));
			return p; };
		return true; })()`)
	alice.click("btn-rejoin") // still refused
	alice.waitJS("the retry's answer", `document.querySelector('[data-testid=media-warning]').textContent.includes("still can't be used")`, 10*time.Second)
	if !alice.visible("btn-rejoin") {
		t.Fatalf("after a retry that failed, alice's Rejoin is gone; the retries met %s, the page's problems are %s\n%s",
			eval[string](alice, `JSON.stringify(window.__retries)`), eval[string](alice, `JSON.stringify(window.switchboardApp.callScreen.problems)`), alice.describe())
	}
	if got := alice.focused(); got != "btn-rejoin" {
		t.Errorf("after a retry that failed the focus is on %q, want btn-rejoin", got)
	}
	if w := alice.text("media-warning"); strings.Contains(w, "camera still") || !strings.Contains(w, "microphone still") {
		t.Errorf("alice's warning after the retry says %q: want the microphone named, not the camera", w)
	}
	// she allows it: the same button brings the microphone in
	eval[bool](alice, `(() => { const md = navigator.mediaDevices; md.getUserMedia = MediaDevices.prototype.getUserMedia.bind(md); return true; })()`)
	alice.click("btn-rejoin")
	bob.waitJS("alice's mic in", `document.querySelector('[data-testid=tile-alice]')?.dataset.audioMuted === "false"`, 15*time.Second)
	alice.waitJS("the warnings gone", `document.querySelector('[data-testid=media-warning]').hidden`, 10*time.Second)
	alice.click("btn-hangup")
	bob.waitScreen("home")
	alice.noConsoleErrors()
	bob.noConsoleErrors()
}

// TestRingingAndCallScreenSemantics: the incoming call is an alert dialog described by the
// call's kind, and Escape on it declines; each return home (declined, cancelled, hung up)
// puts the focus on the outcome, read out; mute and camera say what they do without also
// being toggle buttons; the duration is named; at 390x844 the call screen does not scroll.
func TestRingingAndCallScreenSemantics(t *testing.T) {
	srv := startServer(t, 30*time.Second)
	b := newBrowser(t)
	people := b.signedIn(srv.url, "Alice", "Bob")
	alice, bob := people[0], people[1]
	alice.waitOnline("bob")

	alice.press("call-video-bob")
	bob.waitScreen("incoming")
	dialog := eval[string](bob, `(() => { const s = document.querySelector('[data-testid=screen-incoming]');
		const desc = (s.getAttribute("aria-describedby") || "").split(" ").map((id) => document.getElementById(id)?.textContent || "").join(" ");
		return s.getAttribute("role") + "|" + desc; })()`)
	if role, desc, _ := strings.Cut(dialog, "|"); role != "alertdialog" || !strings.Contains(desc, "Video call") {
		t.Errorf("the incoming screen is role %q described by %q, want an alertdialog described by the call's kind", role, desc)
	}
	bob.do("Escape", chromedp.KeyEvent(kb.Escape))
	alice.waitNotice("Bob declined the call.", 10*time.Second)
	bob.waitScreen("home")
	bob.waitFocus("notice")
	alice.waitScreen("home")
	alice.waitFocus("notice")

	alice.click("call-audio-bob")
	bob.waitScreen("incoming")
	alice.click("outgoing-cancel")
	alice.waitScreen("home")
	alice.waitFocus("notice")
	bob.waitScreen("home")
	bob.waitFocus("notice")

	callAndAccept(alice, bob, "bob")
	for _, id := range []string{"btn-mute", "btn-camera"} {
		if eval[bool](bob, `document.querySelector('[data-testid=`+id+`]').hasAttribute("aria-pressed")`) {
			t.Errorf("%s flips its label and is also a toggle button (aria-pressed): read as \"Unmute, pressed\"", id)
		}
	}
	bob.click("btn-mute")
	if got := bob.text("btn-mute"); got != "Unmute" {
		t.Errorf("the mute button says %q once muted, want Unmute", got)
	}
	if got := eval[string](bob, `(() => { const d = document.querySelector('[data-testid=call-duration]').closest('[role=timer]'); return d ? d.textContent : ""; })()`); !strings.HasPrefix(got, "Call duration") {
		t.Errorf("the duration is not a timer named Call duration: %q", got)
	}
	bob.do("phone viewport", emulatePhone())
	bob.waitJS("layout settled", `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, 5*time.Second)
	if over := eval[float64](bob, `document.documentElement.scrollHeight - innerHeight`); over > 0 {
		t.Errorf("at 390x844 the call screen scrolls by %.0f px vertically", over)
	}
	bob.do("viewport reset", chromedp.EmulateReset())
	alice.click("btn-hangup")
	alice.waitScreen("home")
	alice.waitFocus("notice")
	bob.waitScreen("home")
	bob.waitFocus("notice")
	alice.noConsoleErrors()
	bob.noConsoleErrors()
}
