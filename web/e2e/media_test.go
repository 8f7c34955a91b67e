package e2e

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// flow is what getStats said while waiting for media.
type flow struct {
	OK     bool             `json:"ok"`
	Video  int              `json:"video"`  // inbound video streams whose framesDecoded grew
	Audio  int              `json:"audio"`  // inbound audio streams whose packetsReceived grew
	Frames map[string]int64 `json:"frames"` // ssrc -> framesDecoded at the end
	Shown  int              `json:"shown"`  // remote tiles whose <video> has a picture (videoWidth > 0)
}

// mediaFlowsJS waits in the page (up to timeoutMs) until at least wantV remote
// videos decode new frames, wantA remote audio streams receive new packets,
// and wantV remote tiles show a picture.
const mediaFlowsJS = `(async (wantV, wantA, timeoutMs) => {
  const snap = async () => {
    const out = { video: {}, audio: {} };
    const pc = window.switchboardApp?.sb?.session?.subscriber;
    if (!pc) return out;
    (await pc.getStats()).forEach((r) => {
      if (r.type !== "inbound-rtp") return;
      if (r.kind === "video") out.video[r.ssrc] = r.framesDecoded || 0;
      if (r.kind === "audio") out.audio[r.ssrc] = r.packetsReceived || 0;
    });
    return out;
  };
  const shown = () => [...document.querySelectorAll('.sb-tile[data-local="false"] video')].filter((v) => v.videoWidth > 0).length;
  const base = await snap();
  const deadline = Date.now() + timeoutMs;
  let last = base;
  const grew = (kind) => Object.keys(last[kind]).filter((k) => last[kind][k] > (base[kind][k] || 0)).length;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    last = await snap();
    if (grew("video") >= wantV && grew("audio") >= wantA && shown() >= wantV) break;
  }
  const ok = grew("video") >= wantV && grew("audio") >= wantA && shown() >= wantV;
  return { ok, video: grew("video"), audio: grew("audio"), frames: last.video, shown: shown() };
})`

// waitMedia waits until the person's page decodes new frames from `videos`
// remote videos (each shown in a tile) and receives new packets on `audios`
// remote audio streams.
func (p *person) waitMedia(videos, audios int) flow {
	p.t.Helper()
	f := eval[flow](p, fmt.Sprintf("%s(%d, %d, %d)", mediaFlowsJS, videos, audios, 15000))
	if !f.OK {
		p.t.Fatalf("%s: media is not flowing: want %d videos decoding and %d audio streams arriving, got %d videos (%d shown) and %d audio\n%s",
			p.name, videos, audios, f.Video, f.Shown, f.Audio, p.describe())
	}
	return f
}

// tiles lists the uids of the participant tiles the person sees (own first).
func (p *person) tiles() []string {
	p.t.Helper()
	return eval[[]string](p, `[...document.querySelectorAll('[data-testid=call-grid] .sb-tile')].map((t) => t.dataset.uid)`)
}

// tileNames lists the names shown on the tiles.
func (p *person) tileNames() string {
	p.t.Helper()
	return strings.Join(eval[[]string](p, `[...document.querySelectorAll('.sb-tile .sb-name')].map((n) => n.textContent)`), ", ")
}

// timings are the page's Date.now() marks: when the call was accepted (as
// this side knows it) and when each remote video showed its first frame.
type timings struct {
	Accepted   int64            `json:"accepted"`
	FirstFrame map[string]int64 `json:"firstFrame"`
	Marks      map[string]int64 `json:"marks"` // the SDK's session steps
}

func (p *person) timings() timings {
	p.t.Helper()
	return eval[timings](p, `window.switchboardApp.state.timings`)
}

// printFirstFrame prints (does not assert) accept -> first remote video frame
// on each side, from the moment the callee clicked Accept (callee nil: from
// each side's own accept, as in a group where people answer one by one).
func printFirstFrame(test string, callee *person, sides ...*person) {
	var acc int64
	if callee != nil {
		acc = callee.timings().Accepted
	}
	var parts, steps []string
	for _, p := range sides {
		tm := p.timings()
		from := acc
		if callee == nil {
			from = tm.Accepted
		}
		first := int64(0)
		for _, at := range tm.FirstFrame {
			if first == 0 || at < first {
				first = at
			}
		}
		if first == 0 || from == 0 {
			parts = append(parts, p.name+": n/a")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d ms", p.name, first-from))
		if os.Getenv("E2E_STEPS") != "" {
			steps = append(steps, p.name+": "+stepsOf(tm.Marks, from))
		}
	}
	fmt.Printf("e2e: %s: accept -> first remote video frame: %s (target <= 250 ms)\n", test, strings.Join(parts, ", "))
	for _, s := range steps {
		fmt.Printf("e2e:   steps (ms after accept) %s\n", s)
	}
}

// stepsOf lists the session's steps in time order, relative to t0.
func stepsOf(marks map[string]int64, t0 int64) string {
	type step struct {
		name string
		at   int64
	}
	var list []step
	for k, v := range marks {
		list = append(list, step{k, v - t0})
	}
	slices.SortFunc(list, func(a, b step) int { return int(a.at - b.at) })
	var out []string
	for _, s := range list {
		out = append(out, fmt.Sprintf("%s=%d", s.name, s.at))
	}
	return strings.Join(out, " ")
}
