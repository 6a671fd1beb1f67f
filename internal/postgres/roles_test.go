package postgres_test

import (
	"context"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/testdb"
)

// SECURITY.md 19 against the database itself: the role the portal serves as may add to and read the audit log,
// but cannot disable its triggers, alter, delete from, update, truncate or drop it, nor grant itself more.
func TestServingRoleCannotTamperWithTheAuditLog(t *testing.T) {
	owner, serving := testdb.NewServing(t)
	ctx := context.Background()
	if err := serving.Audit(ctx, portal.AuditEntry{Actor: portal.Actor{Username: "tamper-test"}, Action: "test",
		Result: portal.ResultOK}); err != nil {
		t.Fatalf("the serving role cannot add an audit row: %v", err)
	}
	var n int
	if err := serving.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("the serving role cannot read the audit log: %d rows, %v", n, err)
	}
	for _, sql := range []string{
		`ALTER TABLE audit_log DISABLE TRIGGER ALL`,
		`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change`,
		`DELETE FROM audit_log`,
		`UPDATE audit_log SET detail = 'changed'`,
		`TRUNCATE audit_log`,
		`DROP TABLE audit_log`,
		`ALTER TABLE audit_log RENAME TO audit_log_old`,
		`DROP TRIGGER audit_log_no_change ON audit_log`,
		`CREATE OR REPLACE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`,
		`SET session_replication_role = replica`,
	} {
		tx, err := serving.Pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = tx.Exec(ctx, sql)
		_ = tx.Rollback(ctx)
		if err == nil {
			t.Errorf("the serving role may: %s", sql)
		}
	}
	if err := owner.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE actor_username = 'tamper-test'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("the audit row is gone: %d, %v", n, err)
	}
	// A GRANT it tries to itself gives nothing (PostgreSQL only warns), and it owns nothing at all.
	_, _ = serving.Pool.Exec(ctx, `GRANT DELETE, UPDATE, TRUNCATE ON audit_log TO portal_serving`)
	var may bool
	if err := owner.Pool.QueryRow(ctx, `SELECT has_table_privilege($1, 'audit_log', 'DELETE')
		OR has_table_privilege($1, 'audit_log', 'UPDATE') OR has_table_privilege($1, 'audit_log', 'TRUNCATE')`,
		testdb.ServingRole).Scan(&may); err != nil || may {
		t.Errorf("the serving role may change the audit log after granting itself (%v)", err)
	}
	if err := owner.Pool.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
		WHERE r.rolname = $1`, testdb.ServingRole).Scan(&n); err != nil || n != 0 {
		t.Errorf("the serving role owns %d relations (%v)", n, err)
	}
}
