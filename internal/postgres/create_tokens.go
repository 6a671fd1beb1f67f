package postgres

// Form tokens of the forms that add records rather than change one (so have no record version to carry): the 供需对接
// create forms, the 品牌项目 form, and the 骨干人才培训 session, attendance and 培训资料 forms. A form carries a number
// read when it was shown; under a lock, another number now is ErrConflict: a form posted twice, or from a page made
// stale by another submit, writes nothing. countToken is that check, for every such form.

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// countToken takes the transaction's advisory lock on key, then reads count (one integer) with args: seen is the
// number the form was shown with, and another one is ErrConflict. Every write the number counts takes the same
// lock first, so two posts of one form cannot both see the old number. The create forms of matching, training
// and cultivation, and a contract's payments, a fund's movements and the cultivation documents, all check their
// tokens through it.
func countToken(ctx context.Context, tx pgx.Tx, key, count string, seen int, args ...any) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext($1))`, key); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRow(ctx, count, args...).Scan(&n); err != nil {
		return err
	}
	if n != seen {
		return portal.ErrConflict
	}
	return nil
}

// createTokenQuery is, per kind, the count the token of a create form is: how many of those records its clerk
// has created (@by, none for the demo loader) or, for a 品牌项目, the revisions of the district's designations.
var createTokenQuery = map[string]string{
	registry.TokenNeed:    `SELECT count(*) FROM community_needs WHERE created_by IS NOT DISTINCT FROM @by`,
	registry.TokenProject: `SELECT count(*) FROM service_projects WHERE created_by IS NOT DISTINCT FROM @by`,
	registry.TokenFair:    `SELECT count(*) FROM matching_events WHERE created_by IS NOT DISTINCT FROM @by`,
	registry.TokenSession: `SELECT count(*) FROM training_sessions WHERE created_by IS NOT DISTINCT FROM @by`,
	registry.TokenBrand: `SELECT coalesce(sum(b.version), 0) FROM brand_projects b
		JOIN service_projects p ON p.id = b.project_id WHERE p.district_code = @district`,
}

func createTokenArgs(scope portal.Scope, actor portal.Actor) namedArgs {
	return namedArgs{"by": noticeActorID(actor), "district": districtOf(scope)}
}

// CreateToken is the token a create form of kind carries when shown to actor.
func (db *DB) CreateToken(ctx context.Context, scope portal.Scope, actor portal.Actor, kind string) (int, error) {
	q, ok := createTokenQuery[kind]
	if !ok {
		return 0, portal.ErrNotFound
	}
	var n int
	err := db.pool(planFresh).QueryRow(ctx, q, createTokenArgs(scope, actor)).Scan(&n)
	return n, translate(err)
}

// checkCreateToken is countToken for a create form of kind: the first statement of every such create. The lock
// is the clerk's (the district's for a 品牌项目).
func checkCreateToken(ctx context.Context, tx pgx.Tx, scope portal.Scope, actor portal.Actor, kind string, seen int) error {
	key := "create " + kind + " " + districtOf(scope)
	if kind != registry.TokenBrand {
		key = "create " + kind + " " + strconv.FormatInt(actor.AccountID, 10)
	}
	return countToken(ctx, tx, key, createTokenQuery[kind], seen, createTokenArgs(scope, actor))
}
