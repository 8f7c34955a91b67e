package sfu

import (
	"net"
	"net/netip"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// BenchmarkBatchConn writes 1232-byte datagrams (an SRTP video packet) to
// 100 loopback receivers, five in a row to each (one video frame per
// subscriber, as a writer pass does), through the mux socket: one sendto
// each (direct), or batched per pass of 100 subscribers with sendmmsg, with
// and without GSO. ns/op is per datagram and includes the receivers' reads
// on other goroutines; cpu-ns/op is the writing thread's own CPU time
// (CLOCK_THREAD_CPUTIME_ID: the syscalls and, on loopback, the kernel's
// delivery to the receiving sockets), what the bench's floor measures.
func BenchmarkBatchConn(b *testing.B) {
	for _, mode := range []string{"direct", "sendmmsg", "sendmmsg+gso"} {
		b.Run(mode, func(b *testing.B) {
			c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			bc := newBatchConn(c, nil, nil)
			if mode != "sendmmsg+gso" {
				bc.gso.Store(false)
			} else if !bc.gso.Load() {
				b.Skip("no UDP GSO here")
			}
			dsts := benchReceivers(b, 100)
			p := make([]byte, 1232)
			b.ReportAllocs()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			cpu0 := threadCPU()
			for i := 0; i < b.N; {
				if mode != "direct" {
					bc.begin()
				}
				for _, to := range dsts {
					for range 5 {
						_, _ = bc.WriteToAddrPort(p, to)
						i++
					}
				}
				if mode != "direct" {
					bc.flush()
				}
			}
			b.ReportMetric(float64(threadCPU()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

func benchReceivers(b *testing.B, n int) []netip.AddrPort {
	var out []netip.AddrPort
	for range n {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = c.Close() })
		go func() {
			buf := make([]byte, 2048)
			for {
				if _, err := c.Read(buf); err != nil {
					return
				}
			}
		}()
		out = append(out, c.LocalAddr().(*net.UDPAddr).AddrPort())
	}
	return out
}

// threadCPU is the calling thread's CPU time in ns.
func threadCPU() int64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts)
	return ts.Nano()
}
