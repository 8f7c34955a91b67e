package cluster

import (
	"errors"
	"fmt"
)

// Sentinel errors.
var (
	// ErrUnavailable: Redis cannot be reached (or this node is not
	// registered yet): new calls are refused until it is back.
	ErrUnavailable = errors.New("cluster: shared state (Redis) is unavailable")
	// ErrSettling: Redis lost its data and the nodes are publishing their
	// state again (new calls refused for expiry + keepalive).
	ErrSettling = fmt.Errorf("%w: Redis lost its data and the nodes are publishing their state again; retry in a few seconds", ErrUnavailable)
	// ErrClosed: the Node was closed.
	ErrClosed = errors.New("cluster: node closed")
	// ErrNoReply: a request to another node got no answer in time (the
	// node may be lost).
	ErrNoReply = errors.New("cluster: no reply from the owner node")
	// ErrNoMediaNode: no live node may host media (every node is role
	// signal, or lost): new calls are refused.
	ErrNoMediaNode = errors.New("cluster: no live node hosts media (every node is role signal, or lost)")
	// ErrBadEnvelope: a bus message that does not decode (dropped).
	ErrBadEnvelope = errors.New("cluster: undecodable bus envelope")
	// ErrConfig: a cluster setting is invalid.
	ErrConfig = errors.New("cluster: config")
)
