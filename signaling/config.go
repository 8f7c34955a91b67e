package signaling

import "time"

// Config tunes the ringing flow.
type Config struct {
	// RingTimeout is how long a call rings when initiateCall gives no
	// timeout (or one <= 0).
	RingTimeout time.Duration `yaml:"ring_timeout"`
	// MaxRingTimeout caps a timeout asked for by a caller.
	MaxRingTimeout time.Duration `yaml:"max_ring_timeout"`
	// AutoBusy answers a caller at once with busy when the callee is already
	// in an ongoing or ringing call.
	AutoBusy bool `yaml:"auto_busy"`
	// ReconnectGrace is how long a user's calls survive their last
	// WebSocket dropping (or, for one in a call with no socket at all, the
	// accept) before a ringing call they started is cancelled and, unless
	// they are in its media, a call they are in is left.
	ReconnectGrace time.Duration `yaml:"reconnect_grace"`
	// CallTokenTTL is how long a call token minted on accept stays valid to join.
	CallTokenTTL time.Duration `yaml:"call_token_ttl"`
	// InitiateRate is how many initiateCall a user may make per second,
	// sustained; InitiateBurst how many at once. 0 disables the limit.
	InitiateRate  float64 `yaml:"initiate_rate"`
	InitiateBurst int     `yaml:"initiate_burst"`
	// MaxFrameBytes is the largest /v1/ws frame accepted (larger: close 1009).
	MaxFrameBytes int64 `yaml:"max_frame_bytes"`
	// RequestRate is how many requests per second one connection may send,
	// sustained, and RequestBurst how many at once (every method counts;
	// beyond: rate_limited with retryAfterMs). 0 disables the limit. The
	// same bounds each user's HTTPS requests (web, /v1/calls and /v1/devices).
	RequestRate  float64 `yaml:"request_rate"`
	RequestBurst int     `yaml:"request_burst"`
	// MaxQueueBytes caps the bytes waiting to be written to one connection;
	// a client that lets more pile up is closed with 1008.
	MaxQueueBytes int `yaml:"max_queue_bytes"`
	// MaxConnectionsPerUser caps one user's open /v1/ws connections (their
	// devices); one more is refused (HTTP 429 / close 1008). 0 (only in
	// code; the config file wants a limit): no cap.
	MaxConnectionsPerUser int `yaml:"max_connections_per_user"`
	// RingProbeTimeout is how long a socket bound to a push target
	// (registerDevice) that nothing came from for a second has to answer
	// a ping when a call rings it, while pushes go only to devices without
	// a socket (push.policy offline-only). A phone app its system
	// suspended keeps the socket open but answers nothing: without a pong
	// in time the socket is closed and the device pushed, as one without
	// a socket is.
	RingProbeTimeout time.Duration `yaml:"ring_probe_timeout"`
	// MaxCallParticipants is how many may be in a group call at once (the
	// media's max_participants, set by the assembly): one more acceptCall
	// is refused with too_large, so nobody is in a call whose media will
	// refuse them. 0: no cap.
	MaxCallParticipants int `yaml:"-"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		RingTimeout:    45 * time.Second,
		MaxRingTimeout: 120 * time.Second,
		AutoBusy:       true,
		ReconnectGrace: 15 * time.Second,
		CallTokenTTL:   2 * time.Minute,
		InitiateRate:   1,
		InitiateBurst:  5,
		MaxFrameBytes:  64 << 10,
		RequestRate:    20,
		RequestBurst:   100,
		MaxQueueBytes:  1 << 20,

		RingProbeTimeout: 3 * time.Second,

		MaxConnectionsPerUser: 10,
	}
}
