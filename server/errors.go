package server

import "errors"

// Sentinel errors.
var (
	// ErrNoKeys: Start was given no API key.
	ErrNoKeys = errors.New("no API keys configured")
)
