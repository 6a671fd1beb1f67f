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
// account.
func (db *DB) Figures(ctx context.Context, scope portal.Scope) (registry.DivisionFigures, error) {
	var f registry.DivisionFigures
	b := &pgx.Batch{}
	queueFigures(b, scope, &f)
	return f, db.send(ctx, planFresh, b)
}

// queueFigures queues Figures's statement on b (planFresh), to fill f.
func queueFigures(b *pgx.Batch, scope portal.Scope, f *registry.DivisionFigures) {
	b.Queue(`
		SELECT
			(SELECT count(*) FROM divisions WHERE level = 'town' AND `+scopeWithin("code")+`),
			(SELECT count(*) FROM divisions WHERE level = 'community' AND NOT rural AND retired_at IS NULL AND `+scopeWithin("code")+`),
			(SELECT count(*) FROM divisions WHERE level = 'community' AND rural AND retired_at IS NULL AND `+scopeWithin("code")+`),
			(SELECT count(*) FROM accounts WHERE `+scopeWithin("division_code")+` AND tier = ANY(@tiers)),
			(SELECT count(*) FROM accounts WHERE `+scopeWithin("division_code")+` AND tier = ANY(@tiers) AND disabled),
			(SELECT count(*) FROM accounts WHERE `+scopeWithin("division_code")+` AND tier = ANY(@tiers)
				AND locked_until > now()),
			(SELECT count(*) FROM divisions d WHERE d.parent_code = @scope_div AND d.retired_at IS NULL
				AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.division_code = d.code AND NOT a.disabled)),
			(SELECT count(*) FROM audit_log WHERE action = 'login.failed'
				AND at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
				AND `+scopeWithin("actor_division")+`)`,
		scopeArgs(scope, namedArgs{"tiers": tierStrings(scope.ManagedTiers())})).QueryRow(func(row pgx.Row) error {
		return row.Scan(&f.Towns, &f.UrbanCommunities, &f.RuralCommunities, &f.Accounts, &f.DisabledAccounts,
			&f.LockedAccounts, &f.DivisionsNoAcct, &f.FailedLoginsToday)
	})
}

// Dashboard reads at once what a 工作台 shows inside scope at time now: its own division (code) and the open
// ones below it, its figures, its groups' kept counts, its open work, and the items of want falling due with the
// district's periods. The statements go in one batch per planning, sent together: the page waits for one round
// trip where it waited for ten, one after another.
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
	fresh, kept := &pgx.Batch{}, &pgx.Batch{}
	queueDivision(fresh, code, &d.Division)
	queueOpenChildDivisions(fresh, code, &d.Children)
	queueFigures(fresh, scope, &d.Figures)
	queueOrgTotals(fresh, scope, &d.Orgs)
	queueWorkWaiting(fresh, scope, now, &d.Work)
	queueDeadlineSettings(fresh, scope, &set)
	queueDueWork(fresh, kept, scope, want, now, due)
	if err := db.sendBoth(ctx, fresh, kept); err != nil {
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
