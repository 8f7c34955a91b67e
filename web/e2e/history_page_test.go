package e2e

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/switchboard-rtc/switchboard/client"
	"github.com/switchboard-rtc/switchboard/internal/calltest"
)

// historySessions is the session id of each history row, top to bottom.
func (p *person) historySessions() []string {
	p.t.Helper()
	return eval[[]string](p, `[...document.querySelectorAll('[data-testid=history-row]')].map((r) => r.dataset.session)`)
}

// waitHistoryRows waits until the history shows n rows.
func (p *person) waitHistoryRows(n int) {
	p.t.Helper()
	p.waitJS("history rows", `document.querySelectorAll('[data-testid=history-row]').length === `+strconv.Itoa(n), 15*time.Second)
}

// callLog is uid's call log as the server gives it (newest first), by session id.
func callLog(t *testing.T, c *client.Client) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), calltest.Limit)
	defer cancel()
	page, err := c.ListCallPage(ctx, client.LogQuery{Limit: 100})
	if err != nil {
		t.Fatalf("listCallPage: %v", err)
	}
	ids := make([]string, len(page.Calls))
	for i, c := range page.Calls {
		ids[i] = c.SessionID
	}
	return ids
}

// cancelledCall is a call from caller to calleeUID that the caller cancels while it rings.
func cancelledCall(t *testing.T, caller *client.Client, calleeUID string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), calltest.Limit)
	defer cancel()
	call, err := caller.InitiateCall(ctx, client.CallRequest{ReceiverID: calleeUID, ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatalf("initiateCall: %v", err)
	}
	if _, err := caller.RejectCall(ctx, call.SessionID, client.StatusCancelled); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	return call.SessionID
}

// TestHistoryShowsOlderCalls: a person with more calls than the history's first page (20)
// sees "Show older calls" under it; pressing it adds the older calls below, newest first as
// the server's log has them, and goes once the log has no more. While it loads the button is
// disabled; a failed load says so beside it, keeps the rows and the button (focused) for a
// retry. A live reload (a call ending on another of your devices, a call rung and cancelled)
// keeps every row shown instead of going back to 20, and keeps the focus on the button. It
// fits a phone and passes axe-core.
func TestHistoryShowsOlderCalls(t *testing.T) {
	srv := startServer(t, 20*time.Second)
	bob := calltest.SignIn(t, srv.app, srv.app.URL(), "bob", client.DialOptions{})
	alicePhone := calltest.SignIn(t, srv.app, srv.app.URL(), "alice", client.DialOptions{}) // another device of alice's
	for range 25 {
		cancelledCall(t, bob, "alice")
	}
	seeded := callLog(t, alicePhone)
	if len(seeded) != 25 {
		t.Fatalf("alice's log has %d calls after 25 were placed, want 25", len(seeded))
	}

	b := newBrowser(t)
	alice := b.person("Alice")
	alice.signIn(srv.url, "Alice")
	alice.waitHistoryRows(20)
	alice.waitJS("Show older calls", `!document.querySelector('[data-testid=history-more]').closest('[hidden]')`, 10*time.Second)
	if got := alice.historySessions(); !slices.Equal(got, seeded[:20]) {
		t.Fatalf("the history shows %v, want the 20 newest calls %v", got, seeded[:20])
	}
	if got := eval[string](alice, `(() => { const b = document.querySelector('[data-testid=history-more]'); return b.tagName + "|" + b.textContent.trim(); })()`); got != "BUTTON|Show older calls" {
		t.Errorf("the history's more control is %q, want a BUTTON named Show older calls", got)
	}
	alice.axe("home with Show older calls")

	// the next page is held, then fails: disabled meanwhile, then a message, rows kept, retry possible
	eval[bool](alice, `(() => { const sb = window.switchboardApp.sb; const real = sb.listCallPage;
		sb.listCallPage = (q) => { if (!q || !q.after) return real.call(sb, q);
			sb.listCallPage = real;
			return new Promise((_, reject) => { window.failOlderCalls = () => reject(new Error("test: the call log is unreachable")); }); };
		return true; })()`)
	alice.press("history-more")
	alice.waitJS("the older page asked for", `typeof window.failOlderCalls === "function"`, 5*time.Second)
	if !eval[bool](alice, `document.querySelector('[data-testid=history-more]').disabled`) {
		t.Errorf("Show older calls is not disabled while the older calls load")
	}
	eval[bool](alice, `(window.failOlderCalls(), true)`)
	alice.waitJS("the failure said", `(() => { const e = document.querySelector('[data-testid=history-more-error]');
		return !e.hidden && e.textContent.length > 0; })()`, 5*time.Second)
	if got := alice.historySessions(); !slices.Equal(got, seeded[:20]) {
		t.Errorf("after a failed load the history shows %d rows %v, want the same 20", len(got), got)
	}
	if eval[bool](alice, `document.querySelector('[data-testid=history-more]').disabled`) || !alice.visible("history-more") {
		t.Errorf("after a failed load Show older calls is gone or disabled: no retry")
	}
	if got := alice.focused(); got != "history-more" {
		t.Errorf("after a failed load the focus is on %q, want history-more", got)
	}
	alice.do("phone viewport", emulatePhone())
	alice.waitJS("layout settled", `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, 5*time.Second)
	if over := eval[float64](alice, `(() => { const r = document.getElementById('history-older').getBoundingClientRect();
		return Math.max(document.documentElement.scrollWidth - innerWidth, r.right - innerWidth); })()`); over > 0 {
		t.Errorf("at 390x844 Show older calls and its message stick out by %.0f px", over)
	}
	alice.do("viewport reset", chromedp.EmulateReset())

	// a call on alice's other device ends: the page reloads its history, keeping the 20 shown
	// under the new one, and the button and its focus
	ctx, cancel := context.WithTimeout(context.Background(), calltest.Limit)
	defer cancel()
	other, err := alicePhone.InitiateCall(ctx, client.CallRequest{ReceiverID: "bob", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatalf("alice's phone calls bob: %v", err)
	}
	if _, err := bob.AcceptCall(ctx, other.SessionID); err != nil {
		t.Fatalf("bob accepts: %v", err)
	}
	if _, err := bob.EndCall(ctx, other.SessionID); err != nil {
		t.Fatalf("bob hangs up: %v", err)
	}
	alice.waitHistoryRows(21)
	want := append([]string{other.SessionID}, seeded[:20]...)
	if got := alice.historySessions(); !slices.Equal(got, want) {
		t.Errorf("after a call on her phone the history shows %v, want it on top of the 20 shown %v", got, want)
	}
	if got := alice.focused(); got != "history-more" {
		t.Errorf("after the history reloaded the focus is on %q, want history-more (where it was)", got)
	}

	// the retry: the 5 oldest calls added below, the button gone, the focus on the first added
	alice.do("Enter on history-more", chromedp.KeyEvent(kb.Enter))
	alice.waitHistoryRows(26)
	alice.waitJS("Show older calls gone", `!!document.querySelector('[data-testid=history-more]').closest('[hidden]')`, 5*time.Second)
	full := callLog(t, alicePhone)
	if got := alice.historySessions(); !slices.Equal(got, full) {
		t.Errorf("with the older calls the history shows %v, want the whole log, newest first %v", got, full)
	}
	if got := eval[string](alice, `document.activeElement?.dataset?.session ?? ""`); got != full[21] {
		t.Errorf("after the last older calls came in the focus is on %q, want the first of them (%s)", got, full[21])
	}

	// bob rings and cancels: the page's live reload keeps all 26 under the new call
	ctx2, cancel2 := context.WithTimeout(context.Background(), calltest.Limit)
	defer cancel2()
	call, err := bob.InitiateCall(ctx2, client.CallRequest{ReceiverID: "alice", ReceiverType: client.ReceiverUser, CallType: client.CallAudio})
	if err != nil {
		t.Fatalf("bob calls alice: %v", err)
	}
	alice.waitScreen("incoming")
	if _, err := bob.RejectCall(ctx2, call.SessionID, client.StatusCancelled); err != nil {
		t.Fatalf("bob cancels: %v", err)
	}
	alice.waitScreen("home")
	alice.waitHistoryRows(27)
	full = callLog(t, alicePhone)
	if got := alice.historySessions(); !slices.Equal(got, full) || full[0] != call.SessionID {
		t.Errorf("after bob's call the history shows %v, want every call, newest (%s) first: %v", got, call.SessionID, full)
	}
	if alice.visible("history-more") {
		t.Errorf("Show older calls is back after a reload, though the log has no more")
	}
	alice.noConsoleErrors()
}
