// Package e2e drives the bundled web page in a real headless Chromium
// against a whole switchboard started in process (server.Start): people sign
// in, call, answer, reject, talk and hang up as a person would, and the
// tests check what each person sees and that media really flows
// (getStats: video frames decoded and audio packets received growing).
//
// Concurrency: each test owns one server and one Chromium process; each
// person is an isolated browser context (its own storage) with one tab,
// driven from the test goroutine. A goroutine per tab collects console
// errors until the tab closes.
//
// Which tests run at once: the page flows of one or two calls (t.Parallel)
// run two at a time (go test's -parallel, GOMAXPROCS by default): they wait
// on the pages far more than they use the CPU. Before them, alone: every
// test that measures time or media quality or builds network namespaces
// (loss, network changes, recovery, TURN relay, LAN, native stacks, Firefox,
// the first frame) and the tests with group video calls of three or four
// (the group tests, accessibility), whose figures and decoders must not
// share the CPU.
//
// Chromium: /usr/lib/chromium/chromium (Debian's package; scripts/test
// installs it). Without it the tests skip, unless CI is set, where a missing
// browser is a failure. Screenshots of the key screens go to a temporary
// directory whose path is printed; so are the accept -> first remote frame
// times (a report, not an assertion).
package e2e
