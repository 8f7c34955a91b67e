package store

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// checkpointEvery is how often the background checkpointer copies the WAL
// back into the database file (a variable for the tests).
var checkpointEvery = 200 * time.Millisecond

// walBackstop is the writer's own automatic checkpoint, in WAL pages: it
// fires only if the background checkpointer cannot keep up (or keeps
// failing), so the WAL stays bounded (~160 MB).
const walBackstop = 40000

// walRestartAt is the WAL size, in pages, from which a background pass
// goes on to a RESTART checkpoint (a variable for the tests): it waits
// for the writer's transaction to end, holds the next one while it copies
// what is left and fsyncs, and has the next write start the WAL over. The
// writer's own checkpoint at walBackstop did the same inside a writer
// transaction, without the spare processor: flat-out ringing over 40 s
// kept 4,900 flows/s with it against 4,500-4,600 without (docs/benchmarks.md).
var walRestartAt = walBackstop / 2

// checkpointer runs SQLite's checkpoints beside the writer instead of in
// it. With SQLite's automatic checkpoint the connection whose commit
// crosses the threshold copies the WAL back and fsyncs the file before its
// commit returns, so every 4,000 pages one writer transaction, and every
// acceptCall or endCall waiting on it, took 20-30 ms more (the ringing
// bench's paced p99 of accept: 26-29 ms with it, 5-7 ms without). A
// PASSIVE checkpoint on a connection of its own takes no write lock: the
// writer keeps appending to the WAL meanwhile, and the next write after a
// complete checkpoint starts the WAL over. Under steady writing a PASSIVE
// pass is seldom complete, so the WAL file grows to walRestartAt (~80 MB),
// where a RESTART pass starts it over, with only the pages since the last
// pass left to copy; the writer's own checkpoint at the backstop is for
// when the passes fail. (A RESTART after each PASSIVE pass, to keep the
// file at 16 MB, held the writer through its fsync: paced accept p99 24 ms
// over 20 s, against 15 ms without it.)
type checkpointer struct {
	db   *sql.DB
	log  *slog.Logger
	stop chan struct{}
	done sync.WaitGroup
	once sync.Once
	err  error
	// restarts counts the RESTART checkpoints that completed.
	restarts atomic.Int64
}

// startCheckpointer opens the checkpointer's connection to the database at
// path (a pool of one, as the writer's: it never writes, so the writer's
// parameters change nothing for it) and starts its loop.
func startCheckpointer(ctx context.Context, path string, log *slog.Logger) (*checkpointer, error) {
	db, err := openPool(ctx, path, false)
	if err != nil {
		return nil, err
	}
	c := &checkpointer{db: db, log: log, stop: make(chan struct{})}
	c.done.Add(1)
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer c.done.Done()
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		// busy is 1 when readers or a writer kept it from copying every
		// frame: the rest goes at the next tick. A checkpoint ends with an
		// fsync of the database file, so on a one-core server the pass
		// gets a processor of its own (spareproc.go).
		var busy, frames, copied int
		var err error
		withSpareProcessor(func() {
			err = c.db.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
			if err == nil && frames >= walRestartAt {
				err = c.db.QueryRow("PRAGMA wal_checkpoint(RESTART)").Scan(&busy, &frames, &copied)
				if err == nil && busy == 0 {
					c.restarts.Add(1)
				}
			}
		})
		switch {
		case err != nil && !failing:
			c.log.Warn("store: background checkpoint failed; the WAL grows until it works again (or the writer checkpoints itself)", "err", err, "backstop_pages", walBackstop)
			failing = true
		case err == nil && failing:
			c.log.Info("store: background checkpoint works again")
			failing = false
		}
	}
}

// close stops the loop and closes the connection; again, it returns what
// the first close did (a store may be closed twice).
func (c *checkpointer) close() error {
	c.once.Do(func() {
		close(c.stop)
		c.done.Wait()
		c.err = c.db.Close()
	})
	return c.err
}
