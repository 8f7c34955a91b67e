package sfu

import (
	"log/slog"
	"net"
)

// defaultSocketBuffer is the kernel buffer asked for each media socket
// (media.socket_buffer). All media shares one UDP socket per address: with
// the Linux default (208 KB, about 90 video packets) a burst of a few ms that
// the reader does not take in time (a GC pause, a busy core) overflows it,
// and each packet dropped there costs a NACK round trip or a freeze. Seen in
// `switchboard bench` at 20 1:1 calls: 2,509 drops on the server's socket in
// 25 s, p99 latency 99 ms. 4 MiB (the kernel doubles it for its own
// bookkeeping) holds about 3,600 full-size packets: some 80 ms of what 100
// 1:1 video calls send.
const defaultSocketBuffer = 4 << 20

// sizeSocketBuffers asks the kernel for want bytes of receive and send
// buffer on c and returns what it granted (0 when it cannot be read). On
// Linux a size above net.core.rmem_max / wmem_max is forced when the
// process may (CAP_NET_ADMIN), else capped by the kernel.
func sizeSocketBuffers(c *net.UDPConn, want int) (rcv, snd int) {
	_ = c.SetReadBuffer(want)
	_ = c.SetWriteBuffer(want)
	return forceSocketBuffers(c, want)
}

// tuneSocket sizes c's buffers to want (0: left as the OS made them) and
// logs a warning when the kernel granted less.
func tuneSocket(c *net.UDPConn, want int, log *slog.Logger) {
	if want <= 0 {
		return
	}
	rcv, snd := sizeSocketBuffers(c, want)
	if (rcv > 0 && rcv < want) || (snd > 0 && snd < want) {
		log.Warn("media: the kernel granted smaller UDP buffers than media.socket_buffer; bursts may be dropped under load (raise net.core.rmem_max and net.core.wmem_max, or run with CAP_NET_ADMIN)",
			"addr", c.LocalAddr().String(), "want", want, "receive", rcv, "send", snd)
	}
}

// SocketBuffersGranted reports what the kernel grants a media socket of
// this process when cfg.SocketBuffer is asked (receive and send, bytes),
// by sizing a throwaway UDP socket on loopback; want is what is asked (0:
// the OS default is kept, nothing to check).
func SocketBuffersGranted(cfg Config) (want, rcv, snd int, err error) {
	want = cfg.SocketBuffer
	if want <= 0 {
		return 0, 0, 0, nil
	}
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return want, 0, 0, err
	}
	defer c.Close()
	rcv, snd = sizeSocketBuffers(c, want)
	return want, rcv, snd, nil
}
