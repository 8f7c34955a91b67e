// Package web is switchboard's front door and its assembly.
//
// [Start] builds a whole switchboard from one [AppConfig]: it opens the
// store, builds the token issuer, the media server (package sfu) and the
// ringing hub (package signaling), wires the two together, and serves HTTP:
//
//	GET  /healthz             200 {"status":"ok"}; 503 {"status":"draining"} while draining,
//	                          503 {"status":"degraded","reason":"..."} while the store cannot save calls
//	GET  /metrics             Prometheus metrics
//	     /v1/admin/...        admin REST API (Bearer admin token), see docs/api.md
//	POST /v1/dev/login        dev login (only when Config.Dev)
//	GET  /v1/calls            the caller's call log (auth token)
//	GET  /v1/ws               ringing WebSocket (auth token), handed to signaling.Hub
//	GET  /v1/rtc              media WebSocket (call token), handed to sfu.Server
//	GET  /, /sdk/...          the embedded web page and JS SDK
//
// [New] builds only the HTTP handler ([Server]) from collaborators that
// already exist, for tests and for callers that assemble things themselves.
//
// Concurrency: a Server is an http.Handler and is safe for concurrent use.
// Its only mutable state is the draining flag (atomic) and the WaitGroup of
// WebSocket handlers in flight, which [Server.Wait] waits for. Each upgraded
// WebSocket is served on its own request goroutine by the hub or the SFU,
// which own the connection from then on; the request context is derived from
// the App's context, so [App.Close] cancels every connection.
//
// An App is safe for concurrent use; Drain and Close may be called from any
// goroutine, Close more than once.
package web
