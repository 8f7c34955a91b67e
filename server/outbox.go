package server

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboard-rtc/switchboard/notify"
	"github.com/switchboard-rtc/switchboard/outbox"
	"github.com/switchboard-rtc/switchboard/push"
	"github.com/switchboard-rtc/switchboard/store"
	"github.com/switchboard-rtc/switchboard/webhook"
)

// assembleOutbox builds the push and webhook senders, the outbox
// dispatcher (always: items left by a previous run are delivered) and,
// when pushes or webhooks are configured, the notifier the hub reports to.
// In a cluster it comes after joining (the dispatcher names its node).
func (a *App) assembleOutbox() error {
	cfg := a.cfg
	var err error
	if a.pusher, err = push.New(cfg.Push, push.Deps{Store: a.store, Log: a.log.With("part", "push"), Now: cfg.Now, TLS: cfg.ProviderTLS}); err != nil {
		return fmt.Errorf("push: %w", err)
	}
	if a.hooks, err = webhook.New(cfg.Webhooks, webhook.Deps{Now: cfg.Now, TLS: cfg.ProviderTLS}); err != nil {
		return err // webhook.ErrConfig names the block
	}
	od := outbox.Deps{
		Store: a.store, Log: a.log.With("part", "outbox"), Now: cfg.Now,
		Channels: map[string]outbox.Channel{push.Channel: a.pusher, webhook.Channel: a.hooks},
	}
	if a.link != nil { // a node of a cluster delivers its own items and takes over those of nodes gone
		od.Node, od.LiveNodes = a.link.node.ID(), a.link.node.Alive
	}
	a.outbox, err = outbox.New(cfg.Outbox, od)
	if err != nil {
		return err
	}
	pushOn := a.pusher.Enabled(store.DeviceAPNs) || a.pusher.Enabled(store.DeviceFCM)
	if !pushOn && !cfg.Webhooks.Enabled() {
		return nil
	}
	d := notify.Deps{Store: a.store, Outbox: a.outbox, Webhooks: cfg.Webhooks, Log: a.log.With("part", "notify"), Now: cfg.Now,
		Online: func(ctx context.Context, uid string) map[string]bool {
			if h := a.hubUp.Load(); h != nil {
				return h.OnlineDevices(ctx, uid)
			}
			return nil // the hub is starting: no socket has connected yet
		}}
	if pushOn {
		d.Push = a.pusher
	}
	a.notifier = notify.New(d)
	return nil
}

// hasPushTarget reports whether uid has a device a push can reach.
func (a *App) hasPushTarget(ctx context.Context, uid string) (bool, error) {
	devs, err := a.store.ListDevices(ctx, uid)
	if err != nil {
		return false, err
	}
	for _, d := range devs {
		if a.pusher.Enabled(d.Kind) {
			return true, nil
		}
	}
	return false, nil
}

// closeOutbox stops the notifier (handing over what it queued), then the
// dispatcher (storing what it was handed; deliveries in flight stay
// pending for the next start).
func (a *App) closeOutbox() error {
	if a.notifier != nil {
		a.notifier.Close() // what the hub's last events make is enqueued
	}
	var err error
	if a.outbox != nil {
		ctx, cancel := context.WithTimeout(context.Background(), outboxSettle)
		if a.outbox.Settle(ctx) != nil {
			a.log.Info("outbox: items still due at shutdown go at the next start (or, in a cluster, with another node's sweep)", "waited", outboxSettle)
		}
		cancel()
		err = a.outbox.Close()
	}
	if a.hooks != nil {
		a.hooks.Close()
	}
	return err
}

// outboxSettle bounds how long a stopping node waits for the webhooks and
// pushes due then (those of the calls its shutdown ended among them).
const outboxSettle = 5 * time.Second

// Outbox is the App's outbox dispatcher (admin API replays wake it).
func (a *App) Outbox() *outbox.Dispatcher { return a.outbox }
