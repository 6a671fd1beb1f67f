package postgres

// 慈善组织认定 of registered organizations: the decisions, newest first, each with its stored document.

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

const charityColumns = `c.id, c.org_id, o.name, c.status, c.decided_on, c.body, c.note, c.filename, c.content_type, c.storage_key`

// CharityRecognitions lists the 慈善组织认定 decisions about group orgID inside scope, newest first.
func (db *DB) CharityRecognitions(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.CharityRecognition, error) {
	var out []registry.CharityRecognition
	b := &pgx.Batch{}
	queueCharityRecognitions(b, scope, orgID, &out)
	return out, db.send(ctx, planKept, b)
}

// queueCharityRecognitions queues CharityRecognitions's statement on b (planKept: the group's id picks the
// rows), to fill out.
func queueCharityRecognitions(b *pgx.Batch, scope portal.Scope, orgID int64, out *[]registry.CharityRecognition) {
	b.Queue(`SELECT `+charityColumns+`
		FROM charity_recognitions c JOIN organizations o ON o.id = c.org_id
		WHERE c.org_id = @org AND `+scopeOn("c")+` ORDER BY c.id DESC`, scopeArgs(scope, namedArgs{"org": orgID})).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[registry.CharityRecognition])
		return err
	})
}

// Charities lists the latest decision of every group inside scope that has one, newest decision first: the
// register of 慈善组织 and of revoked recognitions.
func (db *DB) Charities(ctx context.Context, scope portal.Scope) ([]registry.CharityRecognition, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+charityColumns+`
		FROM charity_recognitions c JOIN organizations o ON o.id = c.org_id
		WHERE `+scopeOn("c")+` AND NOT EXISTS (SELECT 1 FROM charity_recognitions n WHERE n.org_id = c.org_id AND n.id > c.id)
		ORDER BY c.decided_on DESC, c.id DESC LIMIT 1000`, scopeArgs(scope, nil))
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[registry.CharityRecognition])
	return out, translate(err)
}

// CharityDocument is the decision docID about group orgID, if the caller sees the group; else ErrNotFound.
func (db *DB) CharityDocument(ctx context.Context, scope portal.Scope, orgID, docID int64) (registry.CharityRecognition, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+charityColumns+`
		FROM charity_recognitions c JOIN organizations o ON o.id = c.org_id
		WHERE c.id = @doc AND c.org_id = @org AND `+scopeOn("c"), scopeArgs(scope, namedArgs{"org": orgID, "doc": docID}))
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[registry.CharityRecognition])
	return c, translate(err)
}

// RecordCharity records decision c (its document already stored) about group orgID, a live registered group
// inside scope (else ErrNotRegistered; outside scope ErrNotFound). seen is how many decisions the clerk's page
// listed (the form's token): another count is ErrConflict, so a decision posted twice is written once. The step
// must follow the latest decision (registry.CharityNext). The decision is on the group's timeline and audited.
func (db *DB) RecordCharity(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID int64, seen int, c registry.CharityRecognition, doc registry.NewDocument) (int64, error) {
	if !portal.Can(scope.Tier, portal.RecognizeCharity) {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var community, tier, status string
		if err := tx.QueryRow(ctx, `SELECT o.community_code, o.tier, o.status FROM organizations o
			WHERE o.id = @org AND `+scopeOn("o")+` FOR NO KEY UPDATE`, scopeArgs(scope, namedArgs{"org": orgID})).
			Scan(&community, &tier, &status); err != nil {
			return err
		}
		if registry.Tier(tier) != registry.TierRegistered || !registry.Status(status).Live() {
			return registry.ErrNotRegistered
		}
		var n int
		var latest string
		if err := tx.QueryRow(ctx, `SELECT count(*), coalesce((SELECT status FROM charity_recognitions
			WHERE org_id = $1 ORDER BY id DESC LIMIT 1), '') FROM charity_recognitions WHERE org_id = $1`, orgID).Scan(&n, &latest); err != nil {
			return err
		}
		if n != seen || c.Status != registry.CharityNext(latest) {
			return portal.ErrConflict
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO charity_recognitions (org_id, district_code, town_code, community_code, status, decided_on, body,
				note, filename, content_type, size_bytes, storage_key, sha256, recorded_by)
			SELECT id, district_code, town_code, community_code, @status, @on, @body, @note, @filename, @type, @size,
				@key, @sha, @by
			FROM organizations WHERE id = @org RETURNING id`,
			namedArgs{"org": orgID, "status": c.Status, "on": c.DecidedOn, "body": c.Body, "note": c.Note,
				"filename": doc.Filename, "type": doc.ContentType, "size": doc.Size, "key": doc.StorageKey, "sha": doc.SHA256,
				"by": nullID(actor.AccountID)}).Scan(&id); err != nil {
			return err
		}
		label := registry.CharityStatusLabel(c.Status)
		if err := insertEvent(ctx, tx, actor, orgID, community, label, "", c.Body+" "+c.DecidedOn.Format("2006-01-02"), c.Note); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.charity", ObjectType: "organization",
			ObjectID: strconv.FormatInt(orgID, 10), Result: portal.ResultOK, Detail: label + "，" + doc.Filename})
	})
	return id, translate(err)
}
