package postgres

// The monthly snapshot outside the request path (issue 13): a statistics page only reads. The month's end state
// is kept by `portal stats snapshot` (cron, at a month's end) and, should that not have run, by the portal
// itself: serve takes a month that ended without a snapshot once the next begins (TakeMissedSnapshot).

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// snapshotLockKey names the advisory lock of the missed-snapshot job: of several portals (or a portal and the
// command) at once, one takes the month and the others pass.
const snapshotLockKey = "stat_month_snapshots"

// TakeMissedSnapshot takes the snapshot of the month before now's (北京时间) when that month has none, under a
// transaction-level advisory lock; it reports whether it wrote one. A lock another session holds is no error:
// that session is taking it.
func (db *DB) TakeMissedSnapshot(ctx context.Context, now time.Time) (bool, error) {
	prev := monthOf(now).AddDate(0, -1, 0)
	var took bool
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var locked, has bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock(hashtext($1))`, snapshotLockKey).
			Scan(&locked); err != nil || !locked {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM stat_month_snapshots WHERE month = $1)`, prev).
			Scan(&has); err != nil || has {
			return err
		}
		if _, err := tx.Exec(ctx, snapshotStatement, namedArgs{"month": prev}); err != nil {
			return err
		}
		took = true
		return nil
	})
	return took, translate(err)
}
