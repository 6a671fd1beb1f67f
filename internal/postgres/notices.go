package postgres

// 重大活动报告: major-activity notices a 村(居)委会 sends its 镇街 before a 节庆活动, 文化演出, 体育竞赛 or 人员集会,
// the town's acknowledgement or request for changes, and their history.

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/sealbox"
)

const noticeColumns = `m.id, coalesce(m.org_id, 0) AS org_id, coalesce(o.name, '') AS org_name, m.district_code,
	m.town_code, t.name AS town_name, m.community_code, c.name AS community_name, m.kind, m.title, m.starts_at,
	m.ends_at, m.place, m.attendance, m.organizer, m.safety, m.contact_name, m.contact_phone_mask, m.status,
	m.reason, coalesce(sa.display_name, '') AS submitted_by_name, coalesce(sa.username, '') AS submitted_by_username,
	m.submitted_at, m.updated_at, coalesce(da.display_name, '') AS decided_by_name,
	coalesce(da.username, '') AS decided_by_username, m.decided_at, m.version`

const noticeFrom = `FROM major_activities m
	JOIN divisions t ON t.code = m.town_code
	JOIN divisions c ON c.code = m.community_code
	LEFT JOIN organizations o ON o.id = m.org_id
	LEFT JOIN accounts sa ON sa.id = m.submitted_by
	LEFT JOIN accounts da ON da.id = m.decided_by`

type noticeRow struct {
	ID                  int64
	OrgID               int64 `db:"org_id"`
	OrgName             string
	DistrictCode        string
	TownCode            string
	TownName            string
	CommunityCode       string
	CommunityName       string
	Kind                string
	Title               string
	StartsAt            time.Time
	EndsAt              time.Time
	Place               string
	Attendance          int
	Organizer           string
	Safety              string
	ContactName         string
	ContactPhoneMask    string
	Status              string
	Reason              string
	SubmittedByName     string
	SubmittedByUsername string
	SubmittedAt         time.Time
	UpdatedAt           time.Time
	DecidedByName       string
	DecidedByUsername   string
	DecidedAt           *time.Time
	Version             int
}

func (r noticeRow) notice() registry.Notice {
	return registry.Notice{ID: r.ID, OrgID: r.OrgID, OrgName: r.OrgName, DistrictCode: r.DistrictCode, TownCode: r.TownCode,
		TownName: r.TownName, CommunityCode: r.CommunityCode, CommunityName: r.CommunityName, Kind: r.Kind,
		Title: r.Title, StartsAt: r.StartsAt, EndsAt: r.EndsAt, Place: r.Place, Attendance: r.Attendance,
		Organizer: r.Organizer, Safety: r.Safety, ContactName: r.ContactName, ContactPhone: r.ContactPhoneMask,
		Status: registry.NoticeStatus(r.Status), Reason: r.Reason, SubmittedByName: r.SubmittedByName,
		SubmittedByUsername: r.SubmittedByUsername, SubmittedAt: r.SubmittedAt, UpdatedAt: r.UpdatedAt,
		DecidedByName: r.DecidedByName, DecidedByUsername: r.DecidedByUsername, DecidedAt: r.DecidedAt,
		Version: r.Version}
}

func collectNotices(rows pgx.Rows) ([]registry.Notice, error) {
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[noticeRow])
	if err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Notice, len(rs))
	for i, r := range rs {
		out[i] = r.notice()
	}
	return out, nil
}

const noticeFilterClause = `
	  AND (@town = '' OR m.town_code = @town)
	  AND (@community = '' OR m.community_code = @community)
	  AND (@kind = '' OR m.kind = @kind)
	  AND (@status = '' OR m.status = @status)
	  AND (@from::timestamptz IS NULL OR m.starts_at >= @from)
	  AND (@to::timestamptz IS NULL OR m.starts_at < @to)`

// Notices lists one page of the notices inside scope that match f, the latest reported first (by id), after
// the cursor, so that any page costs what the first does. Ask for one more row than the page shows to learn
// whether there is a next page.
func (db *DB) Notices(ctx context.Context, scope portal.Scope, f registry.NoticeFilter) ([]registry.Notice, error) {
	if f.Limit <= 0 || f.Limit > registry.NoticeListLimit {
		f.Limit = 50
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+noticeColumns+` `+noticeFrom+`
		WHERE `+scopeOn("m")+noticeFilterClause+`
		  AND (@after = 0 OR m.id < @after)
		ORDER BY m.id DESC
		LIMIT @limit`, noticeArgs(f, scope))
	return collectNotices(rows)
}

// CountNotices is how many notices inside scope match f (the cursor aside), up to CountCap.
func (db *DB) CountNotices(ctx context.Context, scope portal.Scope, f registry.NoticeFilter) (registry.ListTotal, error) {
	return db.cappedTotal(ctx, `SELECT count(*) FROM (SELECT 1 FROM major_activities m
		WHERE `+scopeOn("m")+noticeFilterClause+` LIMIT @cap) capped`, noticeArgs(f, scope))
}

// ExportNotices calls fn with every notice inside scope that matches f (the cursor and limit aside), the latest
// reported first, one row at a time, and writes one audit row (notice.export) however it ends; see
// auditedExport. The contact phone is the stored mask: the sealed value is never read here.
func (db *DB) ExportNotices(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.NoticeFilter, format string, fn func(registry.Notice) error) (int, error) {
	f.After = 0
	return db.auditedExport(ctx, actor, exportAudit{action: "notice.export", objectType: "major_activity",
		format: format, filter: f.Summary()}, func() (int, error) {
		return streamRows(ctx, db, `SELECT `+noticeColumns+` `+noticeFrom+`
			WHERE `+scopeOn("m")+noticeFilterClause+`
			ORDER BY m.id DESC`, noticeArgs(f, scope), noticeRow.notice, fn)
	})
}

// NoticeCalendar is the notices inside scope whose activity starts in [from, to), withdrawn ones left out,
// earliest first: the town's calendar.
func (db *DB) NoticeCalendar(ctx context.Context, scope portal.Scope, from, to time.Time) ([]registry.Notice, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+noticeColumns+` `+noticeFrom+`
		WHERE `+scopeOn("m")+`
		  AND m.starts_at >= @from AND m.starts_at < @to AND m.status <> 'withdrawn'
		ORDER BY m.starts_at, m.id
		LIMIT @limit`,
		scopeArgs(scope, namedArgs{"from": from, "to": to, "limit": registry.NoticeListLimit}))
	return collectNotices(rows)
}

// WaitingNotices is every notice inside scope still waiting for the town (待确认), earliest start first.
func (db *DB) WaitingNotices(ctx context.Context, scope portal.Scope) ([]registry.Notice, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+noticeColumns+` `+noticeFrom+`
		WHERE `+scopeOn("m")+` AND m.status = 'submitted'
		ORDER BY m.starts_at, m.id
		LIMIT @limit`,
		scopeArgs(scope, namedArgs{"limit": registry.NoticeListLimit}))
	return collectNotices(rows)
}

// UrgentNotices counts the notices inside scope still waiting for the town (待确认) whose activity starts less
// than NoticeUrgentWithin after now, or started already: what a town's dashboard must make stand out.
func (db *DB) UrgentNotices(ctx context.Context, scope portal.Scope, now time.Time) (int, error) {
	var n int
	err := db.pool(planFresh).QueryRow(ctx, `SELECT count(*) FROM major_activities m
		WHERE `+scopeOn("m")+` AND m.status = 'submitted' AND m.starts_at < @until`,
		scopeArgs(scope, namedArgs{"until": now.Add(registry.NoticeUrgentWithin)})).Scan(&n)
	return n, translate(err)
}

// Notice is one notice inside scope; any other id is ErrNotFound.
func (db *DB) Notice(ctx context.Context, scope portal.Scope, id int64) (registry.Notice, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+noticeColumns+` `+noticeFrom+`
		WHERE m.id = @id AND `+scopeOn("m"), scopeArgs(scope, namedArgs{"id": id}))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[noticeRow])
	if err != nil {
		return registry.Notice{}, translate(err)
	}
	return r.notice(), nil
}

// NoticeEvents is the history of a notice inside scope, oldest first; outside scope it is empty.
func (db *DB) NoticeEvents(ctx context.Context, scope portal.Scope, id int64) ([]registry.NoticeEvent, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT e.id, e.at, e.actor_name, coalesce(ac.display_name, ''), e.actor_division, e.from_status,
			e.to_status, e.reason
		FROM major_activity_events e JOIN major_activities m ON m.id = e.activity_id
			LEFT JOIN accounts ac ON ac.id = e.actor_id
		WHERE e.activity_id = @id AND `+scopeOn("m")+`
		ORDER BY e.id`, scopeArgs(scope, namedArgs{"id": id}))
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.NoticeEvent, error) {
		var e registry.NoticeEvent
		var from, to string
		err := row.Scan(&e.ID, &e.At, &e.ActorName, &e.ActorDisplayName, &e.ActorDivision, &from, &to, &e.Reason)
		e.From, e.To = registry.NoticeStatus(from), registry.NoticeStatus(to)
		return e, err
	})
	return events, translate(err)
}

// noticeOrgLimit caps the organizing-group select of one community.
const noticeOrgLimit = 1000

// NoticeOrgs lists the live groups inside scope, by name, that may organize a reported activity.
func (db *DB) NoticeOrgs(ctx context.Context, scope portal.Scope) ([]registry.NoticeOrg, error) {
	orgs, err := pgx.CollectRows(db.liveOrgChoices(ctx, scope, noticeOrgLimit), pgx.RowToStructByName[registry.NoticeOrg])
	return orgs, translate(err)
}

// liveOrgChoices are the live groups inside scope as (id, name) rows by name, at most limit: the choices of a
// form that names a group. A failed query surfaces when the rows are collected.
func (db *DB) liveOrgChoices(ctx context.Context, scope portal.Scope, limit int) pgx.Rows {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT o.id, o.name FROM organizations o
		WHERE `+scopeOn("o")+` AND o.status IN ('normal', 'abnormal')
		ORDER BY o.name, o.id
		LIMIT @limit`, scopeArgs(scope, namedArgs{"limit": limit}))
	return rows
}

// noticeOrgID checks inside tx that orgID (0: none) is a live group of community and inside scope, and gives
// the value for the org_id column.
func noticeOrgID(ctx context.Context, tx pgx.Tx, scope portal.Scope, community string, orgID int64) (*int64, error) {
	if orgID == 0 {
		return nil, nil
	}
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations o
		WHERE o.id = @id AND o.community_code = @community AND o.status IN ('normal', 'abnormal') AND `+scopeOn("o")+`)`,
		scopeArgs(scope, namedArgs{"id": orgID, "community": community})).Scan(&ok)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, registry.ErrNoticeOrg
	}
	return &orgID, nil
}

func insertNoticeEvent(ctx context.Context, tx pgx.Tx, actor portal.Actor, id int64, from, to registry.NoticeStatus, reason string, at time.Time) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO major_activity_events (activity_id, at, actor_id, actor_name, actor_division, from_status,
			to_status, reason)
		VALUES (@id, @at, @actor_id, @actor_name, @actor_division, @from, @to, @reason)`,
		namedArgs{"id": id, "at": at, "actor_id": noticeActorID(actor), "actor_name": actor.Username,
			"actor_division": actor.Division, "from": string(from), "to": string(to), "reason": reason})
	return err
}

// insertNotice writes a notice of community (inside scope) in status, with its sealed contact phone, and
// returns its id. District and town codes come from the community's own code.
func insertNotice(ctx context.Context, tx pgx.Tx, box *sealbox.Box, scope portal.Scope, actor portal.Actor, community string, in registry.NoticeInput, status registry.NoticeStatus, reason string, submittedAt time.Time, decidedAt *time.Time) (int64, error) {
	if !scope.Covers(community) || portal.LevelOfCode(community) != portal.TierCommunity {
		return 0, portal.ErrNotFound
	}
	orgID, err := noticeOrgID(ctx, tx, scope, community, in.OrgID)
	if err != nil {
		return 0, err
	}
	var decidedBy *int64
	if decidedAt != nil {
		decidedBy = noticeActorID(actor)
	}
	var id int64
	err = tx.QueryRow(ctx, `
		INSERT INTO major_activities (org_id, district_code, town_code, community_code, kind, title, starts_at,
			ends_at, place, attendance, organizer, safety, contact_name, contact_phone_enc, contact_phone_mask,
			status, reason, submitted_by, submitted_at, updated_at, decided_by, decided_at)
		SELECT @org_id, left(d.code, 6), left(d.code, 9), d.code, @kind, @title, @starts_at,
			@ends_at, @place, @attendance, @organizer, @safety, @contact_name, @phone_enc, @phone_mask,
			@status, @reason, @submitted_by, @submitted_at, @submitted_at, @decided_by, @decided_at
		FROM divisions d WHERE d.code = @community AND d.level = 'community'
		RETURNING id`,
		namedArgs{"org_id": orgID, "community": community, "kind": in.Kind, "title": in.Title,
			"starts_at": in.StartsAt, "ends_at": in.EndsAt, "place": in.Place, "attendance": in.Attendance,
			"organizer": in.Organizer, "safety": in.Safety, "contact_name": in.ContactName,
			"phone_enc": box.Seal(in.ContactPhone, "contact_phone"), "phone_mask": rules.MaskPhone(in.ContactPhone),
			"status": string(status), "reason": reason, "submitted_by": noticeActorID(actor),
			"submitted_at": submittedAt, "decided_by": decidedBy, "decided_at": decidedAt}).Scan(&id)
	return id, err
}

// noticeActorID is the actor's account for a by/actor column, or NULL for the system.
func noticeActorID(a portal.Actor) *int64 {
	if a.AccountID == 0 {
		return nil
	}
	return &a.AccountID
}

// noticeErr translates err, keeping the workflow's own errors.
func noticeErr(err error) error {
	if errors.Is(err, registry.ErrNoticeStarted) || errors.Is(err, registry.ErrNoticeOrg) || errors.Is(err, registry.ErrReasonRequired) {
		return err
	}
	return translate(err)
}

// CreateNotice records a notice a committee reports for its own community (待确认), with its first history row and
// an audit row. The activity must start after now (ErrNoticeStarted); the organizing group, when named, must be
// a live group of the community (ErrNoticeOrg).
func (db *DB) CreateNotice(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.NoticeInput) (int64, error) {
	box := db.box
	if !portal.Can(scope.Tier, portal.SubmitNotices) {
		return 0, portal.ErrNotAllow
	}
	now := time.Now()
	if !in.StartsAt.After(now) {
		return 0, registry.ErrNoticeStarted
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		id, err = insertNotice(ctx, tx, box, scope, actor, scope.Division, in, registry.NoticeSubmitted, "", now, nil)
		if err != nil {
			return err
		}
		if err := insertNoticeEvent(ctx, tx, actor, id, "", registry.NoticeSubmitted, "", now); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "notice.submit", ObjectType: "major_activity",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: in.Kind + "：" + in.Title})
	})
	if err != nil {
		return 0, noticeErr(err)
	}
	return id, nil
}

// lockedNotice is a notice's current state with its sealed contact phone, read FOR UPDATE.
type lockedNotice struct {
	notice   registry.Notice
	phoneEnc []byte
}

// lockNotice reads a notice inside scope and locks its row until tx ends. A second officer acting on the same
// notice waits here and then reads the first one's result, so the version check that follows lets exactly one
// of them through.
func lockNotice(ctx context.Context, tx pgx.Tx, scope portal.Scope, id int64) (lockedNotice, error) {
	rows, _ := tx.Query(ctx, `SELECT `+noticeColumns+` `+noticeFrom+`
		WHERE m.id = @id AND `+scopeOn("m")+` FOR UPDATE OF m`, scopeArgs(scope, namedArgs{"id": id}))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[noticeRow])
	if err != nil {
		return lockedNotice{}, err
	}
	l := lockedNotice{notice: r.notice()}
	err = tx.QueryRow(ctx, `SELECT contact_phone_enc FROM major_activities WHERE id = $1`, id).Scan(&l.phoneEnc)
	return l, err
}

// noticeActions name each step in the audit log.
var noticeActions = map[registry.NoticeStatus]string{
	registry.NoticeSubmitted:        "notice.resubmit",
	registry.NoticeAcknowledged:     "notice.acknowledge",
	registry.NoticeChangesRequested: "notice.request_changes",
	registry.NoticeWithdrawn:        "notice.withdraw",
}

// noticeStep locks the notice, checks the version the caller saw and that the workflow allows the step, and runs
// step, which writes the step's own changes and gives the history row's reason, before the history and audit
// rows. Any failure leaves nothing written.
func (db *DB) noticeStep(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, to registry.NoticeStatus, step func(tx pgx.Tx, l lockedNotice, now time.Time) (string, error)) error {
	return noticeErr(db.inTx(ctx, func(tx pgx.Tx) error {
		l, err := lockNotice(ctx, tx, scope, id)
		if err != nil {
			return err
		}
		if l.notice.Version != version || !l.notice.Status.CanBecome(to) {
			return portal.ErrConflict
		}
		now := time.Now()
		reason, err := step(tx, l, now)
		if err != nil {
			return err
		}
		if err := insertNoticeEvent(ctx, tx, actor, id, l.notice.Status, to, reason, now); err != nil {
			return err
		}
		if err := notifyNews(ctx, tx, actor.AccountID, msgNotice, id, noticeNews, to); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: noticeActions[to],
			ObjectType: "major_activity", ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: string(l.notice.Status) + " → " + string(to)})
	}))
}

// AcknowledgeNotice is the town's 确认 of a waiting notice. A stale version or a notice no longer waiting is
// ErrConflict, and nothing is written.
func (db *DB) AcknowledgeNotice(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int) error {
	if !portal.Can(scope.Tier, portal.ReviewNotices) {
		return portal.ErrNotAllow
	}
	return db.noticeStep(ctx, scope, actor, id, version, registry.NoticeAcknowledged, func(tx pgx.Tx, _ lockedNotice, now time.Time) (string, error) {
		_, err := tx.Exec(ctx, `UPDATE major_activities SET status = 'acknowledged', reason = '',
			decided_by = @decided_by, decided_at = @now, updated_at = @now, version = version + 1 WHERE id = @id`,
			namedArgs{"id": id, "decided_by": noticeActorID(actor), "now": now})
		return "", err
	})
}

// RequestNoticeChanges is the town's 要求修改 of a waiting notice, with the reason the committee will read.
func (db *DB) RequestNoticeChanges(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string) error {
	if !portal.Can(scope.Tier, portal.ReviewNotices) {
		return portal.ErrNotAllow
	}
	if strings.TrimSpace(reason) == "" {
		return registry.ErrReasonRequired
	}
	return db.noticeStep(ctx, scope, actor, id, version, registry.NoticeChangesRequested, func(tx pgx.Tx, _ lockedNotice, now time.Time) (string, error) {
		_, err := tx.Exec(ctx, `UPDATE major_activities SET status = 'changes_requested', reason = @reason,
			decided_by = @decided_by, decided_at = @now, updated_at = @now, version = version + 1 WHERE id = @id`,
			namedArgs{"id": id, "reason": reason, "decided_by": noticeActorID(actor), "now": now})
		return reason, err
	})
}

// ResubmitNotice saves the committee's changes to a notice the town asked to change and puts it before the
// town again (待确认). The activity must still start after now (ErrNoticeStarted). An empty contact phone keeps
// the stored one. The history row names the fields that changed.
func (db *DB) ResubmitNotice(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.NoticeInput) error {
	box := db.box
	if !portal.Can(scope.Tier, portal.SubmitNotices) {
		return portal.ErrNotAllow
	}
	return db.noticeStep(ctx, scope, actor, id, version, registry.NoticeSubmitted, func(tx pgx.Tx, l lockedNotice, now time.Time) (string, error) {
		if !in.StartsAt.After(now) {
			return "", registry.ErrNoticeStarted
		}
		n := l.notice
		orgID, err := noticeOrgID(ctx, tx, scope, n.CommunityCode, in.OrgID)
		if err != nil {
			return "", err
		}
		changed := noticeChanges(n, in)
		phoneEnc, phoneMask := l.phoneEnc, n.ContactPhone
		if in.ContactPhone != "" {
			if old, err := box.Open(l.phoneEnc, "contact_phone"); err != nil || old != in.ContactPhone {
				changed = append(changed, "联系电话")
				phoneEnc, phoneMask = box.Seal(in.ContactPhone, "contact_phone"), rules.MaskPhone(in.ContactPhone)
			}
		}
		_, err = tx.Exec(ctx, `
			UPDATE major_activities SET status = 'submitted', reason = '', org_id = @org_id, kind = @kind,
				title = @title, starts_at = @starts_at, ends_at = @ends_at, place = @place, attendance = @attendance,
				organizer = @organizer, safety = @safety, contact_name = @contact_name,
				contact_phone_enc = @phone_enc, contact_phone_mask = @phone_mask, decided_by = NULL,
				decided_at = NULL, updated_at = @now, version = version + 1
			WHERE id = @id`,
			namedArgs{"id": id, "org_id": orgID, "kind": in.Kind, "title": in.Title, "starts_at": in.StartsAt,
				"ends_at": in.EndsAt, "place": in.Place, "attendance": in.Attendance, "organizer": in.Organizer,
				"safety": in.Safety, "contact_name": in.ContactName, "phone_enc": phoneEnc, "phone_mask": phoneMask,
				"now": now})
		if len(changed) == 0 {
			return "修改后重新提交，未修改内容", err
		}
		return "修改后重新提交，修改了：" + strings.Join(changed, "、"), err
	})
}

// noticeChanges names, in the words of the form, what in changes of n (the contact phone aside: it is sealed,
// and the caller compares it opened).
func noticeChanges(n registry.Notice, in registry.NoticeInput) []string {
	var out []string
	add := func(differs bool, label string) {
		if differs {
			out = append(out, label)
		}
	}
	add(in.OrgID != n.OrgID, "组织团体")
	add(in.Kind != n.Kind, "活动类别")
	add(in.Title != n.Title, "活动名称")
	add(!in.StartsAt.Equal(n.StartsAt), "开始时间")
	add(!in.EndsAt.Equal(n.EndsAt), "结束时间")
	add(in.Place != n.Place, "活动地点")
	add(in.Attendance != n.Attendance, "预计参加人数")
	add(in.Organizer != n.Organizer, "主办单位")
	add(in.Safety != n.Safety, "安全措施")
	add(in.ContactName != n.ContactName, "联系人")
	return out
}

// WithdrawNotice is the committee's 撤回 of its notice, allowed until the activity starts (ErrNoticeStarted
// after); reason is optional.
func (db *DB) WithdrawNotice(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string) error {
	if !portal.Can(scope.Tier, portal.SubmitNotices) {
		return portal.ErrNotAllow
	}
	return db.noticeStep(ctx, scope, actor, id, version, registry.NoticeWithdrawn, func(tx pgx.Tx, l lockedNotice, now time.Time) (string, error) {
		if l.notice.Started(now) {
			return "", registry.ErrNoticeStarted
		}
		_, err := tx.Exec(ctx, `UPDATE major_activities SET status = 'withdrawn', reason = @reason, updated_at = @now,
			version = version + 1 WHERE id = @id`, namedArgs{"id": id, "reason": reason, "now": now})
		return reason, err
	})
}

// RevealNoticeContact opens a notice's full contact phone for a town officer who needs to call, and records who
// looked and why in the audit log, in the same transaction (SECURITY.md 15, 19).
func (db *DB) RevealNoticeContact(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, reason string) (string, error) {
	box := db.box
	if !portal.Can(scope.Tier, portal.ReviewNotices) {
		return "", portal.ErrNotAllow
	}
	if strings.TrimSpace(reason) == "" {
		return "", registry.ErrReasonRequired
	}
	var phone string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var enc []byte
		if err := tx.QueryRow(ctx, `SELECT m.contact_phone_enc FROM major_activities m WHERE m.id = @id AND `+
			scopeOn("m"), scopeArgs(scope, namedArgs{"id": id})).Scan(&enc); err != nil {
			return err
		}
		var err error
		if phone, err = box.Open(enc, "contact_phone"); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "notice.reveal", ObjectType: "major_activity",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: "查看联系人完整电话：" + reason})
	})
	if err != nil {
		return "", noticeErr(err)
	}
	return phone, nil
}

// NoticeLoad is one notice of a bulk load (the demo data): its community, its input, and where it stands.
type NoticeLoad struct {
	registry.NoticeInput
	CommunityCode string
	Status        registry.NoticeStatus
	Reason        string // the town's request when changes_requested, the committee's when withdrawn
	SubmittedAt   time.Time
	DecidedAt     time.Time // when the town or committee moved it on; ignored while submitted
}

// LoadNotices inserts notices inside scope in one transaction, through the same insert as CreateNotice so that
// contact phones are sealed, with the history rows that lead to each notice's state and one audit row for the
// batch. Unlike CreateNotice it accepts activities in the past: the demo shows notices already held.
func (db *DB) LoadNotices(ctx context.Context, scope portal.Scope, actor portal.Actor, notices []NoticeLoad) error {
	box := db.box
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		for _, l := range notices {
			if !l.Status.Valid() {
				return portal.ErrNotAllow
			}
			var decidedAt *time.Time
			if l.Status == registry.NoticeAcknowledged || l.Status == registry.NoticeChangesRequested {
				decidedAt = &l.DecidedAt
			}
			id, err := insertNotice(ctx, tx, box, scope, actor, l.CommunityCode, l.NoticeInput, l.Status, l.Reason,
				l.SubmittedAt, decidedAt)
			if err != nil {
				return err
			}
			if err := insertNoticeEvent(ctx, tx, actor, id, "", registry.NoticeSubmitted, "", l.SubmittedAt); err != nil {
				return err
			}
			if l.Status != registry.NoticeSubmitted {
				if err := insertNoticeEvent(ctx, tx, actor, id, registry.NoticeSubmitted, l.Status, l.Reason, l.DecidedAt); err != nil {
					return err
				}
			}
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "notice.load", ObjectType: "major_activity",
			Result: portal.ResultOK, Detail: strconv.Itoa(len(notices)) + " rows"})
	})
	return noticeErr(err)
}

// noticeArgs binds the filter and the scope for the list statements.
func noticeArgs(f registry.NoticeFilter, scope portal.Scope) namedArgs {
	return scopeArgs(scope, namedArgs{"town": f.Town, "community": f.Community, "kind": f.Kind,
		"status": string(f.Status), "from": f.From, "to": f.To, "after": f.After, "limit": f.Limit})
}
