package testdb

import (
	"context"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
)

// Two databases from the template are independent: a write in one is not seen in the other.
func TestDatabasesAreIndependent(t *testing.T) {
	a, b := New(t), New(t)
	ctx := context.Background()
	if _, err := a.Pool.Exec(ctx, `INSERT INTO portal_facts (key, value) VALUES ('probe', 'a')`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.Pool.QueryRow(ctx, `SELECT count(*) FROM portal_facts WHERE key = 'probe'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("database b sees a's row")
	}
	var accounts int
	if err := b.Pool.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE username LIKE 'demo-%'`).Scan(&accounts); err != nil {
		t.Fatal(err)
	}
	if want := len(seed.DemoAccounts()); accounts != want {
		t.Fatalf("template has %d demo accounts, want %d", accounts, want)
	}
}
