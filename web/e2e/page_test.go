package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// tid is the CSS selector of a data-testid.
func tid(id string) chromedp.CSS { return chromedp.CSS(`[data-testid="` + id + `"]`) }

// jsq quotes s for JavaScript.
func jsq(s string) string { return strconv.Quote(s) }

// open loads the page.
func (p *person) open(url string) {
	p.t.Helper()
	p.do("open "+url, chromedp.Navigate(url))
}

// signIn types the person's name in the dev sign-in and waits for the home screen.
func (p *person) signIn(url, name string) {
	p.t.Helper()
	p.open(url)
	p.do("sign in as "+name,
		chromedp.WaitVisible(tid("signin-name")),
		chromedp.SendKeys(tid("signin-name"), name),
		chromedp.Click(tid("signin-submit")),
	)
	p.waitScreen("home")
	p.waitJS("connected", `document.querySelector('[data-testid=conn-status]').dataset.state === "open"`, 10*time.Second)
	if got := p.text("me-name"); got != name {
		p.t.Fatalf("%s: header shows %q as the signed-in name, want %q", p.name, got, name)
	}
}

// signedIn opens a tab for each name and signs them in, in order (each
// name is also the person's label).
func (b *browser) signedIn(url string, names ...string) []*person {
	b.t.Helper()
	people := make([]*person, len(names))
	for i, n := range names {
		people[i] = b.person(n)
		people[i].signIn(url, n)
	}
	return people
}

// reload reloads the tab as a person pressing F5 would.
func reload() chromedp.Action[chromedp.Void] { return chromedp.Reload() }

// emulatePhone makes the tab as narrow as a phone (390 x 844, touch).
func emulatePhone() chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile)
}

// click clicks the element with a data-testid, as a person would.
//
// As Playwright does before it clicks, it waits until the element's box
// has stayed put for two animation frames and the element itself is what
// a click at its center hits: chromedp.Click alone clicks where the box
// was when it measured it, and a notice shown or hidden meanwhile (the
// page's layout moves) made a click land beside the button.
func (p *person) click(id string) {
	p.t.Helper()
	p.do("wait for "+id, chromedp.WaitVisible(tid(id)), chromedp.ScrollIntoView(tid(id)))
	type target struct {
		X, Y float64
		OK   bool
	}
	at := `(async () => {
		const e = document.querySelector('[data-testid=` + jsq(id) + `]');
		const box = () => { const r = e?.getBoundingClientRect(); return r ? [r.left, r.top, r.width, r.height].join() : ""; };
		const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
		const before = box(); await frame(); await frame();
		if (!e || box() !== before) return { OK: false };
		const r = e.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
		const hit = document.elementFromPoint(x, y);
		return { X: x, Y: y, OK: !!hit && (hit === e || e.contains(hit)) };
	})()`
	for deadline := time.Now().Add(5 * time.Second); ; {
		if t := eval[target](p, at); t.OK {
			p.do("click "+id, chromedp.MouseClickXY(t.X, t.Y))
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: %s stays covered or moving: nothing to click\n%s", p.name, id, p.describe())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// visible reports whether the element with a data-testid is shown.
func (p *person) visible(id string) bool {
	p.t.Helper()
	return eval[bool](p, `(() => { const e = document.querySelector('[data-testid=`+jsq(id)+`]');
		return !!e && !e.closest('[hidden]') && e.getClientRects().length > 0; })()`)
}

// text is the visible text of the element with a data-testid.
func (p *person) text(id string) string {
	p.t.Helper()
	return strings.TrimSpace(eval[string](p, `document.querySelector('[data-testid=`+jsq(id)+`]')?.textContent ?? ""`))
}

// waitScreen waits until the page shows a screen (signin, home, outgoing, incoming, call).
func (p *person) waitScreen(name string) {
	p.t.Helper()
	p.waitJS("the "+name+" screen", `document.body.dataset.screen === `+jsq(name)+
		` && !document.querySelector('[data-testid=screen-`+name+`]').hidden`, 20*time.Second)
}

// waitNotice waits until the notice says something containing want.
func (p *person) waitNotice(want string, timeout time.Duration) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf("the notice %q", want), `(() => { const n = document.querySelector('[data-testid=notice]');
		return !n.hidden && n.textContent.includes(`+jsq(want)+`); })()`, timeout)
}

// waitOnline waits until uid shows as online in the people list.
func (p *person) waitOnline(uid string) {
	p.t.Helper()
	p.waitJS(uid+" online", `document.querySelector('[data-testid=person-`+uid+`]')?.dataset.online === "true"`, 15*time.Second)
}

// historyRow is the newest row of the call history, as shown.
type historyRow struct {
	Direction string `json:"direction"`
	Type      string `json:"type"`
	Status    string `json:"status"`
	Words     string `json:"words"`
	Duration  string `json:"duration"`
	Text      string `json:"text"`
}

// callAndAccept: caller calls callee (calleeUID) on video from the home
// screen, callee accepts, and each gets the other's audio and video.
func callAndAccept(caller, callee *person, calleeUID string) {
	caller.t.Helper()
	ringAndAccept(caller, callee, calleeUID)
	caller.waitMedia(1, 1)
	callee.waitMedia(1, 1)
}

// ringAndAccept: caller calls callee (calleeUID) on video from the home
// screen, callee accepts, and both show the call screen.
func ringAndAccept(caller, callee *person, calleeUID string) {
	caller.t.Helper()
	caller.click("call-video-" + calleeUID)
	callee.waitScreen("incoming")
	callee.click("incoming-accept")
	caller.waitScreen("call")
	callee.waitScreen("call")
}

// waitHistory waits until the newest history row has the status, and returns it.
func (p *person) waitHistory(status string) historyRow {
	p.t.Helper()
	p.waitJS("a history row "+status, `document.querySelector('[data-testid=history-row]')?.dataset.status === `+jsq(status), 15*time.Second)
	return eval[historyRow](p, `(() => { const r = document.querySelector('[data-testid=history-row]');
		return { direction: r.dataset.direction, type: r.dataset.type, status: r.dataset.status,
			words: r.querySelector('[data-testid=history-status]').textContent,
			duration: r.querySelector('[data-testid=history-duration]').textContent,
			text: r.textContent }; })()`)
}

// waitPreview waits until the ringing screen shows the person's own camera
// (screen: outgoing or incoming), as a person sees before answering.
func (p *person) waitPreview(screen string) {
	p.t.Helper()
	p.waitJS("the "+screen+" preview", `document.querySelector('[data-testid=`+screen+`-preview]').videoWidth > 0`, 10*time.Second)
}
