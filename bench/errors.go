package bench

import "errors"

var (
	// ErrMedia is a problem with the embedded test media.
	ErrMedia = errors.New("bench: test media")
	// ErrChild is a server child process that failed to start or answer.
	ErrChild = errors.New("bench: server process")
	// ErrScenario is a scenario that could not set up its peers.
	ErrScenario = errors.New("bench: scenario")
	// ErrConfig is an invalid bench configuration.
	ErrConfig = errors.New("bench: config")
)
