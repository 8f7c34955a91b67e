package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// selfTestResult is one row of window.selftest.results.
type selfTestResult struct {
	Name       string   `json:"name"`
	OK         *bool    `json:"ok"`
	Detail     string   `json:"detail"`
	Local      string   `json:"local"`
	Candidates []string `json:"candidates"`
}

// selfTestPage is window.selftest.
type selfTestPage struct {
	Results []selfTestResult `json:"results"`
	Summary string           `json:"summary"`
	Report  string           `json:"report"`
	Error   string           `json:"error"`
}

// TestSelfTestPage: /test tells, in plain words, which paths from the
// browser work: with ICE-TCP and the embedded TURN (UDP and TCP) on, every
// path works, the TURN rows went through a relay of that transport, and
// the report names each path; it is copyable.
func TestSelfTestPage(t *testing.T) {
	srv := startServer(t, time.Minute, func(c *switchboard.Config) {
		c.Media.TCPPort = -1 // ICE-TCP on a free port
		c.TURN.Enabled, c.TURN.Secret = true, "selftest-page-secret-0123"
		c.TURN.ListenUDP, c.TURN.ListenTCP = "127.0.0.1:0", "127.0.0.1:0"
		c.TURN.RelayPortMin, c.TURN.RelayPortMax = 0, 0
	})
	p := newBrowser(t).person("tester")
	if err := chromedp.Do(p.ctx, chromedp.Navigate(srv.url+"test/")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(p.ctx, chromedp.Poll[selfTestPage](`window.selftest`, chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil || got.Error != "" {
		t.Fatalf("page: %v %s", err, got.Error)
	}
	// the local side of the selected pair (Chrome's active TCP candidate shows as prflx)
	want := map[string]string{"UDP": "host udp", "TCP": "prflx tcp", "TURN over UDP": "relay udp via TURN over udp", "TURN over TCP": "relay udp via TURN over tcp"}
	for _, r := range got.Results {
		w, listed := want[r.Name]
		switch {
		case r.Name == "TURN over TLS":
			if r.OK != nil {
				t.Errorf("TLS row without a TLS listener: %+v", r)
			}
		case !listed:
			t.Errorf("unexpected row %+v", r)
		case r.OK == nil || !*r.OK || r.Local != w && (r.Name != "TCP" || r.Local != "host tcp"):
			t.Errorf("%s: %+v, want works through %q", r.Name, r, w)
		}
		delete(want, r.Name)
	}
	if len(want) > 0 {
		t.Errorf("rows missing: %v", want)
	}
	if !strings.Contains(got.Summary, "Calls will work from here") {
		t.Errorf("summary %q", got.Summary)
	}
	for _, line := range []string{"UDP: works", "TCP: works", "TURN over UDP: works", "TURN over TCP: works", "relay udp"} {
		if !strings.Contains(got.Report, line) {
			t.Errorf("report lacks %q:\n%s", line, got.Report)
		}
	}
	shown, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.getElementById("summary").textContent`))
	if err != nil || shown != got.Summary {
		t.Errorf("page shows %q (%v)", shown, err)
	}
}
