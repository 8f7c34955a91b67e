package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// RunJoin measures, for calls one after another: the callee accepts, both
// open their media session with their call token and publish; the time from
// the accept to the first RTP packet at the other side (either direction,
// whichever arrives first), and from the accept to the caller's session
// joined and publishing.
func RunJoin(ctx context.Context, t *SwitchboardTarget, calls int, clips [2]*Clip) (*JoinResult, error) {
	res := &JoinResult{Calls: calls}
	var first, joined []time.Duration
	steps := make([][]time.Duration, len(joinStepNames))
	var firstErr error
	for range calls {
		f, j, st, err := joinOnce(ctx, t, clips)
		if err != nil {
			res.Errors++
			if firstErr == nil {
				firstErr = err
				res.FirstError = err.Error()
			}
			if ctx.Err() != nil {
				break
			}
			continue
		}
		first = append(first, f)
		joined = append(joined, j)
		for _, one := range st {
			for i, d := range one {
				if d >= 0 {
					steps[i] = append(steps[i], d)
				}
			}
		}
	}
	for i, name := range joinStepNames {
		res.Steps = append(res.Steps, StepLatency{Step: name, P50MS: ms(Percentile(steps[i], 0.5)), P99MS: ms(Percentile(steps[i], 0.99))})
	}
	res.P50MS, res.P99MS = ms(Percentile(first, 0.5)), ms(Percentile(first, 0.99))
	res.ConnectedP50MS = ms(Percentile(joined, 0.5))
	if len(first) == 0 {
		return res, fmt.Errorf("%w: join: no call got media: %w", ErrScenario, firstErr)
	}
	return res, nil
}

// joinOnce returns accept -> first RTP, accept -> the caller joined and
// publishing, and each participant's join steps (ms after accept, -1: not seen).
func joinOnce(ctx context.Context, t *SwitchboardTarget, clips [2]*Clip) (time.Duration, time.Duration, [2][joinStepCount]time.Duration, error) {
	var none [2][joinStepCount]time.Duration
	set := &sinkSet{epoch: NewEpoch(), window: &Window{}}
	room := fmt.Sprintf("j%d", t.rooms.Add(1))
	uids, err := t.CreateUsers(ctx, room, 2)
	if err != nil {
		return 0, 0, none, err
	}
	toks, chats, acceptAt, err := t.ring(ctx, room, uids)
	defer func() {
		for _, c := range chats {
			_ = c.Close()
		}
	}()
	if err != nil {
		return 0, 0, none, err
	}
	acceptEpoch := acceptAt.Sub(set.epoch.t0)
	marks := [2]*joinSteps{newJoinSteps(set.epoch), newJoinSteps(set.epoch)}
	parts := make([]Participant, 2)
	joinedAt := make([]time.Duration, 2)
	errs := make([]error, 2)
	srcCtx, stop := context.WithCancel(ctx)
	var wg, sources sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := t.joinMediaWith(ctx, i, toks[i], true, set.onTrack, marks[i])
			if err != nil {
				errs[i] = err
				return
			}
			parts[i], joinedAt[i] = p, set.epoch.Now()
			_, wait := startSources(srcCtx, []Participant{p}, clips, set)
			sources.Add(1)
			go func() { defer sources.Done(); wait() }()
		}()
	}
	wg.Wait()
	got := waitForTracks(ctx, set, 1, 5*time.Second)
	stop()
	sources.Wait()
	cerr := closeAll(parts)
	if err := errors.Join(errs...); err != nil {
		return 0, 0, none, errors.Join(err, cerr)
	}
	if got == 0 {
		return 0, 0, none, fmt.Errorf("%w: join %s: no RTP within 5 s", ErrScenario, room)
	}
	firstAt := time.Duration(-1)
	for _, k := range set.list() {
		if at, ok := k.FirstArrival(); ok && (firstAt < 0 || at < firstAt) {
			firstAt = at
		}
	}
	return firstAt - acceptEpoch, joinedAt[0] - acceptEpoch, [2][joinStepCount]time.Duration{marks[0].since(acceptEpoch), marks[1].since(acceptEpoch)}, cerr
}
