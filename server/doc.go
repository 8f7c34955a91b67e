// Package server is switchboard's assembly: [Start] builds a whole
// switchboard from one [Config] and cmd calls it.
//
// Start order: the HTTP listener and the media sockets are bound first (a
// port that is taken fails before anything is written), then the store is
// opened, the token issuer, the outbox (pushes, webhooks), the media server
// (package sfu) and the ringing hub (package signaling) are built and wired
// together, and the HTTP front door (package web) serves them through its
// small Ringing and Media interfaces.
//
// Stop order ([App.Drain], then [App.Close]): draining refuses new
// connections and calls and waits for ongoing calls up to
// server.shutdown_grace; Close shuts the HTTP listener, the hub and its
// connections, the outbox, the media server, then the store.
//
// Concurrency: an App is safe for concurrent use; Drain and Close may be
// called from any goroutine, Close more than once.
package server
