package postgres

// The form tokens of the cultivation creates. A create form carries how many rows of its kind its parent had when
// the form was shown — the clerk's own division for a platform, contract, round or fund; the room for a
// booking; the platform for a room, a home, an entry into incubation, a milestone or a departure. The create takes a lock on (kind, parent) and
// counts again: another number is ErrConflict, so a form posted twice, or from a page made stale by another
// submit, writes nothing. No row of these kinds is ever deleted, so a count never comes back to an old value.

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// cultivationTokenCount is, per kind, the count that is its token; $1 is the parent (a division code, or a
// platform id as text).
var cultivationTokenCount = map[string]string{
	registry.TokenPlatform:   `SELECT count(*) FROM platforms WHERE division_code = $1`,
	registry.TokenContract:   `SELECT count(*) FROM contracts WHERE division_code = $1`,
	registry.TokenRound:      `SELECT count(*) FROM venture_rounds WHERE division_code = $1`,
	registry.TokenFund:       `SELECT count(*) FROM funds WHERE division_code = $1`,
	registry.TokenRoom:       `SELECT count(*) FROM rooms WHERE platform_id = $1::bigint`,
	registry.TokenHousing:    `SELECT count(*) FROM housings WHERE platform_id = $1::bigint`,
	registry.TokenIncubation: `SELECT count(*) FROM incubations WHERE platform_id = $1::bigint`,
	registry.TokenMilestone: `SELECT count(*) FROM incubation_milestones m JOIN incubations i ON i.id = m.incubation_id
		WHERE i.platform_id = $1::bigint`,
	registry.TokenLeave: `SELECT count(*) FROM incubations WHERE platform_id = $1::bigint AND status <> 'incubating'`,
	// a cancelled booking stays a row, so the count never comes back
	registry.TokenBooking: `SELECT count(*) FROM bookings WHERE room_id = $1::bigint`,
}

// CultivationTokens gives the tokens of kinds under parent, in order, read in one statement. The caller has read
// the parent inside its scope (its own division, or a platform it sees).
func (db *DB) CultivationTokens(ctx context.Context, parent string, kinds ...string) ([]int, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		q, ok := cultivationTokenCount[k]
		if !ok {
			return nil, portal.ErrNotFound
		}
		parts[i] = "(" + q + ")"
	}
	out := make([]int, len(kinds))
	dest := make([]any, len(kinds))
	for i := range out {
		dest[i] = &out[i]
	}
	err := db.pool(planFresh).QueryRow(ctx, `SELECT `+strings.Join(parts, ", "), parent).Scan(dest...)
	return out, translate(err)
}

// checkCultivationToken takes the lock of kind's token under parent inside tx and is ErrConflict when seen is not
// the count now: the first statement of every cultivation create.
func checkCultivationToken(ctx context.Context, tx pgx.Tx, kind, parent string, seen int) error {
	q, ok := cultivationTokenCount[kind]
	if !ok {
		return portal.ErrNotFound
	}
	return countToken(ctx, tx, "cultivation "+kind+" "+parent, q, seen, parent)
}
