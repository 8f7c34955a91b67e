package e2e

import (
	"net/netip"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/switchboard-rtc/switchboard/internal/netlab"
)

// TestChromiumWithoutAnAddressSaysSo: Chromium on a machine whose only
// network is loopback, run as people run it (loopback candidates off),
// gathers no ICE candidate at all, and its ICE never reaches "failed": the
// call would freeze with no word. The page says the device looks offline,
// once, as soon as the gathering ends empty, and the call goes on: hanging
// up ends it for both.
func TestChromiumWithoutAnAddressSaysSo(t *testing.T) {
	lab := netlab.New(t)
	alone := lab.Namespace("alone") // lo only: the server and the browser
	srv := startNetServer(t, alone, netip.MustParseAddr("127.0.0.1"))
	b := newNSBrowser(t, alone, srv.url, chromedp.Flag("allow-loopback-in-peer-connection", false))
	alice, bob := b.person("Alice"), b.person("Bob")
	alice.signIn(srv.url, "Alice")
	bob.signIn(srv.url, "Bob")
	alice.waitOnline("bob")
	ringAndAccept(alice, bob, "bob")
	const said = `(document.querySelector('[data-testid=media-warning]')?.textContent || "")`
	for _, p := range []*person{alice, bob} {
		p.waitJS("the warning that no address was found", said+`.includes("found no network address to connect from")`, 20*time.Second)
	}
	time.Sleep(time.Second) // the warning is said once, and the call stays
	for _, p := range []*person{alice, bob} {
		if n := eval[int](p, said+`.split("found no network address").length - 1`); n != 1 {
			t.Errorf("%s's page says it %d times, want once", p.name, n)
		}
		if got := eval[string](p, `document.body.dataset.screen`); got != "call" {
			t.Errorf("%s's page shows %q after the warning, want the call", p.name, got)
		}
	}
	bob.click("btn-hangup")
	alice.waitScreen("home")
	bob.waitScreen("home")
}
