package cluster

import "github.com/redis/go-redis/v9"

// The scripts that change several keys at once. Each runs atomically in
// Redis: no other node sees half of a claim, a release or a sweep.

// registerScript renews node KEYS[1] (fields ARGV[2..5]) for ARGV[1] ms and
// adds ARGV[2] (the id) to KEYS[2]. Returns 1 when the key had vanished
// (first start, or Redis lost its data): the node must publish its state
// again. KEYS[3] (sb:epoch) marks that Redis holds the cluster's state: when
// it is missing and ARGV[6] > 0 (the node was registered before, so Redis
// lost its data), KEYS[4] (sb:settling) is set for ARGV[6] ms, during which
// every claim is refused while the other nodes publish their state again.
var registerScript = redis.NewScript(`
local fresh = redis.call('EXISTS', KEYS[1]) == 0 and 1 or 0
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('SET', KEYS[3], ARGV[2])
  if tonumber(ARGV[6]) > 0 then redis.call('SET', KEYS[4], ARGV[2], 'PX', ARGV[6]) end
end
redis.call('HSET', KEYS[1], 'id', ARGV[2], 'media_url', ARGV[3], 'role', ARGV[4], 'load', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
return fresh`)

// claimScript: KEYS[1] = sb:call:{sid}, KEYS[2] = sb:owned:{node},
// KEYS[3..] = sb:ucalls:{uid} of each user; ARGV[1] = node, ARGV[2] = sid,
// ARGV[3] = users JSON, ARGV[4] = media node, ARGV[5] = "1" for a call
// that needs ARGV[6] and ARGV[7] free (1:1: caller and callee), ARGV[8] =
// "1" for a claim made again by its owner (Resync), ARGV[9..] = the uids in
// KEYS order. Users with another call are busy: they are
// returned and not linked. When a needed user is busy nothing is written;
// otherwise the call is recorded as owned by node and linked to the free
// users. Returns the busy uids, or the error SETTLING for a new call while
// sb:settling exists (Redis lost its data and the nodes are publishing
// theirs again).
var claimScript = redis.NewScript(`
if ARGV[8] ~= '1' and redis.call('EXISTS', 'sb:settling') == 1 then return redis.error_reply('SETTLING') end
local busy = {}
local free = {}
for i = 3, #KEYS do
  local uid = ARGV[i + 6]
  local n = redis.call('SCARD', KEYS[i])
  if n > 0 and redis.call('SISMEMBER', KEYS[i], ARGV[2]) == 0 then
    table.insert(busy, uid)
  else
    table.insert(free, KEYS[i])
  end
end
if ARGV[5] == '1' then
  for _, uid in ipairs(busy) do
    if uid == ARGV[6] or uid == ARGV[7] then return busy end
  end
end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'media', ARGV[4], 'users', ARGV[3])
redis.call('SADD', KEYS[2], ARGV[2])
for _, k in ipairs(free) do redis.call('SADD', k, ARGV[2]) end
return busy`)

// releaseScript: KEYS[1] = sb:call:{sid}, KEYS[2] = sb:owned:{node},
// KEYS[3..] = sb:ucalls:{uid}; ARGV[1] = sid. Unlinks the users and
// forgets the call.
var releaseScript = redis.NewScript(`
for i = 3, #KEYS do redis.call('SREM', KEYS[i], ARGV[1]) end
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
return 1`)

// sweepScript takes lost node ARGV[1]'s calls and devices: KEYS[1] =
// sb:owned:{lost}, KEYS[2] = sb:nodedevs:{lost}, KEYS[3] = sb:nodes.
// For each call it unlinks every user, deletes the call and returns
// {sid, users JSON, media} triples; it removes the node's devices from the
// users' device hashes and the node from sb:nodes. Keys are computed in the
// script (one Redis, not Redis Cluster: documented in docs/cluster.md).
var sweepScript = redis.NewScript(`
local out = {}
for _, sid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local ck = 'sb:call:' .. sid
  local users = redis.call('HGET', ck, 'users')
  local media = redis.call('HGET', ck, 'media') or ''
  if users then
    for _, uid in ipairs(cjson.decode(users)) do redis.call('SREM', 'sb:ucalls:' .. uid, sid) end
    table.insert(out, sid); table.insert(out, users); table.insert(out, media)
  end
  redis.call('DEL', ck)
end
redis.call('DEL', KEYS[1])
for _, uid in ipairs(redis.call('SMEMBERS', KEYS[2])) do redis.call('HDEL', 'sb:dev:' .. uid, ARGV[1]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return out`)

// deviceScript: KEYS[1] = sb:dev:{uid}, KEYS[2] = sb:nodedevs:{node};
// ARGV[1] = node, ARGV[2] = uid, ARGV[3] = +1 or -1.
var deviceScript = redis.NewScript(`
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[3])
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('SREM', KEYS[2], ARGV[2])
else
  redis.call('SADD', KEYS[2], ARGV[2])
end
return n`)
