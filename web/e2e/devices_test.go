package e2e

import (
	"strings"
	"testing"
	"time"
)

// failDevice makes the page's getUserMedia fail for one kind of device
// ("audio" or "video") with a DOMException name (NotFoundError: missing,
// NotAllowedError: refused), as a browser does.
func (p *person) failDevice(kind, errName string) {
	p.t.Helper()
	eval[bool](p, `(() => {
		const md = navigator.mediaDevices, orig = md.getUserMedia.bind(md);
		md.getUserMedia = (c) => c && c[`+jsq(kind)+`]
			? Promise.reject(new DOMException("denied by the test", `+jsq(errName)+`))
			: orig(c);
		return true; })()`)
}

// TestDevicesAndReconnect: a missing camera and a refused microphone are
// explained in plain words and the call goes on with what works; a dropped
// WebSocket reconnects by itself and calls ring again.
func TestDevicesAndReconnect(t *testing.T) {
	srv := startServer(t, 20*time.Second)
	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	alice.signIn(srv.url, "Alice")
	bob.signIn(srv.url, "Bob")
	alice.waitOnline("bob")

	t.Run("no camera, microphone refused", func(t *testing.T) {
		bob.failDevice("video", "NotFoundError")
		alice.failDevice("audio", "NotAllowedError")
		alice.click("call-video-bob")
		bob.waitScreen("incoming")
		// no camera must not move Accept either (the preview's place hidden under a
		// tap aimed at it: the click missed, once in CI)
		const acceptTop = `document.querySelector('[data-testid=incoming-accept]').getBoundingClientRect().top`
		acceptAt := eval[float64](bob, acceptTop)
		bob.waitJS("the prepared media", `window.switchboardApp.sb.prepared?.captured === true`, 10*time.Second)
		if now := eval[float64](bob, acceptTop); now != acceptAt {
			t.Errorf("Accept moved from y=%.0f to y=%.0f when the page found no camera: a tap aimed at it misses", acceptAt, now)
		}
		if !eval[bool](bob, `(() => { const v = document.querySelector('[data-testid=incoming-preview]'); return !v.hidden && v.getBoundingClientRect().height > 0; })()`) {
			t.Error("the camera preview gave up its place when the page found no camera: Accept moved up under the tap")
		}
		bob.click("incoming-accept")
		bob.waitScreen("call")
		alice.waitScreen("call")
		bob.waitJS("the camera warning", `document.querySelector('[data-testid=media-warning]').textContent.includes("No camera was found. You're in the call with audio only.")`, 10*time.Second)
		alice.waitJS("the microphone warning", `document.querySelector('[data-testid=media-warning]').textContent.includes("Access to your microphone was refused")`, 10*time.Second)
		if bob.visible("btn-camera") {
			t.Errorf("bob has no camera but is offered a camera button")
		}
		if alice.visible("btn-mute") {
			t.Errorf("alice's microphone was refused but she is offered a mute button")
		}
		bob.waitMedia(1, 0)   // alice's video, no audio from her
		alice.waitMedia(0, 1) // bob's voice, no video from him
		if got := eval[string](alice, `document.querySelector('[data-testid=tile-bob]').dataset.videoOff`); got != "true" {
			t.Errorf("alice's tile of bob (no camera) has data-video-off=%q, want true (an avatar, not a black video)", got)
		}
		bob.shot("no-camera")
		alice.shot("mic-refused")
		alice.click("btn-hangup")
		bob.waitScreen("home")
	})

	t.Run("reconnect", func(t *testing.T) {
		eval[bool](bob, `(window.switchboardApp.sb.conn.ws.close(), true)`)
		bob.waitJS("reconnected", `document.querySelector('[data-testid=conn-status]').dataset.state === "open" && window.switchboardApp.sb.conn.ws?.readyState === 1`, 15*time.Second)
		alice.click("call-audio-bob")
		bob.waitScreen("incoming")
		bob.click("incoming-reject")
		alice.waitNotice("Bob declined the call.", 10*time.Second)
	})

	t.Run("phone width", func(t *testing.T) {
		bob.do("phone viewport", emulatePhone())
		bob.waitScreen("home")
		w := eval[int](bob, `document.documentElement.scrollWidth`)
		if w > 390 {
			t.Errorf("at a phone's width (390 px) the page is %d px wide: it scrolls sideways", w)
		}
		bob.shot("phone-home")
		if !strings.Contains(bob.text("people"), "Alice") {
			t.Errorf("bob's people list at phone width does not show Alice")
		}
	})

	alice.noConsoleErrors()
	bob.noConsoleErrors()
}
