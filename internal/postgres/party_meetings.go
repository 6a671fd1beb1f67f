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
			coalesce(a.display_name, '') AS recorded_by, coalesce(a.username, '') AS recorded_as, m.recorded_at
		FROM party_meetings m LEFT JOIN accounts a ON a.id = m.recorded_by
		WHERE m.org_id = @org AND `+scopeOn("m")+`
		ORDER BY m.held_on DESC, m.id DESC LIMIT @limit`,
		scopeArgs(scope, pgx.NamedArgs{"org": orgID, "limit": PartyMeetingsShown})).Query(func(rows pgx.Rows) (err error) {
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
			scopeArgs(scope, pgx.NamedArgs{"org": orgID})).Scan(&partyStatus, &status, &version); err != nil {
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
			pgx.NamedArgs{"org": orgID, "kind": string(m.Kind), "held_on": m.HeldOn, "topic": m.Topic,
				"attendance": m.Attendance, "by": nullID(actor.AccountID)}).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "party_meeting.record", ObjectType: "organization",
			ObjectID: strconv.FormatInt(orgID, 10), Result: portal.ResultOK,
			Detail: m.Kind.Label() + " " + m.HeldOn.Format("2006-01-02")})
	})
	return id, translate(err)
}
