package cluster

// Redis keys, all under "sb:". A node's registration expires unless
// renewed; the indexes it owns are cleaned by the survivor that sweeps it.
//
//	sb:epoch             str   set by the first registration: Redis holds the cluster's state
//	sb:settling          str   Redis lost its data: claims refused (PX cluster.expiry + keepalive)
//	sb:nodes             set   every node that registered and was not swept
//	sb:node:{id}         hash  media_url, role, load (PEXPIRE cluster.expiry)
//	sb:sweep:{id}        str   the survivor sweeping lost node id (NX, short TTL)
//	sb:call:{sid}        hash  owner, media, users (JSON array)
//	sb:owned:{id}        set   session ids whose machine runs on node id
//	sb:media:{id}        set   session ids whose media is pinned to node id
//	sb:ucalls:{uid}      set   session ids uid rings in or is joined to (busy index)
//	sb:dev:{uid}         hash  node id -> live /v1/ws devices of uid there
//	sb:nodedevs:{id}     set   users with devices on node id (for the sweep)
//	sb:bound:{uid}       hash  "deviceId|node" -> sockets there bound to that push target (registerDevice)
//	sb:presence:{uid}    hash  node id -> "online"|"busy" (that node's view), _name
//	sb:nodepres:{id}     set   users node id has a view of (for the sweep)
//	sb:bus:{id}          pub/sub channel of node id (typed Envelopes)
//	sb:watching          set   nodes with presence watchers: merged changes are published on their bus
//	sb:req:{uid}:{id}    str   "sid|node": the call uid's initiateCall with clientRequestId id placed (PX its ring window)
//	sb:rate:{uid}        hash  tokens, at (ms): uid's initiateCall bucket (ringing.initiate_rate; PX until it is full)
const prefix = "sb:"

func nodesKey() string                 { return prefix + "nodes" }
func epochKey() string                 { return prefix + "epoch" }
func settlingKey() string              { return prefix + "settling" }
func nodeKey(id string) string         { return prefix + "node:" + id }
func sweepKey(id string) string        { return prefix + "sweep:" + id }
func callKey(sid string) string        { return prefix + "call:" + sid }
func ownedKey(id string) string        { return prefix + "owned:" + id }
func ucallsKey(uid string) string      { return prefix + "ucalls:" + uid }
func devKey(uid string) string         { return prefix + "dev:" + uid }
func nodeDevsKey(id string) string     { return prefix + "nodedevs:" + id }
func boundKey(uid string) string       { return prefix + "bound:" + uid }
func mediaKey(id string) string        { return prefix + "media:" + id }
func busChannel(id string) string      { return prefix + "bus:" + id }
func presenceKey(uid string) string    { return prefix + "presence:" + uid }
func nodePresKey(id string) string     { return prefix + "nodepres:" + id }
func requestKey(uid, id string) string { return prefix + "req:" + uid + ":" + id }
func watchingKey() string              { return prefix + "watching" }
func rateKey(uid string) string        { return prefix + "rate:" + uid }
