// Package postgres is the only package that speaks SQL: the connection pool, migrations, and one store method
// per question the portal asks, each translating database errors into the portal's own.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/golang-migrate/migrate/v4"
	pgxmigrate "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/migrations"
)

// DB is the portal's database.
type DB struct {
	Pool *pgxpool.Pool
	// Lookups is a small pool whose statements keep the plan made once, without their arguments' values (a
	// generic plan): reads by key, such as every request's session and account, division names, and a record
	// by its id, and the organization lists that are not a name search. The main pool plans every execution
	// afresh, which made planning most of the database time of these reads. Only statements whose best plan
	// does not depend on their arguments' values belong here; DB.pool picks between the two.
	Lookups   *pgxpool.Pool
	divisions *divisionCache
	bigrams   bigramStats  // how common each piece of a name is, to choose how a search runs (org_search.go)
	box       *sealbox.Box // seals and opens 负责人 phone numbers and 身份证号
}

// Open connects to url. The pool is sized for a 2-core machine; PostgreSQL does the waiting, not the portal.
// key seals and opens personal data (负责人 phones and 身份证号); it is nil only for connections that never
// touch them (administration, the bench's control connection).
func Open(ctx context.Context, url string, key *sealbox.Box) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	cfg.ConnConfig.ConnectTimeout = 3 * time.Second
	cfg.HealthCheckPeriod = 5 * time.Second
	// Every session reads and writes times in 北京时间 when it formats them itself; we store timestamptz.
	cfg.ConnConfig.RuntimeParams["timezone"] = "Asia/Shanghai"
	cfg.ConnConfig.RuntimeParams["application_name"] = "yubei-portal"
	// Scope and filter clauses are written as "(@x = '' OR column = @x)"; planning each execution with its own
	// values lets PostgreSQL drop the clauses that do not apply and use the index of the one that does.
	cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	// JIT compiles costly plans for tens of milliseconds; the portal's queries are short index walks, for which
	// that compile time is pure loss (it switched on for list plans at scale).
	cfg.ConnConfig.RuntimeParams["jit"] = "off"
	lookups := cfg.Copy()
	lookups.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	// The registry is read from memory: a page fetched by an index costs about what one read in order does.
	// At the default of 4 a kept plan for a town's deep page walked the whole primary key rather than the
	// town's own index.
	lookups.ConnConfig.RuntimeParams["random_page_cost"] = "1.1"
	lookups.MaxConns = max(4, cfg.MaxConns/2)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	lookupPool, err := pgxpool.NewWithConfig(ctx, lookups)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return &DB{Pool: pool, Lookups: lookupPool, divisions: newDivisionCache(), box: key}, nil
}

// planning is how PostgreSQL plans a statement, which is what decides the pool that runs it (DB.pool).
type planning int

const (
	// planFresh statements are planned for each execution with their arguments' values: those whose clauses are
	// written "(@x = '' OR column = @x)" (they fold away only for known values), name searches, whose best plan
	// depends on the term, and writes.
	planFresh planning = iota
	// planKept statements keep the plan made once without their arguments' values (the Lookups pool): reads by
	// key, and lists written with only the clauses that apply. Only a statement whose best plan does not depend
	// on its arguments' values belongs here.
	planKept
)

// pool is the one place that picks a pool: every statement of this package runs on db.pool(its planning).
func (db *DB) pool(p planning) *pgxpool.Pool {
	if p == planKept {
		return db.Lookups
	}
	return db.Pool
}

// send runs the statements queued on b on the pool of their planning, in one round trip, and closes it.
func (db *DB) send(ctx context.Context, p planning, b *pgx.Batch) error {
	return translate(db.pool(p).SendBatch(ctx, b).Close())
}

// sendBoth sends a batch for each planning at once, each on its pool, and waits for both: one round trip of
// waiting for a page that reads with both. An empty batch is not sent.
func (db *DB) sendBoth(ctx context.Context, fresh, kept *pgx.Batch) error {
	switch {
	case kept.Len() == 0:
		return db.send(ctx, planFresh, fresh)
	case fresh.Len() == 0:
		return db.send(ctx, planKept, kept)
	}
	done := make(chan error, 1)
	go func() { done <- db.send(ctx, planKept, kept) }()
	err := db.send(ctx, planFresh, fresh)
	if kerr := <-done; err == nil {
		err = kerr
	}
	return err
}

// Close closes both pools.
func (db *DB) Close() {
	db.Pool.Close()
	db.Lookups.Close()
}

// Ping tells whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.pool(planFresh).Ping(ctx) }

// Migrate applies every pending migration. golang-migrate takes an advisory lock, so several portal processes
// starting at once apply each migration exactly once.
func (db *DB) Migrate(ctx context.Context) error {
	return db.migrate(func(m *migrate.Migrate) error { return m.Up() })
}

// MigrateTo moves the schema up or down to version, for tests of a migration against the data before it.
func (db *DB) MigrateTo(ctx context.Context, version uint) error {
	return db.migrate(func(m *migrate.Migrate) error { return m.Migrate(version) })
}

func (db *DB) migrate(move func(*migrate.Migrate) error) error {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return err
	}
	sqlDB := stdlib.OpenDBFromPool(db.pool(planFresh))
	defer sqlDB.Close()
	drv, err := pgxmigrate.WithInstance(sqlDB, &pgxmigrate.Config{})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	m, err := migrate.NewWithInstance("iofs", src, "pgx5", drv)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// Close hands the driver's dedicated connection back to the pool; without it the pool never closes.
	defer m.Close()
	if err := move(m); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// inTx runs fn in a transaction, committing when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool(planFresh), fn)
}

// translate turns driver errors into the portal's; nothing from pgx leaks above this package.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return portal.ErrNotFound
	}
	if IsUnavailable(err) {
		return fmt.Errorf("%w: %v", portal.ErrUnavailable, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001", "40P01": // serialization failure, deadlock
			return portal.ErrConflict
		case "23505":
			if sentinel, ok := uniqueSentinels[pe.ConstraintName]; ok {
				return sentinel
			}
			return &uniqueError{constraint: pe.ConstraintName}
		case "23514": // issue 17: a group entering a retired 社区/村 (migration 0082)
			if pe.ConstraintName == "organizations_division_retired" {
				return registry.ErrDivisionRetired
			}
		}
	}
	return err
}

// IsUnavailable reports whether err means the database could not be reached (as opposed to a query failing),
// so that callers outside this package can answer 503 without seeing pgx's types.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, portal.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) {
		return true
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	if errors.As(err, &ce) || errors.As(err, &ne) {
		return true
	}
	// A connection cut mid-conversation (the server stopped or the network dropped) ends in EOF.
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// admin_shutdown, crash_shutdown, cannot_connect_now; and the serving limits (ServingURL): a lock
		// not granted within lock_timeout, a statement cancelled by statement_timeout, a transaction ended
		// by the idle-in-transaction timeout
		switch pe.Code {
		case "57P01", "57P02", "57P03", "55P03", "57014", "25P03":
			return true
		}
		return false
	}
	return pgconn.SafeToRetry(err)
}

// IsBadInput reports whether the database refused err's statement for a value in it: a data exception (class
// 22: bytes not UTF-8, a NUL, a number out of range, text too long for its column) or a value too large for an
// index (54000). The input's fault, not the portal's: callers answer 400, and the transaction wrote nothing.
func IsBadInput(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (strings.HasPrefix(pe.Code, "22") || pe.Code == "54000")
}

// uniqueSentinels names the domain error each unique constraint stands for, so that callers see the rule they
// broke and never a constraint name.
var uniqueSentinels = map[string]error{
	"organizations_live_name_key":   registry.ErrNameTaken,
	"organizations_uscc_key":        registry.ErrUSCCTaken,
	"applications_one_open_per_org": registry.ErrOpenApplication,
	"filings_one_open_per_org":      registry.ErrOpenFiling,
	"filings_one_open_guided":       registry.ErrOpenFiling,
	"accounts_username_key":         registry.ErrUsernameTaken,
}

// uniqueError is a unique violation of a constraint with no domain error of its own (two writers taking the same
// revision number, say); callers that expect one treat it as a conflict.
type uniqueError struct{ constraint string }

func (e *uniqueError) Error() string { return "duplicate value for " + e.constraint }

// audit writes one audit row inside tx, so that it commits or rolls back with the change it records.
func audit(ctx context.Context, tx pgx.Tx, e portal.AuditEntry) error {
	var actorID *int64
	if e.Actor.AccountID != 0 {
		actorID = &e.Actor.AccountID
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO audit_log (actor_id, actor_username, actor_tier, actor_division, ip,
		                       action, object_type, object_id, result, detail)
		VALUES (@actor_id, @actor_username, @actor_tier, @actor_division, @ip,
		        @action, @object_type, @object_id, @result, @detail)`,
		namedArgs{
			"actor_id": actorID, "actor_username": e.Actor.Username, "actor_tier": string(e.Actor.Tier),
			"actor_division": e.Actor.Division, "ip": e.Actor.IP, "action": e.Action,
			"object_type": e.ObjectType, "object_id": e.ObjectID, "result": e.Result, "detail": e.Detail,
		})
	return err
}

// Audit records an event that changes nothing else (a failed sign-in, a refused request).
func (db *DB) Audit(ctx context.Context, e portal.AuditEntry) error {
	return db.inTx(ctx, func(tx pgx.Tx) error { return audit(ctx, tx, e) })
}
