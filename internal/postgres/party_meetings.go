package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// PartyMeetingsShown bounds the meetings a record lists, newest first.
const PartyMeetingsShown = 100

// PartyMeetings lists the 三会一课 of group orgID inside scope, newest first, at most PartyMeetingsShown: one
// group's range of its index whatever the arguments, so its plan is kept.
func (db *DB) PartyMeetings(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.PartyMeeting, error) {
	var out []registry.PartyMeeting
	b := &pgx.Batch{}
	queuePartyMeetings(b, scope, orgID, &out)
	return out, db.send(ctx, planKept, b)
}

// queuePartyMeetings queues PartyMeetings's statement on b (planKept), to fill out.
func queuePartyMeetings(b *pgx.Batch, scope portal.Scope, orgID int64, out *[]registry.PartyMeeting) {
	b.Queue(`
		SELECT m.id, m.org_id, m.kind, m.held_on, m.topic, m.attendance,
			coalesce(a.display_name, '') AS recorded_by, coalesce(a.username, '') AS recorded_as, m.recorded_at,
			m.version
		FROM party_meetings m LEFT JOIN accounts a ON a.id = m.recorded_by
		WHERE m.org_id = @org AND `+scopeOn("m")+`
		ORDER BY m.held_on DESC, m.id DESC LIMIT @limit`,
		scopeArgs(scope, namedArgs{"org": orgID, "limit": PartyMeetingsShown})).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, pgx.RowToStructByName[registry.PartyMeeting])
		return err
	})
}

// RecordPartyMeeting records one meeting of group orgID inside scope, audited. orgVersion is the group's record
// as the clerk saw it: a record changed since is ErrConflict. A group outside scope is ErrNotFound; one without a
// 党组织, or no longer live, ErrNoPartyOrg; nothing is written then.
func (db *DB) RecordPartyMeeting(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID int64, orgVersion int, m registry.PartyMeeting) (int64, error) {
	if !portal.Can(scope.Tier, portal.RecordPartyMeetings) {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var partyStatus, status string
		var version int
		if err := tx.QueryRow(ctx, `SELECT o.party_status, o.status, o.version FROM organizations o
			WHERE o.id = @org AND `+scopeOn("o")+` FOR SHARE`,
			scopeArgs(scope, namedArgs{"org": orgID})).Scan(&partyStatus, &status, &version); err != nil {
			return err
		}
		if version != orgVersion {
			return portal.ErrConflict
		}
		if !registry.HasPartyOrg(partyStatus) || (status != "normal" && status != "abnormal") {
			return registry.ErrNoPartyOrg
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO party_meetings (org_id, district_code, town_code, community_code, kind, held_on, topic,
				attendance, recorded_by)
			SELECT id, district_code, town_code, community_code, @kind, @held_on, @topic, @attendance, @by
			FROM organizations WHERE id = @org RETURNING id`,
			namedArgs{"org": orgID, "kind": string(m.Kind), "held_on": m.HeldOn, "topic": m.Topic,
				"attendance": m.Attendance, "by": nullID(actor.AccountID)}).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "party_meeting.record", ObjectType: "organization",
			ObjectID: strconv.FormatInt(orgID, 10), Result: portal.ResultOK,
			Detail: m.Kind.Label() + " " + m.HeldOn.Format("2006-01-02")})
	})
	return id, translate(err)
}

// PartyMeeting is meeting id of group orgID inside scope.
func (db *DB) PartyMeeting(ctx context.Context, scope portal.Scope, orgID, id int64) (registry.PartyMeeting, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT m.id, m.org_id, m.kind, m.held_on, m.topic, m.attendance,
			coalesce(a.display_name, '') AS recorded_by, coalesce(a.username, '') AS recorded_as, m.recorded_at,
			m.version
		FROM party_meetings m LEFT JOIN accounts a ON a.id = m.recorded_by
		WHERE m.id = @id AND m.org_id = @org AND `+scopeOn("m"),
		scopeArgs(scope, namedArgs{"org": orgID, "id": id}))
	m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[registry.PartyMeeting])
	return m, translate(err)
}

// PartyMeetingRevisions are the versions corrections of meeting id (inside scope) replaced, newest first.
func (db *DB) PartyMeetingRevisions(ctx context.Context, scope portal.Scope, id int64) ([]registry.PartyMeetingRevision, error) {
	rows, err := db.pool(planFresh).Query(ctx, `
		SELECT r.meeting_id, m.org_id, r.kind, r.held_on, r.topic, r.attendance,
			coalesce(a.display_name, ''), coalesce(a.username, ''), r.recorded_at, r.version,
			coalesce(b.display_name, ''), coalesce(b.username, ''), r.replaced_at, r.reason
		FROM party_meeting_revisions r JOIN party_meetings m ON m.id = r.meeting_id
		LEFT JOIN accounts a ON a.id = r.recorded_by LEFT JOIN accounts b ON b.id = r.replaced_by
		WHERE r.meeting_id = @id AND `+scopeOn("m")+`
		ORDER BY r.version DESC`, scopeArgs(scope, namedArgs{"id": id}))
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.PartyMeetingRevision, error) {
		var r registry.PartyMeetingRevision
		var kind string
		err := row.Scan(&r.ID, &r.OrgID, &kind, &r.HeldOn, &r.Topic, &r.Attendance, &r.RecordedBy, &r.RecordedAs,
			&r.RecordedAt, &r.Version, &r.ReplacedBy, &r.ReplacedAs, &r.ReplacedAt, &r.Reason)
		r.Kind = registry.MeetingKind(kind)
		return r, err
	})
	return out, translate(err)
}

// CorrectPartyMeeting corrects meeting id of group orgID inside scope to m, audited; the version it replaces is
// kept in party_meeting_revisions with the reason. version is the meeting's as the form showed it: another
// correction since is ErrConflict. The group must still have a 党组织 and be live (ErrNoPartyOrg).
func (db *DB) CorrectPartyMeeting(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID, id int64, version int, m registry.PartyMeeting, reason string) error {
	if !portal.Can(scope.Tier, portal.RecordPartyMeetings) {
		return portal.ErrNotAllow
	}
	return translate(db.inTx(ctx, func(tx pgx.Tx) error {
		var partyStatus, status string
		if err := tx.QueryRow(ctx, `SELECT o.party_status, o.status FROM organizations o
			WHERE o.id = @org AND `+scopeOn("o")+` FOR SHARE`,
			scopeArgs(scope, namedArgs{"org": orgID})).Scan(&partyStatus, &status); err != nil {
			return err
		}
		var current int
		if err := tx.QueryRow(ctx, `SELECT version FROM party_meetings WHERE id = $1 AND org_id = $2 FOR UPDATE`,
			id, orgID).Scan(&current); err != nil {
			return err
		}
		if current != version {
			return portal.ErrConflict
		}
		if !registry.HasPartyOrg(partyStatus) || (status != "normal" && status != "abnormal") {
			return registry.ErrNoPartyOrg
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO party_meeting_revisions (meeting_id, version, kind, held_on, topic, attendance, recorded_by,
				recorded_at, replaced_by, reason)
			SELECT id, version, kind, held_on, topic, attendance, recorded_by, recorded_at, @by, @reason
			FROM party_meetings WHERE id = @id`,
			namedArgs{"id": id, "by": nullID(actor.AccountID), "reason": reason}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE party_meetings SET kind = @kind, held_on = @held_on, topic = @topic, attendance = @attendance,
				recorded_by = @by, recorded_at = now(), version = version + 1
			WHERE id = @id`,
			namedArgs{"id": id, "kind": string(m.Kind), "held_on": m.HeldOn, "topic": m.Topic,
				"attendance": m.Attendance, "by": nullID(actor.AccountID)}); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "party_meeting.correct", ObjectType: "organization",
			ObjectID: strconv.FormatInt(orgID, 10), Result: portal.ResultOK,
			Detail: "第 " + strconv.FormatInt(id, 10) + " 号会议记录 → 第 " + strconv.Itoa(version+1) + " 版：" + reason})
	}))
}
