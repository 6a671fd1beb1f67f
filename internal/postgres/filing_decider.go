package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// selfDecision says whether actor deciding filing id of town decides a filing it submitted itself. It may only
// when it is the town's single active officer who may decide (the decision is then marked, and its history says
// so); with another active officer in the town whose role decides filings (全部 or 审核) it is ErrOwnFiling. A
// 经办 colleague does not count: it cannot decide, so counting it would leave the filing with no one to decide
// it. Called inside the deciding transaction, after the filing's row is locked.
func selfDecision(ctx context.Context, tx pgx.Tx, id int64, town string, actor portal.Actor) (bool, error) {
	var own bool
	if err := tx.QueryRow(ctx, `SELECT submitted_by IS NOT DISTINCT FROM @actor FROM filings WHERE id = @id`,
		namedArgs{"id": id, "actor": actorRef(actor)}).Scan(&own); err != nil || !own || actor.AccountID == 0 {
		return false, err
	}
	var others bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM accounts WHERE tier = 'town'
		AND division_code = @town AND NOT disabled AND id <> @actor AND role = ANY(@deciders))`,
		namedArgs{"town": town, "actor": actor.AccountID, "deciders": filingDeciderRoles()}).Scan(&others); err != nil {
		return false, err
	}
	if others {
		return false, registry.ErrOwnFiling
	}
	return true, nil
}

// filingDeciderRoles are the town roles that may decide a filing, from the capability table.
func filingDeciderRoles() []string {
	var out []string
	for _, r := range portal.TierRoles[portal.TierTown] {
		if portal.Allowed(portal.Account{Tier: portal.TierTown, Role: r}, portal.DecideFilings) {
			out = append(out, string(r))
		}
	}
	return out
}
