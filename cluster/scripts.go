package cluster

import (
	"context"
	"strings"

	"github.com/redis/go-redis/v9"
)

// The scripts that change several keys at once. Each runs atomically in
// Redis: no other node sees half of a claim, a release or a sweep.
//
// A batch runs its scripts by hash (EVALSHA) in one pipeline, and the
// writes of a batch must take effect in order (a call's release before
// the callEnded that follows it, so a user told the call ended is free).
// A script Redis does not know fails there and can only be run again
// after the writes behind it. So every script is loaded when the node
// starts, and again as soon as the node sees Redis has lost them (a
// restart, SCRIPT FLUSH): at each renewal, which runs by hash too.

// scripts is every script of the package, in the order declared, and
// sources their text.
var (
	scripts []*redis.Script
	sources []string
)

// newScript declares a script and adds it to scripts.
func newScript(src string) *redis.Script {
	s := redis.NewScript(src)
	scripts, sources = append(scripts, s), append(sources, src)
	return s
}

// loadScripts loads every script into Redis, in one round trip. (Not
// Script.Load on a pipeline: it would take the hash from a reply not
// read yet.)
func (n *Node) loadScripts(ctx context.Context) error {
	pipe := n.rdb.Pipeline()
	for _, src := range sources {
		pipe.ScriptLoad(ctx, src)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// noScript reports whether err is Redis not knowing a script's hash.
func noScript(err error) bool { return err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT") }

// runLoaded runs s by hash; when Redis does not know it (it lost its
// scripts), every script is loaded again before s runs.
func (n *Node) runLoaded(ctx context.Context, s *redis.Script, keys []string, args ...any) *redis.Cmd {
	cmd := s.EvalSha(ctx, n.rdb, keys, args...)
	if !noScript(cmd.Err()) {
		return cmd
	}
	n.log.Info("cluster: Redis had lost this node's scripts: loading them again")
	if err := n.loadScripts(ctx); err != nil {
		return cmd
	}
	return s.EvalSha(ctx, n.rdb, keys, args...)
}

// registerScript renews node KEYS[1] (fields ARGV[2..5], and ARGV[7] =
// "1" while it drains) for ARGV[1] ms and
// adds ARGV[2] (the id) to KEYS[2]. Returns 1 when the key had vanished
// and KEYS[3] too (a new cluster, or Redis lost its data), 2 when the key
// had vanished in a Redis that kept its data (a first start, or this node
// could not renew for an expiry: a survivor may have taken its calls), 0
// when it was renewed: on 1 and 2 the node must publish its state again. KEYS[3] (sb:epoch) marks that Redis holds the cluster's state: when
// it is missing and ARGV[6] > 0 (the node was registered before, so Redis
// lost its data), KEYS[4] (sb:settling) is set for ARGV[6] ms, during which
// every claim is refused while the other nodes publish their state again.
// ARGV[8] = "1" while the node has presence watchers: it is in KEYS[5]
// (sb:watching), else it is removed from it. ARGV[9] is this process's
// instance token: a live registration of the same node id by another
// process (two nodes given one cluster.node_id, or a crashed one not
// expired yet) is left alone and the error TAKEN returned.
var registerScript = newScript(`
local inst = redis.call('HGET', KEYS[1], 'instance')
if inst and inst ~= ARGV[9] then return redis.error_reply('TAKEN') end
local fresh = redis.call('EXISTS', KEYS[1]) == 0 and 2 or 0
if redis.call('EXISTS', KEYS[3]) == 0 then
  if fresh == 2 then fresh = 1 end
  redis.call('SET', KEYS[3], ARGV[2])
  if tonumber(ARGV[6]) > 0 then redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[6]) end
end
redis.call('HSET', KEYS[1], 'id', ARGV[2], 'media_url', ARGV[3], 'role', ARGV[4], 'load', ARGV[5], 'draining', ARGV[7], 'instance', ARGV[9])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
if ARGV[8] == '1' then redis.call('SADD', KEYS[5], ARGV[2]) else redis.call('SREM', KEYS[5], ARGV[2]) end
return fresh`)

// claimScript: KEYS[1] = sb:call:{sid}, KEYS[2] = sb:owned:{node},
// KEYS[3..] = sb:ucalls:{uid} of each user; ARGV[1] = node, ARGV[2] = sid,
// ARGV[3] = users JSON, ARGV[4] = media node ("" = choose), ARGV[5] = "1"
// for a call that needs ARGV[6] and ARGV[7] free (1:1: caller and callee),
// ARGV[8] = "1" for a claim made again by its owner (Resync), ARGV[9] = a
// uid whose live devices are looked up ("" = none), ARGV[10] = the key of
// an initiateCall's clientRequestId (sb:req:{caller}:{id}; "" = none),
// ARGV[11] = how long it is kept (ms), ARGV[12] = "1" to claim even if the
// key names an earlier call, ARGV[13] = the caller's initiateCall bucket
// (sb:rate:{caller}; "" = no limit), ARGV[14] = its rate (tokens a second),
// ARGV[15] = its burst, ARGV[16..] = the uids in KEYS order.
// When ARGV[10] names another call placed by a live node (and not
// ARGV[12]), nothing is written: the error RETRIED {sid}|{node} names it.
// Then, unless ARGV[8], a token is taken from the caller's bucket (full at
// first, refilled at ARGV[14] a second on Redis's clock, the one clock
// every node shares); when none is left nothing is written and the error
// LIMITED {ms} says how long until one is back. The token is spent
// whatever follows, as one node spends it (a busy callee included).
// Otherwise, when the caller (the first user) is free, the key is set to
// {sid}|{node} for ARGV[11] ms. Users with another call are busy: they are
// returned and not linked. When a needed user is busy nothing is written;
// otherwise the call is recorded as owned by node, its media pinned, and
// linked to the free users. Returns {media node, its media URL, "1" if
// ARGV[9] has live devices on some node else "0", busy uids...}
// (media "" when nothing was written), or the error SETTLING for a new call
// while sb:settling exists (Redis lost its data and the nodes are
// publishing theirs again), or NOMEDIA when no live node hosts media.
//
// The media node, when not given: the call's recorded one (a claim made
// again), else the live node of role all or media, not draining, with the lowest load
// (ties: the claiming node itself, then the lowest id). Its load is raised by one at once, so the calls
// placed before its next renewal spread; the renewal writes its real
// load (media participants) again.
var claimScript = newScript(`
if ARGV[8] ~= '1' and redis.call('EXISTS', 'sb:settling') == 1 then return redis.error_reply('SETTLING') end
if ARGV[10] ~= '' and ARGV[12] ~= '1' then
  local prev = redis.call('GET', ARGV[10])
  if prev then
    local sid, node = string.match(prev, '^([^|]*)|(.*)$')
    if sid ~= ARGV[2] and node and redis.call('EXISTS', 'sb:node:' .. node) == 1 then return redis.error_reply('RETRIED ' .. prev) end
  end
end
if ARGV[13] ~= '' and ARGV[8] ~= '1' then
  local rate, burst = tonumber(ARGV[14]), tonumber(ARGV[15])
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local b = redis.call('HMGET', ARGV[13], 'tokens', 'at')
  local tokens, at = tonumber(b[1]) or burst, tonumber(b[2]) or now
  if now > at then tokens, at = math.min(burst, tokens + (now - at) * rate / 1000), now end
  if tokens < 1 then return redis.error_reply('LIMITED ' .. math.max(1, math.ceil((1 - tokens) * 1000 / rate))) end
  redis.call('HSET', ARGV[13], 'tokens', tostring(tokens - 1), 'at', at)
  redis.call('PEXPIRE', ARGV[13], math.ceil(burst * 1000 / rate) + 1000)
end
local dev = '0'
if ARGV[9] ~= '' and redis.call('EXISTS', 'sb:dev:' .. ARGV[9]) == 1 then dev = '1' end
local busy = {}
local free = {}
for i = 3, #KEYS do
  local uid = ARGV[i + 13]
  local n = redis.call('SCARD', KEYS[i])
  if n > 0 and redis.call('SISMEMBER', KEYS[i], ARGV[2]) == 0 then
    table.insert(busy, uid)
  else
    table.insert(free, KEYS[i])
  end
end
if ARGV[5] == '1' then
  for _, uid in ipairs(busy) do
    if uid == ARGV[6] or uid == ARGV[7] then
      table.insert(busy, 1, dev); table.insert(busy, 1, ''); table.insert(busy, 1, '')
      return busy
    end
  end
end
local media = ARGV[4]
if media == '' then media = redis.call('HGET', KEYS[1], 'media') or '' end
local url
if media == '' then
  local best, bestLoad, bestURL = nil, 0, ''
  for _, id in ipairs(redis.call('SMEMBERS', 'sb:nodes')) do
    local f = redis.call('HMGET', 'sb:node:' .. id, 'role', 'load', 'draining', 'media_url')
    if f[1] and f[1] ~= 'signal' and f[3] ~= '1' then
      local load = tonumber(f[2]) or 0
      local better = best == nil or load < bestLoad
      if not better and load == bestLoad and best ~= ARGV[1] and (id == ARGV[1] or id < best) then better = true end
      if better then best, bestLoad, bestURL = id, load, f[4] or '' end
    end
  end
  if best == nil then return redis.error_reply('NOMEDIA') end
  media, url = best, bestURL
  redis.call('HINCRBY', 'sb:node:' .. media, 'load', 1)
else
  url = redis.call('HGET', 'sb:node:' .. media, 'media_url') or ''
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'media', media, 'users', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('SADD', 'sb:media:' .. media, ARGV[2])
for _, k in ipairs(free) do redis.call('SADD', k, ARGV[2]) end
if ARGV[10] ~= '' and free[1] == KEYS[3] then redis.call('SET', ARGV[10], ARGV[2] .. '|' .. ARGV[1], 'PX', ARGV[11]) end
table.insert(busy, 1, dev); table.insert(busy, 1, url); table.insert(busy, 1, media)
return busy`)

// releaseScript: KEYS[1] = sb:call:{sid}, KEYS[2] = sb:owned:{node},
// KEYS[3..] = sb:ucalls:{uid}; ARGV[1] = sid. Unlinks the users and
// forgets the call (and its media node's link to it).
var releaseScript = newScript(`
for i = 3, #KEYS do redis.call('SREM', KEYS[i], ARGV[1]) end
local media = redis.call('HGET', KEYS[1], 'media')
if media then redis.call('SREM', 'sb:media:' .. media, ARGV[1]) end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1`)

// sweepScript takes lost node ARGV[1]'s calls and devices: KEYS[1] =
// sb:owned:{lost}, KEYS[2] = sb:nodedevs:{lost}, KEYS[3] = sb:nodes,
// KEYS[4] = sb:media:{lost}. For each call it owned it unlinks every user,
// deletes the call and returns {sid, users JSON, media, owner}; for each
// call whose media it hosted and whose owner is another node, it returns
// the same four (the owner ends that call and releases it as usual). It
// removes the node's devices from the users' device hashes and the node
// from sb:nodes and sb:watching. Keys are computed in the script (one Redis, not Redis
// Cluster: documented in docs/cluster.md).
var sweepScript = newScript(`
local out = {}
for _, sid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local ck = 'sb:call:' .. sid
  local users = redis.call('HGET', ck, 'users')
  local media = redis.call('HGET', ck, 'media') or ''
  if users then
    for _, uid in ipairs(cjson.decode(users)) do redis.call('SREM', 'sb:ucalls:' .. uid, sid) end
    table.insert(out, sid); table.insert(out, users); table.insert(out, media); table.insert(out, ARGV[1])
  end
  if media ~= '' then redis.call('SREM', 'sb:media:' .. media, sid) end
  redis.call('DEL', ck)
end
redis.call('DEL', KEYS[1])
for _, sid in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  local f = redis.call('HMGET', 'sb:call:' .. sid, 'owner', 'users')
  if f[1] and f[2] and f[1] ~= ARGV[1] then
    table.insert(out, sid); table.insert(out, f[2]); table.insert(out, ARGV[1]); table.insert(out, f[1])
  end
end
redis.call('DEL', KEYS[4])
for _, uid in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  redis.call('HDEL', 'sb:dev:' .. uid, ARGV[1])
  for _, f in ipairs(redis.call('HKEYS', 'sb:bound:' .. uid)) do
    local i = string.find(f, '|', 1, true)
    if i and string.sub(f, i + 1) == ARGV[1] then redis.call('HDEL', 'sb:bound:' .. uid, f) end
  end
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SREM', 'sb:watching', ARGV[1])
return out`)

// boundScript: KEYS[1] = sb:bound:{uid}; ARGV[1] = "deviceId|node",
// ARGV[2] = +1 or -1 (or a whole count, Resync). A bound socket is a live
// device of the node, so the sweep finds the user in sb:nodedevs:{node}.
var boundScript = newScript(`
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return n`)

// deviceSetScript sets this node's count of uid's live devices: KEYS as
// deviceScript; ARGV[1] = node, ARGV[2] = uid, ARGV[3] = the count.
var deviceSetScript = newScript(`
if tonumber(ARGV[3]) <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], ARGV[2])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  redis.call('SADD', KEYS[2], ARGV[2])
end
return 1`)

// boundSetScript sets one node's part of a user's bound push targets to
// exactly what it holds: KEYS[1] = sb:bound:{uid}; ARGV[1] = node, then
// pairs of deviceId and count (> 0).
var boundSetScript = newScript(`
local suffix = '|' .. ARGV[1]
for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
  local i = string.find(f, '|', 1, true)
  if i and string.sub(f, i) == suffix then redis.call('HDEL', KEYS[1], f) end
end
for i = 2, #ARGV - 1, 2 do redis.call('HSET', KEYS[1], ARGV[i] .. suffix, ARGV[i + 1]) end
return 1`)

// deviceReserveScript: KEYS[1] = sb:dev:{uid}, KEYS[2] =
// sb:nodedevs:{node}; ARGV[1] = node, ARGV[2] = uid, ARGV[3] = the most
// live devices uid may have on all the nodes (0: no cap). It counts one
// more device of uid on node, unless that many are counted already: then
// it changes nothing and returns -1.
var deviceReserveScript = newScript(`
local max = tonumber(ARGV[3])
if max > 0 then
  local total = 0
  for _, v in ipairs(redis.call('HVALS', KEYS[1])) do total = total + tonumber(v) end
  if total >= max then return -1 end
end
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('SADD', KEYS[2], ARGV[2])
return n`)

// deviceScript: KEYS[1] = sb:dev:{uid}, KEYS[2] = sb:nodedevs:{node};
// ARGV[1] = node, ARGV[2] = uid, ARGV[3] = +1 or -1.
var deviceScript = newScript(`
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[3])
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], ARGV[2])
else
  redis.call('SADD', KEYS[2], ARGV[2])
end
return n`)
