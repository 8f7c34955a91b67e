// Package signaling is switchboard's ringing side: the call state machine
// (initiate, accept, reject, busy, cancel, timeout, end; 1:1 and group),
// the /v1/ws hub that serves it to clients, presence, and the call log.
//
// # Structure
//
//   - machine (machine.go, transitions.go) is pure logic: the calls, who is
//     in which call, and the transitions. Every transition is given the time
//     and appends the effects to perform (events to deliver, snapshots to
//     persist, timers to arm or stop, media to tear down). Tests drive it
//     directly.
//   - Hub runs the machine on ONE goroutine, the hub loop. Connections,
//     timers and the media side send it functions to run (run waits for the
//     result, post does not block). The loop performs effects without
//     waiting on I/O: events are queued on each connection's bounded writer
//     (protocol.Conn), snapshots on the call writer.
//   - delivery (registry.go) carries events to a user's devices. The local
//     registry knows this process's connections; a bus can replace it when
//     several nodes share the load, since nothing else assumes every device
//     of a user is here.
//   - callWriter (writer.go) saves call snapshots in order on its own
//     goroutine, one transaction per batch (Store.SaveCalls), only the last
//     snapshot of a call queued several times. A batch of plain snapshots
//     lingers up to 50 ms; a commit marker (the reply to accept, reject or
//     end waits on one: group commit) or a flush writes at once. CallLog
//     and Close flush it first, so a log read after a call ended always
//     shows that call. Saves that fail are kept and retried; meanwhile
//     the hub is Degraded (store_failing) and refuses new calls.
//   - storeProbe (storehealth.go) pings a database that is a server of
//     its own (PostgreSQL, Deps.StorePing) every 5 s and when a read
//     found it unavailable; while it does not answer the hub is Degraded
//     (store_unreachable) too. storeHealth joins the two for /healthz and
//     the gauge.
//
// # Concurrency rules
//
//   - machine, the ring timers, the rate limiter and presence are touched
//     only by the hub loop. Nothing in the loop blocks on I/O: the store is
//     read by connection goroutines before or after a command, and written
//     by the call writer.
//   - A connection is registered on the loop in one step: presence counts
//     the device, the registry adds it and its first frame, "connected",
//     is queued; so no event precedes it, and a client that has read it
//     is reachable (client.Dial waits for it).
//   - Each connection's requests are handled one at a time on its reader
//     goroutine, which waits for the loop. Start runs that reader on a
//     fresh goroutine (small stack) and lets the HTTP handler return; an
//     idle connection holds that one goroutine and its socket, nothing else. For a command, the loop performs
//     the timers, persistence and media effects, then sends a successful
//     reply itself (accept, reject and end: the reader sends it once the
//     call writer has committed the change), then the events: on every connection a reply precedes
//     the events it caused, replies keep request order, and once a client
//     has heard back the command's timers are armed.
//   - Timer callbacks and Media hooks only post to the loop.
//   - Hooks (pushes, webhooks): transitions append fxHook effects when a
//     Notifier is set; the loop hands each to Notifier.CallEvent after the
//     command's events, in the call's order. CallEvent only queues (package
//     notify turns hooks into outbox items on its own goroutine), so a slow
//     provider or webhook receiver never reaches the loop.
//   - The HTTPS answer path (AckCall, AcceptCall, RejectCall, GetCall,
//     InitiateCall) runs the same operations on the loop as the socket
//     methods, with no origin connection: one outcome in every race.
//   - Presence events go out on the announcer's goroutine (coalesced per
//     user), so a reconnect storm costs the loop nothing per watcher.
//   - registry is guarded by its own RWMutex; sends to a connection never
//     block (a peer whose queue fills is disconnected by protocol.Conn).
//   - StartDrain sets an atomic flag that initiateCall reads on the loop:
//     once it returns, every new call is refused; others are untouched.
//   - Close: refuse new connections, close the open ones, wait for their
//     Serve calls, end live calls (server_shutdown), stop the loop and
//     timers, then the announcer, then flush and stop the call writer.
package signaling
