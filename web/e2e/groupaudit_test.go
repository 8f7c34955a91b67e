package e2e

import (
	"strings"
	"testing"
	"time"
)

// Browser tests for what a four-person group call audit of the page found.

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
	if got := ann.text("incoming-caller"); got != "Ben" {
		t.Errorf("Ann's incoming screen shows %q calling, want Ben", got)
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
// outgoing screen comes back as it was (avatar, "Video group call", the ring-back tone, the
// camera preview), and the call still connects when answered.
func TestOutgoingScreenAfterReload(t *testing.T) {
	srv := startServer(t, 30*time.Second)
	b := newBrowser(t)
	people := teamOf(t, srv, b, "Ann", "Ben")
	ann, ben := people[0], people[1]

	ann.click("call-group-video-team")
	ann.waitScreen("outgoing")
	ann.waitPreview("outgoing")
	before := eval[outgoingView](ann, outgoingViewJS)
	if before.Avatar == "" || before.Kind != "Video group call" || !before.Ringback {
		t.Fatalf("Ann's outgoing screen before the reload: %+v", before)
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
