// Package push wakes phones: VoIP and alert pushes through Apple's APNs
// (HTTP/2, token auth) and Firebase Cloud Messaging (HTTP v1, OAuth 2
// service account), for the ringing flow (ring, stop ringing, missed call).
//
// A Sender delivers one outbox item of channel "push" (a Message as JSON)
// at a time: the outbox dispatcher calls Deliver and retries what it may.
// Errors say what to do through two methods the dispatcher looks for:
// Permanent() (do not retry) and RetryAfter() (not before). A token the
// provider reports dead (APNs 410 Unregistered, FCM UNREGISTERED/404) is
// removed from the store and the item fails for good; no other device or
// user is affected.
//
// # Credentials
//
// The APNs .p8 key and the FCM service-account JSON are read from files
// named in Config (or the matching SWITCHBOARD_PUSH_* variables) when the
// Sender is built. They are never logged; errors name the file, not its
// content. The APNs provider token (ES256 JWT, kid = key id, iss = team id)
// is reused for 50 minutes (Apple refuses one older than an hour and
// throttles refreshes more often than every 20 minutes); the FCM access
// token is cached until 5 minutes before it expires (golang.org/x/oauth2).
//
// # Concurrency
//
// A Sender is safe for concurrent use: the cached provider tokens are
// guarded by a mutex, HTTP clients are shared. Deliver honours its context.
// Base URLs are configurable so tests point them at local servers.
package push
