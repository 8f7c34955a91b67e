// Package cluster is what several switchboard nodes share through Redis
// (go-redis v9): the node registry, the shared ringing indexes and the bus
// between nodes. One node with its SQLite file needs none of it.
//
//   - Registry: each node renews sb:node:{id} every cluster.keepalive with
//     an expiry of cluster.expiry and announces its media URL, role and
//     load. A node whose registration expired is lost: the first survivor
//     to take sb:sweep:{id} sweeps it atomically (its calls leave the busy
//     index, its devices leave the device index) and gets its calls to end
//     with reason node_lost. Detection takes at most expiry + keepalive
//     (8 s with the defaults).
//   - Call ownership and busy state: Claim records which node owns a call
//     (runs its state machine), pins its media to a node (the live node of
//     role all or media, not draining, with the lowest announced load; the
//     claiming node on a tie) and links its users in the busy index, in one
//     Lua script: two nodes claiming the same user at once cannot both win,
//     so auto-busy and glare hold across nodes as on one. Release and Unlink
//     undo it. A lost node's sweep also hands over the calls whose media it
//     hosted (LostCall.Owner names their live owner, which ends them).
//   - Roles (Config.Role): all, signal (never hosts media) or media (takes
//     no ringing); each registration carries the role and media URL.
//   - Device index: which nodes hold live /v1/ws devices of a user.
//   - Bus: typed Envelopes on one pub/sub channel per node: deliver (a
//     frame for a user's devices there), command (a device's request for a
//     call another node owns), reply, media, and presence (a merged change,
//     only to nodes with presence watchers). Commands are data, not
//     closures.
//   - Batch: the writes a node queues (deliveries, presence views,
//     releases, unlinks, device counts) go to Redis in one pipeline per
//     wake of its queue, each still atomic on its own.
//
// Redis unavailable: Up turns false at the next renewal; callers refuse
// new calls with ErrUnavailable and leave ongoing media alone. When Redis
// answers again the node re-registers, and if Redis lost its data Resync
// asks the owner to publish its devices and calls again.
//
// Concurrency: a Node is safe for concurrent use. It runs two goroutines,
// the keepalive (renewal and sweep, which calls Deps.Lost and Deps.Resync)
// and the bus reader (which calls Deps.Receive); Close stops both and
// waits for them. Callbacks must not block for long.
//
// Keys are computed inside scripts, so the cluster needs one Redis (or a
// primary with replicas), not Redis Cluster.
package cluster
