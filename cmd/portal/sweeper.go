package main

import (
	"context"
	"log/slog"
	"time"
)

// sweepEvery is how often a serving portal runs the overdue-report sweep (`portal messages sweep`) by itself.
// A reminder is due once a period, the day the period's grace ends; hourly runs send it within the hour, and a
// run that finds nothing new costs one statement over the kept counts.
const sweepEvery = time.Hour

// overdueSweeper is the store's scheduled sweep: it runs only when it holds the sweep's advisory lock.
type overdueSweeper interface {
	SweepOverdueReportsOnce(ctx context.Context, now time.Time) (ran bool, n int64, err error)
}

// sweepTick is one scheduled run. Every serving process ticks; the advisory lock lets one of them sweep at a
// time, and the sweep's dedupe key keeps a later tick of the same period from writing the reminders again.
func sweepTick(ctx context.Context, db overdueSweeper, now time.Time, log *slog.Logger) {
	ran, n, err := db.SweepOverdueReportsOnce(ctx, now)
	switch {
	case err != nil && ctx.Err() == nil:
		log.Warn("overdue sweep failed; the next tick tries again", "err", err)
	case ran && n > 0:
		log.Info("overdue sweep", "messages", n)
	}
}

// runSweeper ticks at start and then every `every` until ctx ends; it returns when ctx ends.
func runSweeper(ctx context.Context, db overdueSweeper, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		sweepTick(ctx, db, time.Now(), log)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
