package postgres

import (
	"context"

	"github.com/yubei-cso/portal/internal/portal"
)

// USCCInUse says whether an organization already holds 统一社会信用代码 uscc, so that 准予登记 is checked before the
// officer confirms it. The code is unique in the whole registry (organizations_uscc_key), so the answer does not
// depend on scope; only the district, which registers, may ask.
func (db *DB) USCCInUse(ctx context.Context, scope portal.Scope, uscc string) (bool, error) {
	if !portal.Can(scope.Tier, portal.ReviewApplications) {
		return false, portal.ErrNotAllow
	}
	var taken bool
	err := db.pool(planFresh).QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations WHERE uscc = @uscc)`,
		namedArgs{"uscc": uscc}).Scan(&taken)
	return taken, translate(err)
}
