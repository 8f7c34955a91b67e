// Package tokens mints and verifies switchboard's three kinds of JWT (HS256,
// golang-jwt/jwt/v5):
//
//   - auth token: who a user is (uid, display name). Issued by the app's
//     backend (or `switchboard token create`), presented on /v1/ws.
//   - call token: one user in one call session, short-lived; minted by the
//     ringing flow on accept, presented on /v1/rtc.
//   - admin token: for the admin REST API.
//
// The kinds can never stand in for one another: each has its own audience
// ("switchboard:auth", "switchboard:call", "switchboard:admin") and its own
// "typ" claim, and verification checks both. The issuer ("iss") is the API key
// whose secret signed the token; a verifier accepts any configured key.
//
// An Issuer is immutable after New and safe for concurrent use. tokens is a
// leaf package: it imports no other switchboard package.
package tokens
