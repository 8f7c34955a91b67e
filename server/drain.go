package server

import (
	"context"
	"errors"
	"time"
)

// drainPoll is how often Drain looks at the number of active calls.
const drainPoll = 100 * time.Millisecond

// Drain stops taking new work and waits for ongoing calls to end: /healthz
// answers 503 "draining", new /v1/ws connections and new calls are refused
// (initiateCall answers invalid_state), and Drain
// returns once the hub has no active call (and, in a cluster, this node's
// media no participant of a call another node owns), or when
// cfg.Server.ShutdownGrace has passed or ctx is done (then it returns how
// many of this node's calls were left, and how many participants were in
// media here). Call Close afterwards.
func (a *App) Drain(ctx context.Context) (calls, inMedia int) {
	a.web.StartDrain()
	a.hub.StartDrain()
	if a.link != nil { // no new call's media here; the rooms it hosts finish
		if err := a.link.node.SetDraining(ctx); err != nil {
			a.log.Warn("cluster: announcing the drain failed; the next renewal does", "err", err)
		}
	}
	a.log.Info("draining", "active_calls", a.hub.ActiveCalls(), "media_participants", a.media.Participants(), "grace", a.cfg.Server.ShutdownGrace)
	grace := time.NewTimer(a.cfg.Server.ShutdownGrace)
	defer grace.Stop()
	tick := time.NewTicker(drainPoll)
	defer tick.Stop()
	for {
		calls, inMedia = a.hub.ActiveCalls(), 0
		if a.link != nil { // in rooms of calls other nodes own, too
			inMedia = a.media.Participants()
		}
		if calls == 0 && inMedia == 0 {
			return 0, 0
		}
		select {
		case <-tick.C:
		case <-grace.C:
			a.log.Warn("shutdown grace over; closing ongoing calls", "active_calls", calls, "media_participants", inMedia)
			return calls, inMedia
		case <-ctx.Done():
			return calls, inMedia
		}
	}
}

// Close stops everything in order: the HTTP listener, the ringing hub and
// its connections, the media server, then the store. It is safe to call
// more than once and returns the first error.
func (a *App) Close() error {
	a.closeOnce.Do(func() { a.closeErr = a.close() })
	return a.closeErr
}

func (a *App) close() error {
	var errs []error
	if a.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		errs = append(errs, a.http.Shutdown(ctx))
		cancel()
	} else if a.listener != nil { // bound, but start-up failed before serving
		errs = append(errs, a.listener.Close())
	}
	if a.metrics != nil {
		errs = append(errs, a.metrics.Close())
	} else if a.metricsL != nil {
		errs = append(errs, a.metricsL.Close())
	}
	if a.hub != nil {
		errs = append(errs, a.hub.Close())
	}
	errs = append(errs, a.closeCluster())
	errs = append(errs, a.closeOutbox())
	if a.media != nil {
		errs = append(errs, a.media.Close())
	}
	if a.quality != nil { // after the media: the calls it ended are kept
		a.quality.close()
	}
	if a.turn != nil {
		errs = append(errs, a.turn.Close())
	}
	a.cancel()
	if a.web != nil {
		a.web.Wait()
	}
	if a.store != nil {
		errs = append(errs, a.store.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if a.http != nil { // not after a failed start
		a.log.Info("stopped")
	}
	return nil
}
