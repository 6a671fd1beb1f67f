package postgres

// 安家: a group given a home at a platform, from one date to another.

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// HouseOrg gives a live group inside scope a home at a platform inside scope (optionally one of its rooms) and
// returns the home's id. A group has one home at a time: an overlapping period is ErrAlreadyHoused. seen is the
// form's token (the platform's homes when it was shown).
func (db *DB) HouseOrg(ctx context.Context, scope portal.Scope, actor portal.Actor, platformID int64, seen int, in registry.HousingInput) (int64, error) {
	if !in.Validate().OK() {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var division, platformName string
		err := tx.QueryRow(ctx, `SELECT p.division_code, p.name FROM platforms p WHERE p.id = @id AND `+platformSees,
			scopeArgs(scope, namedArgs{"id": platformID})).Scan(&division, &platformName)
		if err != nil {
			return err
		}
		if err := checkCultivationToken(ctx, tx, registry.TokenHousing, platformParent(platformID), seen); err != nil {
			return err
		}
		var roomID *int64
		where := platformName
		if in.RoomID != 0 {
			var roomName string
			if err := tx.QueryRow(ctx, `SELECT name FROM rooms WHERE id = $1 AND platform_id = $2`, in.RoomID,
				platformID).Scan(&roomName); err != nil {
				return err
			}
			roomID, where = &in.RoomID, platformName+" "+roomName
		}
		community, orgName, err := liveOrgIn(ctx, tx, scope, in.OrgID)
		if err != nil {
			return err
		}
		var by *int64
		if actor.AccountID != 0 {
			by = &actor.AccountID
		}
		err = tx.QueryRow(ctx, `INSERT INTO housings (platform_id, room_id, org_id, from_on, to_on, agreement, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, platformID, roomID, in.OrgID, in.From, in.To,
			in.Agreement, by).Scan(&id)
		if err != nil {
			return err
		}
		period := in.From.Format("2006-01-02") + " 至 " + in.To.Format("2006-01-02")
		if err := cultivationChange(ctx, tx, actor, "platform", platformID, division, "安家", "housing.create",
			orgName+" 安家于"+where+"，"+period); err != nil {
			return err
		}
		return insertEvent(ctx, tx, actor, in.OrgID, community, "安家", "", where+"，"+period, in.Agreement)
	})
	return id, cultivationErr(err)
}

// Housings lists the homes given at a platform inside scope, the latest first. The district and the
// platform's own tiers see every group housed there, whichever community it belongs to.
func (db *DB) Housings(ctx context.Context, scope portal.Scope, platformID int64) ([]registry.Housing, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT h.id, h.platform_id, coalesce(r.name, '') AS room_name, h.org_id, o.name AS org_name,
			h.from_on AS from, h.to_on AS to, h.agreement
		FROM housings h JOIN platforms p ON p.id = h.platform_id JOIN organizations o ON o.id = h.org_id
			LEFT JOIN rooms r ON r.id = h.room_id
		WHERE h.platform_id = @id AND `+platformSees+`
		ORDER BY h.from_on DESC, h.id DESC
		LIMIT 500`, scopeArgs(scope, namedArgs{"id": platformID}))
	hs, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.Housing])
	return hs, translate(err)
}
