package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestTokenSignIn: an embedding app hands an auth token in the URL fragment
// (the page signs in and hides it from the address bar); a pasted token works;
// a bad one is refused in plain words; a user the app's backend disables is
// signed out with the reason.
func TestTokenSignIn(t *testing.T) {
	srv := startServer(t, 20*time.Second)
	b := newBrowser(t)
	mint := func(uid, name string) string {
		tok, err := srv.app.Tokens().MintAuth(uid, name, time.Hour)
		if err != nil {
			t.Fatalf("mint auth token: %v", err)
		}
		return tok
	}

	erin := b.person("Erin")
	erin.open(srv.url + "#token=" + mint("erin", "Erin"))
	erin.waitScreen("home")
	if got := erin.text("me-name"); got != "Erin" {
		t.Errorf("signed in from the URL fragment, the header shows %q, want Erin", got)
	}
	if loc := eval[string](erin, `location.href`); strings.Contains(loc, "token") {
		t.Errorf("the token stays in the address bar: %s", loc)
	}
	erin.noConsoleErrors()

	frank := b.person("Frank")
	frank.open(srv.url)
	frank.waitScreen("signin")
	frank.do("paste a token",
		chromedp.SetValue(tid("signin-token"), mint("frank", "Frank")),
		chromedp.Click(tid("signin-token-submit")),
	)
	frank.waitScreen("home")
	frank.waitOnline("erin")
	erin.waitOnline("frank")
	frank.noConsoleErrors()

	mallory := b.person("Mallory")
	mallory.open(srv.url)
	mallory.waitScreen("signin")
	mallory.do("paste a bad token",
		chromedp.SetValue(tid("signin-token"), "not-a-token"),
		chromedp.Click(tid("signin-token-submit")),
	)
	mallory.waitJS("the refusal", `(() => { const e = document.querySelector('[data-testid=signin-error]');
		return !e.hidden && e.textContent.includes("refused"); })()`, 15*time.Second)
	mallory.shot("bad-token")
	// (the browser logs the refused WebSocket and the 401 as errors: expected here)

	// The app's backend disables erin: her page is signed out and says why.
	admin, err := srv.app.Tokens().MintAdmin("ops", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("PATCH", srv.url+"/v1/admin/users/erin", strings.NewReader(`{"disabled":true}`))
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("disabling erin: HTTP %d", resp.StatusCode)
	}
	erin.waitScreen("signin")
	erin.waitJS("the reason", `(() => { const e = document.querySelector('[data-testid=signin-error]');
		return !e.hidden && e.textContent.includes("signed out") && e.textContent.includes("disabled"); })()`, 15*time.Second)
}
