package protocol

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Flow control of a Conn: the reader's token bucket, and the reader
// waiting for room in the send queue.

// crowdedLocked reports whether the send queue is more than half full (in
// frames or bytes): the reader then waits before reading the next frame,
// so requests in flight are bounded by what their replies may queue.
func (c *Conn) crowdedLocked() bool {
	return c.pending > c.opts.SendQueue/2 || c.pendingSize > c.opts.MaxQueueBytes/2
}

// waitRoom blocks the reader while the send queue is crowded. It returns
// at once when the connection is closing (the read then fails or the
// close handshake ends it) and ctx's error when ctx ends.
func (c *Conn) waitRoom(ctx context.Context) error {
	for {
		c.mu.Lock()
		if c.closing || !c.crowdedLocked() {
			c.readerWait = false
			c.mu.Unlock()
			return nil
		}
		c.readerWait = true
		c.mu.Unlock()
		select {
		case <-c.room:
		case <-c.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// written accounts for a frame the writer has written (or dropped) and
// wakes the reader once the queue is no longer crowded.
func (c *Conn) written(size int) {
	c.mu.Lock()
	c.pending--
	c.pendingSize -= size
	wake := c.readerWait && !c.crowdedLocked()
	if wake {
		c.readerWait = false
	}
	c.mu.Unlock()
	if wake {
		select {
		case c.room <- struct{}{}:
		default:
		}
	}
}

// tokenBucket limits the requests of one connection. Only the reader uses it.
type tokenBucket struct {
	rate, burst float64 // tokens per second (< 0: no limit), bucket size
	tokens      float64
	last        time.Time
}

// take takes a token at now, or returns how long until one is available.
func (b *tokenBucket) take(now time.Time) time.Duration {
	if b.rate < 0 {
		return 0
	}
	if !b.last.IsZero() {
		if el := now.Sub(b.last).Seconds(); el > 0 {
			b.tokens = math.Min(b.burst, b.tokens+el*b.rate)
		}
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration(math.Ceil((1 - b.tokens) / b.rate * float64(time.Second)))
}

// rateLimited is the error reply to a request over the limit.
func rateLimited(wait time.Duration, o Options) *Error {
	ms := wait.Milliseconds()
	if time.Duration(ms)*time.Millisecond < wait {
		ms++
	}
	return &Error{Code: CodeRateLimited, RetryAfterMs: ms,
		Message: fmt.Sprintf("more than %g requests per second (%d at once) on this connection; retry in %d ms", o.RequestRate, o.RequestBurst, ms)}
}
