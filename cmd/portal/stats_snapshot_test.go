package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/testdb"
)

// snapshotState is the snapshot table without its taken_at: rows, months, and a digest of the values.
func snapshotState(t *testing.T, db *postgres.DB) (rows, months int, digest string) {
	t.Helper()
	if err := db.Pool.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT month),
		coalesce(md5(string_agg(community_code || month || live || '/' || abnormal || '/' || ended || '/' || party_covered,
			',' ORDER BY community_code, month)), '')
		FROM stat_month_snapshots`).Scan(&rows, &months, &digest); err != nil {
		t.Fatal(err)
	}
	return rows, months, digest
}

// `portal stats snapshot` writes this month's row per community once, equal to a recount, and again gives the
// same rows; -backfill rebuilds every month since 2021 once, and a second run adds nothing.
func TestStatsSnapshotCommand(t *testing.T) {
	ctx := context.Background()
	db, dbURL := testdb.NewWithURL(t)
	getenv := env(map[string]string{"DATABASE_URL": dbURL})
	if _, err := db.Pool.Exec(ctx, `DELETE FROM stat_month_snapshots`); err != nil {
		t.Fatal(err)
	}
	var communities int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM divisions WHERE level = 'community'`).Scan(&communities); err != nil {
		t.Fatal(err)
	}
	snapshot := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := runStats(ctx, append([]string{"snapshot"}, args...), getenv, &out); err != nil {
			t.Fatalf("stats snapshot %v: %v", args, err)
		}
		return out.String()
	}
	if out := snapshot(); !strings.Contains(out, "taken") {
		t.Errorf("output %q", out)
	}
	rows, months, digest := snapshotState(t, db)
	if rows != communities || months != 1 {
		t.Fatalf("%d rows over %d months, want one row per community (%d) for this month", rows, months, communities)
	}
	// Each row is the community's organizations as they are.
	var diff int
	if err := db.Pool.QueryRow(ctx, `
		WITH r AS (SELECT v.code, count(o.id) FILTER (WHERE o.status IN ('normal', 'abnormal')) AS live,
		                  count(o.id) FILTER (WHERE o.status = 'abnormal') AS abnormal,
		                  count(o.id) FILTER (WHERE o.status IN ('dissolved', 'revoked')) AS ended,
		                  count(o.id) FILTER (WHERE o.status IN ('normal', 'abnormal') AND o.party_status <> '未覆盖') AS party
		           FROM divisions v LEFT JOIN organizations o ON o.community_code = v.code
		           WHERE v.level = 'community' GROUP BY v.code)
		SELECT count(*) FROM r FULL JOIN stat_month_snapshots s ON s.community_code = r.code
		WHERE s.live IS DISTINCT FROM r.live OR s.abnormal IS DISTINCT FROM r.abnormal
		   OR s.ended IS DISTINCT FROM r.ended OR s.party_covered IS DISTINCT FROM r.party`).Scan(&diff); err != nil {
		t.Fatal(err)
	}
	if diff != 0 {
		t.Fatalf("%d communities' snapshot differs from a recount", diff)
	}
	snapshot()
	if r, m, d := snapshotState(t, db); r != rows || m != months || d != digest {
		t.Fatalf("a second run changed the snapshot: %d rows, %d months", r, m)
	}

	if out := snapshot("-backfill"); !strings.Contains(out, "rebuilt") {
		t.Errorf("output %q", out)
	}
	now := time.Now().In(time.FixedZone("CST", 8*3600))
	wantMonths := (now.Year()-2021)*12 + int(now.Month()) // January 2021 to this month
	rows, months, digest = snapshotState(t, db)
	if months != wantMonths || rows != communities*wantMonths {
		t.Fatalf("after -backfill: %d rows over %d months, want %d months of %d communities", rows, months, wantMonths, communities)
	}
	snapshot("-backfill")
	if r, m, d := snapshotState(t, db); r != rows || m != months || d != digest {
		t.Fatalf("a second -backfill changed the snapshots: %d rows, %d months", r, m)
	}
	if err := runStats(ctx, []string{"snapshots"}, getenv, io.Discard); err == nil {
		t.Error("a wrong subcommand is accepted")
	}
}

// serve's monthly job takes a month that ended without a snapshot once, and passes while another session holds
// the lock.
func TestKeepMonthlySnapshots(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	prev := time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, -1, 0)
	month := time.Date(prev.Year(), prev.Month(), 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.Pool.Exec(ctx, `DELETE FROM stat_month_snapshots WHERE month = $1`, month); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM stat_month_snapshots WHERE month = $1`, month).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Another session holds the lock: the job passes and writes nothing.
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('stat_month_snapshots'))`); err != nil {
		t.Fatal(err)
	}
	if took, err := db.TakeMissedSnapshot(ctx, time.Now()); err != nil || took || count() != 0 {
		t.Fatalf("under another's lock: took %v, %v, %d rows", took, err, count())
	}
	_ = tx.Rollback(ctx)

	jobCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		keepMonthlySnapshots(jobCtx, db, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
		close(done)
	}()
	for deadline := time.Now().Add(10 * time.Second); count() == 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	if count() == 0 {
		t.Fatal("the job did not take the missed month")
	}
	if took, err := db.TakeMissedSnapshot(ctx, time.Now()); err != nil || took {
		t.Fatalf("a month taken is taken again: %v %v", took, err)
	}
}
