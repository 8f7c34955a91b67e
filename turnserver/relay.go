package turnserver

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/transport/v4"
	"github.com/pion/transport/v4/stdnet"
	"github.com/pion/turn/v5"
	"golang.org/x/time/rate"
)

// quotas counts each uid's live allocations.
type quotas struct {
	max int

	// mu guards byUID.
	mu    sync.Mutex
	byUID map[string]int
}

// take reserves one allocation of uid; false when the quota is reached.
func (q *quotas) take(uid string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.byUID[uid] >= q.max {
		return false
	}
	q.byUID[uid]++
	return true
}

// has reports whether uid may allocate once more (without reserving).
func (q *quotas) has(uid string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.byUID[uid] < q.max
}

func (q *quotas) release(uid string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.byUID[uid]--; q.byUID[uid] <= 0 {
		delete(q.byUID, uid)
	}
}

// relays makes the relay sockets: in the port range, bound to one IP,
// counted against the quota, filtered by the peer policy and capped in
// bandwidth. It implements turn.RelayAddressGenerator.
type relays struct {
	net        transport.Net
	bind       string
	announced  net.IP
	portRange  *turn.RelayAddressGeneratorPortRange // nil: any free port
	quotas     *quotas
	policy     *peerPolicy
	bytesPerS  int64
	stats      *counters
	log        *slog.Logger
	refusedLog *logLimiter // datagrams to refused peers
	permitLog  *logLimiter // permissions refused
}

func (r *relays) Validate() error {
	if r.net == nil {
		n, err := stdnet.NewNet()
		if err != nil {
			return err
		}
		r.net = n
	}
	if r.portRange != nil {
		return r.portRange.Validate()
	}
	return nil
}

// AllocatePacketConn makes one UDP relay socket for uid.
func (r *relays) AllocatePacketConn(c turn.AllocateListenerConfig) (net.PacketConn, net.Addr, error) {
	if !r.quotas.take(c.UserID) {
		r.stats.quotaRefused.Add(1)
		r.log.Warn("turn allocation refused", "uid", c.UserID, "err", ErrQuota)
		return nil, nil, fmt.Errorf("%w (uid %q)", ErrQuota, c.UserID)
	}
	var (
		pc   net.PacketConn
		addr net.Addr
		err  error
	)
	if r.portRange != nil {
		pc, addr, err = r.portRange.AllocatePacketConn(c)
	} else {
		pc, err = r.net.ListenPacket(c.Network, net.JoinHostPort(r.bind, strconv.Itoa(c.RequestedPort)))
		if err == nil {
			a := *pc.LocalAddr().(*net.UDPAddr)
			a.IP = r.announced
			addr = &a
		}
	}
	if err != nil {
		r.log.Warn("turn relay socket not made", "uid", c.UserID, "network", c.Network, "err", err)
		r.quotas.release(c.UserID)
		return nil, nil, err
	}
	r.stats.allocations.Add(1)
	r.stats.allocationsTotal.Add(1)
	return r.wrap(pc, c.UserID), addr, nil
}

// AllocateListener refuses RFC 6062 TCP relays.
func (r *relays) AllocateListener(turn.AllocateListenerConfig) (net.Listener, net.Addr, error) {
	return nil, nil, ErrTCPRelay
}

// AllocateConn refuses RFC 6062 TCP relays.
func (r *relays) AllocateConn(turn.AllocateConnConfig) (net.Conn, error) {
	return nil, ErrTCPRelay
}

func (r *relays) wrap(pc net.PacketConn, uid string) *relayConn {
	rc := &relayConn{PacketConn: pc, r: r, uid: uid, mediaOnly: uid == SelfTestUID}
	if r.bytesPerS > 0 {
		burst := int(max(r.bytesPerS/4, 64<<10)) // a quarter second, at least a large frame
		rc.out = rate.NewLimiter(rate.Limit(r.bytesPerS), burst)
		rc.in = rate.NewLimiter(rate.Limit(r.bytesPerS), burst)
	}
	return rc
}

// relayConn is one allocation's relay socket. pion reads it from the
// allocation's goroutine and writes it from the listener's.
type relayConn struct {
	net.PacketConn
	r       *relays
	uid     string
	in, out *rate.Limiter // nil: no cap
	// mediaOnly relays only to the SFU (the /test page's anonymous credentials).
	mediaOnly bool
	closed    atomic.Bool
}

// WriteTo sends a client's datagram to a peer, if the peer is allowed and
// the allocation within its bandwidth; otherwise the datagram is dropped.
func (c *relayConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	ap := addrPort(addr)
	if !c.r.policy.allowAddr(ap) || c.mediaOnly && !c.r.policy.isMedia(ap) {
		c.r.stats.peerRefused.Add(1)
		c.r.refusedLog.warn(c.r.log, "turn relay to a refused peer dropped", "uid", c.uid, "peer", ap.String())
		return len(p), nil
	}
	if c.out != nil && !c.out.AllowN(time.Now(), len(p)) {
		c.r.stats.dropped.Add(uint64(len(p)))
		return len(p), nil
	}
	n, err := c.PacketConn.WriteTo(p, addr)
	c.r.stats.toPeer.Add(uint64(max(n, 0)))
	return n, err
}

// ReadFrom receives a peer's datagram for the client; datagrams beyond the
// allocation's bandwidth are dropped and the next one is read.
func (c *relayConn) ReadFrom(p []byte) (int, net.Addr, error) {
	for {
		n, addr, err := c.PacketConn.ReadFrom(p)
		if err != nil || c.in == nil || c.in.AllowN(time.Now(), n) {
			c.r.stats.fromPeer.Add(uint64(max(n, 0)))
			return n, addr, err
		}
		c.r.stats.dropped.Add(uint64(n))
	}
}

// Close releases the allocation's quota slot once.
func (c *relayConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.r.quotas.release(c.uid)
		c.r.stats.allocations.Add(-1)
	}
	return c.PacketConn.Close()
}

func addrPort(a net.Addr) netip.AddrPort {
	switch a := a.(type) {
	case *net.UDPAddr:
		return a.AddrPort()
	case *net.TCPAddr:
		return a.AddrPort()
	}
	ap, _ := netip.ParseAddrPort(a.String())
	return ap
}
