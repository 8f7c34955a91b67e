package e2e

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/switchboard-rtc/switchboard/internal/netlab"
	switchboard "github.com/switchboard-rtc/switchboard/server"
)

// Browsers and the server in network namespaces (internal/netlab): each
// browser is a Chromium process started with ip netns exec in its own
// namespace, driven over chromedp's pipe. The server runs in process, its
// sockets created inside its namespace.

// startNetServer starts switchboard inside ns: HTTP and media on addr,
// nothing else. edit may change the config further (e.g. a public IP).
func startNetServer(t *testing.T, ns *netlab.Namespace, addr netip.Addr, edit ...func(*switchboard.Config)) *server {
	t.Helper()
	cfg := switchboard.LocalConfig(filepath.Join(t.TempDir(), "switchboard.db"))
	cfg.Server.Listen = netip.AddrPortFrom(addr, 0).String()
	cfg.Media.BindAddress = addr.String()
	cfg.Media.IPs = []string{addr.String()}
	cfg.Media.IncludeLoopback = false
	cfg.Media.DisableMDNS = true
	cfg.Ringing.RingTimeout = 30 * time.Second
	cfg.Log = serverLog(t)
	// The production graces (15 s): a cut link must not end the call.
	for _, e := range edit {
		e(&cfg)
	}
	var app *switchboard.App
	err := ns.Do(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var err error
		app, err = switchboard.Start(ctx, cfg)
		return err
	})
	if err != nil {
		t.Fatalf("start switchboard in %s: %v", ns, err)
	}
	t.Cleanup(func() {
		if err := app.Close(); err != nil {
			t.Errorf("close switchboard: %v", err)
		}
	})
	return &server{t: t, app: app, url: app.URL() + "/"}
}

// newNSBrowser starts Chromium inside ns: newBrowser's flags and pipe, the
// command wrapped in ip netns exec (the pipe's descriptors pass through).
// The namespace has only a veth address, so no loopback candidates matter.
// origin (the page's http:// origin on a lab address) is treated as secure,
// so the page may use the (fake) camera without TLS.
func newNSBrowser(t *testing.T, ns *netlab.Namespace, origin string, more ...chromedp.ExecAllocatorOption) *browser {
	t.Helper()
	ipPath, err := exec.LookPath("ip")
	if err != nil {
		t.Fatalf("ip not found: %v", err)
	}
	return newBrowser(t, append([]chromedp.ExecAllocatorOption{
		chromedp.Flag("unsafely-treat-insecure-origin-as-secure", strings.TrimSuffix(origin, "/")),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE 198.18.* , EXCLUDE 198.19.*"),
		chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
			cmd.Args = append([]string{"ip", "netns", "exec", ns.Name, cmd.Path}, cmd.Args[1:]...)
			cmd.Path = ipPath
		})}, more...)...)
}

// evalLong is eval with a longer limit (measurements that run in the page).
func evalLong[T any](p *person, expr string, limit time.Duration) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, limit)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("%s: eval: %v", p.name, err)
	}
	return v
}

// videoCall rings callee from caller on the bundled page and answers;
// both see the other's video.
func videoCall(t *testing.T, url string, caller, callee *person, calleeUID string) {
	t.Helper()
	caller.signIn(url, caller.name)
	callee.signIn(url, callee.name)
	caller.waitOnline(calleeUID)
	callAndAccept(caller, callee, calleeUID)
}

// aliceAndBobOnLAN starts switchboard in a namespace of its own and a
// Chromium for Alice and for Bob, each in its own, all on one switch; it
// returns Alice's port, which a test cuts or moves.
func aliceAndBobOnLAN(t *testing.T) (srv *server, alicePort *netlab.Port, alice, bob *person) {
	t.Helper()
	lab := netlab.New(t)
	lan := lab.LAN()
	srvNS, aliceNS, bobNS := lab.Namespace("srv"), lab.Namespace("alice"), lab.Namespace("bob")
	sp := lan.Plug(srvNS)
	alicePort = lan.Plug(aliceNS)
	lan.Plug(bobNS)
	srv = startNetServer(t, srvNS, sp.Addr)
	alice = newNSBrowser(t, aliceNS, srv.url).person("Alice")
	bob = newNSBrowser(t, bobNS, srv.url).person("Bob")
	return srv, alicePort, alice, bob
}

func load() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return strings.TrimSpace(fmt.Sprint(string(b)))
}
