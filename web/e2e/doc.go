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
// The tests run one at a time: a page flow beside another one starves the
// pages' decoders on a two-core machine (tried: in CI a third member of a
// group call, and speaking and reload flows, timed out).
//
// Chromium: /usr/lib/chromium/chromium (Debian's package; scripts/test
// installs it). Without it the tests skip, unless CI is set, where a missing
// browser is a failure. Screenshots of the key screens go to a temporary
// directory whose path is printed; so are the accept -> first remote frame
// times (a report, not an assertion).
package e2e
