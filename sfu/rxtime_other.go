//go:build !linux

package sfu

import "net"

// rxControlSize is 0: kernel receive timestamps are read on Linux only.
var rxControlSize = 0

func enableRxTimestamps(*net.UDPConn) bool { return false }

func rxTime([]byte) (int64, bool) { return 0, false }
