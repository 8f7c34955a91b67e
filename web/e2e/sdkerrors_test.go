package e2e

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// cutProxy is a TCP proxy in front of a switchboard. cut drops every
// connection at once and refuses new ones: the page's sockets end with no
// close frame, as when the server process dies (kill -9); forward names the
// server to carry on with (one restarted on the same keys and database).
type cutProxy struct {
	ln net.Listener
	wg sync.WaitGroup

	mu      sync.Mutex
	backend string // host:port; "": refuse
	conns   map[net.Conn]bool
}

func startCutProxy(t *testing.T) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() {
		_ = ln.Close()
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *cutProxy) url() string { return "http://" + p.ln.Addr().String() }

// forward sends new connections to the server at base (its URL).
func (p *cutProxy) forward(base string) {
	u, err := url.Parse(base)
	if err != nil {
		panic(err)
	}
	p.mu.Lock()
	p.backend = u.Host
	p.mu.Unlock()
}

// cut closes every connection and refuses new ones until forward.
func (p *cutProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.backend = ""
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

func (p *cutProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.relay(c)
	}
}

// track adds conns to the set cut closes; false (and closed) when the proxy refuses.
func (p *cutProxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.backend == "" {
		for _, c := range conns {
			_ = c.Close()
		}
		return false
	}
	for _, c := range conns {
		p.conns[c] = true
	}
	return true
}

func (p *cutProxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		delete(p.conns, c)
		_ = c.Close()
	}
}

func (p *cutProxy) relay(down net.Conn) {
	defer p.wg.Done()
	p.mu.Lock()
	backend := p.backend
	p.mu.Unlock()
	if !p.track(down) {
		return
	}
	up, err := net.Dial("tcp", backend)
	if err != nil {
		p.untrack(down)
		return
	}
	if !p.track(up) {
		p.untrack(down)
		return
	}
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(up, down)
		p.untrack(down, up)
		close(done)
	}()
	_, _ = io.Copy(down, up)
	p.untrack(down, up)
	<-done
}

// sdkPage is the harness each person's blank page gets: the SDK imported
// from switchboard (through the proxy), a Switchboard on window.sb, and what
// the page saw: window.seen.events (the app's listeners' log), .errors
// (uncaught errors, as a listener's reported exception) and .unhandled
// (unhandled promise rejections). Both are taken from the console (the
// test expects them).
const sdkPage = `(async () => {
	const SDK = await import(%[1]s + "/sdk/switchboard.js");
	window.SDK = SDK;
	const seen = (window.seen = { events: [], errors: [], unhandled: [] });
	addEventListener("error", (e) => { seen.errors.push(String((e.error && e.error.message) || e.message)); e.preventDefault(); });
	addEventListener("unhandledrejection", (e) => { const r = e.reason || {}; seen.unhandled.push(String(r.code || r.message || r)); e.preventDefault(); });
	window.log = (name, data) => seen.events.push({ name, data: data === undefined ? "" : String(data) });
	window.logged = (name) => seen.events.filter((e) => e.name === name).map((e) => e.data);
	window.sb = new SDK.Switchboard({ baseUrl: %[1]s });
	const stage = document.createElement("div");
	stage.id = "stage";
	stage.style.cssText = "width: 640px; height: 360px";
	document.body.append(stage);
	window.sessionLog = (extra = {}) => ({
		onCallEnded: (i) => log("onCallEnded", i.reason),
		onError: (e) => log("onError", e.code + ": " + e.message),
		...extra,
	});
	return true;
})()`

// TestSDKListenerAndErrorRules: the JS SDK as an app embedding it from
// another origin meets it.
//   - A request before login() rejects with not_signed_in, not unauthorized.
//   - startSession with a refused call token rejects with unauthorized (no
//     unhandled rejection), also when the 401 comes before the camera is open.
//   - A listener that throws (connection, call, user, and a session's
//     onJoined and onUserListUpdated) keeps neither the listeners after it
//     nor the session from going on; the page sees the exception as uncaught.
//   - initiateCall's timeout below a second rings 1 s (not the default 45).
//   - A server that crashed and restarted answers a resume 404: the session
//     ends at once with the server's error, not after 20 s of retries.
func TestSDKListenerAndErrorRules(t *testing.T) {
	app := startAppOrigin(t)
	proxy := startCutProxy(t)
	db := filepath.Join(t.TempDir(), "switchboard.db")
	var keys map[string]string
	sameServer := func(c *switchboard.Config) { // a restart: the same keys, database and origins
		if keys == nil {
			keys = c.Keys
		}
		c.Keys = keys
		c.Store.Path = db
		c.Server.AllowedOrigins = []string{app.url}
	}
	srv := startServer(t, 20*time.Second, sameServer)
	proxy.forward(srv.url)
	base := proxy.url()

	b := newBrowser(t)
	alice, bob := b.person("Alice"), b.person("Bob")
	for _, p := range []*person{alice, bob} {
		p.open(app.url + "/blank.html")
		eval[bool](p, fmt.Sprintf(sdkPage, jsq(base)))
	}
	tokenOf := func(p *person) string {
		tok, err := srv.app.Tokens().MintAuth(strings.ToLower(p.name), p.name, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	// Before login(): a distinct code (an app would otherwise fetch a new token for nothing).
	if got := eval[string](alice, `sb.listCalls().then(() => "resolved", (e) => e.code)`); got != "not_signed_in" {
		t.Errorf("listCalls before login(): %q, want code not_signed_in", got)
	}

	// A refused call token, the 401 arriving while the camera still opens (media ready 1.5 s later).
	type refusal struct {
		Outcome   string   `json:"outcome"`
		Events    []string `json:"events"`
		Unhandled []string `json:"unhandled"`
	}
	got := eval[refusal](alice, `(async () => {
		const other = new SDK.Switchboard({ baseUrl: sb.baseUrl });
		const media = new Promise((r) => setTimeout(() => r({ stream: new MediaStream(), problems: [] }), 1500));
		const outcome = await other.startSession("garbage", { media, listener: sessionLog() }, null)
			.then((s) => "resolved (session ended: " + s.ended + ")", (e) => "rejected " + e.code);
		await new Promise((r) => setTimeout(r, 300)); // an unhandled rejection is reported by then
		return { outcome, events: seen.events.map((e) => e.name + " " + e.data), unhandled: seen.unhandled };
	})()`)
	if got.Outcome != "rejected unauthorized" || len(got.Unhandled) > 0 {
		t.Errorf("startSession with a refused call token: %s, unhandled rejections %q (listener: %q); want rejected unauthorized, none",
			got.Outcome, got.Unhandled, got.Events)
	}
	eval[bool](alice, `(seen.events = [], true)`)

	// Bob's app has a buggy listener of each kind, registered before a good one.
	eval[bool](bob, `(() => {
		const boom = (what) => () => { throw new Error("app bug in " + what); };
		sb.addConnectionListener("buggy", { onConnected: boom("onConnected") });
		sb.addConnectionListener("good", { onConnected: () => log("onConnected") });
		sb.addCallListener("buggy", { onIncomingCallReceived: boom("onIncomingCallReceived") });
		sb.addCallListener("good", {
			onIncomingCallReceived: (c) => { window.incoming = c; log("onIncomingCallReceived", c.sessionId); },
			onIncomingCallCancelled: (c) => log("onIncomingCallCancelled", c.reason),
		});
		sb.addUserListener("buggy", { onUserBusy: boom("onUserBusy") });
		sb.addUserListener("good", { onUserBusy: (u) => log("onUserBusy", u.uid + " " + u.status) });
		return true;
	})()`)
	eval[bool](bob, `sb.login(`+jsq(tokenOf(bob))+`).then(() => sb.listUsers()).then(() => true)`)
	eval[bool](alice, `sb.login(`+jsq(tokenOf(alice))+`).then(() => {
		sb.addCallListener("good", { onOutgoingCallAccepted: (c) => (window.accepted = c), onOutgoingCallRejected: (c) => log("onOutgoingCallRejected", c.status) });
		return true; })`)

	// A ring timeout under a second: 1 s, not the server's default (45 s).
	if got := eval[float64](alice, `sb.initiateCall("bob", "user", "video", { timeout: 0.4 }).then((c) => c.timeout)`); got != 1 {
		t.Errorf("initiateCall with timeout 0.4: the server rings for %v s, want 1", got)
	}
	bob.waitJS("the good listeners after the buggy ones", `["onConnected", "onIncomingCallReceived", "onUserBusy"].every((n) => logged(n).length > 0)`, 5*time.Second)
	alice.waitJS("the 1 s ring timing out", `logged("onOutgoingCallRejected").includes("unanswered")`, 5*time.Second)
	if got := eval[[]string](bob, `seen.errors`); len(got) != 3 {
		t.Errorf("bob's page saw these uncaught errors: %q; want the 3 his buggy listeners threw", got)
	}

	// A call whose callee's onJoined and onUserListUpdated throw: it joins and publishes all the same.
	eval[bool](alice, `sb.initiateCall("bob", "user", "video").then(() => true)`)
	bob.waitJS("the second call ringing", `logged("onIncomingCallReceived").length === 2`, 10*time.Second)
	eval[bool](bob, `sb.acceptCall(window.incoming.sessionId).then((c) => (window.accepted = c, true))`)
	alice.waitJS("accepted", `!!window.accepted`, 10*time.Second)
	eval[bool](alice, `(sb.startSession(window.accepted.callToken, { listener: sessionLog() }, stage)
		.then(() => log("joined"), (e) => log("startSession failed", e.code)), true)`)
	started := eval[string](bob, `(() => {
		const boom = (what) => () => { throw new Error("app bug in " + what); };
		const listener = sessionLog({ onJoined: boom("onJoined"), onUserListUpdated: boom("onUserListUpdated") });
		return Promise.race([
			sb.startSession(window.accepted.callToken, { listener }, stage).then(() => "resolved", (e) => "rejected " + e.code),
			new Promise((r) => setTimeout(() => r("still pending after 10 s"), 10000)),
		]);
	})()`)
	if started != "resolved" {
		t.Fatalf("bob's startSession with a throwing onJoined and onUserListUpdated: %s", started)
	}
	remoteVideo := `[...document.querySelectorAll('.sb-tile[data-local="false"] video')].some((v) => v.videoWidth > 0)`
	alice.waitJS("bob's video", remoteVideo, 15*time.Second)
	bob.waitJS("alice's video", remoteVideo, 15*time.Second)
	if got := eval[[]string](bob, `seen.errors.filter((m) => /onJoined|onUserListUpdated/.test(m))`); len(got) < 2 {
		t.Errorf("bob's page saw %q; want the exceptions of onJoined and onUserListUpdated reported", got)
	}

	// The server dies mid-call (its sockets cut with no close frame) and comes back on the same
	// keys and database: it no longer knows the media session and answers the resume 404.
	proxy.cut()
	if err := srv.app.Close(); err != nil {
		t.Errorf("close the first server: %v", err)
	}
	srv2 := startServer(t, 20*time.Second, sameServer)
	proxy.forward(srv2.url)
	back := time.Now()
	for _, p := range []*person{alice, bob} {
		p.waitJS("the session ended after the restart", `logged("onCallEnded").length > 0`, 10*time.Second)
		t.Logf("%s: the session ended %v after the restarted server answered", p.name, time.Since(back).Round(100*time.Millisecond))
		ended := eval[[]string](p, `logged("onCallEnded")`)
		errs := eval[[]string](p, `logged("onError")`)
		if len(ended) != 1 || ended[0] != "not_found" || len(errs) != 1 || !strings.HasPrefix(errs[0], "not_found: ") {
			t.Errorf("%s after the server restarted: onCallEnded %q, onError %q; want reason not_found and the server's not_found error", p.name, ended, errs)
		}
		if n := eval[int](p, `document.querySelectorAll(".sb-tile").length`); n != 0 {
			t.Errorf("%s: %d tiles left after the session ended", p.name, n)
		}
		if got := eval[[]string](p, `seen.unhandled`); len(got) > 0 {
			t.Errorf("%s: unhandled rejections %q", p.name, got)
		}
	}
}
