package postgres

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ServingURL is dsn with the limits a serving portal puts on every connection of its pools, so that a held
// row lock or a slow statement ends in an error the portal answers with 503 instead of a request that waits
// for ever (SECURITY.md 22): statement_timeout and lock_timeout of timeout (PORTAL_DB_TIMEOUT), and an
// idle-in-transaction timeout that ends a transaction whose client stopped talking, releasing its locks.
// Work that must run longer (an export, a 台账 import) lifts statement_timeout for its own transaction
// (unboundedStatements). Both URL and key=value forms of dsn are accepted; pgx passes these settings to the
// server as run-time parameters.
func ServingURL(dsn string, timeout time.Duration) string {
	ms := func(d time.Duration) string { return strconv.FormatInt(max(d.Milliseconds(), 1), 10) }
	params := [][2]string{
		{"statement_timeout", ms(timeout)},
		{"lock_timeout", ms(timeout)},
		{"idle_in_transaction_session_timeout", ms(IdleInTransactionTimeout(timeout))},
	}
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			for _, p := range params {
				q.Set(p[0], p[1])
			}
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	for _, p := range params {
		dsn += " " + p[0] + "=" + p[1]
	}
	return strings.TrimSpace(dsn)
}

// IdleInTransactionTimeout is how long a serving connection may sit in an open transaction without a statement:
// ten request timeouts, at least 10 s. A request's transaction never idles that long (its context ends first);
// a process that froze or lost its network mid-transaction has its locks released by then.
func IdleInTransactionTimeout(timeout time.Duration) time.Duration {
	return max(10*timeout, 10*time.Second)
}

// unboundedStatements lifts the serving statement_timeout for the rest of tx: for an export that streams
// millions of rows, or a 台账 import, which may rightly run longer than a page's statements.
func unboundedStatements(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SET LOCAL statement_timeout = 0`)
	return err
}
