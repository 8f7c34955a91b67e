package sfu

import (
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"
)

// receiver is a loopback UDP socket the test reads datagrams from.
func receiver(t *testing.T) (*net.UDPConn, netip.AddrPort) {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	// Room for every datagram of a test even before the reader runs (a
	// GSO message lands as up to 64 datagrams at once).
	_ = c.SetReadBuffer(4 << 20)
	return c, c.LocalAddr().(*net.UDPAddr).AddrPort()
}

func newTestBatchConn(t *testing.T) *batchConn {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return newBatchConn(c, nil, nil)
}

// datagram i: its size says which run it belongs to, its bytes say i.
func testDatagram(i, size int) []byte {
	b := bytes.Repeat([]byte{byte(i)}, size)
	copy(b, fmt.Sprintf("#%d#", i))
	return b
}

// readAll reads n datagrams from c (failing after a generous deadline, not
// a timing assertion: the datagrams are in the socket buffer or lost).
func readAll(t *testing.T, c *net.UDPConn, n int) [][]byte {
	t.Helper()
	got, err := readN(c, n)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func readN(c *net.UDPConn, n int) ([][]byte, error) {
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var got [][]byte
	buf := make([]byte, 2000)
	for len(got) < n {
		k, err := c.Read(buf)
		if err != nil {
			return got, fmt.Errorf("after %d of %d datagrams: %w", len(got), n, err)
		}
		got = append(got, bytes.Clone(buf[:k]))
	}
	return got, nil
}

// reading reads n datagrams from c on its own goroutine, so the socket
// buffer never overflows, and hands them over when done.
func reading(t *testing.T, c *net.UDPConn, n int) <-chan [][]byte {
	ch := make(chan [][]byte, 1)
	go func() {
		got, err := readN(c, n)
		if err != nil {
			t.Error(err)
		}
		ch <- got
	}()
	return ch
}

// Everything written during a pass reaches its destination intact and in
// order, whatever the mix of sizes and addresses, with or without GSO.
func TestBatchConnDeliversEveryDatagramInOrder(t *testing.T) {
	for _, gso := range []bool{false, true} {
		t.Run(fmt.Sprintf("gso=%v", gso), func(t *testing.T) {
			bc := newTestBatchConn(t)
			if !bc.gso.Load() {
				t.Skip("no UDP GSO on this kernel")
			}
			ra, a := receiver(t)
			rb, b := receiver(t)
			// Runs to a: five of 1200 and a shorter last (one GSO message),
			// then sizes that must not be merged (a longer one after a
			// shorter one); runs to b interleaved; more than one batch.
			sizes := []int{1200, 1200, 1200, 1200, 1200, 700, 300, 1200, 1200, 90}
			const n = 300
			gotA, gotB := reading(t, ra, n*2/3), reading(t, rb, n/3)
			var wantA, wantB [][]byte
			bc.begin()
			if !gso { // batched, then sent one message per datagram
				bc.gso.Store(false)
			}
			for i := range n {
				p := testDatagram(i, sizes[i%len(sizes)])
				to, want := a, &wantA
				if (i/len(sizes))%3 == 2 {
					to, want = b, &wantB
				}
				if n, err := bc.WriteToAddrPort(p, to); err != nil || n != len(p) {
					t.Fatalf("write %d: %d, %v", i, n, err)
				}
				*want = append(*want, p)
			}
			bc.flush()
			for name, tc := range map[string]struct {
				got  <-chan [][]byte
				want [][]byte
			}{"a": {gotA, wantA}, "b": {gotB, wantB}} {
				got := <-tc.got
				if len(got) != len(tc.want) {
					t.Fatalf("%s: %d datagrams, want %d", name, len(got), len(tc.want))
				}
				for i := range tc.want {
					if !bytes.Equal(got[i], tc.want[i]) {
						t.Fatalf("%s: datagram %d is %q... (%d bytes), want %q... (%d bytes)", name, i, got[i][:6], len(got[i]), tc.want[i][:6], len(tc.want[i]))
					}
				}
			}
		})
	}
}

// Outside a pass a write is sent at once; inside one it waits for the
// flush that ends the last open pass (two writers share one socket).
func TestBatchConnHoldsDatagramsOnlyUntilTheLastPassEnds(t *testing.T) {
	bc := newTestBatchConn(t)
	if !bc.gso.Load() {
		t.Skip("no UDP GSO on this kernel: writes are never batched")
	}
	r, to := receiver(t)
	_, _ = bc.WriteToAddrPort([]byte("direct"), to)
	if got := readAll(t, r, 1); string(got[0]) != "direct" {
		t.Fatalf("got %q, want the direct write", got[0])
	}
	bc.begin()
	bc.begin()
	_, _ = bc.WriteToAddrPort([]byte("batched-1"), to)
	bc.flush() // the other writer's pass ends: sends what is waiting
	_, _ = bc.WriteToAddrPort([]byte("batched-2"), to)
	bc.flush()
	_, _ = bc.WriteToAddrPort([]byte("direct-2"), to)
	got := readAll(t, r, 3)
	for i, want := range []string{"batched-1", "batched-2", "direct-2"} {
		if string(got[i]) != want {
			t.Fatalf("datagram %d = %q, want %q", i, got[i], want)
		}
	}
	bc.mu.Lock()
	defer bc.mu.Unlock()
	if bc.open != 0 || len(bc.out.ends) != 0 {
		t.Fatalf("after both passes: %d open, %d waiting", bc.open, len(bc.out.ends))
	}
}

// TestBatchConnReadsWaitingDatagramsTogether: datagrams waiting in the
// socket come out of one read, each whole, in order, with its sender and
// its arrival noted; a short buffer gets the start of a datagram, as a
// plain read would.
func TestBatchConnReadsWaitingDatagramsTogether(t *testing.T) {
	c, addr := receiver(t)
	arrivals := new(arrivalTable)
	bc := newBatchConn(c, arrivals, nil)
	to := net.UDPAddrFromAddrPort(addr)
	senders := make([]*net.UDPConn, 2)
	for i := range senders {
		s, err := net.DialUDP("udp4", nil, to)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		senders[i] = s
	}
	const total = 3*rxBatchSize + 5
	datagram := func(i int) []byte { // one of them RTP, whose arrival is noted
		if i == 7 {
			return rtpDatagram(0x1234, 7, 96)
		}
		return testDatagram(i, 100+i)
	}
	for i := range total {
		if _, err := senders[i%2].Write(datagram(i)); err != nil {
			t.Fatal(err)
		}
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 1500)
	for i := range total {
		n, from, err := bc.ReadFromAddrPort(buf)
		if err != nil {
			t.Fatalf("datagram %d: %v", i, err)
		}
		want := datagram(i)
		if !bytes.Equal(buf[:n], want) {
			t.Fatalf("datagram %d: got %q..., want %q...", i, buf[:min(n, 8)], want[:8])
		}
		if wantFrom := senders[i%2].LocalAddr().(*net.UDPAddr).AddrPort(); from != wantFrom {
			t.Fatalf("datagram %d from %v, want %v", i, from, wantFrom)
		}
		if i == 0 && bc.rx.n < 2 {
			t.Fatalf("the first read took %d datagram(s) of the %d waiting", bc.rx.n, total)
		}
	}
	if arrivals.take(0x1234, 7) == 0 {
		t.Fatal("the RTP datagram's arrival was not noted")
	}
	if _, err := senders[0].Write(testDatagram(1, 300)); err != nil {
		t.Fatal(err)
	}
	short := make([]byte, 10)
	if n, _, err := bc.ReadFromAddrPort(short); err != nil || n != 10 || !bytes.Equal(short, testDatagram(1, 300)[:10]) {
		t.Fatalf("short read: %d %q %v", n, short[:n], err)
	}
}
