package tokens

import "errors"

// Sentinel errors; every verification error wraps exactly one of them.
var (
	ErrMalformed     = errors.New("token is malformed")
	ErrUnknownKey    = errors.New("token is signed with an unknown API key")
	ErrBadSignature  = errors.New("token signature is invalid")
	ErrBadAlgorithm  = errors.New("token algorithm is not HS256")
	ErrExpired       = errors.New("token has expired")
	ErrNotYetValid   = errors.New("token is not valid yet (issued or valid from more than 5 s in the future: check the clock of the machine that minted it)")
	ErrMissingExpiry = errors.New("token has no expiry (exp)")
	ErrWrongKind     = errors.New("token is of the wrong kind")
	ErrInvalidClaims = errors.New("token claims are invalid")
	ErrNoKeys        = errors.New("no API key configured")
)
