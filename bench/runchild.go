package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
)

// RunChild runs the plain-Pion forwarder child in this process until ctx
// ends. With cpuProfile set, it writes a CPU profile of its whole life
// there. A switchboard child is always the real `switchboard serve` (with
// --cpuprofile when a profile is wanted): the load tool never links the
// server.
func RunChild(ctx context.Context, role Role, listen, cpuProfile string) (err error) {
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
	default:
		return fmt.Errorf("%w: unknown child role %q", ErrConfig, role)
	}
}
