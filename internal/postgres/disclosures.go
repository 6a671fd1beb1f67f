// 信息公开 by a group: the disclosures its committee or town publishes, their corrections (the old revision
// stays, superseded) and the reads of one group's disclosures for its record and its public profile.
package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// disclosureColumns read a revision with its finance lines in one row: the lines are a handful per revision,
// read through their primary key.
const disclosureColumns = `d.id, d.disclosure_no, d.revision, d.superseded_at, d.correction_reason, d.org_id,
	o.name, o.tier, d.kind, d.title, d.disclosed_on, d.body,
	coalesce((SELECT jsonb_agg(jsonb_build_object('side', l.side, 'category', l.category, 'amount_fen', l.amount_fen)
		ORDER BY l.position) FROM org_disclosure_lines l WHERE l.disclosure_id = d.id), '[]'::jsonb),
	d.published_by_name, d.published_at, d.demo, d.version`

func scanDisclosure(row pgx.Row, d *registry.Disclosure) error {
	return row.Scan(&d.ID, &d.No, &d.Revision, &d.SupersededAt, &d.CorrectionReason, &d.OrgID, &d.OrgName,
		(*string)(&d.OrgTier), (*string)(&d.Kind), &d.Title, &d.DisclosedOn, &d.Body, &d.Lines,
		&d.PublishedByName, &d.PublishedAt, &d.Demo, &d.Version)
}

// OrgDisclosures is every revision of the group's disclosures inside scope, newest first, at most
// registry.DisclosureLimit: one range of org_disclosures_org_idx, whatever the registry's size. The public
// profile reads it with the public scope.
func (db *DB) OrgDisclosures(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.Disclosure, error) {
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	var out []registry.Disclosure
	b := &pgx.Batch{}
	queueOrgDisclosures(b, scope, orgID, &out)
	return out, db.send(ctx, planKept, b)
}

// queueOrgDisclosures queues OrgDisclosures's statement on b (planKept), to fill out; scope is checked.
func queueOrgDisclosures(b *pgx.Batch, scope portal.Scope, orgID int64, out *[]registry.Disclosure) {
	b.Queue(`SELECT `+disclosureColumns+`
		FROM org_disclosures d JOIN organizations o ON o.id = d.org_id
		WHERE d.org_id = @org AND `+scopeOn("d")+`
		ORDER BY d.disclosed_on DESC, d.id DESC LIMIT @limit`,
		scopeArgs(scope, namedArgs{"org": orgID, "limit": registry.DisclosureLimit})).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var d registry.Disclosure
			if err := scanDisclosure(rows, &d); err != nil {
				return err
			}
			*out = append(*out, d)
		}
		return rows.Err()
	})
}

// Disclosure is one revision inside scope; ErrNotFound otherwise.
func (db *DB) Disclosure(ctx context.Context, scope portal.Scope, id int64) (registry.Disclosure, error) {
	var d registry.Disclosure
	if err := checkScope(scope); err != nil {
		return d, err
	}
	err := scanDisclosure(db.pool(planKept).QueryRow(ctx, `SELECT `+disclosureColumns+`
		FROM org_disclosures d JOIN organizations o ON o.id = d.org_id
		WHERE d.id = @id AND `+scopeOn("d"), scopeArgs(scope, namedArgs{"id": id})), &d)
	return d, translate(err)
}

// disclosingOrg checks that the group lies inside scope (ErrNotFound) and that scope's tier publishes for it
// (registry.ErrMayNotDisclose), with a share lock so its tier cannot change under the insert.
func disclosingOrg(ctx context.Context, tx pgx.Tx, scope portal.Scope, orgID int64) error {
	var tier registry.Tier
	err := tx.QueryRow(ctx, `SELECT o.tier FROM organizations o WHERE o.id = @id AND `+scopeOn("o")+` FOR SHARE`,
		scopeArgs(scope, namedArgs{"id": orgID})).Scan((*string)(&tier))
	if err != nil {
		return translate(err)
	}
	if !registry.MayDisclose(scope.Tier, tier) {
		return registry.ErrMayNotDisclose
	}
	return nil
}

// insertDisclosure adds one revision and its lines inside tx; district, town and community come from the group.
func insertDisclosure(ctx context.Context, tx pgx.Tx, scope portal.Scope, actor portal.Actor, orgID int64,
	in registry.DisclosureInput, no *int64, revision int, reason string, at *time.Time) (int64, error) {
	var actorID *int64
	if actor.AccountID != 0 {
		actorID = &actor.AccountID
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO org_disclosures (disclosure_no, revision, correction_reason, org_id, district_code, town_code,
			community_code, kind, title, disclosed_on, body, published_by, published_by_name, published_at, demo)
		SELECT coalesce(@no::bigint, nextval('org_disclosure_no_seq')), @revision::int, @reason::text, o.id,
			o.district_code, o.town_code, o.community_code, @kind::text, @title::text, @on::date, @body::text,
			@actor_id::bigint, @actor_name::text, coalesce(@at::timestamptz, now()), @demo::boolean
		FROM organizations o WHERE o.id = @org AND `+scopeOn("o")+`
		RETURNING id`,
		scopeArgs(scope, namedArgs{"no": no, "revision": revision, "reason": reason, "org": orgID,
			"kind": string(in.Kind), "title": in.Title, "on": in.DisclosedOn, "body": in.Body,
			"actor_id": actorID, "actor_name": actor.Username, "at": at, "demo": in.Demo})).Scan(&id)
	if err != nil {
		return 0, translate(err)
	}
	for i, l := range in.Lines {
		if _, err := tx.Exec(ctx, `INSERT INTO org_disclosure_lines (disclosure_id, position, side, category, amount_fen)
			VALUES (@id, @pos, @side, @category, @amount)`,
			namedArgs{"id": id, "pos": i + 1, "side": l.Side, "category": l.Category, "amount": int64(l.Amount)}); err != nil {
			return 0, translate(err)
		}
	}
	return id, nil
}

// PublishDisclosure publishes a new disclosure of the group, audited. A group outside scope is ErrNotFound; one
// the tier does not publish for is registry.ErrMayNotDisclose.
func (db *DB) PublishDisclosure(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID int64, in registry.DisclosureInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.PublishDisclosures) {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if err := disclosingOrg(ctx, tx, scope, orgID); err != nil {
			return err
		}
		var err error
		if id, err = insertDisclosure(ctx, tx, scope, actor, orgID, in, nil, 1, "", nil); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "disclosure.publish", ObjectType: "org_disclosure",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: "org " + strconv.FormatInt(orgID, 10) + "; " + in.Kind.Label() + "：" + in.Title})
	})
	return id, err
}

// CorrectDisclosure publishes the next revision of the disclosure whose current revision is id. version is the
// one the corrector's form showed: a revision already superseded or changed is ErrConflict and nothing is
// written. The old revision stays, superseded, and the public sees both. It returns the new revision's id.
func (db *DB) CorrectDisclosure(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int,
	reason string, in registry.DisclosureInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.PublishDisclosures) {
		return 0, portal.ErrNotAllow
	}
	var newID int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var no, orgID int64
		var revision, cur int
		var supersededAt *time.Time
		// The row lock orders concurrent corrections; the second reads the first's outcome and stops.
		err := tx.QueryRow(ctx, `SELECT d.disclosure_no, d.revision, d.org_id, d.superseded_at, d.version
			FROM org_disclosures d WHERE d.id = @id AND `+scopeOn("d")+` FOR UPDATE`,
			scopeArgs(scope, namedArgs{"id": id})).Scan(&no, &revision, &orgID, &supersededAt, &cur)
		if err != nil {
			return translate(err)
		}
		if supersededAt != nil || cur != version {
			return portal.ErrConflict
		}
		if err := disclosingOrg(ctx, tx, scope, orgID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE org_disclosures SET superseded_at = now(), version = version + 1 WHERE id = @id`,
			namedArgs{"id": id}); err != nil {
			return translate(err)
		}
		if newID, err = insertDisclosure(ctx, tx, scope, actor, orgID, in, &no, revision+1, reason, nil); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE org_disclosures SET superseded_by = @new WHERE id = @id`,
			namedArgs{"id": id, "new": newID}); err != nil {
			return translate(err)
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "disclosure.correct", ObjectType: "org_disclosure",
			ObjectID: strconv.FormatInt(newID, 10), Result: portal.ResultOK,
			Detail: "更正公开 " + strconv.FormatInt(no, 10) + " 第 " + strconv.Itoa(revision) + " 版 → 第 " +
				strconv.Itoa(revision+1) + " 版：" + reason})
	})
	if err != nil {
		return 0, err
	}
	return newID, nil
}

// DisclosureLoad is one disclosure of the demo data, with an optional later correction.
type DisclosureLoad struct {
	OrgID            int64
	In               registry.DisclosureInput
	At               time.Time
	Correction       *registry.DisclosureInput
	CorrectionReason string
	CorrectedAt      time.Time
}

// LoadDisclosures inserts the demo data's disclosures inside scope in one transaction through the form's
// statement, with one audit row for the batch.
func (db *DB) LoadDisclosures(ctx context.Context, scope portal.Scope, actor portal.Actor, loads []DisclosureLoad) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		for _, l := range loads {
			id, err := insertDisclosure(ctx, tx, scope, actor, l.OrgID, l.In, nil, 1, "", &l.At)
			if err != nil {
				return err
			}
			if l.Correction == nil {
				continue
			}
			var no int64
			if err := tx.QueryRow(ctx, `UPDATE org_disclosures SET superseded_at = @at, version = version + 1
				WHERE id = @id RETURNING disclosure_no`, namedArgs{"id": id, "at": l.CorrectedAt}).Scan(&no); err != nil {
				return translate(err)
			}
			newID, err := insertDisclosure(ctx, tx, scope, actor, l.OrgID, *l.Correction, &no, 2, l.CorrectionReason, &l.CorrectedAt)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE org_disclosures SET superseded_by = @new WHERE id = @id`,
				namedArgs{"id": id, "new": newID}); err != nil {
				return translate(err)
			}
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "disclosure.load", ObjectType: "org_disclosure",
			Result: portal.ResultOK, Detail: strconv.Itoa(len(loads)) + " 条演示信息公开"})
	})
}

// DisclosureGroups is up to limit live groups inside scope that scope's tier publishes for, newest first: the
// demo data's choice of groups to disclose for.
func (db *DB) DisclosureGroups(ctx context.Context, scope portal.Scope, limit int) ([]registry.ReportGroup, error) {
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT o.id, o.name, true FROM organizations o
		WHERE `+scopeOn("o")+` AND o.status IN ('normal', 'abnormal')
		  AND CASE @scope_tier WHEN 'community' THEN o.tier = 'guided'
		                       WHEN 'town' THEN o.tier IN ('filed', 'registered') ELSE false END
		ORDER BY o.id DESC LIMIT @limit`, scopeArgs(scope, namedArgs{"limit": limit}))
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[registry.ReportGroup])
	return out, translate(err)
}
