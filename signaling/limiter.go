package signaling

import "time"

// limiter is a token bucket per user for initiateCall. Only the hub loop
// uses it (no lock); time comes from the caller.
type limiter struct {
	rate    float64 // tokens per second; <= 0 disables
	burst   float64
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	if burst < 1 {
		burst = 1
	}
	return &limiter{rate: rate, burst: float64(burst), buckets: make(map[string]*bucket)}
}

// take takes a token for uid if one is left; when none is, it says how
// long until one is back.
func (l *limiter) take(uid string, now time.Time) (bool, time.Duration) {
	if l.rate <= 0 {
		return true, 0
	}
	b := l.buckets[uid]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[uid] = b
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// forget drops full buckets so the map does not grow with every user ever seen.
func (l *limiter) forget(now time.Time) {
	for uid, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, uid)
		}
	}
}
