package sfu

import (
	"fmt"
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

// BenchmarkBatchConnRead reads 1232-byte datagrams that arrive in bursts of
// burst (a video frame's packets, or several publishers' packets waiting
// while the reader was not scheduled): one recvmsg each (single: the
// socket's own read, what Pion's mux did) or through the batchConn (one
// recvmmsg per burst). Each burst is written before it is read, so the
// reading thread's CPU (cpu-ns/op, per datagram) is its own.
func BenchmarkBatchConnRead(b *testing.B) {
	for _, burst := range []int{1, 4, 16} {
		for _, mode := range []string{"single", "batchConn"} {
			b.Run(fmt.Sprintf("burst=%d/%s", burst, mode), func(b *testing.B) {
				c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				_ = c.SetReadBuffer(4 << 20)
				bc := newBatchConn(c, nil, nil)
				s, err := net.DialUDP("udp4", nil, c.LocalAddr().(*net.UDPAddr))
				if err != nil {
					b.Fatal(err)
				}
				defer s.Close()
				p, buf := make([]byte, 1232), make([]byte, 8192)
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ResetTimer()
				var cpu int64
				for i := 0; i < b.N; i += burst {
					for range burst {
						_, _ = s.Write(p)
					}
					cpu0 := threadCPU()
					for range burst {
						if mode == "single" {
							_, _, err = c.ReadFromUDPAddrPort(buf)
						} else {
							_, _, err = bc.ReadFromAddrPort(buf)
						}
						if err != nil {
							b.Fatal(err)
						}
					}
					cpu += threadCPU() - cpu0
				}
				b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}
