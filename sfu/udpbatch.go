package sfu

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/net/ipv4"
)

// Batch limits: a batch is sent when it holds this many datagrams or bytes,
// and at the latest when the last writer pass open on it ends.
const (
	batchDatagrams = 64
	batchBytes     = 128 << 10
	// A GSO send carries at most this many segments and bytes (the
	// kernel's UDP_MAX_SEGMENTS and the 64 KB IP datagram limit).
	gsoSegments = 64
	gsoBytes    = 65000
)

// batchConn is the ICE UDP mux's socket. Where the kernel offers UDP GSO,
// while a writer pass is open (begin .. flush), datagrams written to it from
// any goroutine are copied into a batch and sent together with one sendmmsg
// at the end of the pass, consecutive datagrams to one address as one GSO
// buffer (UDP_SEGMENT): a subscriber's packets of one video frame cost the
// kernel one send. Outside a pass every write
// goes straight to the socket, so DTLS, ICE and RTCP written by other
// goroutines wait at most for the end of a pass. Reads take every datagram
// waiting (up to rxBatchSize) with one recvmmsg and hand them to Pion's mux
// one by one: the busier the socket, the fewer reads per datagram.
//
// Concurrency: mu guards open, out and free; sendMu serialises sends (it is
// taken under mu and released after the send), so datagrams leave in the
// order they were written.
type batchConn struct {
	*net.UDPConn
	batch  *ipv4.PacketConn
	v4     bool // an IPv4 socket: destinations are written unmapped
	gso    atomic.Bool
	sendMu sync.Mutex

	// arrivals, when set, gets every RTP datagram's arrival time (see
	// arrivals.go).
	arrivals *arrivalTable
	// rx holds the datagrams of the last read not yet handed out. Only the
	// reader touches it: Pion's UDP mux reads from one goroutine.
	rx rxBatch
	// taps, when set, take subscribers' RTCP and publishers' RTP before
	// Pion (rtcptap.go, rtptap.go).
	taps *mediaTaps

	// mu guards the fields below.
	mu   sync.Mutex
	open int        // writer passes in progress
	out  *sendBatch // datagrams waiting
	free []*sendBatch
}

// newBatchConn wraps c; arrivals (nil: none) is told when RTP arrives,
// taps (nil: none) may take RTCP and RTP.
func newBatchConn(c *net.UDPConn, arrivals *arrivalTable, taps *mediaTaps) *batchConn {
	b := &batchConn{UDPConn: c, batch: ipv4.NewPacketConn(c), out: newSendBatch(), arrivals: arrivals, taps: taps}
	b.rx = newRxBatch(c, arrivals != nil && enableRxTimestamps(c))
	if la, ok := c.LocalAddr().(*net.UDPAddr); ok {
		b.v4 = la.IP.To4() != nil
	}
	b.gso.Store(gsoSupported(c))
	return b
}

// sendBatch is datagrams back to back in buf; ends[i] is where datagram i ends.
type sendBatch struct {
	buf   []byte
	ends  []int
	to    []netip.AddrPort
	msgs  []ipv4.Message
	addrs []net.UDPAddr
	ips   [][16]byte
	oobs  [][]byte
	first []int // index of each message's first datagram
}

func newSendBatch() *sendBatch {
	b := &sendBatch{
		buf: make([]byte, 0, batchBytes), ends: make([]int, 0, batchDatagrams), to: make([]netip.AddrPort, 0, batchDatagrams),
		msgs: make([]ipv4.Message, batchDatagrams), addrs: make([]net.UDPAddr, batchDatagrams),
		ips: make([][16]byte, batchDatagrams), oobs: make([][]byte, batchDatagrams), first: make([]int, 0, batchDatagrams),
	}
	for i := range b.msgs {
		b.msgs[i].Buffers = make([][]byte, 1)
		b.oobs[i] = make([]byte, 0, gsoControlSize())
	}
	return b
}

func (b *sendBatch) add(p []byte, to netip.AddrPort) {
	b.buf = append(b.buf, p...)
	b.ends = append(b.ends, len(b.buf))
	b.to = append(b.to, to)
}

func (b *sendBatch) full() bool {
	return len(b.ends) >= batchDatagrams || len(b.buf)+maxPacket > batchBytes
}

func (b *sendBatch) reset() {
	b.buf, b.ends, b.to = b.buf[:0], b.ends[:0], b.to[:0]
}

// datagram returns datagram i of the batch.
func (b *sendBatch) datagram(i int) []byte {
	start := 0
	if i > 0 {
		start = b.ends[i-1]
	}
	return b.buf[start:b.ends[i]]
}

// begin opens a writer pass: writes are batched until the matching flush.
// Only with GSO: sendmmsg alone saved nothing measurable here
// (BenchmarkBatchConn: 1.49 vs 1.36-1.52 us per datagram), GSO halves it.
func (c *batchConn) begin() {
	if !c.gso.Load() {
		return
	}
	c.mu.Lock()
	c.open++
	c.mu.Unlock()
}

// flush closes a writer pass and sends what is waiting. A pass begun
// while GSO was on may be closed by another writer's flush once GSO went
// off: its later writes then go out directly, which is all that changes.
func (c *batchConn) flush() {
	c.mu.Lock()
	if c.open > 0 {
		c.open--
	}
	c.sendLocked()
}

// sendLocked swaps the waiting batch out and sends it; it is called with
// mu held and returns with it released.
func (c *batchConn) sendLocked() {
	out := c.out
	if len(out.ends) == 0 {
		c.mu.Unlock()
		return
	}
	if n := len(c.free); n > 0 {
		c.out, c.free = c.free[n-1], c.free[:n-1]
	} else {
		c.out = newSendBatch()
	}
	c.sendMu.Lock()
	c.mu.Unlock()
	c.send(out)
	c.sendMu.Unlock()
	out.reset()
	c.mu.Lock()
	c.free = append(c.free, out)
	c.mu.Unlock()
}

// WriteToAddrPort implements ice.AddrPortReaderWriter: the UDP mux writes
// every datagram through it.
func (c *batchConn) WriteToAddrPort(p []byte, to netip.AddrPort) (int, error) {
	if c.taps != nil && len(p) > 0 && p[0] == dtlsContentHS {
		c.taps.keys.noteHello(p, to, true)
	}
	c.mu.Lock()
	if c.open == 0 || len(p) > maxPacket {
		c.mu.Unlock()
		c.sendMu.Lock()
		defer c.sendMu.Unlock()
		return c.UDPConn.WriteToUDPAddrPort(p, to)
	}
	c.out.add(p, to)
	if c.out.full() {
		c.sendLocked()
	} else {
		c.mu.Unlock()
	}
	return len(p), nil
}

// WriteTo is net.PacketConn's write, batched like WriteToAddrPort.
func (c *batchConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	ua, ok := addr.(*net.UDPAddr)
	if !ok {
		return c.UDPConn.WriteTo(p, addr)
	}
	return c.WriteToAddrPort(p, ua.AddrPort())
}

// ReadFromAddrPort implements ice.AddrPortReaderWriter. Pion's UDP mux
// calls it from one goroutine (c.rx is not shared). What a tap takes
// (rtcptap.go) is not returned: the next datagram is read instead.
func (c *batchConn) ReadFromAddrPort(p []byte) (int, netip.AddrPort, error) {
	for {
		n, from, err := c.readOne(p)
		if err != nil || c.taps == nil {
			return n, from, err
		}
		if n > 0 && p[0] == dtlsContentHS {
			c.taps.keys.noteHello(p[:n], from, false)
		}
		if !c.taps.take(p[:n], from, c) {
			return n, from, err
		}
	}
}

// Reads: at most this many datagrams per recvmmsg, each up to rxDatagram
// bytes (what Pion's UDP mux reads at most; a longer one is cut, as a
// plain read into its buffer would cut it).
const (
	rxBatchSize = 16
	rxDatagram  = 8192
)

// rxBatch is the datagrams of one recvmmsg: those in [next, n) are not
// handed out yet; datagram i is bufs[i][:lens[i]], from from[i], with
// oobs[i][:oobns[i]] of control messages (oobs is nil unless the kernel
// stamps arrivals). A read asks for twice as many as the last one got (at
// least 2, at most rxBatchSize): preparing a message costs about as much
// as a small datagram's copy, so a quiet socket does not pay for 16. sys
// is the platform's read (rxbatch_linux.go: a recvmmsg that allocates
// nothing; elsewhere x/net's ReadBatch).
type rxBatch struct {
	bufs, oobs  [][]byte
	lens, oobns []int
	from        []netip.AddrPort
	next, n     int
	sys         *rxSys
}

func (r *rxBatch) ask() int {
	return min(max(2*r.n, 2), rxBatchSize)
}

func newRxBatch(c *net.UDPConn, stamped bool) rxBatch {
	r := rxBatch{
		bufs: make([][]byte, rxBatchSize), lens: make([]int, rxBatchSize), oobns: make([]int, rxBatchSize),
		from: make([]netip.AddrPort, rxBatchSize),
	}
	for i := range r.bufs {
		r.bufs[i] = make([]byte, rxDatagram)
	}
	if stamped {
		r.oobs = make([][]byte, rxBatchSize)
		for i := range r.oobs {
			r.oobs[i] = make([]byte, rxControlSize)
		}
	}
	r.sys = newRxSys(c, &r)
	return r
}

// readOne copies the next datagram into p, reading every datagram waiting
// when none is left, and notes when RTP arrived.
func (c *batchConn) readOne(p []byte) (int, netip.AddrPort, error) {
	r := &c.rx
	for r.next == r.n {
		n, err := r.sys.read(r, r.ask())
		if err != nil {
			return 0, netip.AddrPort{}, err
		}
		r.next, r.n = 0, n
	}
	i := r.next
	r.next++
	n := copy(p, r.bufs[i][:r.lens[i]])
	from := r.from[i]
	if c.arrivals != nil {
		var oob []byte
		if r.oobs != nil {
			oob = r.oobs[i][:r.oobns[i]]
		}
		at, ok := rxTime(oob)
		if !ok {
			at = time.Now().UnixNano()
		}
		c.arrivals.note(p[:n], at)
	}
	return n, from, nil
}

// send writes a batch with sendmmsg, one message per run of datagrams to
// the same address when GSO is on. A datagram the kernel refuses is dropped
// (as a failed sendto would be); a refused GSO message is sent again
// datagram by datagram, and GSO is turned off if the socket cannot do it.
func (c *batchConn) send(b *sendBatch) {
	msgs, firsts := c.messages(b)
	for sent := 0; sent < len(msgs); {
		n, err := c.batch.WriteBatch(msgs[sent:], 0)
		sent += max(n, 0)
		if err == nil || sent >= len(msgs) {
			continue
		}
		if len(msgs[sent].OOB) > 0 {
			if errors.Is(err, syscall.EIO) || errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOPROTOOPT) {
				c.gso.Store(false)
			}
			end := len(b.ends)
			if sent+1 < len(msgs) {
				end = firsts[sent+1]
			}
			for i := firsts[sent]; i < end; i++ {
				_, _ = c.UDPConn.WriteToUDPAddrPort(b.datagram(i), b.to[i])
			}
		}
		sent++
	}
}

// messages fills b.msgs: one per datagram, or one per run of datagrams to
// the same address (all of one size but a shorter last) when GSO is on.
// firsts[k] is the index of message k's first datagram.
func (c *batchConn) messages(b *sendBatch) ([]ipv4.Message, []int) {
	gso := c.gso.Load()
	firsts := b.first[:0]
	for i := 0; i < len(b.ends); {
		first, start := i, 0
		if i > 0 {
			start = b.ends[i-1]
		}
		size := b.ends[i] - start
		i++
		for gso && i < len(b.ends) && i-first < gsoSegments && b.to[i] == b.to[first] && b.ends[i]-start <= gsoBytes {
			n := b.ends[i] - b.ends[i-1]
			if n > size || b.ends[i-1]-start != (i-first)*size {
				break
			}
			i++
		}
		k := len(firsts)
		m := &b.msgs[k]
		m.Buffers[0] = b.buf[start:b.ends[i-1]]
		m.Addr = b.udpAddr(k, b.to[first], c.v4)
		m.OOB = b.oobs[k][:0]
		if i-first > 1 {
			m.OOB = appendGSOControl(m.OOB, size)
		}
		firsts = append(firsts, first)
	}
	b.first = firsts
	return b.msgs[:len(firsts)], firsts
}

// udpAddr converts to into message k's reused address, without
// allocating: IPv4 (unmapped) for an IPv4 socket, else as given.
func (b *sendBatch) udpAddr(k int, to netip.AddrPort, v4 bool) *net.UDPAddr {
	a := &b.addrs[k]
	ip := to.Addr()
	if v4 {
		ip = ip.Unmap()
	}
	if ip.Is4() {
		v4 := ip.As4()
		a.IP = append(b.ips[k][:0], v4[:]...)
	} else {
		v6 := ip.As16()
		a.IP = append(b.ips[k][:0], v6[:]...)
	}
	a.Port, a.Zone = int(to.Port()), ip.Zone()
	return a
}

// batchConns is every UDP mux socket of a server; the writers open and
// flush their passes on all of them.
type batchConns []*batchConn

func (bc batchConns) begin() {
	for _, c := range bc {
		c.begin()
	}
}

func (bc batchConns) flush() {
	for _, c := range bc {
		c.flush()
	}
}
