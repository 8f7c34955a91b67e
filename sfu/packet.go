package sfu

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
)

// maxPacket is the largest RTP packet forwarded (Pion's receive MTU is 1460).
const maxPacket = 1500

// packet is one received RTP packet, shared by reference between the
// up-track's cache and every subscriber queue it was handed to. refs counts
// the holders; the last release returns it to its pool. Only the fields
// below the buffer are read after parse, and nobody writes a packet once it
// is shared.
type packet struct {
	buf      [maxPacket]byte
	payload  []byte // slice of buf: the RTP payload without padding
	seq      uint16 // the up-track's contiguous sequence number (padding-only packets skipped)
	ts       uint32
	marker   bool
	layer    uint8 // index of the simulcast layer it came in on (0 if none)
	keyframe bool  // the first packet of a keyframe (codecs the server can switch)
	arrival  int64 // unix ns it reached the server's socket (0: unknown); see arrivals.go
	refs     atomic.Int32
	pool     *packetPool
}

// packetPool recycles packets so forwarding allocates nothing in steady state.
type packetPool struct{ p sync.Pool }

func newPacketPool() *packetPool {
	pp := &packetPool{}
	pp.p.New = func() any { return &packet{pool: pp} }
	return pp
}

// get returns a packet holding one reference.
func (pp *packetPool) get() *packet {
	p := pp.p.Get().(*packet)
	p.refs.Store(1)
	return p
}

func (p *packet) retain() { p.refs.Add(1) }

func (p *packet) release() {
	if p.refs.Add(-1) == 0 {
		p.payload = nil
		p.pool.p.Put(p)
	}
}

// rtpHeader is what forwarding needs from an RTP header.
type rtpHeader struct {
	seq, payloadStart, payloadEnd int
	ts                            uint32
	marker                        bool
}

// parseRTP reads the fixed header, skips CSRCs and the extension, and strips
// padding, without allocating. ok is false for anything that is not RTP v2.
func parseRTP(b []byte) (h rtpHeader, ok bool) {
	if len(b) < 12 || b[0]>>6 != 2 {
		return h, false
	}
	off := 12 + int(b[0]&0x0f)*4
	if b[0]&0x10 != 0 { // extension
		if len(b) < off+4 {
			return h, false
		}
		off += 4 + int(binary.BigEndian.Uint16(b[off+2:]))*4
	}
	end := len(b)
	if b[0]&0x20 != 0 { // padding
		pad := int(b[end-1])
		if pad == 0 || end-pad < off {
			return h, false
		}
		end -= pad
	}
	if off > end {
		return h, false
	}
	h.seq = int(binary.BigEndian.Uint16(b[2:]))
	h.ts = binary.BigEndian.Uint32(b[4:])
	h.marker = b[1]&0x80 != 0
	h.payloadStart, h.payloadEnd = off, end
	return h, true
}

// packetCache keeps the last packets of an up-track by sequence number so
// down-tracks can answer NACKs. It holds one reference per cached packet.
type packetCache struct {
	// mu guards slots.
	mu    sync.Mutex
	slots []*packet
}

func newPacketCache(size int) *packetCache {
	return &packetCache{slots: make([]*packet, size)}
}

// put caches p (taking a reference), evicting what was in its slot.
func (c *packetCache) put(p *packet) {
	p.retain()
	i := int(p.seq) % len(c.slots)
	c.mu.Lock()
	old := c.slots[i]
	c.slots[i] = p
	c.mu.Unlock()
	if old != nil {
		old.release()
	}
}

// get returns the cached packet with seq, retained, or nil.
func (c *packetCache) get(seq uint16) *packet {
	i := int(seq) % len(c.slots)
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.slots[i]
	if p == nil || p.seq != seq {
		return nil
	}
	p.retain()
	return p
}

// clear releases every cached packet. It empties the slots in place (the
// slice itself never changes: get and put compute a slot from its length
// without the lock, from NACK readers that may outlive the up-track).
func (c *packetCache) clear() {
	var drop []*packet
	c.mu.Lock()
	for i, p := range c.slots {
		if p != nil {
			drop = append(drop, p)
			c.slots[i] = nil
		}
	}
	c.mu.Unlock()
	for _, p := range drop {
		p.release()
	}
}
