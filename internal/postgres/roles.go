package postgres

import (
	"context"
	"net/url"

	"github.com/jackc/pgx/v5"
)

// ServingGroup is the role migration 0033 makes: its members may read and write the registry and only add to and
// read the audit log. The portal serves as a login role that is a member of it and owns nothing.
const ServingGroup = "portal_serving"

// EnsureServingLogin makes role, a login role in ServingGroup without a password, when it is missing: for the
// private clusters of `make run` and `make test`, which trust local connections. A deployment makes its serving
// role with a password instead (README "Deployment").
func (db *DB) EnsureServingLogin(ctx context.Context, role string) error {
	var exists bool
	if err := db.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, role).
		Scan(&exists); err != nil || exists {
		return translate(err)
	}
	_, err := db.Pool.Exec(ctx, `CREATE ROLE `+pgx.Identifier{role}.Sanitize()+` LOGIN IN ROLE `+ServingGroup)
	return translate(err)
}

// WithUser is the URL dsn signed in as user (and no password) instead.
func WithUser(dsn, user string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Has("user") {
		q.Set("user", user)
		q.Del("password")
		u.RawQuery = q.Encode()
	} else {
		u.User = url.User(user)
	}
	return u.String()
}

// CountAccounts is how many accounts the database holds, whoever made them.
func (db *DB) CountAccounts(ctx context.Context) (int, error) {
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM accounts`).Scan(&n)
	return n, translate(err)
}
