package signaling

import (
	"context"
	"sync"
	"time"

	"github.com/switchboard-rtc/switchboard/store"
)

// userNames caches users' display names (and that they exist, and whether
// they are disabled) so placing a call does not read the store every time.
// Entries expire after nameTTL, so a rename through the admin API on
// another node shows within that time; a disable or an enable is told to
// every node, which drops the entry at once (forget); a user's own connect
// refreshes their entry at once. Users are never deleted, so a cached entry never names a
// user who does not exist. Safe for concurrent use.
type userNames struct {
	st  store.Store
	now func() time.Time

	// mu guards m.
	mu sync.Mutex
	m  map[string]cachedName
}

type cachedName struct {
	name     string
	avatar   string
	disabled bool
	at       time.Time
}

const (
	nameTTL      = 30 * time.Second
	nameCacheMax = 100_000 // entries; the cache is cleared when full
)

func newUserNames(st store.Store, now func() time.Time) *userNames {
	return &userNames{st: st, now: now, m: make(map[string]cachedName)}
}

func (n *userNames) set(u store.User) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.m) >= nameCacheMax {
		clear(n.m)
	}
	n.m[u.UID] = cachedName{name: u.Name, avatar: u.Avatar, disabled: u.Disabled, at: n.now()}
}

// forget drops uid's entry: the next get reads the store.
func (n *userNames) forget(uid string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.m, uid)
}

// get returns uid's display name, avatar and whether they are disabled,
// or an error wrapping store.ErrNotFound.
func (n *userNames) get(ctx context.Context, uid string) (cachedName, error) {
	n.mu.Lock()
	e, ok := n.m[uid]
	n.mu.Unlock()
	if ok && n.now().Sub(e.at) < nameTTL {
		return e, nil
	}
	u, err := n.st.GetUser(ctx, uid)
	if err != nil {
		return cachedName{}, err
	}
	n.set(u)
	return cachedName{name: u.Name, avatar: u.Avatar, disabled: u.Disabled}, nil
}
