package bench

import (
	"context"
	"fmt"
)

// runSwitchboard is filled in with the switchboard target.
func runSwitchboard(ctx context.Context, configPath string) error {
	return fmt.Errorf("%w: switchboard child not wired yet (%s)", ErrConfig, configPath)
}
