package sfu

import "time"

// noLayer is a down-track's layer when it forwards nothing (paused, or
// before its first packet).
const noLayer = -1

// rewriter maps the packets of whichever layer a down-track forwards onto
// one outgoing stream: sequence numbers go up by one across a layer
// switch, and the timestamp advances by the wall time since the last
// packet sent, so the subscriber's jitter buffer and decoder see neither a
// gap nor a jump. The subscriber's writer goroutine owns it.
type rewriter struct {
	cur      int32 // layer being forwarded, noLayer for none
	started  bool  // a packet has been sent
	seqOff   uint16
	tsOff    uint32
	startSeq uint16 // first sequence number of cur forwarded since the switch
	lastSeq  uint16 // highest sequence number sent
	lastTS   uint32 // its timestamp
	lastAt   int64  // when it was sent, unix ns
	switches int    // layer changes after the first (for quality)
	waitFrom int64  // when the first packet began to wait for a keyframe
}

func newRewriter(seqOff uint16, tsOff uint32) rewriter {
	return rewriter{cur: noLayer, seqOff: seqOff, tsOff: tsOff}
}

// seqBefore reports whether a comes before b in sequence-number order.
func seqBefore(a, b uint16) bool { return int16(a-b) < 0 }

// next decides what happens to p given the layer wanted (target): ok is
// false when it is not sent. needKey says a switch must start on a
// keyframe (codecs the server can parse), the first one too (for up to
// firstKeyWait): a decoder given the middle of a stream shows nothing until
// a keyframe anyway, and asks for one only after a while. rtx marks a
// retransmission, which never switches and never moves the stream forward.
func (w *rewriter) next(p *packet, target int32, needKey, rtx bool, clockRate uint32, now int64) (seq uint16, ts uint32, ok bool) {
	l := int32(p.layer)
	if target == noLayer {
		w.cur = noLayer
		return 0, 0, false
	}
	if l != w.cur {
		if rtx || l != target || w.awaitKey(needKey && !p.keyframe, now) {
			return 0, 0, false
		}
		w.switchTo(p, clockRate, now)
	} else if seqBefore(p.seq, w.startSeq) {
		return 0, 0, false // sent on this layer before a switch away and back
	}
	seq, ts = p.seq+w.seqOff, p.ts+w.tsOff
	if !rtx && seqBefore(w.lastSeq, seq) {
		w.lastSeq, w.lastTS, w.lastAt = seq, ts, now
		if p.seq-w.startSeq >= startTrailMax {
			w.startSeq = p.seq - startTrail
		}
	}
	return seq, ts, true
}

// startSeq marks where the layer forwarded now began, so that packets
// from before a switch away and back are told apart; as the stream goes
// on it follows the newest packet at startTrail to startTrailMax behind.
// Left at the switch, it fell half the number space behind after 32,768
// packets on one layer (about 11 minutes of audio, 4 of video), and every
// packet looked older than it: forwarding stopped. Packets that late are
// long past use (SRTP's replay window is 1,024), so nothing else changes.
const (
	startTrail    = 1 << 13
	startTrailMax = 1 << 14
)

// firstKeyWait is how long a stream's first packet waits for a keyframe:
// past it, a publisher whose keyframes the server cannot see (or that sends
// none when asked) is forwarded from any packet, as a decoder recovers.
const firstKeyWait = time.Second

// awaitKey reports whether a packet that cannot start the stream (wait) is
// held back: always for a switch, for the first packet during firstKeyWait.
func (w *rewriter) awaitKey(wait bool, now int64) bool {
	if !wait {
		return false
	}
	if w.started {
		return true
	}
	if w.waitFrom == 0 {
		w.waitFrom = now
	}
	return now-w.waitFrom < int64(firstKeyWait)
}

// switchTo makes p's layer the forwarded one, p the next packet sent.
func (w *rewriter) switchTo(p *packet, clockRate uint32, now int64) {
	if w.started {
		w.switches++
		gap := uint32(1)
		if now > w.lastAt && clockRate > 0 {
			gap = max(1, uint32(uint64(now-w.lastAt)*uint64(clockRate)/uint64(time.Second)))
		}
		w.seqOff = w.lastSeq + 1 - p.seq
		w.tsOff = w.lastTS + gap - p.ts
	} else {
		w.lastSeq = p.seq + w.seqOff - 1
	}
	w.started = true
	w.cur = int32(p.layer)
	w.startSeq = p.seq
}

// pad takes the next outgoing sequence number for a padding-only packet
// (a bandwidth probe) and returns it with the last timestamp; ok is false
// before the first packet. While nothing is forwarded (a video starved by
// the subscriber's downlink, probed for) the stream resumes after it. The media after
// it moves up by one, and what was sent before it is no longer forwarded
// or retransmitted (as after a switch): a late packet would land on the
// padding's number.
func (w *rewriter) pad() (seq uint16, ts uint32, ok bool) {
	if !w.started {
		return 0, 0, false
	}
	w.lastSeq++
	w.seqOff++
	w.startSeq = w.lastSeq - w.seqOff + 1
	return w.lastSeq, w.lastTS, true
}
