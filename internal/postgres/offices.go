// The community offices a town or the district keeps: each 村(居)委会's public office phone, address and hours.
package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

const officeColumns = `d.code, d.name, t.name, coalesce(f.phone, ''), coalesce(f.address, ''), coalesce(f.hours, ''),
	coalesce(f.version, 0)`

func scanOffice(row pgx.Row, o *registry.CommunityOffice) error {
	return row.Scan(&o.CommunityCode, &o.CommunityName, &o.TownName, &o.Phone, &o.Address, &o.Hours, &o.Version)
}

// CommunityOffices is every community inside scope with its office (empty when none is recorded), by code.
func (db *DB) CommunityOffices(ctx context.Context, scope portal.Scope) ([]registry.CommunityOffice, error) {
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+officeColumns+`
		FROM divisions d JOIN divisions t ON t.code = d.parent_code
		LEFT JOIN community_offices f ON f.community_code = d.code
		WHERE d.level = 'community' AND `+scopeWithin("d.code")+` ORDER BY d.code`, scopeArgs(scope, nil))
	defer rows.Close()
	var out []registry.CommunityOffice
	for rows.Next() {
		var o registry.CommunityOffice
		if err := scanOffice(rows, &o); err != nil {
			return nil, translate(err)
		}
		out = append(out, o)
	}
	return out, translate(rows.Err())
}

// CommunityOffice is one community inside scope with its office; ErrNotFound otherwise.
func (db *DB) CommunityOffice(ctx context.Context, scope portal.Scope, code string) (registry.CommunityOffice, error) {
	var o registry.CommunityOffice
	if err := checkScope(scope); err != nil {
		return o, err
	}
	err := scanOffice(db.pool(planFresh).QueryRow(ctx, `SELECT `+officeColumns+`
		FROM divisions d JOIN divisions t ON t.code = d.parent_code
		LEFT JOIN community_offices f ON f.community_code = d.code
		WHERE d.code = @code AND d.level = 'community' AND `+scopeWithin("d.code"),
		scopeArgs(scope, namedArgs{"code": code})), &o)
	return o, translate(err)
}

// SaveCommunityOffice records a community's office when the recorded one is still at version (0: none yet);
// otherwise ErrConflict and nothing is written. Audited.
func (db *DB) SaveCommunityOffice(ctx context.Context, scope portal.Scope, actor portal.Actor, o registry.CommunityOffice, version int) error {
	if !portal.Can(scope.Tier, portal.SetOffices) {
		return portal.ErrNotAllow
	}
	if _, err := db.CommunityOffice(ctx, scope, o.CommunityCode); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO community_offices (community_code, phone, address, hours, updated_by)
			VALUES (@code, @phone, @address, @hours, @by)
			ON CONFLICT (community_code) DO UPDATE SET phone = excluded.phone, address = excluded.address,
				hours = excluded.hours, updated_at = now(), updated_by = excluded.updated_by,
				version = community_offices.version + 1
			WHERE community_offices.version = @version`,
			namedArgs{"code": o.CommunityCode, "phone": o.Phone, "address": o.Address, "hours": o.Hours,
				"by": actorRef(actor), "version": version})
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 { // the recorded office is no longer at the version the form showed
			return portal.ErrConflict
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "community_office.set",
			ObjectType: "division", ObjectID: o.CommunityCode, Result: portal.ResultOK, Detail: strconv.Quote(o.Phone)})
	})
}
