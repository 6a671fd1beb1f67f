package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

const accountColumns = `a.id, a.username, a.display_name, a.tier, a.role, a.division_code, d.name AS division_name, a.phone,
	a.disabled, a.locked_until, a.failed_logins, a.session_version, a.created_at, a.last_login_at, a.version`

// accountOwnColumns are accountColumns without the join: the division name is filled in afterwards.
const accountOwnColumns = `a.id, a.username, a.display_name, a.tier, a.role, a.division_code, '' AS division_name, a.phone,
	a.disabled, a.locked_until, a.failed_logins, a.session_version, a.created_at, a.last_login_at, a.version`

type accountRow struct {
	ID             int64
	Username       string
	DisplayName    string
	Tier           string
	Role           string
	DivisionCode   string
	DivisionName   string
	Phone          string
	Disabled       bool
	LockedUntil    *time.Time
	FailedLogins   int
	SessionVersion int
	CreatedAt      time.Time
	LastLoginAt    *time.Time
	Version        int
}

func (r accountRow) account() portal.Account {
	return portal.Account{ID: r.ID, Username: r.Username, DisplayName: r.DisplayName, Tier: portal.Tier(r.Tier),
		Role: portal.Role(r.Role), DivisionCode: r.DivisionCode, DivisionName: r.DivisionName, Phone: r.Phone, Disabled: r.Disabled,
		LockedUntil: r.LockedUntil, FailedLogins: r.FailedLogins, SessionVersion: r.SessionVersion,
		CreatedAt: r.CreatedAt, LastLoginAt: r.LastLoginAt, Version: r.Version}
}

func oneAccount(rows pgx.Rows) (portal.Account, error) {
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[accountRow])
	if err != nil {
		return portal.Account{}, translate(err)
	}
	return r.account(), nil
}

// AccountForLogin finds an account by username for sign-in, with its password hash. It takes no scope: nobody
// is signed in yet.
func (db *DB) AccountForLogin(ctx context.Context, username string) (portal.Account, string, error) {
	var hash string
	var r accountRow
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT a.id, a.username, a.display_name, a.tier, a.role, a.division_code, d.name, a.disabled, a.locked_until,
		       a.failed_logins, a.session_version, a.password_hash
		FROM accounts a JOIN divisions d ON d.code = a.division_code
		WHERE a.username = $1`, username).Scan(&r.ID, &r.Username, &r.DisplayName, &r.Tier, &r.Role, &r.DivisionCode,
		&r.DivisionName, &r.Disabled, &r.LockedUntil, &r.FailedLogins, &r.SessionVersion, &hash)
	if err != nil {
		return portal.Account{}, "", translate(err)
	}
	return r.account(), hash, nil
}

// AccountByID loads the signed-in account for a request: the session holds only its id and session version.
// It runs on every signed-in request, so it reads by key through the Lookups pool and takes the division's name
// from the division cache instead of a join.
func (db *DB) AccountByID(ctx context.Context, id int64) (portal.Account, error) {
	rows, _ := db.pool(planKept).Query(ctx, `SELECT `+accountOwnColumns+` FROM accounts a WHERE a.id = $1`, id)
	a, err := oneAccount(rows)
	if err != nil {
		return a, err
	}
	a.DivisionName, err = db.divisionName(ctx, a.DivisionCode)
	return a, err
}

// SignInOutcome is what RecordSignIn decided, under the account row's lock.
type SignInOutcome int

const (
	SignInOK       SignInOutcome = iota // the password was right and the account usable: signed in
	SignInFailed                        // a wrong password, counted toward the lockout
	SignInLocked                        // the account is locked (now or by an attempt that finished first)
	SignInDisabled                      // an administrator disabled the account
)

// RecordSignIn decides a sign-in attempt whose password has been checked (passwordOK), and records it, in one
// transaction that holds the account's row lock: the lock and the disabled flag are read there, after the
// caller waited for its hashing slot, so a burst of guesses cannot slip past a lock set by the ones before it,
// and a right password never clears a lock another attempt set meanwhile. A wrong password counts toward the
// lockout (threshold failures in a row lock the account for lockFor). action names the attempt in the audit
// log ("login", or "account.password" for a guess at the current password on 修改密码). Every outcome leaves
// its audit row in the same transaction.
func (db *DB) RecordSignIn(ctx context.Context, actor portal.Actor, action string, passwordOK bool, threshold int, lockFor time.Duration) (SignInOutcome, error) {
	outcome := SignInFailed
	id := strconv.FormatInt(actor.AccountID, 10)
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var disabled, locked bool
		if err := tx.QueryRow(ctx, `SELECT disabled, coalesce(locked_until > now(), false) FROM accounts
			WHERE id = $1 FOR UPDATE`, actor.AccountID).Scan(&disabled, &locked); err != nil {
			return err
		}
		entry := portal.AuditEntry{Actor: actor, ObjectType: "account", ObjectID: id}
		switch {
		case disabled:
			outcome = SignInDisabled
			entry.Action, entry.Result, entry.Detail = action+".failed", portal.ResultDenied, "账号已停用"
			return audit(ctx, tx, entry)
		case locked:
			outcome = SignInLocked
			entry.Action, entry.Result, entry.Detail = action+".locked", portal.ResultDenied, "账号锁定中"
			return audit(ctx, tx, entry)
		case passwordOK:
			outcome = SignInOK
			if action == "login" {
				if _, err := tx.Exec(ctx, `UPDATE accounts SET failed_logins = 0, last_login_at = now()
					WHERE id = $1`, actor.AccountID); err != nil {
					return err
				}
				entry.Action, entry.Result = "login", portal.ResultOK
				return audit(ctx, tx, entry)
			}
			// A right current password on 修改密码 ends the run of failures; the change itself is audited
			// with the new password.
			_, err := tx.Exec(ctx, `UPDATE accounts SET failed_logins = 0 WHERE id = $1`, actor.AccountID)
			return err
		}
		outcome = SignInFailed
		var failures int
		if err := tx.QueryRow(ctx, `
			UPDATE accounts SET
				-- a lockout that has run out starts the count afresh
				failed_logins = CASE WHEN locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
				locked_until = CASE
					WHEN (CASE WHEN locked_until <= now() THEN 1 ELSE failed_logins + 1 END) >= @threshold
						THEN now() + @lock_for
					WHEN locked_until <= now() THEN NULL
					ELSE locked_until END
			WHERE id = @id
			RETURNING failed_logins`,
			namedArgs{"id": actor.AccountID, "threshold": threshold, "lock_for": lockFor}).Scan(&failures); err != nil {
			return err
		}
		entry.Action, entry.Result = action+".failed", portal.ResultFailed
		entry.Detail = "连续失败 " + strconv.Itoa(failures) + " 次"
		if err := audit(ctx, tx, entry); err != nil {
			return err
		}
		if failures == threshold {
			return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "account.lockout", ObjectType: "account",
				ObjectID: id, Result: portal.ResultDenied, Detail: "锁定 " + lockFor.String()})
		}
		return nil
	})
	return outcome, translate(err)
}

// EndSessions ends every session of the actor's own account (sign-out) by moving its session version on.
func (db *DB) EndSessions(ctx context.Context, actor portal.Actor, action string) error {
	return translate(db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE accounts SET session_version = session_version + 1 WHERE id = $1`,
			actor.AccountID); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: action, ObjectType: "account",
			ObjectID: strconv.FormatInt(actor.AccountID, 10), Result: portal.ResultOK})
	}))
}

// ChangeOwnPassword sets the actor's own password and ends all their sessions (the caller renews its own).
func (db *DB) ChangeOwnPassword(ctx context.Context, actor portal.Actor, hash string) (newSessionVersion int, err error) {
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `UPDATE accounts SET password_hash = $2, session_version = session_version + 1,
			version = version + 1 WHERE id = $1 RETURNING session_version`, actor.AccountID, hash).
			Scan(&newSessionVersion); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "account.password", ObjectType: "account",
			ObjectID: strconv.FormatInt(actor.AccountID, 10), Result: portal.ResultOK})
	})
	return newSessionVersion, translate(err)
}

// ManagedAccounts lists the accounts the scope administers (lower tiers inside it), in division order.
func (db *DB) ManagedAccounts(ctx context.Context, scope portal.Scope, f registry.AccountFilter) ([]portal.Account, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+accountColumns+`
		FROM accounts a JOIN divisions d ON d.code = a.division_code
		WHERE `+scopeWithin("a.division_code")+` AND a.tier = ANY(@tiers)
		  AND (@tier = '' OR a.tier = @tier)
		  AND (@q = '' OR strpos(a.username, @q) > 0 OR strpos(a.display_name, @q) > 0)
		ORDER BY a.division_code, a.username
		LIMIT 1000`,
		scopeArgs(scope, namedArgs{"tiers": tierStrings(scope.ManagedTiers()),
			"tier": string(f.Tier), "q": f.Query}))
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[accountRow])
	if err != nil {
		return nil, translate(err)
	}
	out := make([]portal.Account, len(rs))
	for i, r := range rs {
		out[i] = r.account()
	}
	return out, nil
}

func tierStrings(ts []portal.Tier) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}

// ManagedAccount is one account the scope administers; any other id is ErrNotFound.
func (db *DB) ManagedAccount(ctx context.Context, scope portal.Scope, id int64) (portal.Account, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+accountColumns+`
		FROM accounts a JOIN divisions d ON d.code = a.division_code
		WHERE a.id = @id AND `+scopeWithin("a.division_code")+` AND a.tier = ANY(@tiers)`,
		scopeArgs(scope, namedArgs{"id": id, "tiers": tierStrings(scope.ManagedTiers())}))
	return oneAccount(rows)
}

// CreateAccount creates an account that scope may manage. A nil scope pointer means the command line (a real
// deployment's first district administrator), which may create any account.
func (db *DB) CreateAccount(ctx context.Context, scope *portal.Scope, actor portal.Actor, n registry.NewAccount) (int64, error) {
	if scope != nil && !scope.CanManage(n.Tier, n.DivisionCode) {
		return 0, portal.ErrNotFound
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var createdBy *int64
		if actor.AccountID != 0 {
			createdBy = &actor.AccountID
		}
		err := tx.QueryRow(ctx, `
			INSERT INTO accounts (username, display_name, tier, role, division_code, phone, password_hash, created_by)
			SELECT @username, @display_name, @tier, @role, d.code, @phone, @hash, @created_by
			FROM divisions d WHERE d.code = @division AND d.level = @tier
			RETURNING id`,
			namedArgs{"username": n.Username, "display_name": n.DisplayName, "tier": string(n.Tier),
				"role": string(n.Role), "division": n.DivisionCode, "phone": n.Phone, "hash": n.PasswordHash, "created_by": createdBy}).Scan(&id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "account.create", ObjectType: "account",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: n.Username + " " + string(n.Tier) + " " + n.DivisionCode})
	})
	return id, translate(err)
}

// ChangeAccount applies c to an account inside scope. Disabling, moving and resetting the password end every
// session of the account. Out of scope is ErrNotFound; a stale version is ErrConflict; the actor's own account
// (which the district's 管理 now sees among its own tier's) is ErrNotAllow.
func (db *DB) ChangeAccount(ctx context.Context, scope portal.Scope, actor portal.Actor, c registry.AccountChange) error {
	action := "account.update"
	switch {
	case c.Disable != nil && *c.Disable:
		action = "account.disable"
	case c.Disable != nil:
		action = "account.enable"
	case c.DivisionCode != nil:
		action = "account.rescope"
	case c.PasswordHash != nil:
		action = "account.password_reset"
	case c.Unlock:
		action = "account.unlock"
	case c.Role != nil:
		action = "account.role"
	}
	if c.ID == actor.AccountID {
		// an administrator never stops, moves or re-roles their own account: another one of the tier does
		return portal.ErrNotAllow
	}
	return translate(db.inTx(ctx, func(tx pgx.Tx) error {
		var tier string
		var version int
		err := tx.QueryRow(ctx, `SELECT tier, version FROM accounts
			WHERE id = @id AND `+scopeWithin("division_code")+` AND tier = ANY(@tiers) FOR UPDATE`,
			scopeArgs(scope, namedArgs{"id": c.ID, "tiers": tierStrings(scope.ManagedTiers())})).
			Scan(&tier, &version)
		if err != nil {
			return err
		}
		if version != c.Version {
			return portal.ErrConflict
		}
		detail := ""
		if c.DivisionCode != nil {
			if !scope.CanManage(portal.Tier(tier), *c.DivisionCode) {
				return portal.ErrNotFound
			}
			detail = "→ " + *c.DivisionCode
		}
		if c.Role != nil {
			// a role of another tier is refused here too (and by the table's check)
			if !portal.Role(*c.Role).ValidFor(portal.Tier(tier)) {
				return portal.ErrNotAllow
			}
			detail = "岗位角色 → " + portal.Role(*c.Role).Label()
		}
		endSessions := c.Disable != nil && *c.Disable || c.DivisionCode != nil || c.PasswordHash != nil
		tag, err := tx.Exec(ctx, `
			UPDATE accounts SET
				disabled = coalesce(@disable, disabled),
				division_code = coalesce(@division, division_code),
				password_hash = coalesce(@hash, password_hash),
				role = coalesce(@role, role),
				failed_logins = CASE WHEN @unlock OR @hash::text IS NOT NULL THEN 0 ELSE failed_logins END,
				locked_until = CASE WHEN @unlock OR @hash::text IS NOT NULL THEN NULL ELSE locked_until END,
				session_version = session_version + CASE WHEN @end_sessions THEN 1 ELSE 0 END,
				version = version + 1
			WHERE id = @id AND (@division::text IS NULL OR EXISTS (
				SELECT 1 FROM divisions WHERE code = @division AND level = @tier))`,
			namedArgs{"id": c.ID, "disable": c.Disable, "division": c.DivisionCode, "hash": c.PasswordHash,
				"unlock": c.Unlock, "end_sessions": endSessions, "tier": tier, "role": c.Role})
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return portal.ErrNotFound
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: action, ObjectType: "account",
			ObjectID: strconv.FormatInt(c.ID, 10), Result: portal.ResultOK, Detail: detail})
	}))
}
