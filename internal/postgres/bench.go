// Scale data and instruments for the load test (cmd/bench) and the gen command, which the portal's pages never
// call: bulk loads with COPY that drop and rebuild indexes, committee accounts and live groups to file generated
// reports for, counts for their bookkeeping, and the switch that logs every statement.
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

// GenCommittee is a community's committee account for generated reports.
type GenCommittee struct {
	ID            int64
	Username      string
	CommunityCode string
}

// EnsureGenCommittees makes one disabled committee account per community (gen-<code>), unless it exists, and
// returns them all: generated reports are filed by a plausible account that nobody can sign in to.
func (db *DB) EnsureGenCommittees(ctx context.Context) ([]GenCommittee, error) {
	if _, err := db.pool(planFresh).Exec(ctx, `
		INSERT INTO accounts (username, display_name, tier, division_code, password_hash, disabled)
		SELECT 'gen-' || d.code, left(d.name || '居(村)委会', 40), 'community', d.code, '!', true
		FROM divisions d WHERE d.level = 'community'
		ON CONFLICT (username) DO NOTHING`); err != nil {
		return nil, translate(err)
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT id, username, division_code AS community_code FROM accounts
		WHERE tier = 'community' AND username = 'gen-' || division_code ORDER BY division_code`)
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByName[GenCommittee])
	return cs, translate(err)
}

// EachLiveOrg calls fn with every live organization (正常 or 活动异常) in id order: the groups reports may be
// filed for.
func (db *DB) EachLiveOrg(ctx context.Context, fn func(id int64, community string, created time.Time)) error {
	rows, err := db.pool(planFresh).Query(ctx, `SELECT id, community_code, created_at FROM organizations
		WHERE status IN ('normal', 'abnormal') ORDER BY id`)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	var id int64
	var community string
	var created time.Time
	_, err = pgx.ForEachRow(rows, []any{&id, &community, &created}, func() error {
		fn(id, community, created)
		return nil
	})
	return translate(err)
}

// CountCurrentReports is how many activity reports there are (current revisions), from the kept counts.
func (db *DB) CountCurrentReports(ctx context.Context) (int, error) {
	var n int
	err := db.pool(planFresh).QueryRow(ctx, `SELECT coalesce(sum(n), 0) FROM report_counts`).Scan(&n)
	return n, translate(err)
}

// BulkLoadActivityReports appends n generated reports with COPY in one transaction. rows(i, no, id) is report
// i's revisions, numbered no, with ids from id on (a corrected report is two rows; COPY writes the given ids,
// so the first revision can name its successor). Report numbers and ids are taken past what exists and the
// sequences moved past them. When the load is at least as large as the table, the secondary indexes and the
// foreign keys are dropped for it and rebuilt after it — one sort per index and one join per key instead of
// tens of millions of insertions and look-ups. It returns the rows written.
func (db *DB) BulkLoadActivityReports(ctx context.Context, columns []string, n int, rows func(i int, no, id int64) [][]any,
	progress func(done int)) (int, error) {
	written := 0
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var have int
		var firstNo, lastID int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(sum(n), 0) FROM report_counts`).Scan(&have); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT nextval('activity_report_no_seq')`).Scan(&firstNo); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT setval('activity_report_no_seq', $1::bigint)`, firstNo+int64(n)); err != nil {
			return err
		}
		// The table is locked for the load, so nobody else takes ids meanwhile.
		if _, err := tx.Exec(ctx, `LOCK TABLE activity_reports IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM activity_reports`).Scan(&lastID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '512MB'`); err != nil {
			return err
		}
		var rebuild []string
		if n >= have {
			keys, err := dropForeignKeys(ctx, tx, "activity_reports")
			if err != nil {
				return err
			}
			idx, err := dropSecondaryIndexes(ctx, tx, "activity_reports")
			if err != nil {
				return err
			}
			rebuild = append(idx, keys...)
		}
		i := 0
		var pending [][]any
		src := pgx.CopyFromFunc(func() ([]any, error) {
			for len(pending) == 0 {
				if i >= n {
					return nil, nil
				}
				pending = rows(i, firstNo+int64(i), lastID+1)
				i++
				lastID += int64(len(pending))
				if progress != nil && i%100000 == 0 {
					progress(i)
				}
			}
			r := pending[0]
			pending = pending[1:]
			return r, nil
		})
		copied, err := tx.CopyFrom(ctx, pgx.Identifier{"activity_reports"}, columns, src)
		if err != nil {
			return fmt.Errorf("copy activity_reports: %w", err)
		}
		written = int(copied)
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('activity_reports', 'id'),
			(SELECT max(id) FROM activity_reports))`); err != nil {
			return err
		}
		for _, def := range rebuild {
			if _, err := tx.Exec(ctx, def); err != nil {
				return fmt.Errorf("rebuild %s: %w", def, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, translate(err)
	}
	// VACUUM sets the visibility map, so that list pages read the fresh rows' index entries without visiting
	// the table; it cannot run inside a transaction.
	_, err = db.pool(planFresh).Exec(ctx, `VACUUM (ANALYZE) activity_reports`)
	return written, translate(err)
}

// dropForeignKeys drops a table's foreign keys and returns the statements that add them again, validating
// every row at once.
func dropForeignKeys(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, _ := tx.Query(ctx, `
		SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
		WHERE c.conrelid = to_regclass($1) AND c.contype = 'f' ORDER BY c.conname`, table)
	type key struct{ Name, Def string }
	keys, err := pgx.CollectRows(rows, pgx.RowToStructByPos[key])
	if err != nil {
		return nil, err
	}
	t := pgx.Identifier{table}.Sanitize()
	var defs []string
	for _, k := range keys {
		name := pgx.Identifier{k.Name}.Sanitize()
		if _, err := tx.Exec(ctx, `ALTER TABLE `+t+` DROP CONSTRAINT `+name); err != nil {
			return nil, err
		}
		defs = append(defs, `ALTER TABLE `+t+` ADD CONSTRAINT `+name+` `+k.Def)
	}
	return defs, nil
}

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
