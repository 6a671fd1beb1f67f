package postgres

// 站内消息: an inbox per account. The stores' own transactions write the messages of a change (notifyOffice),
// so a change and its message are committed together or not at all.

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// msgSubject names the record a message is about: its table, the column naming it, the page under each tier
// (the record's id follows), its kind, and the column of the office that hears of it when the record names no
// submitting account (rows loaded by a seed or an import).
type msgSubject struct{ table, name, path, kind, fallback string }

var (
	msgApplication = msgSubject{"applications", "name", "/applications/", "application", "community_code"}
	msgFiling      = msgSubject{"filings", "name", "/filings/", "filing", "town_code"}
	msgNotice      = msgSubject{"major_activities", "title", "/notices/", "notice", "community_code"}
)

// notifyOffice writes, in tx, a message about record id to every active account of the office that submitted it
// (the submitter's division: its colleagues share its work), except the account acting: "《name》" + what.
func notifyOffice(ctx context.Context, tx pgx.Tx, actorID int64, s msgSubject, id int64, what string) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO messages (account_id, kind, subject, href)
		SELECT a.id, @kind, '《' || r.`+s.name+` || '》' || @what, '/' || a.tier || @path || r.id
		FROM `+s.table+` r
		LEFT JOIN accounts sub ON sub.id = r.submitted_by
		JOIN accounts a ON a.division_code = coalesce(sub.division_code, r.`+s.fallback+`)
		WHERE r.id = @id AND NOT a.disabled AND a.id <> @actor`,
		namedArgs{"kind": s.kind, "what": what, "path": s.path, "id": id, "actor": actorID})
	return err
}

// UnreadMessages counts account's unread messages, at most registry.UnreadShown + 1 of them.
func (db *DB) UnreadMessages(ctx context.Context, account int64) (int, error) {
	var n int
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT count(*) FROM (SELECT 1 FROM messages WHERE account_id = $1 AND read_at IS NULL LIMIT $2) x`,
		account, registry.UnreadShown+1).Scan(&n)
	return n, translate(err)
}

// Messages lists account's messages newest first, registry.MessagesPerPage+1 of them from before id before
// (0: the newest), so the caller knows whether a next page exists.
func (db *DB) Messages(ctx context.Context, account int64, before int64) ([]registry.Message, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT id, kind, subject, href, created_at, read_at, version FROM messages
		WHERE account_id = @account AND (@before = 0 OR id < @before)
		ORDER BY id DESC LIMIT @limit`,
		namedArgs{"account": account, "before": before, "limit": registry.MessagesPerPage + 1})
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.Message])
	return out, translate(err)
}

// MarkMessageRead marks account's message id read. version is the message's as the page showed it: a message
// read or changed since is ErrConflict; another account's, or none, ErrNotFound.
func (db *DB) MarkMessageRead(ctx context.Context, actor portal.Actor, id int64, version int) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE messages SET read_at = now(), version = version + 1
			WHERE id = $1 AND account_id = $2 AND version = $3 AND read_at IS NULL`, id, actor.AccountID, version)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			// Marking read is a write like any other (SECURITY.md 19): one audit row with it.
			return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "message.read", ObjectType: "message",
				ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK})
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM messages WHERE id = $1 AND account_id = $2)`,
			id, actor.AccountID).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return portal.ErrConflict
		}
		return portal.ErrNotFound
	})
	return translate(err)
}

// SweepOverdueReports tells each committee once, per period, that groups of its community have not reported
// for the last period whose due day (its end plus the district's grace) has passed at now. One set-based
// statement over the kept counts; run again it writes nothing new. It returns the messages written.
func (db *DB) SweepOverdueReports(ctx context.Context, now time.Time) (int64, error) {
	return sweepOverdueReports(ctx, db.pool(planFresh), now)
}

// sweepLock is the advisory lock key the scheduled sweep runs under: one runner at a time across every portal
// process on the database.
const sweepLock = 1717_0004

// SweepOverdueReportsOnce is the scheduled sweep (issue 17): it runs SweepOverdueReports inside a transaction
// holding the sweep's advisory lock, and only when it gets the lock at once. Another process that is sweeping
// already makes it return ran false and write nothing, so two serving processes ticking together write one set
// of messages (the dedupe key would keep it one set as well; the lock also keeps the work one).
func (db *DB) SweepOverdueReportsOnce(ctx context.Context, now time.Time) (ran bool, n int64, err error) {
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock($1)`, sweepLock).Scan(&ran); err != nil || !ran {
			return err
		}
		n, err = sweepOverdueReports(ctx, tx, now)
		return err
	})
	return ran, n, translate(err)
}

type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func sweepOverdueReports(ctx context.Context, q execer, now time.Time) (int64, error) {
	p := registry.PeriodOf(now).Prev()
	tag, err := q.Exec(ctx, `
		INSERT INTO messages (account_id, kind, subject, href, dedupe_key)
		SELECT a.id, 'work_report',
			@label || '定期工作报告尚有 ' || m.missing || ' 个组织未报送，已过报送期限', '/community/work-reports',
			'work-report:' || @key
		FROM (SELECT l.community_code, l.n - coalesce(w.n, 0) AS missing
			FROM (SELECT community_code, sum(n) AS n FROM org_counts WHERE status IN ('normal', 'abnormal')
				GROUP BY 1) l
			LEFT JOIN (SELECT community_code, sum(n) AS n FROM work_report_counts
				WHERE period_year = @year AND period_no = @no GROUP BY 1) w USING (community_code)) m
		LEFT JOIN deadline_settings ds ON ds.district_code = left(m.community_code, 6)
		JOIN accounts a ON a.division_code = m.community_code AND a.tier = 'community' AND NOT a.disabled
		WHERE m.missing > 0
			AND @period_end::timestamptz + make_interval(days => coalesce(ds.report_grace_days, @grace)) <= @now
		ON CONFLICT (account_id, dedupe_key) DO NOTHING`,
		namedArgs{"label": p.Label(), "key": p.Key(), "year": p.Year, "no": p.Half, "period_end": p.End(),
			"grace": registry.DefaultReportGraceDays, "now": now})
	return tag.RowsAffected(), translate(err)
}

// What the office hears when its record moves to a status; a status missing here sends nothing.
var (
	applicationNews = map[registry.ApplicationStatus]string{
		registry.AppAccepted:   "登记申请已受理",
		registry.AppCorrection: "登记申请被退回补正，请按要求补正后重新提交",
		registry.AppApproved:   "已准予登记",
		registry.AppRejected:   "登记申请不予登记",
	}
	noticeNews = map[registry.NoticeStatus]string{
		registry.NoticeAcknowledged:     "重大活动报告镇街已确认",
		registry.NoticeChangesRequested: "重大活动报告被退回修改，请在活动开始前修改后重新提交",
	}
)

// notifyNews is notifyOffice with the words of news for the status, when there are any.
func notifyNews[S comparable](ctx context.Context, tx pgx.Tx, actorID int64, s msgSubject, id int64, news map[S]string, to S) error {
	if what, ok := news[to]; ok {
		return notifyOffice(ctx, tx, actorID, s, id, what)
	}
	return nil
}
