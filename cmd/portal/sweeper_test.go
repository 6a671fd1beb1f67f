package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/testdb"
)

// overdueNow is a moment after the last period's reports fell due, inside the current period.
func overdueNow() time.Time {
	now := registry.DefaultDeadlines().ReportDue(registry.PeriodOf(time.Now()).Prev()).Add(time.Hour)
	if registry.PeriodOf(now) != registry.PeriodOf(time.Now()) {
		return time.Now()
	}
	return now
}

func countReminders(t *testing.T, db *postgres.DB) int {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM messages WHERE kind = 'work_report'`).
		Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The scheduled sweep against a real database: a tick while another process holds the sweep's lock writes
// nothing; two processes (each its own pool) ticking together write one set of reminders, the same set one
// process alone writes.
func TestScheduledSweepOneRunnerAcrossProcesses(t *testing.T) {
	owner, dbURL := testdb.NewWithURL(t)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := overdueNow()
	// The demo loader swept once already: start from no reminders.
	if _, err := owner.Pool.Exec(ctx, `DELETE FROM messages WHERE kind = 'work_report'`); err != nil {
		t.Fatal(err)
	}
	// One process alone: the set to expect.
	if _, err := owner.SweepOverdueReports(ctx, now); err != nil {
		t.Fatal(err)
	}
	want := countReminders(t, owner)
	if want == 0 {
		t.Fatal("the demo data has no overdue reports to remind of")
	}
	if _, err := owner.Pool.Exec(ctx, `DELETE FROM messages WHERE kind = 'work_report'`); err != nil {
		t.Fatal(err)
	}

	procs := make([]*postgres.DB, 2)
	for i := range procs {
		db, err := postgres.Open(ctx, testdb.ServingURL(dbURL), testdb.DemoKey())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		procs[i] = db
	}

	// Another runner holds the lock: this tick does not sweep.
	holder, err := owner.Pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	released := false
	defer func() { // a failing check must not leave the pool waiting for this connection when it closes
		if !released {
			holder.Release()
		}
	}()
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_lock(17170004)`); err != nil {
		t.Fatal(err)
	}
	if ran, n, err := procs[0].SweepOverdueReportsOnce(ctx, now); err != nil || ran || n != 0 {
		t.Fatalf("a tick while another runner sweeps: ran %v, wrote %d, %v", ran, n, err)
	}
	if got := countReminders(t, owner); got != 0 {
		t.Fatalf("a tick without the lock wrote %d reminders", got)
	}
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_unlock(17170004)`); err != nil {
		t.Fatal(err)
	}
	holder.Release()
	released = true

	// Both processes tick at once, several times: one set.
	var wg sync.WaitGroup
	for round := 0; round < 3; round++ {
		for _, db := range procs {
			wg.Add(1)
			go func(db *postgres.DB) { defer wg.Done(); sweepTick(ctx, db, now, log) }(db)
		}
		wg.Wait()
	}
	if got := countReminders(t, owner); got != want {
		t.Fatalf("two processes wrote %d reminders, one process alone %d", got, want)
	}
	var dup int
	if err := owner.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT account_id, dedupe_key FROM messages
		WHERE kind = 'work_report' GROUP BY 1, 2 HAVING count(*) > 1) x`).Scan(&dup); err != nil || dup != 0 {
		t.Fatalf("%d accounts reminded twice (%v)", dup, err)
	}
}

// The serving loop sweeps at once when it starts and stops when its context ends.
func TestSweeperRunsAtStartAndStops(t *testing.T) {
	owner, dbURL := testdb.NewWithURL(t)
	ctx := context.Background()
	if _, err := owner.Pool.Exec(ctx, `DELETE FROM messages WHERE kind = 'work_report'`); err != nil {
		t.Fatal(err)
	}
	// The loop sweeps at the real now: make the last period overdue whatever today is.
	if _, err := owner.Pool.Exec(ctx, `INSERT INTO deadline_settings (district_code, review_days, report_grace_days)
		VALUES ('500112', 30, 0) ON CONFLICT (district_code) DO UPDATE SET report_grace_days = 0`); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, testdb.ServingURL(dbURL), testdb.DemoKey())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loopCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		runSweeper(loopCtx, db, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	deadline := time.Now().Add(20 * time.Second)
	for countReminders(t, owner) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the sweeper wrote nothing when it started")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the sweeper did not stop with its context")
	}
}
