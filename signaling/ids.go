package signaling

import (
	"crypto/rand"
	"encoding/base64"
)

// newSessionID returns a random, URL-safe session id (128 bits, 22
// characters of [A-Za-z0-9_-], which store.ValidateID accepts).
func newSessionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b[:])
}
