package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

// OrgTotals are the kept counts of organizations inside a scope.
type OrgTotals struct {
	Live       int            // 正常 and 活动异常
	ByTier     map[string]int // live organizations by management tier
	Abnormal   int            // 活动异常
	Ended      int            // 已注销 and 已撤销
	ByChild    map[string]int // live organizations per division one level below the scope
	Registered int
}

// OrgTotals reads the kept counts (org_counts) for scope: a few hundred rows at most, whatever the registry's
// size.
func (db *DB) OrgTotals(ctx context.Context, scope portal.Scope) (OrgTotals, error) {
	childLen := len(scope.Division) + 3
	rows, _ := db.Pool.Query(ctx, `
		SELECT left(community_code, @child_len) AS child, tier, status, sum(n)::int AS n
		FROM org_counts
		WHERE starts_with(community_code, @scope) AND n <> 0
		GROUP BY 1, 2, 3`,
		pgx.NamedArgs{"scope": scope.Division, "child_len": childLen})
	type tally struct {
		Child  string
		Tier   string
		Status string
		N      int
	}
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[tally])
	if err != nil {
		return OrgTotals{}, translate(err)
	}
	t := OrgTotals{ByTier: map[string]int{}, ByChild: map[string]int{}}
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
	return t, nil
}
