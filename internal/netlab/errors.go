package netlab

import "errors"

// ErrCommand wraps a failed ip/tc/ss command (its output is in the text).
var ErrCommand = errors.New("netlab: command failed")

// ErrSetns wraps a failed entry into (or return from) a namespace.
var ErrSetns = errors.New("netlab: setns failed")

// ErrOutside reports a socket bound outside 127.0.0.0/8 and 198.18.0.0/15.
var ErrOutside = errors.New("netlab: socket bound outside the test ranges")

// errAborted stands for the result of a Namespace.Do function that never
// returned (it called runtime.Goexit).
var errAborted = errors.New("netlab: the function given to Do did not return")
