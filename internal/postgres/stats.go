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
	var t registry.OrgTotals
	b := &pgx.Batch{}
	queueOrgTotals(b, scope, &t)
	return t, db.send(ctx, planFresh, b)
}

// queueOrgTotals queues OrgTotals's statement on b (planFresh), to fill t.
func queueOrgTotals(b *pgx.Batch, scope portal.Scope, t *registry.OrgTotals) {
	childLen := len(scope.Division) + 3
	b.Queue(`
		SELECT left(community_code, @child_len) AS child, tier, status, sum(n)::int AS n
		FROM org_counts
		WHERE `+scopeWithin("community_code")+` AND n <> 0
		GROUP BY 1, 2, 3`,
		scopeArgs(scope, namedArgs{"child_len": childLen})).Query(func(rows pgx.Rows) error {
		type tally struct {
			Child  string
			Tier   string
			Status string
			N      int
		}
		ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[tally])
		if err != nil {
			return err
		}
		*t = registry.OrgTotals{ByTier: map[string]int{}, ByChild: map[string]int{}}
		for _, x := range ts {
			switch x.Status {
			case "normal", "abnormal":
				t.Live += x.N
				t.ByTier[x.Tier] += x.N
				t.ByChild[x.Child] += x.N
				if x.Status == "abnormal" {
					t.Abnormal += x.N
				}
			default:
				t.Ended += x.N
			}
		}
		return nil
	})
}

// WorkWaiting reads the open work inside scope at time now.
func (db *DB) WorkWaiting(ctx context.Context, scope portal.Scope, now time.Time) (registry.WorkWaiting, error) {
	var w registry.WorkWaiting
	b := &pgx.Batch{}
	queueWorkWaiting(b, scope, now, &w)
	return w, db.send(ctx, planFresh, b)
}

// queueWorkWaiting queues WorkWaiting's statement on b (planFresh), to fill w.
func queueWorkWaiting(b *pgx.Batch, scope portal.Scope, now time.Time, w *registry.WorkWaiting) {
	b.Queue(`
		SELECT
			(SELECT count(*) FROM applications WHERE status = 'submitted' AND `+scopeWithin("community_code")+`),
			(SELECT count(*) FROM applications WHERE status = 'accepted' AND `+scopeWithin("community_code")+`),
			(SELECT count(*) FROM applications WHERE status = 'correction' AND `+scopeWithin("community_code")+`),
			(SELECT count(*) FROM filings WHERE status = 'submitted' AND `+scopeWithin("community_code")+`),
			(SELECT count(*) FROM major_activities WHERE status = 'submitted' AND `+scopeWithin("community_code")+`),
			(SELECT count(*) FROM major_activities WHERE status = 'submitted' AND `+scopeWithin("community_code")+`
				AND starts_at < @now::timestamptz + interval '72 hours'),
			(SELECT count(*) FROM major_activities WHERE status = 'changes_requested' AND `+scopeWithin("community_code")+`)`,
		scopeArgs(scope, namedArgs{"now": now})).QueryRow(func(row pgx.Row) error {
		return row.Scan(&w.ApplicationsSubmitted, &w.ApplicationsAccepted, &w.ApplicationsCorrection,
			&w.FilingsSubmitted, &w.NoticesWaiting, &w.NoticesUrgent, &w.NoticesChanges)
	})
}
