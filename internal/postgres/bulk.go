package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// BulkLoadOrganizations appends n generated organizations with COPY, each with its 'created' timeline row, for
// load tests. Secondary indexes are dropped for the load and rebuilt after it from their own definitions (a
// bulk build is many times faster than n index insertions), all in one transaction.
func (db *DB) BulkLoadOrganizations(ctx context.Context, columns []string, n int, row func(i int) []any, progress func(done int)) error {
	return translate(db.inTx(ctx, func(tx pgx.Tx) error {
		var startID int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM organizations`).Scan(&startID); err != nil {
			return err
		}
		rebuild, err := dropSecondaryIndexes(ctx, tx, "organizations")
		if err != nil {
			return err
		}
		i := 0
		src := pgx.CopyFromFunc(func() ([]any, error) {
			if i >= n {
				return nil, nil
			}
			r := row(i)
			i++
			if progress != nil && i%100000 == 0 {
				progress(i)
			}
			return r, nil
		})
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"organizations"}, columns, src); err != nil {
			return fmt.Errorf("copy organizations: %w", err)
		}
		for _, def := range rebuild {
			if _, err := tx.Exec(ctx, def); err != nil {
				return fmt.Errorf("rebuild index: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO org_events (org_id, community_code, at, actor_name, kind, to_value)
			SELECT id, community_code, created_at, 'generator', 'created', tier FROM organizations WHERE id > $1`,
			startID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `ANALYZE organizations; ANALYZE org_events`)
		return err
	}))
}

// dropSecondaryIndexes drops a table's indexes that back no constraint and returns the statements that
// recreate them exactly as the migrations made them.
func dropSecondaryIndexes(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, _ := tx.Query(ctx, `
		SELECT i.indexname, i.indexdef FROM pg_indexes i
		WHERE i.schemaname = current_schema() AND i.tablename = $1
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, table)
	type index struct{ Name, Def string }
	idx, err := pgx.CollectRows(rows, pgx.RowToStructByPos[index])
	if err != nil {
		return nil, err
	}
	var defs []string
	for _, x := range idx {
		if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{x.Name}.Sanitize()); err != nil {
			return nil, err
		}
		defs = append(defs, x.Def)
	}
	return defs, nil
}

// CountOrganizationsAll is the size of the registry, for load-test bookkeeping.
func (db *DB) CountOrganizationsAll(ctx context.Context) (int, error) {
	var n int
	err := db.pool(planFresh).QueryRow(ctx, `SELECT count(*) FROM organizations`).Scan(&n)
	return n, translate(err)
}

// LoadTimeout is how long a bulk load of millions of rows may take before giving up.
const LoadTimeout = 2 * time.Hour
