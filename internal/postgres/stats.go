package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// OrgTotals reads the kept counts (org_counts) for scope: a few hundred rows at most, whatever the registry's
// size.
func (db *DB) OrgTotals(ctx context.Context, scope portal.Scope) (registry.OrgTotals, error) {
	t := registry.OrgTotals{ByTier: map[string]int{}, ByChild: map[string]int{}}
	if checkScope(scope) != nil {
		return t, nil
	}
	b := &pgx.Batch{}
	queueOrgTotals(b, scope, &t)
	return t, db.send(ctx, planKept, b)
}

// queueOrgTotals queues OrgTotals's statement on b (planKept: the scope is a range of codes), to fill t; the
// caller has checked the scope. The counts are added up here, by the division one level below the scope: grouped
// in PostgreSQL, the kept plan (which guesses a scope of a few rows) sorted the district's 351 rows by three texts.
func queueOrgTotals(b *pgx.Batch, scope portal.Scope, t *registry.OrgTotals) {
	childLen := len(scope.Division) + 3
	var args stmtArgs
	b.Queue(`SELECT community_code, tier, status, n::int FROM org_counts
		WHERE `+scopeRange("community_code", scope.Division, &args)+` AND n <> 0`,
		args...).Query(func(rows pgx.Rows) error {
		*t = registry.OrgTotals{ByTier: map[string]int{}, ByChild: map[string]int{}}
		var community, tier, status string
		var n int
		_, err := pgx.ForEachRow(rows, []any{&community, &tier, &status, &n}, func() error {
			switch status {
			case "normal", "abnormal":
				t.Live += n
				t.ByTier[tier] += n
				t.ByChild[community[:min(childLen, len(community))]] += n
				if status == "abnormal" {
					t.Abnormal += n
				}
			default:
				t.Ended += n
			}
			return nil
		})
		return err
	})
}

// WorkWaiting reads the open work inside scope at time now; a scope no account can have has none.
func (db *DB) WorkWaiting(ctx context.Context, scope portal.Scope, now time.Time) (registry.WorkWaiting, error) {
	var w registry.WorkWaiting
	if checkScope(scope) != nil {
		return w, nil
	}
	b := &pgx.Batch{}
	queueWorkWaiting(b, scope, now, &w)
	return w, db.send(ctx, planKept, b)
}

// queueWorkWaiting queues WorkWaiting's statement on b (planKept: the scope is the equality of its tier's
// column, which a CHECK holds to the record's community), to fill w; the caller has checked the scope.
func queueWorkWaiting(b *pgx.Batch, scope portal.Scope, now time.Time, w *registry.WorkWaiting) {
	// Each table is read once for its open statuses, its counts filtered from the one scan.
	var args stmtArgs
	within := func() string { return scopeEquality("x", scope.Division, scope.Tier, &args) }
	b.Queue(`
		SELECT ap.submitted, ap.accepted, ap.correction,
			(SELECT count(*) FROM filings x WHERE x.status = 'submitted' AND `+within()+`),
			ma.submitted, ma.urgent, ma.changes
		FROM (SELECT count(*) FILTER (WHERE x.status = 'submitted') AS submitted,
				count(*) FILTER (WHERE x.status = 'accepted') AS accepted,
				count(*) FILTER (WHERE x.status = 'correction') AS correction
			FROM applications x WHERE x.status IN ('submitted', 'accepted', 'correction') AND `+within()+`) ap,
			(SELECT count(*) FILTER (WHERE x.status = 'submitted') AS submitted,
				count(*) FILTER (WHERE x.status = 'submitted'
					AND x.starts_at < `+args.add(now)+`::timestamptz + interval '72 hours') AS urgent,
				count(*) FILTER (WHERE x.status = 'changes_requested') AS changes
			FROM major_activities x WHERE x.status IN ('submitted', 'changes_requested') AND `+within()+`) ma`,
		args...).QueryRow(func(row pgx.Row) error {
		return row.Scan(&w.ApplicationsSubmitted, &w.ApplicationsAccepted, &w.ApplicationsCorrection,
			&w.FilingsSubmitted, &w.NoticesWaiting, &w.NoticesUrgent, &w.NoticesChanges)
	})
}
