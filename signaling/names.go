package signaling

import (
	"context"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// userNames caches users' display names (and that they exist) so placing a
// call does not read the store every time. Entries expire after nameTTL, so
// a rename through the admin API shows within that time; a user's own
// connect refreshes their entry at once. Users are never deleted, so a
// cached entry never names a user who does not exist. Safe for concurrent use.
type userNames struct {
	st  store.Store
	now func() time.Time

	// mu guards m.
	mu sync.Mutex
	m  map[string]cachedName
}

type cachedName struct {
	name string
	at   time.Time
}

const (
	nameTTL      = 30 * time.Second
	nameCacheMax = 100_000 // entries; the cache is cleared when full
)

func newUserNames(st store.Store, now func() time.Time) *userNames {
	return &userNames{st: st, now: now, m: make(map[string]cachedName)}
}

func (n *userNames) set(uid, name string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.m) >= nameCacheMax {
		clear(n.m)
	}
	n.m[uid] = cachedName{name: name, at: n.now()}
}

// get returns uid's display name, or an error wrapping store.ErrNotFound.
func (n *userNames) get(ctx context.Context, uid string) (string, error) {
	n.mu.Lock()
	e, ok := n.m[uid]
	n.mu.Unlock()
	if ok && n.now().Sub(e.at) < nameTTL {
		return e.name, nil
	}
	u, err := n.st.GetUser(ctx, uid)
	if err != nil {
		return "", err
	}
	n.set(uid, u.Name)
	return u.Name, nil
}
