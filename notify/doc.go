// Package notify turns the ringing hub's call hooks into outbox items:
// pushes to the devices of the users a call concerns, and webhook
// deliveries to the configured endpoints.
//
// The hub calls CallEvent on its loop; CallEvent only appends to a queue.
// One worker goroutine takes the queue in batches, reads what it needs from
// the store (a callee's devices), applies the push
// policy (offline-only skips a device whose socket is live here), and hands
// the items to the outbox dispatcher, which stores them before anything is
// sent. So nothing here ever waits on a provider or a receiver, and the hub
// never waits on the store.
//
// Pushes: a callee who starts ringing gets a ring push on each device (VoIP
// on apns-voip, an alert on apns, a high-priority data message on fcm),
// expiring at the ring deadline; when the call stops ringing for them the
// devices that got the ring get a stop push; a callee who missed the call
// gets an alert push on apns and fcm devices ("Missed call from Alice").
// Each device's pushes are delivered in order (order key per device).
//
// Webhooks: every webhook hook becomes one event (id evt_<session>_<seq>,
// the same on every retry) and one outbox item per endpoint whose filter
// takes it.
//
// # Concurrency
//
// mu guards the queue; the worker owns everything else (the ring record of
// which devices got which call's ring push). Close stops the worker after
// it has handed over what was queued.
package notify
