// Package protocol is switchboard's wire contract, defined once: the JSON
// envelope that both WebSocket endpoints (/v1/ws for ringing, /v1/rtc for
// media) and the Go client speak, every method and event name, call status,
// reason, error code (and the one mapping of errors to codes, AsError),
// every payload type, and the codec table (names.go, types.go, codecs.go);
// plus a connection wrapper that owns one WebSocket's reader and writer.
// docs/protocol.md describes it for people and docs/protocol.schema.json for
// code generators.
//
// Frames are JSON text messages of three shapes:
//
//	request:  {"id":"c1","method":"initiateCall","params":{...}}
//	reply:    {"id":"c1","result":{...}}  or  {"id":"c1","error":{"code":"not_found","message":"..."}}
//	event:    {"event":"incomingCall","data":{...}}
//
// Marshal encodes a Message exactly as encoding/json would, but appends the
// envelope by hand and copies the already-encoded params/result/data as is
// (they must be valid JSON; Send uses it for every frame).
//
// Concurrency: a Conn is safe for concurrent use. Send never blocks: it queues
// the frame for the Conn's single writer goroutine, and a peer that does not
// drain its queue in time is disconnected (StatusPolicyViolation), never waited for.
// The handler given to Run is called from the Conn's single reader goroutine,
// one frame at a time, in arrival order.
//
// protocol is a leaf package: it imports no other switchboard package.
package protocol
