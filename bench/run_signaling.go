package bench

import (
	"context"
	"fmt"
)

// runSignaling runs ringing, idle connections and join, each against a
// fresh server. A failed scenario is a warning, not the end of the run.
func runSignaling(ctx context.Context, cfg Config, rep *Report) error {
	if cfg.IdleConns > 0 {
		RaiseFileLimit() // before any server starts: they inherit the limit
	}
	steps := []struct {
		name string
		on   bool
		run  func(*SwitchboardTarget) error
	}{
		{"ringing", cfg.RingingPairs > 0 && !cfg.RingingPush, func(t *SwitchboardTarget) (err error) {
			cfg.progress("ringing: %d pairs, %v flat out, then %.0f flows/s", cfg.RingingPairs, cfg.RingingDuration, cfg.PacedRate)
			rep.Ringing, err = RunRinging(ctx, t, cfg.RingingPairs, cfg.RingingDuration, cfg.PacedRate)
			return err
		}},
		{"idle", cfg.IdleConns > 0, func(t *SwitchboardTarget) (err error) {
			n := cfg.IdleConns
			if limit := int(RaiseFileLimit()) - 500; n > limit {
				rep.Warnings = append(rep.Warnings, fmt.Sprintf(
					"idle: %d connections asked, open-file limit allows %d per process", n, limit))
				n = limit
			}
			cfg.progress("idle: %d signaling connections", n)
			rep.Idle, err = RunIdle(ctx, t, n)
			return err
		}},
		{"join", cfg.JoinCalls > 0, func(t *SwitchboardTarget) (err error) {
			cfg.progress("join: %d calls", cfg.JoinCalls)
			clips, err := loadClips()
			if err != nil {
				return err
			}
			rep.Join, err = RunJoin(ctx, t, cfg.JoinCalls, clips)
			if err == nil && rep.Join.Errors > 0 {
				err = fmt.Errorf("%d of %d calls failed, first: %s", rep.Join.Errors, rep.Join.Calls, rep.Join.FirstError)
			}
			return err
		}},
	}
	if cfg.RingingPairs > 0 && cfg.RingingPush {
		var err error
		if rep.RingingPush, err = RunRingingPush(ctx, cfg, cfg.RingingPairs, cfg.RingingDuration, cfg.PacedRate); err != nil {
			rep.Warnings = append(rep.Warnings, err.Error())
		}
	}
	for _, s := range steps {
		if !s.on {
			continue
		}
		if err := signalingStep(ctx, cfg, s.run); err != nil {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: %v", s.name, err))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

func signalingStep(ctx context.Context, cfg Config, run func(*SwitchboardTarget) error) error {
	addr, err := FreeAddr()
	if err != nil {
		return err
	}
	t, err := StartSwitchboard(ctx, cfg, addr, 2)
	if err != nil {
		return err
	}
	err = run(t)
	if cerr := t.Close(); err == nil {
		err = cerr
	}
	return err
}
