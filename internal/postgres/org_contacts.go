package postgres

// 联系人 of a group: the current one and those before it, set by the committee or town that keeps the group.

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
)

// OrgContacts lists the 联系人 of group orgID inside scope, the current one first, then the earlier ones newest
// first. Phones come masked.
func (db *DB) OrgContacts(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.OrgContact, error) {
	var out []registry.OrgContact
	b := &pgx.Batch{}
	queueOrgContacts(b, scope, orgID, &out)
	return out, db.send(ctx, planKept, b)
}

// queueOrgContacts queues OrgContacts's statement on b (planKept: the group's id picks the rows), to fill out.
func queueOrgContacts(b *pgx.Batch, scope portal.Scope, orgID int64, out *[]registry.OrgContact) {
	b.Queue(`
		SELECT c.id, c.org_id, c.name, c.kind, c.unit, c.phone_mask, c.from_on, c.until_on,
			coalesce(a.display_name, ''), coalesce(a.username, ''), c.set_at
		FROM org_contacts c LEFT JOIN accounts a ON a.id = c.set_by
		WHERE c.org_id = @org AND `+scopeOn("c")+`
		ORDER BY c.until_on IS NULL DESC, c.id DESC LIMIT 100`, scopeArgs(scope, namedArgs{"org": orgID})).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[registry.OrgContact])
		return err
	})
}

// SetOrgContact makes c the 联系人 of group orgID, a live group scope keeps; the one before ends the day c starts.
// seen is the current 联系人's id as the clerk's page showed it (0 for none): another is ErrConflict, so a form
// posted twice or from a stale page writes nothing, and of two clerks setting the first one at once one wins.
// A start before the current one's is ErrContactBeforeCurrent. The change is on the group's timeline and audited.
func (db *DB) SetOrgContact(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID, seen int64, c registry.NewContact) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var community, status string
		if err := tx.QueryRow(ctx, `SELECT o.community_code, o.status FROM organizations o
			WHERE o.id = @org AND `+scopeOn("o")+` FOR SHARE`, scopeArgs(scope, namedArgs{"org": orgID})).
			Scan(&community, &status); err != nil {
			return err
		}
		if !registry.Status(status).Live() {
			return portal.ErrNotAllow
		}
		var current int64
		var currentFrom time.Time
		var currentName string
		err := tx.QueryRow(ctx, `SELECT id, from_on, name FROM org_contacts WHERE org_id = $1 AND until_on IS NULL FOR UPDATE`, orgID).
			Scan(&current, &currentFrom, &currentName)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if current != seen {
			return portal.ErrConflict
		}
		if current != 0 {
			if c.FromOn.Before(currentFrom) {
				return registry.ErrContactBeforeCurrent
			}
			if _, err := tx.Exec(ctx, `UPDATE org_contacts SET until_on = $2 WHERE id = $1`, current, c.FromOn); err != nil {
				return err
			}
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO org_contacts (org_id, district_code, town_code, community_code, name, kind, unit, phone_enc,
				phone_mask, from_on, set_by)
			SELECT id, district_code, town_code, community_code, @name, @kind, @unit, @phone_enc, @phone_mask, @from, @by
			FROM organizations WHERE id = @org RETURNING id`,
			namedArgs{"org": orgID, "name": c.Name, "kind": c.Kind, "unit": c.Unit,
				"phone_enc": db.box.Seal(c.Phone, "contact_phone"), "phone_mask": rules.MaskPhone(c.Phone),
				"from": c.FromOn, "by": nullID(actor.AccountID)}).Scan(&id); err != nil {
			return err
		}
		to := c.Name + "（" + c.Kind + "，" + c.Unit + "），自 " + c.FromOn.Format("2006-01-02")
		if err := insertEvent(ctx, tx, actor, orgID, community, "联系人", currentName, to, ""); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.contact", ObjectType: "organization",
			ObjectID: strconv.FormatInt(orgID, 10), Result: portal.ResultOK, Detail: to})
	})
	return id, translate(err)
}

// orgsWithoutContact is the live groups inside scope without a current 联系人, each with its community and town.
var orgsWithoutContact = `
	SELECT o.id, o.name, o.tier, d.name, t.name
	FROM organizations o JOIN divisions d ON d.code = o.community_code JOIN divisions t ON t.code = o.town_code
	WHERE ` + scopeOn("o") + ` AND o.status IN ('normal', 'abnormal')
	  AND NOT EXISTS (SELECT 1 FROM org_contacts c WHERE c.org_id = o.id AND c.until_on IS NULL)`

// ExportOrgsWithoutContact streams every live group inside scope without a 联系人 to fn, oldest record first,
// and writes one audit row ("org.contact.export") after them, as the other list exports do.
func (db *DB) ExportOrgsWithoutContact(ctx context.Context, scope portal.Scope, actor portal.Actor, fn func(registry.OrgWithoutContact) error) (int, error) {
	return db.auditedExport(ctx, actor, exportAudit{action: "org.contact.export", objectType: "organization",
		format: "xlsx", filter: "未配备联系人"}, func() (int, error) {
		return eachRow(ctx, db, orgsWithoutContact+` ORDER BY o.id`, []any{scopeArgs(scope, nil)},
			pgx.RowToStructByPos[registry.OrgWithoutContact], fn)
	})
}

// OrgsWithoutContactShown bounds the list of groups without a 联系人.
const OrgsWithoutContactShown = 200

// OrgsWithoutContact lists the live groups inside scope that have no 联系人, oldest record first, at most
// OrgsWithoutContactShown after the id after (for the next page); more says whether there are others beyond.
func (db *DB) OrgsWithoutContact(ctx context.Context, scope portal.Scope, after int64) (orgs []registry.OrgWithoutContact, more bool, err error) {
	rows, _ := db.pool(planFresh).Query(ctx, orgsWithoutContact+` AND o.id > @after ORDER BY o.id LIMIT @limit`,
		scopeArgs(scope, namedArgs{"after": after, "limit": OrgsWithoutContactShown + 1}))
	orgs, err = pgx.CollectRows(rows, pgx.RowToStructByPos[registry.OrgWithoutContact])
	if len(orgs) > OrgsWithoutContactShown {
		orgs, more = orgs[:OrgsWithoutContactShown], true
	}
	return orgs, more, translate(err)
}

// RevealOrgContact gives the full phone of group orgID's current 联系人 to a tier that may reveal its leader's
// (registry.RightsOn), writing an audit row with the reason in the same transaction: a reveal exactly like a
// leader's. A group outside scope, one without a current 联系人, or a tier that may not reveal is ErrNotFound.
func (db *DB) RevealOrgContact(ctx context.Context, scope portal.Scope, actor portal.Actor, orgID int64, reason string) (string, error) {
	if strings.TrimSpace(reason) == "" {
		return "", registry.ErrReasonRequired
	}
	var phone string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var tier, name string
		var enc []byte
		if err := tx.QueryRow(ctx, `SELECT o.tier, c.name, c.phone_enc FROM org_contacts c JOIN organizations o ON o.id = c.org_id
			WHERE c.org_id = @org AND c.until_on IS NULL AND `+scopeOn("o"), scopeArgs(scope, namedArgs{"org": orgID})).
			Scan(&tier, &name, &enc); err != nil {
			return err
		}
		if !registry.RightsOn(scope, registry.Organization{Tier: registry.Tier(tier)}).Reveal {
			return portal.ErrNotFound
		}
		var err error
		if phone, err = db.box.Open(enc, "contact_phone"); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.contact.reveal", ObjectType: "organization",
			ObjectID: strconv.FormatInt(orgID, 10), Result: portal.ResultOK, Detail: "查看联系人" + name + "完整电话：" + reason})
	})
	if err != nil {
		return "", translate(err)
	}
	return phone, nil
}
