package postgres

import (
	"context"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
)

const divisionColumns = `code, name, level, coalesce(parent_code, '') AS parent_code, kind, rural, managed_by, demo`

type divisionRow struct {
	Code       string
	Name       string
	Level      string
	ParentCode string
	Kind       string
	Rural      bool
	ManagedBy  string
	Demo       bool
}

func (r divisionRow) division() portal.Division {
	return portal.Division{Code: r.Code, Name: r.Name, Level: portal.Tier(r.Level), ParentCode: r.ParentCode,
		Kind: r.Kind, Rural: r.Rural, ManagedBy: r.ManagedBy, Demo: r.Demo}
}

func collectDivisions(rows pgx.Rows) ([]portal.Division, error) {
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[divisionRow])
	if err != nil {
		return nil, translate(err)
	}
	out := make([]portal.Division, len(rs))
	for i, r := range rs {
		out[i] = r.division()
	}
	return out, nil
}

// Division is one division inside scope.
func (db *DB) Division(ctx context.Context, scope portal.Scope, code string) (portal.Division, error) {
	if !scope.Covers(code) {
		return portal.Division{}, portal.ErrNotFound
	}
	var d portal.Division
	b := &pgx.Batch{}
	queueDivision(b, code, &d)
	return d, db.send(ctx, planKept, b)
}

// queueDivision queues Division's statement on b (planKept: by its key), to fill d; the caller has checked the
// scope.
func queueDivision(b *pgx.Batch, code string, d *portal.Division) {
	b.Queue(`SELECT `+divisionColumns+` FROM divisions WHERE code = $1`, code).Query(func(rows pgx.Rows) error {
		r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[divisionRow])
		*d = r.division()
		return err
	})
}

// ChildDivisions lists the divisions directly below code, in code order, when code lies inside scope.
func (db *DB) ChildDivisions(ctx context.Context, scope portal.Scope, code string) ([]portal.Division, error) {
	if !scope.Covers(code) {
		return nil, portal.ErrNotFound
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+divisionColumns+` FROM divisions WHERE parent_code = $1 ORDER BY code`, code)
	return collectDivisions(rows)
}

// OpenChildDivisions is ChildDivisions without the retired 社区/村: the divisions a 工作台 lists and a form offers.
func (db *DB) OpenChildDivisions(ctx context.Context, scope portal.Scope, code string) ([]portal.Division, error) {
	if !scope.Covers(code) {
		return nil, portal.ErrNotFound
	}
	var ds []portal.Division
	b := &pgx.Batch{}
	queueOpenChildDivisions(b, code, &ds)
	return ds, db.send(ctx, planKept, b)
}

// queueOpenChildDivisions queues OpenChildDivisions's statement on b (planKept: by the parent's key), to fill
// ds; the caller has checked the scope.
func queueOpenChildDivisions(b *pgx.Batch, code string, ds *[]portal.Division) {
	b.Queue(`SELECT `+divisionColumns+` FROM divisions
		WHERE parent_code = $1 AND retired_at IS NULL ORDER BY code`, code).Query(func(rows pgx.Rows) (err error) {
		*ds, err = collectDivisions(rows)
		return err
	})
}

// DivisionsAtLevel lists every division of a level inside scope, in code order (for pickers).
// The lists are cached (divisionCache): every list page's filter asks for one.
func (db *DB) DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error) {
	ds, err := db.sharedDivisions(ctx, scope, level)
	return slices.Clone(ds), err
}

// sharedDivisions is DivisionsAtLevel without the copy, for callers that only read the list: the statistics
// pages copied the district's 270 communities for every request.
func (db *DB) sharedDivisions(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error) {
	if checkScope(scope) != nil {
		return []portal.Division{}, nil // the cache is keyed by division alone; scopeWithin would see nothing
	}
	key := divisionListKey{level: level, within: scope.Division}
	if ds, ok := db.divisions.shared(key); ok {
		return ds, nil
	}
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT `+divisionColumns+` FROM divisions
		WHERE level = @level AND retired_at IS NULL AND `+scopeWithin("code")+` ORDER BY code`,
		scopeArgs(scope, namedArgs{"level": string(level)}))
	ds, err := collectDivisions(rows)
	if err == nil {
		db.divisions.keepList(key, ds)
	}
	return ds, err
}

// retiredCommunities are the communities inside scope retired in 区划管理, in code order, cached like the live
// lists: the statistics of a town count their past as the town's history.
func (db *DB) retiredCommunities(ctx context.Context, scope portal.Scope) ([]portal.Division, error) {
	if checkScope(scope) != nil {
		return []portal.Division{}, nil
	}
	key := divisionListKey{level: portal.TierCommunity, within: scope.Division, retired: true}
	if ds, ok := db.divisions.list(key); ok {
		return ds, nil
	}
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT `+divisionColumns+` FROM divisions
		WHERE level = 'community' AND retired_at IS NOT NULL AND `+scopeWithin("code")+` ORDER BY code`,
		scopeArgs(scope, nil))
	ds, err := collectDivisions(rows)
	if err == nil {
		db.divisions.keepList(key, ds)
	}
	return ds, err
}

// UpsertDivisions inserts or updates divisions (parents before children) in one transaction, audited once.
func (db *DB) UpsertDivisions(ctx context.Context, actor portal.Actor, ds []portal.Division) error {
	defer db.divisions.clear()
	return translate(db.inTx(ctx, func(tx pgx.Tx) error {
		for _, d := range ds {
			var parent *string
			if d.ParentCode != "" {
				parent = &d.ParentCode
			}
			_, err := tx.Exec(ctx, `
				INSERT INTO divisions (code, name, level, parent_code, kind, rural, managed_by, demo)
				VALUES (@code, @name, @level, @parent, @kind, @rural, @managed_by, @demo)
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
					rural = excluded.rural, managed_by = excluded.managed_by, demo = excluded.demo`,
				namedArgs{"code": d.Code, "name": d.Name, "level": string(d.Level), "parent": parent,
					"kind": d.Kind, "rural": d.Rural, "managed_by": d.ManagedBy, "demo": d.Demo})
			if err != nil {
				return err
			}
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "division.import", ObjectType: "division",
			Result: portal.ResultOK, Detail: strconv.Itoa(len(ds)) + " rows"})
	}))
}

// DivisionCounts is how many towns and communities the registry knows, for the public home page: public
// figures, so no scope.
func (db *DB) DivisionCounts(ctx context.Context) (towns, communities int, err error) {
	err = db.pool(planFresh).QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE level = 'town'), count(*) FILTER (WHERE level = 'community')
		FROM divisions`).Scan(&towns, &communities)
	return towns, communities, translate(err)
}
