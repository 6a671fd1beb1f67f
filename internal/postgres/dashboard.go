package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// Figures counts what the scope's dashboard shows. All counts come from small tables (divisions, accounts). A
// retired 社区/村 (区划管理) is counted nowhere: not among the communities, nor among the divisions without an
// account. A scope no account can have counts nothing.
func (db *DB) Figures(ctx context.Context, scope portal.Scope) (registry.DivisionFigures, error) {
	var f registry.DivisionFigures
	if checkScope(scope) != nil {
		return f, nil
	}
	b := &pgx.Batch{}
	queueFigures(b, scope, &f)
	return f, db.send(ctx, planKept, b)
}

// queueFigures queues Figures's statement on b (planKept: the scope is a range of codes), to fill f; the caller
// has checked the scope.
func queueFigures(b *pgx.Batch, scope portal.Scope, f *registry.DivisionFigures) {
	// Each table is read once, its counts filtered from the one scan.
	var args stmtArgs
	b.Queue(`
		SELECT dv.towns, dv.urban, dv.rural, ac.n, ac.disabled, ac.locked,
			(SELECT count(*) FROM divisions d WHERE d.parent_code = `+args.add(scope.Division)+` AND d.retired_at IS NULL
				AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.division_code = d.code AND NOT a.disabled)),
			(SELECT count(*) FROM audit_log WHERE action = 'login.failed'
				AND at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
				AND `+scopeRange("actor_division", scope.Division, &args)+`)
		FROM (SELECT count(*) FILTER (WHERE level = 'town') AS towns,
				count(*) FILTER (WHERE level = 'community' AND NOT rural AND retired_at IS NULL) AS urban,
				count(*) FILTER (WHERE level = 'community' AND rural AND retired_at IS NULL) AS rural
			FROM divisions WHERE `+scopeRange("code", scope.Division, &args)+`) dv,
			(SELECT count(*) AS n, count(*) FILTER (WHERE disabled) AS disabled,
				count(*) FILTER (WHERE locked_until > now()) AS locked
			FROM accounts WHERE `+scopeRange("division_code", scope.Division, &args)+`
				AND tier = ANY(`+args.add(tierStrings(scope.ManagedTiers()))+`)) ac`,
		args...).QueryRow(func(row pgx.Row) error {
		return row.Scan(&f.Towns, &f.UrbanCommunities, &f.RuralCommunities, &f.Accounts, &f.DisabledAccounts,
			&f.LockedAccounts, &f.DivisionsNoAcct, &f.FailedLoginsToday)
	})
}

// Dashboard reads at once what a 工作台 shows inside scope at time now: its own division (code) and the open
// ones below it, its figures, its groups' kept counts, its open work, and the items of want falling due with the
// district's periods. The statements go in one batch: the page waits for one round trip where it waited for ten,
// one after another. Each is written for the scope (its range of codes, or the equality of its tier's column),
// so that it keeps its plan: planned afresh at every request, planning was about half of the page's database
// time.
func (db *DB) Dashboard(ctx context.Context, scope portal.Scope, code string, want registry.DueWant, now time.Time) (registry.Dashboard, error) {
	var d registry.Dashboard
	if err := checkScope(scope); err != nil {
		return d, err
	}
	if !scope.Covers(code) {
		return d, portal.ErrNotFound
	}
	var set registry.DeadlineSettings
	due := &dueReads{}
	b := &pgx.Batch{}
	queueDivision(b, code, &d.Division)
	queueOpenChildDivisions(b, code, &d.Children)
	queueFigures(b, scope, &d.Figures)
	queueOrgTotals(b, scope, &d.Orgs)
	queueWorkWaiting(b, scope, now, &d.Work)
	queueDeadlineSettings(b, scope, &set)
	queueDueWork(b, scope, want, now, due)
	if err := db.send(ctx, planKept, b); err != nil {
		return d, err
	}
	d.Due = due.items(set)
	return d, nil
}

// Ready is the readiness probe's question.
func (db *DB) Ready(ctx context.Context) error {
	var one int
	return db.pool(planFresh).QueryRow(ctx, `SELECT 1`).Scan(&one)
}

// Fact reads one fact about this database ("" when unset).
func (db *DB) Fact(ctx context.Context, key string) (string, error) {
	var v string
	err := db.pool(planFresh).QueryRow(ctx, `SELECT value FROM portal_facts WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return v, translate(err)
}

// SetFact records one fact about this database.
func (db *DB) SetFact(ctx context.Context, key, value string) error {
	_, err := db.pool(planFresh).Exec(ctx, `INSERT INTO portal_facts (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, at = now()`, key, value)
	return translate(err)
}

// CreateDatabaseIfMissing creates database name (connected to the server's maintenance database). Database
// names cannot be bound parameters, so the identifier is quoted by pgx.
func (db *DB) CreateDatabaseIfMissing(ctx context.Context, name string) error {
	var exists bool
	if err := db.pool(planFresh).QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).
		Scan(&exists); err != nil {
		return translate(err)
	}
	if exists {
		return nil
	}
	_, err := db.pool(planFresh).Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+
		` ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`)
	return translate(err)
}
