// Package web is switchboard's HTTP front door:
//
//	GET  /healthz             200 {"status":"ok"}; 503 {"status":"draining"} while draining,
//	                          503 {"status":"degraded","reason":"store_failing"} while the store cannot save
//	                          calls; 200 {"status":"degraded","reason":"store_unreachable"} while its
//	                          database (PostgreSQL, shared by every node, as Redis) does not answer
//	                          (+ "detail", the store's error, for an admin token)
//	GET  /metrics             Prometheus metrics
//	     /v1/admin/...        admin REST API (Bearer admin token), see docs/api.md
//	POST /v1/dev/login        dev login (only when Config.Dev)
//	GET  /v1/calls            the caller's call log (auth token)
//	     /v1/calls, /v1/calls/{sid}[/ack|/accept|/reject|/end], /v1/devices
//	                          ringing and answering without a socket, push targets (auth token)
//	GET  /v1/ws               ringing WebSocket (auth token), handed to the Ringing hub
//	GET  /v1/rtc              media WebSocket (call token), handed to the Media server
//	GET  /, /sdk/...          the embedded web page and JS SDK
//
// [New] builds the HTTP handler ([Server]) from collaborators that already
// exist. It imports neither signaling nor sfu: it declares the small
// interfaces it needs ([Ringing], [Media], deps.go) and the assembly
// (package server) connects the hub and the SFU to them.
//
// Concurrency: a Server is an http.Handler and is safe for concurrent use.
// Its only mutable state is the draining flag (atomic) and the WaitGroup of
// WebSocket handlers in flight, which [Server.Wait] waits for. Each upgraded
// WebSocket is served on its own request goroutine by the hub or the SFU,
// which own the connection from then on; the request context is derived from
// the assembly's context, so closing the assembly cancels every connection.
package web
