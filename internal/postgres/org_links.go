// The record of an organization links what other modules keep about it: its filings and its latest 评估评议.
package postgres

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// OrgFilings lists the filings of organization orgID inside scope, oldest first.
func (db *DB) OrgFilings(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.OrgFiling, error) {
	var out []registry.OrgFiling
	b := &pgx.Batch{}
	queueOrgFilings(b, scope, orgID, &out)
	return out, db.send(ctx, planKept, b)
}

// queueOrgFilings queues OrgFilings's statement on b (planKept), to fill out.
func queueOrgFilings(b *pgx.Batch, scope portal.Scope, orgID int64, out *[]registry.OrgFiling) {
	b.Queue(`
		SELECT f.id, f.kind, f.status, f.submitted_at, f.decided_at FROM filings f
		WHERE f.org_id = @org AND `+scopeOn("f")+` ORDER BY f.id`, scopeArgs(scope, namedArgs{"org": orgID})).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (registry.OrgFiling, error) {
			var f registry.OrgFiling
			var kind, status string
			err := r.Scan(&f.ID, &kind, &status, &f.Submitted, &f.Decided)
			f.Kind, f.Status = registry.FilingKind(kind), registry.FilingStatus(status)
			return f, err
		})
		return err
	})
}

// LatestEvaluation is the latest version of the latest year's 评估评议 of organization orgID inside scope;
// ok is false when it has none.
func (db *DB) LatestEvaluation(ctx context.Context, scope portal.Scope, orgID int64) (registry.OrgEvaluation, bool, error) {
	var e registry.OrgEvaluation
	var ok bool
	b := &pgx.Batch{}
	queueLatestEvaluation(b, scope, orgID, &e, &ok)
	err := db.send(ctx, planKept, b)
	return e, ok && err == nil, err
}

// queueLatestEvaluation queues LatestEvaluation's statement on b (planKept), to fill e and ok (false: none).
func queueLatestEvaluation(b *pgx.Batch, scope portal.Scope, orgID int64, e *registry.OrgEvaluation, ok *bool) {
	b.Queue(`
		SELECT e.year, e.grade, e.evaluated_at FROM evaluations e
		WHERE e.org_id = @org AND `+scopeOn("e")+`
		ORDER BY e.year DESC, e.version DESC LIMIT 1`, scopeArgs(scope, namedArgs{"org": orgID})).QueryRow(func(row pgx.Row) error {
		var grade string
		err := row.Scan(&e.Year, &grade, &e.At)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		e.Grade, *ok = registry.Grade(grade), err == nil
		return err
	})
}

// RecordEstablishFilings gives every filed organization inside scope that has no 成立备案 row one, approved, as
// the town's paper 备案 was: its particulars as the record has them (phone and 身份证号 sealed as on the record),
// submitted by an account of its town (its first 经办 if it has one) and decided by its first account that may
// decide (全部 or 审核) — marked self-decided only when that is the same account, as a town with one officer
// decides — and a verification token for its 备案证明.
// Used for records that came from paper (the demo, a first load); it returns how many it added, audited.
func (db *DB) RecordEstablishFilings(ctx context.Context, scope portal.Scope, actor portal.Actor) (int, error) {
	if scope.Tier != portal.TierDistrict {
		return 0, portal.ErrNotAllow
	}
	var n int
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO filings (org_id, district_code, town_code, community_code, kind, status, name, name_prefix,
				name_community, name_zihao, name_field, name_form, fields, nature, beneficiaries, founded_on,
				leader_name, leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask, venue, charter,
				members, volunteers, funding, guide_unit, party_status, party_members, publish_contact,
				verify_token, submitted_by, submitted_at, decided_by, decided_at, self_decided)
			SELECT o.id, o.district_code, o.town_code, o.community_code, 'establish', 'approved', o.name,
				o.name_prefix, o.name_community, o.name_zihao, o.name_field, o.name_form, o.fields, o.nature,
				o.beneficiaries, o.founded_on, o.leader_name, o.leader_phone_enc, o.leader_phone_mask,
				o.leader_id_enc, o.leader_id_mask, o.venue, o.charter, o.members, o.volunteers, o.funding,
				o.guide_unit, o.party_status, o.party_members, o.publish_contact,
				replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''),
				coalesce(s.id, d.id), least(coalesce(o.founded_on + 20, o.created_at::date), now()::date)::timestamptz,
				d.id, least(coalesce(o.founded_on + 30, o.created_at::date), now()::date)::timestamptz,
				d.id IS NOT NULL AND coalesce(s.id, d.id) = d.id
			FROM organizations o
			LEFT JOIN LATERAL (SELECT id FROM accounts WHERE tier = 'town' AND division_code = o.town_code
				AND role IN ('', 'approver') ORDER BY id LIMIT 1) d ON true
			LEFT JOIN LATERAL (SELECT id FROM accounts WHERE tier = 'town' AND division_code = o.town_code
				AND role = 'clerk' ORDER BY id LIMIT 1) s ON true
			WHERE o.tier = 'filed' AND o.filing_no IS NOT NULL AND `+scopeOn("o")+`
			  AND NOT EXISTS (SELECT 1 FROM filings e WHERE e.org_id = o.id AND e.kind = 'establish')`,
			scopeArgs(scope, nil))
		if err != nil {
			return err
		}
		n = int(tag.RowsAffected())
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "filing.record", ObjectType: "filing",
			ObjectID: "", Result: portal.ResultOK, Detail: strconv.Itoa(n) + " establishment filings of filed records"})
	})
	return n, translate(err)
}
