//go:build !linux

package sfu

import "net"

// gsoControlSize is 0: UDP GSO is Linux only.
func gsoControlSize() int { return 0 }

func gsoSupported(*net.UDPConn) bool { return false }

func appendGSOControl(b []byte, _ int) []byte { return b }
