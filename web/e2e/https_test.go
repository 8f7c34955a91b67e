package e2e

import (
	"net/url"
	"strings"
	"testing"
	"time"

	switchboard "github.com/switchboard-rtc/switchboard/server"

	"github.com/chromedp/chromedp"
)

// lanHost is a name Chromium maps to 127.0.0.1, so that a page loaded from
// it is, like a phone's page from a LAN address, a secure context only
// over https.
const lanHost = "sb.test"

// lanBrowser is a Chromium that resolves lanHost to 127.0.0.1 (and nothing
// else) and accepts the server's self-signed certificate.
func lanBrowser(t *testing.T) *browser {
	return newBrowser(t,
		chromedp.Flag("host-resolver-rules", "MAP "+lanHost+" 127.0.0.1 , MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.Flag("ignore-certificate-errors", true))
}

// onLANHost is srv's page URL with lanHost instead of 127.0.0.1.
func onLANHost(t *testing.T, srv *server) string {
	u, err := url.Parse(srv.url)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = lanHost + ":" + u.Port()
	return u.String()
}

// TestVideoCallOverHTTPS: with server.self_signed, two people on the
// https:// page from a non-local name (as a phone would be) get camera
// and microphone, and a video call carries media both ways.
func TestVideoCallOverHTTPS(t *testing.T) {
	srv := startServer(t, 20*time.Second, func(c *switchboard.Config) { c.Server.SelfSigned = true })
	page := onLANHost(t, srv)
	if !strings.HasPrefix(page, "https://"+lanHost+":") {
		t.Fatalf("page %s is not https", page)
	}
	b := lanBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	alice.signIn(page, "Alice")
	bob.signIn(page, "Bob")
	if !eval[bool](alice, `window.isSecureContext && !!navigator.mediaDevices`) {
		t.Fatal("the https page is not a secure context")
	}
	if alice.visible("insecure-warning") {
		t.Errorf("the https page warns it is insecure: %q", alice.text("insecure-warning"))
	}
	alice.waitOnline("bob")
	callAndAccept(alice, bob, "bob")
	alice.shot("in-call-https")
	alice.noConsoleErrors()
	bob.noConsoleErrors()
}

// TestInsecurePageExplains: on plain http:// from a non-local name the page
// says at once that calls are listen-only and which https:// address to
// open; the SDK's startSession refuses with insecure_context; a call
// accepted there is joined listen-only with the reason shown, and the
// caller's media still arrives.
func TestInsecurePageExplains(t *testing.T) {
	srv := startServer(t, 20*time.Second)
	page := onLANHost(t, srv)
	b := lanBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	alice.signIn(page, "Alice")
	bob.signIn(srv.url, "Bob") // on 127.0.0.1: a secure context even over http
	if eval[bool](alice, `window.isSecureContext`) {
		t.Fatal("http://" + lanHost + " is a secure context; the test proves nothing")
	}
	if !alice.visible("insecure-warning") {
		t.Fatal("the insecure page does not explain why calls are listen-only")
	}
	warn := alice.text("insecure-warning")
	for _, want := range []string{"listen-only", "https://" + lanHost + ":", "--self-signed"} {
		if !strings.Contains(warn, want) {
			t.Errorf("the warning %q does not say %q", warn, want)
		}
	}
	if bob.visible("insecure-warning") {
		t.Error("the page on 127.0.0.1 warns it is insecure")
	}
	got := eval[string](alice, `(async () => {
		try { await window.switchboardApp.sb.startSession("not-a-token", {}, null); return "joined"; }
		catch (e) { return e.code + " | " + e.message; } })()`)
	if !strings.HasPrefix(got, "insecure_context | ") || !strings.Contains(got, "https://") {
		t.Errorf("startSession on an insecure page = %q, want an insecure_context error saying to use https://", got)
	}
	alice.shot("insecure-home")

	bob.waitOnline("alice")
	bob.click("call-video-alice")
	alice.waitScreen("incoming")
	alice.click("incoming-accept")
	alice.waitScreen("call")
	bob.waitScreen("call")
	alice.waitMedia(1, 1)
	alice.waitJS("the listen-only warning", `document.querySelector('[data-testid=media-warning]').textContent.includes("listen-only")`, 10*time.Second)
	if alice.visible("btn-mute") {
		t.Error("a listen-only participant sees a mute button")
	}
	alice.shot("insecure-call")
	alice.noConsoleErrors()
}
