package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/testdb"
)

// PORTAL_DB_TIMEOUT reaches every connection of both serving pools as server-side limits.
func TestServingURLSetsTheLimitsOnEveryPoolConnection(t *testing.T) {
	_, u := testdb.NewWithURL(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, postgres.ServingURL(u, 1500*time.Millisecond), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []struct{ setting, want string }{{"statement_timeout", "1500ms"}, {"lock_timeout", "1500ms"},
		{"idle_in_transaction_session_timeout", "15s"}} {
		for name, row := range map[string]func() (string, error){
			"Pool": func() (s string, err error) {
				err = db.Pool.QueryRow(ctx, `SELECT current_setting($1)`, q.setting).Scan(&s)
				return
			},
			"Lookups": func() (s string, err error) {
				err = db.Lookups.QueryRow(ctx, `SELECT current_setting($1)`, q.setting).Scan(&s)
				return
			},
		} {
			got, err := row()
			if err != nil || got != q.want {
				t.Errorf("%s: %s = %q (%v), want %q", name, q.setting, got, err, q.want)
			}
		}
	}
	// A statement longer than the limit ends in an error the portal reads as "database unavailable" (503).
	_, err = db.Pool.Exec(ctx, `SELECT pg_sleep(3)`)
	if err == nil || !postgres.IsUnavailable(err) {
		t.Fatalf("a 3 s statement under a 1.5 s limit: %v", err)
	}
	if got := postgres.ServingURL("host=/tmp dbname=x", time.Second); !strings.Contains(got, "lock_timeout=1000") {
		t.Errorf("key=value form: %q", got)
	}
}
