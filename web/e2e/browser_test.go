package e2e

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's Chromium binary (/usr/bin/chromium is a wrapper
// script that prints a harmless error).
const chromiumPath = "/usr/lib/chromium/chromium"

// browser is one Chromium process for one test.
type browser struct {
	t      *testing.T
	ctx    context.Context // the browser's root context (first tab)
	cancel context.CancelFunc
	shots  string // screenshot directory
}

// newBrowser starts Chromium with the flags of /work/shared/TESTING.md and a
// fresh profile, then extra (which may replace a flag). It skips the test
// when Chromium is missing, unless CI is set.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("Chromium is not installed at %s (apt-get install -y chromium); skipping browser tests", chromiumPath)
		}
		t.Fatalf("CI is set and Chromium is missing at %s: scripts/test installs it (apt-get install -y chromium)", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("allow-loopback-in-peer-connection", true),
		// chromedp's defaults set disable-features too: one flag, merged.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,WebRtcHideLocalIpsWithMdns"),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	opts = append(opts, extra...)
	opts = append(opts, diagnosticFlags(t)...)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		allocCancel()
		t.Fatalf("start Chromium: %v", err)
	}
	b := &browser{t: t, ctx: ctx, shots: screenshotDir(t)}
	b.cancel = func() {
		cancel()
		allocCancel()
	}
	t.Cleanup(b.cancel)
	return b
}

// diagnosticFlags are Chromium flags asked for in the environment, to look
// inside the browser when a figure needs explaining (no test sets them):
// E2E_CHROME_FLAGS="name=value name ..." adds (or replaces) flags, and
// E2E_CHROME_LOG=file writes Chromium's log to file, with E2E_CHROME_VMODULE
// as its --vmodule (e.g. "*video_stream_encoder*=2" for libwebrtc's encoder
// steps; docs/benchmarks.md uses it).
func diagnosticFlags(t *testing.T) []chromedp.ExecAllocatorOption {
	var opts []chromedp.ExecAllocatorOption
	for _, kv := range strings.Fields(os.Getenv("E2E_CHROME_FLAGS")) {
		if k, v, ok := strings.Cut(kv, "="); ok {
			opts = append(opts, chromedp.Flag(k, v))
		} else {
			opts = append(opts, chromedp.Flag(k, true))
		}
	}
	if name := os.Getenv("E2E_CHROME_LOG"); name != "" {
		f, err := os.Create(name)
		if err != nil {
			t.Fatalf("E2E_CHROME_LOG: %v", err)
		}
		t.Cleanup(func() { _ = f.Close() }) // after the browser's own cleanup
		opts = append(opts, chromedp.Flag("enable-logging", "stderr"), chromedp.Flag("v", "0"),
			chromedp.Flag("vmodule", os.Getenv("E2E_CHROME_VMODULE")), chromedp.CombinedOutput(f))
	}
	return opts
}

var (
	shotsOnce sync.Once
	shotsRoot string
)

// screenshotDir is one directory per test run (printed once), one subdirectory per test;
// with go test -artifacts, the test's artifact directory under -outputdir.
func screenshotDir(t *testing.T) string {
	if f := flag.Lookup("test.artifacts"); f != nil && f.Value.String() == "true" {
		dir := t.ArtifactDir()
		t.Logf("screenshots in %s", dir)
		return dir
	}
	shotsOnce.Do(func() {
		dir, err := os.MkdirTemp("", "switchboard-e2e-shots-")
		if err == nil {
			shotsRoot = dir
			fmt.Printf("e2e: screenshots in %s\n", dir)
		}
	})
	if shotsRoot == "" {
		return ""
	}
	dir := filepath.Join(shotsRoot, strings.ReplaceAll(t.Name(), "/", "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	return dir
}

// person is one isolated browser context (own cookies and storage) with one
// tab: one person at one device.
type person struct {
	t    *testing.T
	b    *browser
	name string
	ctx  context.Context

	mu      sync.Mutex
	console []string // errors and exceptions seen in the tab
}

// person opens a new isolated tab for name (the label in failures and screenshots).
func (b *browser) person(name string) *person {
	b.t.Helper()
	frames := newFrameWatch(b.t, name) // every frame of the tab's sockets is checked against the schema
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(frames.listen))
	b.t.Cleanup(cancel)
	b.t.Cleanup(frames.stop) // runs before cancel: frames of the test are checked, the tab's teardown is not
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("%s: open tab: %v", name, err)
	}
	if err := frames.enable(ctx); err != nil {
		b.t.Fatalf("%s: enable network events: %v", name, err)
	}
	p := &person{t: b.t, b: b, name: name, ctx: ctx}
	go p.collectConsole()
	b.t.Cleanup(func() { // before the frames' stop and the tab's cancel
		if b.t.Failed() {
			b.t.Logf("%s's page at the end:\n%s", name, p.describe())
		}
	})
	return p
}

func (p *person) collectConsole() {
	for msg, err := range chromedp.Console(p.ctx) {
		if err != nil {
			return
		}
		if msg.Type != chromedp.ConsoleError && msg.Type != chromedp.ConsoleException {
			continue
		}
		p.mu.Lock()
		p.console = append(p.console, string(msg.Type)+": "+msg.Text)
		p.mu.Unlock()
	}
}

// noConsoleErrors fails the test if the page logged an error or threw.
func (p *person) noConsoleErrors() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.console) > 0 {
		p.t.Errorf("%s: the page logged errors:\n  %s", p.name, strings.Join(p.console, "\n  "))
	}
}

// do runs actions in the tab, failing the test with the page's state on error.
func (p *person) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("%s: %s: %v\n%s", p.name, what, err, p.describe())
	}
}

// eval evaluates a JavaScript expression (promises awaited) into T.
func eval[T any](p *person, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("%s: eval %s: %v\n%s", p.name, expr, err, p.describe())
	}
	return v
}

// waitJS waits until a JavaScript expression is truthy.
func (p *person) waitJS(what, expr string, timeout time.Duration) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingInterval(40*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		p.t.Fatalf("%s: waiting for %s: %v\n%s", p.name, what, err, p.describe())
	}
}

// describe tells what the page shows, for failure messages.
func (p *person) describe() string {
	ctx, cancel := context.WithTimeout(p.ctx, 3*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({
		screen: document.body.dataset.screen,
		notice: document.querySelector('[data-testid=notice]')?.textContent,
		warnings: document.querySelector('[data-testid=media-warning]')?.textContent,
		conn: document.querySelector('[data-testid=conn-status]')?.textContent,
		tiles: [...document.querySelectorAll('.sb-tile')].map(t => t.dataset.uid),
	})`))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return "  (page did not answer)"
		}
		return "  (page state unavailable: " + err.Error() + ")"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return "  page: " + s + "\n  console: " + strings.Join(p.console, " | ")
}

// shot saves screenshots of what the person sees, at a desktop's size and at
// a phone's (see shots_test.go).
func (p *person) shot(label string) { p.shotBoth(label) }
