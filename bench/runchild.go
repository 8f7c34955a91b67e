package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
)

// RunChild runs a server child in this process until ctx ends: the plain-Pion
// forwarder, or a switchboard (web.Start) from a config file written by the
// bench. With cpuProfile set, it writes a CPU profile of its whole life
// there. `switchboard bench` runs the real `switchboard serve` unless asked
// for a profile; test binaries that re-run themselves use this.
func RunChild(ctx context.Context, role Role, listen, configPath, cpuProfile string) (err error) {
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrConfig, err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return errors.Join(err, f.Close())
		}
		defer func() {
			pprof.StopCPUProfile()
			err = errors.Join(err, f.Close())
		}()
	}
	switch role {
	case RolePion:
		return RunPionForwarder(ctx, listen, slog.Default())
	case RoleSwitchboard:
		return runSwitchboard(ctx, configPath)
	default:
		return fmt.Errorf("%w: unknown child role %q", ErrConfig, role)
	}
}
