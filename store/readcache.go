package store

import "sync"

// maxCached bounds a readCache: past it the cache starts again empty.
const maxCached = 100_000

// readCache remembers the result of a read per key until a write of the
// same table invalidates it (every key at once: the writes it guards are
// rare: device registrations, user edits). It is only used on SQLite,
// where this process is the database's only writer (as savedHints
// assumes); on PostgreSQL other nodes write too, and nothing would tell
// this one. The ringing path reads a callee's devices and the caller's
// user once per ring (the notifier): ~8 % of the server's CPU with pushes
// on before this cache.
//
// A read that raced a write is not kept: put keeps a value only if no
// invalidation happened since the read began (gen).
type readCache[T any] struct {
	// mu guards gen and m.
	mu  sync.Mutex
	gen uint64
	m   map[string]T
}

// get returns the value of key, or the generation to hand to put after
// reading it from the database.
// A nil cache (PostgreSQL) never has anything.
func (c *readCache[T]) get(key string) (v T, ok bool, gen uint64) {
	if c == nil {
		return v, false, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok = c.m[key]
	return v, ok, c.gen
}

// put keeps v for key if nothing was invalidated since gen.
func (c *readCache[T]) put(key string, v T, gen uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= maxCached {
		c.m = make(map[string]T)
	}
	c.m[key] = v
}

// invalidate forgets everything; call it after every write of the table
// (also a failed one: it may have landed).
func (c *readCache[T]) invalidate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.m)
}
