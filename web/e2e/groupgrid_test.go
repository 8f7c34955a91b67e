package e2e

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// gridShape is how the call grid lays out its tiles on screen.
type gridShape struct {
	Count int `json:"count"`
	Cols  int `json:"cols"` // tiles in the widest row
	Rows  int `json:"rows"` // distinct rows of tiles
	// Centered: every row's tiles sit in the middle of the grid (left and right gaps within 4 px).
	Centered bool `json:"centered"`
	// RemoteShare: the largest remote tile's share of the grid's area; LocalShare: your tile's.
	RemoteShare float64 `json:"remoteShare"`
	LocalShare  float64 `json:"localShare"`
}

// gridShapeJS measures the tiles of the call grid (rows by their top edge).
const gridShapeJS = `(() => {
  const grid = document.querySelector('[data-testid=call-grid]');
  const g = grid.getBoundingClientRect();
  const tiles = [...grid.querySelectorAll('.sb-tile')].map((t) => ({ local: t.dataset.local === "true", r: t.getBoundingClientRect() }));
  const rows = new Map();
  for (const t of tiles) {
    const key = Math.round(t.r.top / 8);
    if (!rows.has(key)) rows.set(key, []);
    rows.get(key).push(t.r);
  }
  let centered = true;
  for (const row of rows.values()) {
    const left = Math.min(...row.map((r) => r.left)) - g.left, right = g.right - Math.max(...row.map((r) => r.right));
    if (Math.abs(left - right) > 4) centered = false;
  }
  const share = (r) => (r.width * r.height) / (g.width * g.height);
  const remote = tiles.filter((t) => !t.local).map((t) => share(t.r));
  const local = tiles.filter((t) => t.local).map((t) => share(t.r));
  return { count: tiles.length, cols: Math.max(...[...rows.values()].map((r) => r.length)), rows: rows.size, centered,
    remoteShare: remote.length ? Math.max(...remote) : 0, localShare: local.length ? local[0] : 0 };
})()`

// coveredJS lists what hides part of a tile: a name label under something else (a phone's
// controls took two rows over the bottom tiles' names), or the speaker line drawn on a tile
// (it read as that tile's caption). Empty when every name is readable.
const coveredJS = `(() => {
  const bad = [], tiles = [...document.querySelectorAll('[data-testid=call-grid] .sb-tile')];
  for (const t of tiles) {
    const r = t.querySelector('.sb-label').getBoundingClientRect();
    for (const [x, y] of [[r.left + 3, r.top + r.height / 2], [r.left + r.width / 2, r.top + r.height / 2], [r.right - 3, r.top + r.height / 2]]) {
      const e = document.elementFromPoint(x, y);
      if (!e || !t.querySelector('.sb-label').contains(e)) bad.push(t.dataset.uid + "'s name is under " + (e ? e.dataset.testid || e.id || e.className || e.tagName : "the screen's edge"));
    }
  }
  const s = document.querySelector('[data-testid=speaker]'), was = s.textContent;
  s.textContent = "Speaking: Someone";
  const sr = s.getBoundingClientRect();
  for (const t of tiles) {
    const r = t.getBoundingClientRect();
    if (sr.left < r.right && sr.right > r.left && sr.top < r.bottom && sr.bottom > r.top) bad.push("the speaker line lies on " + t.dataset.uid + "'s tile");
  }
  s.textContent = was;
  return [...new Set(bad)];
})()`

// checkGrid checks the grid's shape at a desktop's size and at a phone's, and that no
// tile's name is hidden.
func (p *person) checkGrid(count, cols, rows int) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf("%d tiles", count), fmt.Sprintf(`document.querySelectorAll('[data-testid=call-grid] .sb-tile').length === %d`, count), 15*time.Second)
	for _, phone := range []bool{false, true} {
		if phone {
			p.do("phone size", emulatePhone())
		}
		s := eval[gridShape](p, `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(`+gridShapeJS+`))))`)
		where := map[bool]string{false: "desktop", true: "phone"}[phone]
		if count == 2 {
			// 1:1 inside a group call: the other person fills the stage, you are a small picture
			if s.RemoteShare < 0.9 || s.LocalShare > 0.2 {
				p.t.Errorf("%s (%s, 2 tiles): the remote tile covers %.0f%% of the stage and yours %.0f%%, want >= 90%% and <= 20%%",
					p.name, where, 100*s.RemoteShare, 100*s.LocalShare)
			}
		} else if s.Cols != cols || s.Rows != rows || !s.Centered {
			p.t.Errorf("%s (%s, %d tiles): %d columns x %d rows (centered %v), want %d x %d, centered", p.name, where, count, s.Cols, s.Rows, s.Centered, cols, rows)
		}
		if bad := eval[[]string](p, coveredJS); len(bad) > 0 {
			p.t.Errorf("%s (%s, %d tiles): %s", p.name, where, count, strings.Join(bad, "; "))
		}
	}
	p.do("desktop size", chromedp.EmulateReset())
}

// speakingIs waits until uid's tile is the one highlighted as speaking (a
// visible outline, the "Speaking:" label) and no other tile is.
func (p *person) speakingIs(uid, name string) {
	p.t.Helper()
	const state = `(() => {
		const tiles = [...document.querySelectorAll('[data-testid=call-grid] .sb-tile')];
		const s = window.switchboardApp.sb.session;
		return JSON.stringify({ speaking: tiles.filter((t) => t.dataset.speaking === "true").map((t) => t.dataset.uid),
			outline: tiles.map((t) => t.dataset.uid + ":" + getComputedStyle(t).outlineStyle + " " + getComputedStyle(t).outlineWidth),
			label: document.querySelector('[data-testid=speaker]').textContent, speaker: s && s.speaker, fromServer: s && s.serverSpeakers,
			muted: tiles.filter((t) => t.dataset.audioMuted === "true").map((t) => t.dataset.uid) }); })()`
	ok := `(() => {
		const tiles = [...document.querySelectorAll('[data-testid=call-grid] .sb-tile')];
		const on = tiles.filter((t) => t.dataset.speaking === "true").map((t) => t.dataset.uid);
		const t = document.querySelector('[data-testid=tile-` + uid + `]');
		if (!t || on.length !== 1 || on[0] !== ` + jsq(uid) + `) return false;
		const cs = getComputedStyle(t);
		return cs.outlineStyle === "solid" && parseFloat(cs.outlineWidth) >= 3 && cs.outlineColor !== "rgba(0, 0, 0, 0)" &&
			document.querySelector('[data-testid=speaker]').textContent.includes(` + jsq(name) + `);
	})()`
	deadline := time.Now().Add(30 * time.Second)
	for !eval[bool](p, ok) {
		if time.Now().After(deadline) {
			p.t.Fatalf("%s: %s is not highlighted as the speaker after 30 s: %s", p.name, uid, eval[string](p, state))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestGroupCall: four people in a group video call. Each callee's ringing
// screen names the group; the grid adapts to the count as they accept (2:
// the other person fills the screen, you are a small picture; 3: two above,
// one centered below; 4: two by two), at a desktop's size and at a
// phone's; each of the four receives three remote videos. A member leaves:
// the others see his tile go and keep receiving two videos; his history row
// says who called and "You left", with his own time in the call, the figure
// of his end-of-call notice. Of the three left, the one whose microphone
// is on is highlighted as the speaker on the others' screens (the server's
// activeSpeakers, from the RFC 6464 levels Chromium sends), and the
// highlight moves when someone else speaks. When the others end the call, the member who left sees the
// row turn "Ended" without a reload, and everyone's row agrees with their
// end-of-call notice; the group, which he was added to after his page loaded,
// is in his list since it rang him.
func TestGroupCall(t *testing.T) {
	srv := startServer(t, 90*time.Second)
	// Chromium's default fake microphone beeps for 20 ms every 500 ms: less than speech, and
	// rightly below the server's smoothed speech threshold. A steady voice-level tone stands in
	// for someone talking.
	b := newBrowser(t, chromedp.Flag("use-file-for-fake-audio-capture", voiceWAV(t)))
	people := b.signedIn(srv.url, "Ann", "Ben", "Cat", "Dan")
	srv.group("team", "Team", "ann", "ben", "cat", "dan")
	ann, ben, cat, dan := people[0], people[1], people[2], people[3]
	ann.do("reload", reload()) // to list the new group
	ann.waitScreen("home")
	ann.waitJS("the group", `!!document.querySelector('[data-testid=group-team]')`, 10*time.Second)

	ann.click("call-group-video-team")
	ann.waitScreen("outgoing")
	for _, p := range people[1:] {
		p.waitScreen("incoming")
		// the group calls (the caller may leave while it rings: it goes on), started by Ann
		if got, kind := p.text("incoming-caller"), p.text("incoming-kind"); got != "Team" || kind != "Video call · started by Ann" {
			t.Errorf("%s's incoming screen says %q is calling (%q), want Team, \"Video call · started by Ann\"", p.name, got, kind)
		}
	}
	for i, p := range people[1:] {
		p.waitPreview("incoming")
		if i == 0 {
			p.shot("group-incoming")
		}
		p.click("incoming-accept")
		p.waitScreen("call")
		// ann's grid after each accept: 2, 3, 4 tiles
		ann.waitScreen("call")
		switch i {
		case 0:
			ann.checkGrid(2, 1, 1)
		case 1:
			ann.checkGrid(3, 2, 2)
		case 2:
			ann.checkGrid(4, 2, 2)
		}
	}
	for _, p := range people {
		p.waitMedia(3, 3)
		if got := len(p.tiles()); got != 4 {
			t.Errorf("%s sees %d tiles, want 4 (self + 3)", p.name, got)
		}
	}
	printFirstFrame(t.Name(), nil, people...)
	ann.shot("group-of-4")

	// dan leaves: his notice ("You left the call": it goes on) and his history row agree; the row says who called
	eval[bool](dan, `(window.__sameDocument = true)`)
	dan.click("btn-hangup")
	dan.waitScreen("home")
	row := `document.querySelector('[data-testid=history-row]')`
	agree := `(() => {
		const n = document.querySelector('[data-testid=notice]');
		const r = ` + row + `;
		return !n.hidden && /^You left the call · \d+:\d\d$/.test(n.textContent) && r && r.textContent.includes("from Ann in Team") &&
			r.dataset.status === %q && r.querySelector('[data-testid=history-duration]').textContent === n.textContent.replace("You left the call · ", ""); })()`
	dan.waitJS("dan's history row (who called, \"You left\") to agree with his end-of-call notice", fmt.Sprintf(agree, "left"), 15*time.Second)
	for _, p := range []*person{ann, ben, cat} {
		p.waitJS("dan's tile to go", `!document.querySelector('[data-testid=tile-dan]')`, 15*time.Second)
		if got := p.tiles(); len(got) != 3 || slices.Contains(got, "dan") {
			t.Errorf("%s sees tiles %v after dan left, want 3 without dan", p.name, got)
		}
		p.waitMedia(2, 2)
	}
	ann.checkGrid(3, 2, 2)
	ann.shot("group-after-leave")

	// three left (less load on a shared machine): only ben's microphone is on, so ben is
	// the speaker on the others' screens
	for _, p := range []*person{ann, cat} {
		p.click("btn-mute")
	}
	for _, p := range []*person{ann, cat} {
		p.speakingIs("ben", "Ben")
	}
	ann.shot("group-ben-speaking")
	// ben mutes, cat speaks: the highlight moves
	ben.click("btn-mute")
	cat.click("btn-mute")
	for _, p := range []*person{ann, ben} {
		p.speakingIs("cat", "Cat")
	}

	// the others end the call: dan's history says so without a reload
	for _, p := range []*person{ben, cat, ann} {
		p.click("btn-hangup")
		p.waitScreen("home")
	}
	dan.waitJS("dan's history row to turn Ended, live, still agreeing with his notice", fmt.Sprintf(agree, "ended")+` && window.__sameDocument === true`, 15*time.Second)
	// dan was added to the group after his page loaded: being rung by it listed it
	dan.waitJS("the group in dan's list", `!!document.querySelector('[data-testid=group-team]')`, 5*time.Second)
	dan.shot("history-after-group-call")
	for _, p := range []*person{ann, ben, cat} {
		p.waitJS("the history row's duration to agree with the end-of-call notice", `(() => {
			const n = document.querySelector('[data-testid=notice]').textContent.replace(/^(Call ended|You left the call) · /, ""); // ben and cat left it going on
			const r = `+row+`;
			return r && r.dataset.status === "ended" && r.querySelector('[data-testid=history-duration]').textContent === n; })()`, 10*time.Second)
	}
	for _, p := range people {
		p.noConsoleErrors()
	}
}

// voiceWAV writes 5 s of a 220 Hz tone at about -12 dBFS (48 kHz, 16-bit mono
// PCM, the format Chromium's fake capture reads; it loops the file) and
// returns its path.
func voiceWAV(t *testing.T) string {
	t.Helper()
	const rate, secs = 48000, 5
	samples := make([]byte, 2*rate*secs)
	for i := range rate * secs {
		v := int16(0.25 * math.MaxInt16 * math.Sin(2*math.Pi*220*float64(i)/rate))
		binary.LittleEndian.PutUint16(samples[2*i:], uint16(v))
	}
	var h []byte
	h = append(h, "RIFF"...)
	h = binary.LittleEndian.AppendUint32(h, uint32(36+len(samples)))
	h = append(h, "WAVEfmt "...)
	h = binary.LittleEndian.AppendUint32(h, 16)
	h = binary.LittleEndian.AppendUint16(h, 1) // PCM
	h = binary.LittleEndian.AppendUint16(h, 1) // mono
	h = binary.LittleEndian.AppendUint32(h, rate)
	h = binary.LittleEndian.AppendUint32(h, 2*rate)
	h = binary.LittleEndian.AppendUint16(h, 2)
	h = binary.LittleEndian.AppendUint16(h, 16)
	h = append(h, "data"...)
	h = binary.LittleEndian.AppendUint32(h, uint32(len(samples)))
	path := filepath.Join(t.TempDir(), "voice.wav")
	if err := os.WriteFile(path, append(h, samples...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
