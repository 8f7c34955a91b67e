package bench

import (
	"encoding/binary"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"
)

// maxLatencySamples bounds the memory a Sink spends on latency samples.
const maxLatencySamples = 1 << 20

// Window is the measurement window shared by every Sink of a scenario: only
// packets that arrive while it is open contribute latency samples.
type Window struct{ open atomic.Bool }

// Open starts measuring; Close stops.
func (w *Window) Open()  { w.open.Store(true) }
func (w *Window) Close() { w.open.Store(false) }

// Sink receives one remote track: it counts packets, follows sequence
// numbers for the delivery ratio, and reads the send time for latency.
// Observe is called by one goroutine; the counters may be read at any time.
type Sink struct {
	Epoch  Epoch
	Window *Window
	Kind   Kind
	// From is the publisher's Source of this track, once it runs: when the
	// server strips the send-time extension, the send time is looked up by
	// payload (Clip.Find, Source.SentAt).
	From *atomic.Pointer[Source]

	received atomic.Uint64
	highest  atomic.Uint64 // extended highest sequence number + 1 (0: none yet)
	first    atomic.Uint64 // extended sequence number of the first packet + 1
	noStamp  atomic.Uint64 // packets without a send time
	// firstAt is when the first packet arrived (Epoch ns + 1; 0: none yet).
	firstAt atomic.Int64

	// Owned by the Observe goroutine; read after it stopped.
	latency []time.Duration
	cycles  uint64
	lastSeq uint16
}

// Observe records one received packet that arrived at arrival (Epoch time).
func (k *Sink) Observe(p *rtp.Packet, arrival time.Duration) {
	k.received.Add(1)
	k.track(p.SequenceNumber)
	if k.firstAt.Load() == 0 {
		k.firstAt.Store(int64(arrival) + 1)
	}
	sent, ok := k.sendTime(p)
	if !ok {
		k.noStamp.Add(1)
		return
	}
	if k.Window != nil && k.Window.open.Load() && len(k.latency) < maxLatencySamples {
		k.latency = append(k.latency, arrival-sent)
	}
}

// sendTime reads the send-time extension, or finds the packet's payload in
// the publisher's clip.
func (k *Sink) sendTime(p *rtp.Packet) (time.Duration, bool) {
	if b := p.Header.GetExtension(SendTimeExtID); len(b) == 8 {
		return time.Duration(binary.BigEndian.Uint64(b)), true
	}
	if k.From == nil {
		return 0, false
	}
	src := k.From.Load()
	if src == nil {
		return 0, false
	}
	i, ok := src.Clip.Find(p.Payload)
	if !ok {
		return 0, false
	}
	return src.SentAt(i), true
}

// track extends seq to 64 bits (RFC 3550 A.1 style, tolerant of reordering).
func (k *Sink) track(seq uint16) {
	if k.first.Load() == 0 {
		k.lastSeq = seq
		k.first.Store(uint64(seq) + 1)
		k.highest.Store(uint64(seq) + 1)
		return
	}
	diff := int16(seq - k.lastSeq)
	if diff <= 0 {
		return // reordered or duplicate: not a new highest
	}
	if seq < k.lastSeq {
		k.cycles += 1 << 16
	}
	k.lastSeq = seq
	k.highest.Store(k.cycles + uint64(seq) + 1)
}

// SinkSnapshot is a Sink's counters at one instant.
type SinkSnapshot struct {
	Received uint64
	Highest  uint64 // extended highest sequence number + 1
}

// Snapshot reads the counters (safe while Observe runs).
func (k *Sink) Snapshot() SinkSnapshot {
	return SinkSnapshot{Received: k.received.Load(), Highest: k.highest.Load()}
}

// Received is the number of packets observed.
func (k *Sink) Received() uint64 { return k.received.Load() }

// FirstArrival is when the first packet arrived, and whether one did.
func (k *Sink) FirstArrival() (time.Duration, bool) {
	v := k.firstAt.Load()
	return time.Duration(v - 1), v != 0
}

// Latencies returns the samples; call it only after Observe has stopped.
func (k *Sink) Latencies() []time.Duration { return k.latency }

// Unstamped is how many packets arrived without a send time.
func (k *Sink) Unstamped() uint64 { return k.noStamp.Load() }
