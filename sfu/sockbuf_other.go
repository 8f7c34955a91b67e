//go:build !linux

package sfu

import "net"

// forceSocketBuffers: elsewhere the sizes asked for are taken as granted.
func forceSocketBuffers(_ *net.UDPConn, want int) (rcv, snd int) { return want, want }
