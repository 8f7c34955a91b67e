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
// once, 5 s into the gathering, and stays in the call. When the server
// ends it (no media: 5 s, then the 15 s grace), each page says it was
// this side that was disconnected, not that the other lost their
// connection.
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
	for _, p := range []*person{alice, bob} {
		p.waitJS("the call's end", `document.body.dataset.screen === "home"`, 30*time.Second)
		if got := p.text("notice"); got != "You were disconnected from the call." {
			t.Errorf("%s's page ends the call with %q, want that this side was disconnected", p.name, got)
		}
	}
}
