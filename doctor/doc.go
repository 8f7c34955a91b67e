// Package doctor checks a switchboard configuration on the host it will
// run on: whether the HTTP, media and TURN ports can be bound (or are held
// by a running switchboard), whether the addresses announced to clients
// make sense, and whether TURN works, by allocating a relay against the
// configured TURN server (the embedded one, started for the check when it
// is not running, and every external one) with credentials minted from
// its secret. It ends with what a firewall in front of the host must open.
//
// Concurrency: Run is synchronous; it starts a TURN server only for the
// duration of the check and closes it before returning.
package doctor
