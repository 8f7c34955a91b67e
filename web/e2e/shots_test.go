package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// screenSize is a screen a test emulates (mobile: a phone's touch screen).
type screenSize struct {
	name          string
	width, height int64
	mobile        bool
}

// shotSizes are the two screens every screenshot is taken at.
var shotSizes = []screenSize{
	{"1280x800", 1280, 800, false},
	{"390x844", 390, 844, true},
}

// shotBoth saves <person>-<label>-1280x800.png and -390x844.png in the
// test's screenshot directory and runs axe-core at each size (a11y_test.go),
// then puts the tab back as it was (a phone stays a phone). It returns the
// sizes axe-core ran at (none without a screenshot directory; a size whose
// screenshot failed is left out).
func (p *person) shotBoth(label string) (checked []string) {
	p.t.Helper()
	if p.b.shots == "" {
		return nil
	}
	// each step has its own deadline: a loaded machine makes a tab with live videos slow
	step := func() (context.Context, context.CancelFunc) { return context.WithTimeout(p.ctx, 30*time.Second) }
	ctx, cancel := step()
	wasPhone, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.innerWidth <= 480`))
	cancel()
	if err != nil {
		p.t.Logf("%s: screenshot %s: %v", p.name, label, err)
		return
	}
	for _, sz := range shotSizes {
		opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
		if sz.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		ctx, cancel := step()
		err := chromedp.Do(ctx, chromedp.EmulateViewport(sz.width, sz.height, opts...))
		var png []byte
		if err == nil {
			_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, chromedp.EvalAwaitPromise))
		}
		if err == nil {
			png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		}
		if err == nil {
			p.axe(label + " at " + sz.name) // every screen the tests show is checked
			checked = append(checked, sz.name)
		}
		cancel()
		if err != nil {
			p.t.Logf("%s: screenshot %s at %s: %v", p.name, label, sz.name, err)
			continue
		}
		file := filepath.Join(p.b.shots, strings.ToLower(p.name)+"-"+label+"-"+sz.name+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			p.t.Logf("screenshot %s: %v", file, err)
		}
	}
	restore := chromedp.EmulateReset()
	if wasPhone {
		restore = emulatePhone()
	}
	ctx, cancel = step()
	defer cancel()
	if err := chromedp.Do(ctx, restore); err != nil {
		p.t.Logf("%s: restore the viewport after screenshots: %v", p.name, err)
	}
	return checked
}
