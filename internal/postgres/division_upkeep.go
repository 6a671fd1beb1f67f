package postgres

// 区划 kept in the browser (issue 17): the district adds, edits and retires 社区/村. The rules that must hold
// under concurrency live in migration 0082 (a community with a live group is never retired; no group enters a
// retired community); this file maps their refusals to registry errors.

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// communityColumns read a community with its town's name, 试点 mark, live groups (kept counts) and accounts.
const communityColumns = `c.code, c.name, c.level, c.parent_code, c.kind, c.rural, c.managed_by, c.demo,
	t.name AS town_name, c.version, c.retired_at,
	EXISTS (SELECT 1 FROM stat_pilots p WHERE p.community_code = c.code) AS pilot,
	coalesce((SELECT sum(n) FROM org_counts oc WHERE oc.community_code = c.code
		AND oc.status IN ('normal', 'abnormal')), 0)::int AS live_groups,
	(SELECT count(*) FROM accounts a WHERE a.division_code = c.code AND NOT a.disabled)::int AS accounts`

type communityRow struct {
	Code, Name, Level, ParentCode, Kind string
	Rural                               bool
	ManagedBy                           string
	Demo                                bool
	TownName                            string
	Version                             int
	RetiredAt                           *time.Time
	Pilot                               bool
	LiveGroups                          int
	Accounts                            int
}

func (r communityRow) community() registry.Community {
	return registry.Community{Division: portal.Division{Code: r.Code, Name: r.Name, Level: portal.Tier(r.Level),
		ParentCode: r.ParentCode, Kind: r.Kind, Rural: r.Rural, ManagedBy: r.ManagedBy, Demo: r.Demo},
		TownName: r.TownName, Pilot: r.Pilot, Version: r.Version, RetiredAt: r.RetiredAt,
		LiveGroups: r.LiveGroups, Accounts: r.Accounts}
}

// Communities lists the 社区/村 of town inside scope, retired ones included (they are marked), in code order.
func (db *DB) Communities(ctx context.Context, scope portal.Scope, town string) ([]registry.Community, error) {
	if !scope.Covers(town) || portal.LevelOfCode(town) != portal.TierTown {
		return nil, portal.ErrNotFound
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+communityColumns+`
		FROM divisions c JOIN divisions t ON t.code = c.parent_code
		WHERE c.parent_code = $1 AND c.level = 'community' ORDER BY c.code`, town)
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[communityRow])
	if err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Community, len(rs))
	for i, r := range rs {
		out[i] = r.community()
	}
	return out, nil
}

// Community is one 社区/村 inside scope.
func (db *DB) Community(ctx context.Context, scope portal.Scope, code string) (registry.Community, error) {
	if !scope.Covers(code) || portal.LevelOfCode(code) != portal.TierCommunity {
		return registry.Community{}, portal.ErrNotFound
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+communityColumns+`
		FROM divisions c JOIN divisions t ON t.code = c.parent_code WHERE c.code = $1`, code)
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[communityRow])
	if err != nil {
		return registry.Community{}, translate(err)
	}
	return r.community(), nil
}

// divisionRefusal maps the constraints of the divisions table to what the clerk is told.
func divisionRefusal(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.ConstraintName {
		case "divisions_pkey":
			return registry.ErrDivisionCodeTaken
		case "divisions_parent_code_name_key":
			return registry.ErrDivisionNameTaken
		case "divisions_retire_live_groups":
			return registry.ErrDivisionLiveGroups
		}
	}
	return translate(err)
}

// setPilot marks or unmarks community code a 试点 in tx; it says whether the mark changed.
func setPilot(ctx context.Context, tx pgx.Tx, actor portal.Actor, code string, pilot bool) (bool, error) {
	var tag pgconn.CommandTag
	var err error
	if pilot {
		tag, err = tx.Exec(ctx, `INSERT INTO stat_pilots (community_code, marked_by) VALUES ($1, $2)
			ON CONFLICT (community_code) DO NOTHING`, code, nullID(actor.AccountID))
	} else {
		tag, err = tx.Exec(ctx, `DELETE FROM stat_pilots WHERE community_code = $1`, code)
	}
	return tag.RowsAffected() > 0, err
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// AddCommunity adds a 社区/村 under a town inside scope, audited. A town outside scope is ErrNotFound; a code or
// a name the town has is ErrDivisionCodeTaken or ErrDivisionNameTaken.
func (db *DB) AddCommunity(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.CommunityInput) error {
	if !scope.Covers(in.Town) || !scope.Covers(in.Code) {
		return portal.ErrNotFound
	}
	defer db.divisions.clear()
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO divisions (code, name, level, parent_code, kind, rural)
			SELECT @code, @name, 'community', t.code, @kind, @kind = '村'
			FROM divisions t WHERE t.code = @town AND t.level = 'town'`,
			namedArgs{"code": in.Code, "name": in.Name, "kind": in.Kind, "town": in.Town})
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return portal.ErrNotFound
		}
		if _, err := setPilot(ctx, tx, actor, in.Code, in.Pilot); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "division.create", ObjectType: "division",
			ObjectID: in.Code, Result: portal.ResultOK, Detail: in.Name + "（" + in.Kind + "）试点 " + yesNo(in.Pilot)})
	})
	return divisionRefusal(err)
}

// UpdateCommunity renames community code inside scope, sets it 社区 or 村 and 试点 or not, audited with what
// changed. version is the community's as the form showed it: a stale one is ErrConflict; a retired community
// is ErrDivisionRetired.
func (db *DB) UpdateCommunity(ctx context.Context, scope portal.Scope, actor portal.Actor, code string, version int, in registry.CommunityInput) error {
	if !scope.Covers(code) || portal.LevelOfCode(code) != portal.TierCommunity {
		return portal.ErrNotFound
	}
	defer db.divisions.clear()
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var name, kind string
		var v int
		var retired bool
		if err := tx.QueryRow(ctx, `SELECT name, kind, version, retired_at IS NOT NULL FROM divisions
			WHERE code = $1 AND level = 'community' FOR UPDATE`, code).Scan(&name, &kind, &v, &retired); err != nil {
			return err
		}
		if v != version {
			return portal.ErrConflict
		}
		if retired {
			return registry.ErrDivisionRetired
		}
		if _, err := tx.Exec(ctx, `UPDATE divisions SET name = @name, kind = @kind, rural = @kind = '村',
			version = version + 1 WHERE code = @code`,
			namedArgs{"code": code, "name": in.Name, "kind": in.Kind}); err != nil {
			return err
		}
		pilotChanged, err := setPilot(ctx, tx, actor, code, in.Pilot)
		if err != nil {
			return err
		}
		var changes []string
		if name != in.Name {
			changes = append(changes, "名称 "+name+" → "+in.Name)
		}
		if kind != in.Kind {
			changes = append(changes, "类型 "+kind+" → "+in.Kind)
		}
		if pilotChanged {
			changes = append(changes, "试点 "+yesNo(!in.Pilot)+" → "+yesNo(in.Pilot))
		}
		if len(changes) == 0 {
			changes = []string{"无变化"}
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "division.update", ObjectType: "division",
			ObjectID: code, Result: portal.ResultOK, Detail: strings.Join(changes, "；")})
	})
	return divisionRefusal(err)
}

// RetireCommunity retires community code inside scope, audited: it stays for the records that name it and is no
// longer offered for new ones. It must have no live group (the database refuses, ErrDivisionLiveGroups, even
// against a group entering at the same moment) and no active account (ErrDivisionLiveAccount).
func (db *DB) RetireCommunity(ctx context.Context, scope portal.Scope, actor portal.Actor, code string, version int) error {
	if !scope.Covers(code) || portal.LevelOfCode(code) != portal.TierCommunity {
		return portal.ErrNotFound
	}
	defer db.divisions.clear()
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var v int
		var retired, accounts bool
		if err := tx.QueryRow(ctx, `SELECT version, retired_at IS NOT NULL,
			EXISTS (SELECT 1 FROM accounts WHERE division_code = d.code AND NOT disabled)
			FROM divisions d WHERE code = $1 AND level = 'community' FOR UPDATE`, code).Scan(&v, &retired, &accounts); err != nil {
			return err
		}
		switch {
		case v != version:
			return portal.ErrConflict
		case retired:
			return registry.ErrDivisionRetired
		case accounts:
			return registry.ErrDivisionLiveAccount
		}
		if _, err := tx.Exec(ctx, `UPDATE divisions SET retired_at = now(), retired_by = $2, version = version + 1
			WHERE code = $1`, code, nullID(actor.AccountID)); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "division.retire", ObjectType: "division",
			ObjectID: code, Result: portal.ResultOK})
	})
	return divisionRefusal(err)
}

// DivisionHistory is the changes of division code inside scope, newest first, from the audit log, each with the
// actor's display name.
func (db *DB) DivisionHistory(ctx context.Context, scope portal.Scope, code string) ([]registry.DivisionEvent, error) {
	if !scope.Covers(code) {
		return nil, portal.ErrNotFound
	}
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT l.at, coalesce(a.display_name, l.actor_username) AS actor, l.actor_username AS username,
			l.action, l.detail
		FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id
		WHERE l.object_type = 'division' AND l.object_id = $1 AND l.result = 'ok'
		ORDER BY l.at DESC, l.id DESC LIMIT 200`, code)
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.DivisionEvent])
	return out, translate(err)
}
