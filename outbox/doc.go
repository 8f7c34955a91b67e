// Package outbox delivers what must leave the server (pushes, webhook
// deliveries) from the store's durable outbox, at least once.
//
// Enqueue hands items to the Dispatcher without blocking (the ringing loop
// calls it): a writer goroutine stores them in batches (one transaction per
// batch) and wakes the delivery loop. The delivery loop asks the store for
// due items (the oldest pending item of each order key, so the events of a
// call reach an endpoint in order), starts one delivery per item on the
// item's channel, and records the outcome: delivered; pending again after
// a backoff (exponential with jitter from MinBackoff to MaxBackoff, at
// least the receiver's Retry-After); or failed once the item's deadline
// passed or the channel calls the error permanent.
//
// With a committer (CommitWith: the call writer, signaling.OutboxQueue)
// the writer goroutine leaves queued items to it: the committer takes them
// into its next transaction, beside the call snapshots whose change caused
// them, so SQLite's one writer connection commits once where it committed
// twice; items the committer has not taken within handoffWait, or handed
// back after a failed transaction, the writer stores itself. One lock
// (storing) spans a batch from its taking to its hand-over to the loop, so
// batches are stored, and reach the loop, in queue order.
//
// A batch the store refuses (it is down: PostgreSQL stopped, a full disk)
// is kept at the head of the queue, before everything queued after it, and
// tried again with backoff (retryMin doubling to retryMax) by the writer,
// or taken by the committer's next transaction, until it is stored; so
// order per key holds. At most maxQueued items wait: beyond, the oldest
// are dropped and logged with their number. Items the store refuses as
// invalid can never be stored and are dropped at once (the rest of their
// batch is stored). Close makes one last attempt (at most closeAttempt),
// then logs what is lost.
//
// Nothing is lost on a crash: an item is in the store before anything is
// sent, and stays pending until its outcome is recorded, so after kill -9
// it is sent again at the next start (receivers de-duplicate on the event
// id). Outcomes are recorded in batches by a recorder goroutine (one
// transaction for what came in while the last one ran); the loop does not
// wait for them, so an item delivered just before a crash may be sent
// again. The one window is between Enqueue and the writer's commit (a few
// milliseconds, like the call log's). The recorder waits up to
// recordLinger for more outcomes before a transaction, so one carries many
// even at moderate rates; the writer does not wait (that would widen the
// window).
//
// Nodes of a cluster share the outbox table; each pending item names the
// node that delivers it, and a node's start reads back only its own. A node
// that stops for good leaves its pending items behind: at start and every
// Config.SweepEvery the loop reads the pending items and takes over the
// order keys whose oldest item belongs to a node that is gone, or is more
// than Config.StaleAfter past due, and that it does not hold (see
// sweep.go); a key may then be delivered by two nodes, never by none.
//
// # Concurrency
//
// One goroutine (the loop) owns the in-flight set; the recorder goroutine
// owns the store writes of outcomes; the writer goroutine owns inserts; a
// sweep goroutine (one at a time) reads for the loop; deliveries run on their own
// goroutines, at most Config.Concurrency per channel, so a slow webhook
// receiver cannot hold up pushes (nor anything on the ringing loop, which
// only appends to a slice under a mutex). Close stops accepting, flushes
// the writer, cancels deliveries in flight (they stay pending) and waits
// for every goroutine.
package outbox
