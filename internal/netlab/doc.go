// Package netlab builds small real networks on one machine for tests:
// Linux network namespaces joined by veth pairs through bridges, with
// addresses from 198.18.0.0/15 (the range set aside for network testing),
// bandwidth caps (tc tbf), link cuts, address moves (a Wi-Fi to LTE
// handover), and a userspace UDP relay that adds loss, delay and jitter
// (this kernel has no netem). It is imported by tests only (a depguard
// rule in .golangci.yml keeps it out of non-test code).
//
// # Use
//
//	lab := netlab.New(t)                 // skips when not root (fails when CI=1)
//	lan := lab.LAN()                     // a bridge: subnet 198.18.<k>.0/24
//	srv := lab.Namespace("srv")          // named sb-<pid>-<n>, removed at cleanup
//	cli := lab.Namespace("cli")
//	sp := lan.Plug(srv)                  // veth; sp.Addr is the server's address
//	cp := lan.Plug(cli)
//
//	// In-process: create sockets inside a namespace. A socket stays in the
//	// namespace it was created in, whichever thread uses it later.
//	var ln net.Listener
//	err := srv.Do(func() error { ln, err = net.Listen("tcp", sp.Addr.String()+":0"); return err })
//
//	// Pion: hand it a transport.Net that lists interfaces and opens
//	// sockets inside the namespace (SettingEngine.SetNet(cli.Net(t))),
//	// and an http.Client whose dials happen there (cli.HTTPClient()).
//
//	// Another process: ip netns exec <name> prog args...
//	cmd := cli.Command(ctx, "/usr/lib/chromium/chromium", flags...)
//
//	cp.Cut()       // the switch side goes down: packets vanish, sockets stay up
//	cp.Restore()
//	cp.CapDown(netlab.TBF{Rate: "300kbit"}) // tbf on the switch side (to the client)
//	cp.Uncap()
//	np := cp.Move() // new veth + new address on the same LAN, then the old one is deleted
//
//	// Loss, delay and jitter: a relay namespace on two LANs forwards one
//	// UDP port with impairments (a per-source NAT, so replies come back
//	// through it); announce relay.Addr() instead of the server's address.
//	relay := netlab.NewRelay(t, relayNS, listen, target, netlab.Impairment{Loss: 0.05, Jitter: 100 * time.Millisecond, Seed: 1})
//
// lab.CheckBindings(t) fails the test if a socket of any lab namespace, or
// a socket of this process in the host namespace, is bound outside
// 127.0.0.0/8 and 198.18.0.0/15 (a wildcard in the host namespace counts as
// outside). New calls it at cleanup.
//
// # In-process or helper process
//
// In-process Pion peers and the Go client run inside a namespace through
// Namespace.Do (runtime.LockOSThread + setns(2) on a fresh goroutine whose
// thread is restored, or discarded if restoring fails) and Namespace.Net (a
// transport.Net doing every listen, dial and interface listing through
// Do). That is cheap and keeps goroutine-leak checks and the race detector
// working. Browsers and other programs run as helper processes through
// Namespace.Command (ip netns exec). Chromium under chromedp: wrap its
// command with chromedp.ModifyCmdFunc (Path "ip", Args "ip netns exec
// <name> chromium ..."): chromedp's DevTools pipe passes through, and the
// page's http:// origin on a lab address needs
// --unsafely-treat-insecure-origin-as-secure and a host-resolver-rules
// EXCLUDE for 198.18.* (web/e2e/netns_test.go). Firefox: run node with
// playwright-core inside the namespace (web/e2e/firefox_test.go). Forward
// brings a TCP port from one namespace to another (a server's HTTP port to
// a relay's address; a DevTools port to the host's 127.0.0.1).
//
// # Cleanup
//
// Every namespace, bridge, veth, qdisc, relay and forwarder is removed by
// t.Cleanup, also when the test fails. Namespaces of processes that died
// without cleaning up (killed test binaries) are swept by New: a name
// sb-<pid>-<n> whose pid no longer runs is deleted.
//
// # Concurrency
//
// A Lab belongs to its test: build the network from the test goroutine.
// Namespace.Do, Net, Command, Relay and Forward are safe for concurrent
// use once built.
package netlab
