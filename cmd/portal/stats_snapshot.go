package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/yubei-cso/portal/internal/postgres"
)

// runStats is `portal stats snapshot [-backfill]`: it keeps this month's (北京时间) organization counts per
// community in the monthly snapshot, retaking the month if it was taken before (run it at each month's end, e.g.
// from cron); -backfill first rebuilds the months since 2021 that have none from founding and status dates.
func runStats(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) < 1 || args[0] != "snapshot" {
		return errors.New("usage: portal stats snapshot [-backfill]")
	}
	fs := flag.NewFlagSet("stats snapshot", flag.ContinueOnError)
	backfill := fs.Bool("backfill", false, "first rebuild the months since 2021 that have no snapshot")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openAndMigrate(ctx, ownerURL(getenv), nil)
	if err != nil {
		return err
	}
	defer db.Close()
	now := time.Now()
	if *backfill {
		if err := db.BackfillStatSnapshots(ctx, now); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "months since 2021 without a snapshot rebuilt")
	}
	if err := db.TakeStatSnapshot(ctx, now); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "snapshot of", now.Format("2006-01"), "taken")
	return nil
}

// keepMonthlySnapshots is serve's monthly job: at the start and then every period until ctx ends, it takes the
// snapshot of a month that ended without one (the cron job of `portal stats snapshot` did not run). An advisory
// lock lets one of several portals take it; the statistics pages never write.
func keepMonthlySnapshots(ctx context.Context, db *postgres.DB, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if took, err := db.TakeMissedSnapshot(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Warn("monthly statistics snapshot", "err", err)
		} else if took {
			log.Info("monthly statistics snapshot taken for the month that ended")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
