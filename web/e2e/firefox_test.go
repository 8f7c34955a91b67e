package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/switchboard-rtc/switchboard/internal/netlab"
)

// firefoxStep is one line printed by testdata/firefox_call.js.
type firefoxStep struct {
	Step    string `json:"step"`
	Error   string `json:"error"`
	Firefox string `json:"firefox"`
	Frames  int    `json:"frames"`
	Audio   int    `json:"audio"`
	History string `json:"history"`
}

// firefoxOrSkip returns the playwright-core directory, skipping the test
// when Firefox ESR, node or playwright-core 1.56.1 is missing (failing when
// CI is set: scripts/test installs them).
func firefoxOrSkip(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SWITCHBOARD_PLAYWRIGHT_DIR")
	missing := ""
	switch {
	case dir == "":
		missing = "SWITCHBOARD_PLAYWRIGHT_DIR (playwright-core 1.56.1, scripts/test installs it)"
	case fileMissing(filepath.Join(dir, "node_modules", "playwright-core")):
		missing = "playwright-core in " + dir
	case fileMissing("/usr/bin/firefox-esr"):
		missing = "firefox-esr (apt-get install -y firefox-esr)"
	}
	if _, err := exec.LookPath("node"); err != nil && missing == "" {
		missing = "node"
	}
	if missing != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and %s is missing", missing)
		}
		t.Skipf("Firefox test needs %s", missing)
	}
	return dir
}

func fileMissing(p string) bool {
	_, err := os.Stat(p)
	return err != nil
}

// TestFirefoxCallsChromium: Firefox ESR (Debian's, driven by
// playwright-core's BiDi Firefox) in its own namespace calls Chromium in
// another, through the bundled page: it rings, Chromium accepts, video and
// audio flow both ways, Chromium hangs up and both are back home with an
// ended call in their history. Firefox gathers no loopback candidates,
// which is why it needs the namespaces.
func TestFirefoxCallsChromium(t *testing.T) {
	pwDir := firefoxOrSkip(t)
	lab := netlab.New(t)
	lan := lab.LAN()
	srvNS, ffNS, chNS := lab.Namespace("srv"), lab.Namespace("firefox"), lab.Namespace("chromium")
	sp := lan.Plug(srvNS)
	lan.Plug(ffNS)
	lan.Plug(chNS)
	srv := startNetServer(t, srvNS, sp.Addr)
	bob := newNSBrowser(t, chNS, srv.url).person("Bob")
	bob.signIn(srv.url, "Bob")

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	script, err := filepath.Abs("testdata/firefox_call.js")
	if err != nil {
		t.Fatal(err)
	}
	cmd := ffNS.Command(ctx, "node", script, srv.url, "bob")
	cmd.Env = append(os.Environ(), "SWITCHBOARD_PLAYWRIGHT_DIR="+pwDir, "HOME="+t.TempDir())
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	steps := make(chan firefoxStep, 16)
	go func() {
		defer close(steps)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var s firefoxStep
			if json.Unmarshal(sc.Bytes(), &s) == nil {
				steps <- s
			}
		}
	}()
	next := func(want string) firefoxStep {
		t.Helper()
		for s := range steps {
			if s.Error != "" {
				t.Fatalf("Firefox: %s", s.Error)
			}
			if s.Step == want {
				return s
			}
		}
		t.Fatalf("Firefox ended before %q", want)
		return firefoxStep{}
	}
	t.Logf("Firefox %s signed in", next("signedIn").Firefox)
	next("ringing")
	bob.waitScreen("incoming")
	if got := bob.text("incoming-caller"); got != "Alice" {
		t.Errorf("Chromium's incoming screen names %q, want Alice", got)
	}
	bob.click("incoming-accept")
	bob.waitScreen("call")
	f := bob.waitMedia(1, 1)
	m := next("media")
	t.Logf("Chromium decodes Firefox's video (%v frames so far); Firefox decoded %d new frames and %d audio packets of Chromium's", f.Frames, m.Frames, m.Audio)
	if m.Frames < 10 || m.Audio < 10 {
		t.Fatalf("Firefox receives %d frames, %d audio packets from Chromium", m.Frames, m.Audio)
	}
	bob.click("btn-hangup")
	bob.waitScreen("home")
	if h := next("home").History; h != "ended" {
		t.Errorf("Firefox's history shows %q, want ended", h)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("Firefox driver: %v", err)
	}
	if row := bob.waitHistory("ended"); row.Direction != "incoming" {
		t.Errorf("Chromium's history: %+v", row)
	}
}
