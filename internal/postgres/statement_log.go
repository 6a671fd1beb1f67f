package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// LogEveryStatement switches the cluster's logging of every statement, with its duration and parameters, on or
// off (ALTER SYSTEM and a reload, so it reaches the connections other processes hold open). cmd/bench uses it to
// learn which statements a page sends. It needs a superuser, which the private clusters' account is. Its own two
// statements go by the simple protocol, so they are logged as "statement:" and never mistaken for a page's.
func (db *DB) LogEveryStatement(ctx context.Context, on bool) error {
	set := "ALTER SYSTEM RESET log_min_duration_statement"
	if on {
		set = "ALTER SYSTEM SET log_min_duration_statement = 0"
	}
	for _, sql := range []string{set, "SELECT pg_reload_conf()"} {
		if _, err := db.pool(planFresh).Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol); err != nil {
			return translate(err)
		}
	}
	return nil
}
