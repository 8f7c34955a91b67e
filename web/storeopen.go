package web

import (
	"context"
	"errors"
	"log/slog"

	"github.com/switchboard-rtc/switchboard/store"
)

// openStore opens the configured store.
// TEMPORARY until store.Open lands (the store work is in progress).
func openStore(ctx context.Context, cfg store.Config, log *slog.Logger) (store.Store, error) {
	return nil, errors.New("store: SQLite store not implemented yet")
}
