package cluster

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Presence across nodes: each node writes its own view of a user (online:
// a device here, busy: in a call here, or nothing) into sb:presence:{uid};
// the user's status is the merge (busy over online over offline). A script
// changes one node's view and, when the merge changes, publishes it on the
// bus of every node with presence watchers (sb:watching: connections that
// listed users), which hands it to them: those nodes see every change once,
// in Redis's order. With no watcher anywhere nothing is published (as one
// node sends nothing when nobody listens); the views are written all the
// same, so a later listUsers reads the merged status.

// KindPresence is an Envelope on a watching node's bus: UID's merged Status
// changed.
const KindPresence = "presence"

// Presence statuses (the wire's presence values; "" is offline here).
const (
	PresenceOnline = "online"
	PresenceBusy   = "busy"
)

// presenceLua sets node's view of one user and publishes a changed merge.
// Hash fields: node id -> "online"|"busy", and "_name" -> the name.
const presenceLua = `
local function merged(t)
  local st = 'offline'
  for f, v in pairs(t) do
    if f ~= '_name' then
      if v == 'busy' then return 'busy' end
      st = 'online'
    end
  end
  return st
end
local function set(key, nodeset, node, uid, status, name)
  local all = redis.call('HGETALL', key)
  local t = {}
  for i = 1, #all, 2 do t[all[i]] = all[i + 1] end
  local before, had = merged(t), t[node]
  if status == '' then t[node] = nil else t[node] = status end
  if name ~= '' and t['_name'] ~= name then
    t['_name'] = name
    redis.call('HSET', key, '_name', name)
  end
  local after = merged(t)
  if after == 'offline' then
    redis.call('DEL', key)
  elseif status == '' then
    if had then redis.call('HDEL', key, node) end
  elseif had ~= status then
    redis.call('HSET', key, node, status)
  end
  if status == '' and had then redis.call('SREM', nodeset, uid) end
  if status ~= '' and not had then redis.call('SADD', nodeset, uid) end
  if after ~= before then
    local watching = redis.call('SMEMBERS', 'sb:watching')
    if #watching > 0 then
      local msg = cjson.encode({kind = 'presence', uid = uid, name = t['_name'] or '', status = after})
      for _, id in ipairs(watching) do redis.call('PUBLISH', 'sb:bus:' .. id, msg) end
    end
  end
  return after
end
`

// presenceScript: KEYS[1] = sb:presence:{uid}, KEYS[2] = sb:nodepres:{node};
// ARGV = node, uid, status ("" = none here), name ("" = keep).
var presenceScript = newScript(presenceLua + `
return set(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])`)

// presenceDropScript: KEYS[1] = sb:nodepres:{node}; ARGV[1] = node. Drops
// every view node held (it was lost or left).
var presenceDropScript = newScript(presenceLua + `
for _, uid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  set('sb:presence:' .. uid, KEYS[1], ARGV[1], uid, '', '')
end
redis.call('DEL', KEYS[1])
return 1`)

// SetPresence sets this node's view of uid: PresenceOnline, PresenceBusy
// or "" (nothing here). name, when set, is what the events carry.
func (n *Node) SetPresence(ctx context.Context, uid, name, status string) error {
	if err := n.one(ctx, func(b *Batch) { b.SetPresence(uid, name, status) }); err != nil {
		return fmt.Errorf("presence of %s: %w", uid, err)
	}
	return nil
}

// PresenceOf returns each uid's merged status across the cluster
// ("online", "busy" or "offline").
func (n *Node) PresenceOf(ctx context.Context, uids []string) (map[string]string, error) {
	pipe := n.rdb.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, len(uids))
	for i, u := range uids {
		cmds[i] = pipe.HGetAll(ctx, presenceKey(u))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("%w: presence: %w", ErrUnavailable, err)
	}
	out := make(map[string]string, len(uids))
	for i, u := range uids {
		out[u] = mergedOf(cmds[i].Val())
	}
	return out, nil
}

// mergedOf is a user's status from the nodes' views (as presenceLua's merged).
func mergedOf(views map[string]string) string {
	st := "offline"
	for f, v := range views {
		if f == "_name" {
			continue
		}
		if v == PresenceBusy {
			return PresenceBusy
		}
		st = PresenceOnline
	}
	return st
}

// dropPresence forgets every view node held (lost or leaving).
func (n *Node) dropPresence(ctx context.Context, node string) error {
	return presenceDropScript.Run(ctx, n.rdb, []string{nodePresKey(node)}, node).Err()
}

// SetWatching records whether this node has presence watchers (on: the
// presence changes of every node are published to it from now on). The
// renewal writes it again each keepalive, from Deps.Watching.
func (n *Node) SetWatching(ctx context.Context, on bool) error {
	var err error
	if on {
		err = n.rdb.SAdd(ctx, watchingKey(), n.id).Err()
	} else {
		err = n.rdb.SRem(ctx, watchingKey(), n.id).Err()
	}
	if err != nil {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return nil
}
