package turnserver

import "errors"

// Sentinel errors; wrapped with %w.
var (
	// ErrConfig is a configuration mistake found at start (the message names the key).
	ErrConfig = errors.New("turn")
	// ErrBadUsername is a TURN username that is not "expiry:uid".
	ErrBadUsername = errors.New("turnserver: username is not expiry:uid")
	// ErrExpired is a credential whose expiry has passed.
	ErrExpired = errors.New("turnserver: credential expired")
	// ErrQuota is an allocation beyond the per-user quota.
	ErrQuota = errors.New("turnserver: allocation quota reached")
	// ErrTCPRelay refuses RFC 6062 TCP relay allocations.
	ErrTCPRelay = errors.New("turnserver: TCP relay allocations are not offered")
	// ErrPeerRefused is a peer address outside the allowed ranges.
	ErrPeerRefused = errors.New("turnserver: peer address not allowed")
)
