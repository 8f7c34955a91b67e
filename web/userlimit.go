package web

import (
	"fmt"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/switchboard-rtc/switchboard/protocol"
)

// userLimits bounds each user's requests to the HTTPS user endpoints
// (/v1/calls..., /v1/devices): one token bucket per user, as a /v1/ws
// connection has one (ringing.request_rate and request_burst), so a user
// cannot do over HTTPS, one database write after another, what a socket
// refuses. Buckets that have filled up again are dropped once a minute.
type userLimits struct {
	rate  rate.Limit
	burst int

	mu    sync.Mutex
	users map[string]*rate.Limiter
	swept time.Time
}

// newUserLimits returns nil (no limit) when perSecond <= 0.
func newUserLimits(perSecond float64, burst int) *userLimits {
	if perSecond <= 0 {
		return nil
	}
	return &userLimits{rate: rate.Limit(perSecond), burst: max(burst, 1), users: map[string]*rate.Limiter{}}
}

// take spends one request of uid's at now, or returns the rate_limited
// error that says how long to wait.
func (l *userLimits) take(uid string, now time.Time) error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for u, b := range l.users {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.users, u)
			}
		}
		l.swept = now
	}
	b := l.users[uid]
	if b == nil {
		b = rate.NewLimiter(l.rate, l.burst)
		l.users[uid] = b
	}
	if b.AllowN(now, 1) {
		return nil
	}
	wait := time.Duration(math.Ceil((1 - b.TokensAt(now)) / float64(l.rate) * float64(time.Second)))
	ms := max(wait.Milliseconds(), 1)
	return &protocol.Error{Code: protocol.CodeRateLimited, RetryAfterMs: ms,
		Message: fmt.Sprintf("more than %g requests per second (%d at once) from this user; retry in %d ms", float64(l.rate), l.burst, ms)}
}
