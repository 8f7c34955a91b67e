package bench

import (
	"context"
	"fmt"
	"log/slog"
)

// RunChild runs a server child in this process until ctx ends: the plain-Pion
// forwarder, or a switchboard (web.Start) from a config file written by the
// bench. `switchboard bench` runs the real `switchboard serve` instead; this
// is for test binaries that re-run themselves.
func RunChild(ctx context.Context, role Role, listen, configPath string) error {
	switch role {
	case RolePion:
		return RunPionForwarder(ctx, listen, slog.Default())
	case RoleSwitchboard:
		return runSwitchboard(ctx, configPath)
	default:
		return fmt.Errorf("%w: unknown child role %q", ErrConfig, role)
	}
}
