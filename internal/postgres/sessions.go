package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// SessionKey is what the sessions table keeps of a session token: its SHA-256. The token itself lives only in
// the browser's cookie, so a dump or a read of the table holds no live session (a token has 256 random bits, so
// an unsalted hash is as strong as the token).
func SessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SessionWithAccount reads the live session token and, when the session belongs to an account, that account
// with its count of unread 站内消息 (as UnreadMessages counts them), in one statement. Every signed-in request
// needs all three; read apart they were three round trips to PostgreSQL per page. The account is read afresh
// each time, exactly as AccountByID reads it, so a disabled account or an ended session version shows on the
// very next request. found is false for an unknown or expired token; account is nil when the session names no
// account, or names one that no longer exists.
func (db *DB) SessionWithAccount(ctx context.Context, token string) (data []byte, account *portal.Account, found bool, err error) {
	var (
		a       portal.Account
		id      *int64
		tier    string
		role    string
		created *time.Time
	)
	// Without an account every column of a is NULL; the coalesces keep the scan simple, and id says which.
	err = db.pool(planKept).QueryRow(ctx, `SELECT s.data, a.id, coalesce(a.username, ''), coalesce(a.display_name, ''),
			coalesce(a.tier, ''), coalesce(a.role, ''), coalesce(a.division_code, ''), coalesce(a.phone, ''), coalesce(a.disabled, true),
			a.locked_until, coalesce(a.failed_logins, 0), coalesce(a.session_version, 0), a.created_at,
			a.last_login_at, coalesce(a.version, 0),
			(SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.account_id = a.id AND m.read_at IS NULL LIMIT $2) x)::int
		FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id
		WHERE s.token = $1 AND current_timestamp < s.expiry`, SessionKey(token), registry.UnreadShown+1).Scan(&data, &id,
		&a.Username, &a.DisplayName, &tier, &role, &a.DivisionCode, &a.Phone, &a.Disabled, &a.LockedUntil,
		&a.FailedLogins, &a.SessionVersion, &created, &a.LastLoginAt, &a.Version, &a.Unread)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, false, nil
	}
	if err != nil {
		return nil, nil, false, translate(err)
	}
	if id == nil {
		return data, nil, true, nil
	}
	a.ID, a.Tier, a.Role = *id, portal.Tier(tier), portal.Role(role)
	if created != nil {
		a.CreatedAt = *created
	}
	if a.DivisionName, err = db.divisionName(ctx, a.DivisionCode); err != nil {
		return nil, nil, false, err
	}
	return data, &a, true, nil
}

// CommitSession writes a session under its token's key, with the account it belongs to (0 for none).
func (db *DB) CommitSession(ctx context.Context, token string, data []byte, expiry time.Time, accountID int64) error {
	var account *int64
	if accountID != 0 {
		account = &accountID
	}
	_, err := db.pool(planKept).Exec(ctx, `INSERT INTO sessions (token, data, expiry, account_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry,
			account_id = EXCLUDED.account_id`, SessionKey(token), data, expiry, account)
	return translate(err)
}

// DeleteSession removes one session (sign-out of this browser, a renewed token's old row).
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	_, err := db.Lookups.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, SessionKey(token))
	return translate(err)
}

// DeleteExpiredSessions removes the rows of sessions that have run out.
func (db *DB) DeleteExpiredSessions(ctx context.Context) error {
	_, err := db.Pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < current_timestamp`)
	return translate(err)
}
