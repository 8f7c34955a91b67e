// Package bench is the load tool behind `switchboard bench`: scenarios that
// drive a switchboard server through its public protocol (the client
// package), the physical floor of one forwarded packet on this machine, and a
// plain-Pion forwarder as a baseline, with the figures written as a table,
// JSON and PNG plots.
//
// Media is realistic: a VP8 test pattern (~1.5 Mbit/s, 30 fps, a keyframe
// every 2 s) and an Opus stream, encoded once with ffmpeg and embedded from
// testdata (see testdata/README.md). A Source replays them as RTP at real-time
// pace and writes its send time into every packet (a one-byte RTP header
// extension, so the packet stays a valid VP8/Opus packet); a Sink reads the
// time back for latency and the sequence numbers for the delivery ratio.
//
// Servers under test run in child processes, as users run them, so their CPU
// time and RSS are read from /proc/PID without counting the load side.
//
// Concurrency: each Source runs in the goroutine that calls Run; each Sink is
// fed by one track's read goroutine and read by the scenario only after that
// goroutine has stopped (or through its atomic counters while it runs).
// Scenarios own every goroutine they start and stop them before returning.
package bench
