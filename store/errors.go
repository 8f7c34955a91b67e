package store

import "errors"

// Sentinel errors. Each carries the wire code a client sees for it
// (ErrorCode, protocol.Coded); store does not import protocol, so the codes
// are spelled here and a test in protocol checks them.
var (
	ErrNotFound error = &codedError{"not found", "not_found"}
	ErrConflict error = &codedError{"already exists", "conflict"}
	ErrInvalid  error = &codedError{"invalid", "bad_request"}
)

type codedError struct{ msg, code string }

func (e *codedError) Error() string     { return e.msg }
func (e *codedError) ErrorCode() string { return e.code }

func isInvalid(err error) bool { return errors.Is(err, ErrInvalid) }
