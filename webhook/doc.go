// Package webhook tells an application's backend about calls: signed JSON
// POSTs to configured endpoints, delivered at least once from the outbox.
//
// Events becomes outbox items (one per endpoint whose filter takes the
// event, ordered per endpoint and call); a Sender delivers one item: it
// signs the body with each of the endpoint's secrets at send time
// (Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<body>">, one v1 per secret, newest first), so a retry carries a
// fresh timestamp and the current secrets, and receivers can refuse
// anything outside their replay window (Verify, default 5 minutes).
// Every event has a unique id (the body's "id" and Switchboard-Event-Id)
// that stays the same across retries and replays: receivers de-duplicate
// on it.
//
// A 2xx answer delivers the item; a network error, a timeout, 408, 429 or
// a 5xx is retried by the outbox (Retry-After honoured) until the item's
// deadline (webhooks.max_age, default 24 h); any other answer fails it at
// once. Failed items stay in the outbox and can be listed and replayed
// through the admin API.
//
// # Concurrency
//
// A Sender is safe for concurrent use; it keeps no state but its
// configuration and an HTTP client.
package webhook
