// Package turnserver is switchboard's embedded TURN server (pion/turn) and
// the minting of the short-lived TURN credentials handed to every media
// participant in "joined".
//
// Credentials follow the TURN REST scheme (draft-uberti-behave-turn-rest):
// the username is "expiry:uid" (expiry in Unix seconds) and the password is
// base64(HMAC-SHA1(secret, username)). Any TURN server that knows the
// shared secret (this one, or coturn with use-auth-secret) accepts them, so
// external TURN servers listed in the config work the same way.
//
// What the embedded server refuses, and logs:
//   - credentials that do not parse, that are expired (for a new
//     allocation), or whose HMAC does not match (pion answers 401);
//   - allocations beyond the per-user quota (486), TCP relay allocations
//     (RFC 6062: WebRTC never uses them);
//   - permissions and packets towards loopback, link-local, unspecified,
//     multicast and private ranges, and towards this host's own addresses,
//     unless listed in allowed_peers; the SFU's own media address is always
//     allowed (on its UDP port only).
//
// Traffic beyond the per-allocation bandwidth is dropped, not queued.
//
// Concurrency: pion/turn runs one read loop per listener and one per
// allocation. This package's callbacks (auth, quota, permission, relay
// sockets) run on those goroutines; they only touch atomics and the quota
// table, which has its own mutex. Close stops every listener and, through
// pion, every allocation.
package turnserver
