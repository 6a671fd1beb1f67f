package postgres_test

import (
	"context"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/pgcluster"
	"github.com/yubei-cso/portal/internal/testdb"
)

// SECURITY.md 24: the backup and restore the README documents (pg_dump --format=custom, pg_restore into a new
// database) gives back every table with the same rows.
func TestBackupAndRestoreRoundTripEveryTable(t *testing.T) {
	src, srcURL := testdb.NewWithURL(t)
	dst, dstURL := testdb.NewWithURL(t)
	ctx := context.Background()
	// The restore target must be empty: drop everything the template put there.
	if _, err := dst.Pool.Exec(ctx, `DROP SCHEMA public CASCADE; CREATE SCHEMA public`); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Pool.Exec(ctx, `INSERT INTO portal_facts (key, value) VALUES ('backup-probe', '备份测试')`); err != nil {
		t.Fatal(err)
	}
	pgDump, err := pgcluster.Program("pg_dump")
	if err != nil {
		t.Fatal(err)
	}
	pgRestore, _ := pgcluster.Program("pg_restore")
	dump := filepath.Join(t.TempDir(), "portal.dump")
	if out, err := exec.Command(pgDump, "--format=custom", "--file="+dump, "--dbname="+libpqURL(srcURL)).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	if out, err := exec.Command(pgRestore, "--no-owner", "--dbname="+libpqURL(dstURL), dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	tables := tableNames(t, src.Pool)
	if len(tables) < 5 {
		t.Fatalf("only %d tables", len(tables))
	}
	for _, table := range tables {
		a, b := tableDigest(t, src.Pool, table), tableDigest(t, dst.Pool, table)
		if a != b {
			t.Errorf("table %s differs after restore (%s vs %s)", table, a, b)
		}
	}
	// The audit log's guard comes back with it.
	if _, err := dst.Pool.Exec(ctx, `DELETE FROM audit_log`); err == nil {
		t.Error("the restored audit log can be deleted from")
	}
}

// libpqURL keeps the URL as libpq reads it (the socket folder in host=).
func libpqURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.String()
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func tableNames(t *testing.T, db querier) []string {
	rows, _ := db.Query(context.Background(), `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// tableDigest is the row count and an md5 of every row's text, in a stable order.
func tableDigest(t *testing.T, db querier, table string) string {
	var n int
	var sum *string
	q := `SELECT count(*), md5(string_agg(r::text, '|' ORDER BY r::text)) FROM ` + pgx.Identifier{table}.Sanitize() + ` r`
	if err := db.QueryRow(context.Background(), q).Scan(&n, &sum); err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	s := ""
	if sum != nil {
		s = *sum
	}
	return strings.Join([]string{table, strconv.Itoa(n), s}, ":")
}
