package postgres

// The form tokens of the 供需对接 create forms. A need, project or fair form carries how many of those records
// its clerk had created when the form was shown; the 品牌项目 form carries the district's designation revisions.
// Under an advisory lock on that count, another number is ErrConflict: a form posted twice, or from a page made
// stale by another submit, writes nothing — the funding setup's token, applied to these forms.

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// matchingTokenQuery is, per kind, the count the token is, and the key of its lock. @by is the clerk's account
// (none for the demo loader), @district the caller's district.
var matchingTokenQuery = map[string]string{
	registry.TokenNeed:    `SELECT count(*) FROM community_needs WHERE created_by IS NOT DISTINCT FROM @by`,
	registry.TokenProject: `SELECT count(*) FROM service_projects WHERE created_by IS NOT DISTINCT FROM @by`,
	registry.TokenFair:    `SELECT count(*) FROM matching_events WHERE created_by IS NOT DISTINCT FROM @by`,
	registry.TokenBrand: `SELECT coalesce(sum(b.version), 0) FROM brand_projects b
		JOIN service_projects p ON p.id = b.project_id WHERE p.district_code = @district`,
}

func matchingTokenArgs(scope portal.Scope, actor portal.Actor) pgx.NamedArgs {
	return pgx.NamedArgs{"by": noticeActorID(actor), "district": districtOf(scope)}
}

// MatchingToken is the token a form of kind carries when shown to actor.
func (db *DB) MatchingToken(ctx context.Context, scope portal.Scope, actor portal.Actor, kind string) (int, error) {
	q, ok := matchingTokenQuery[kind]
	if !ok {
		return 0, portal.ErrNotFound
	}
	var n int
	err := db.pool(planFresh).QueryRow(ctx, q, matchingTokenArgs(scope, actor)).Scan(&n)
	return n, translate(err)
}

// checkMatchingToken takes the lock of kind's token for actor inside tx and is ErrConflict when seen is not the
// count now: the first statement of every matching create.
func checkMatchingToken(ctx context.Context, tx pgx.Tx, scope portal.Scope, actor portal.Actor, kind string, seen int) error {
	args := matchingTokenArgs(scope, actor)
	key := "matching " + kind + " " + districtOf(scope)
	if kind != registry.TokenBrand {
		key = "matching " + kind + " " + strconv.FormatInt(actor.AccountID, 10)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, key); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRow(ctx, matchingTokenQuery[kind], args).Scan(&n); err != nil {
		return err
	}
	if n != seen {
		return portal.ErrConflict
	}
	return nil
}
