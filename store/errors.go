package store

import "errors"

// Sentinel errors.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("already exists")
	ErrInvalid  = errors.New("invalid")
)

func isInvalid(err error) bool { return errors.Is(err, ErrInvalid) }
