package postgres

// Transfer between communities (issue 13). The organization's community and town change in one UPDATE, so the
// statement triggers of organizations move it in every kept count (org_counts, org_town_counts, the statistics
// counts of 0016, the 定期工作报告 coverage of 0012). Its reports, notices and evaluations stay where they were
// filed: a past month's figures of a community do not change when a group leaves it.

import (
	"context"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// transferTarget is a community inside scope, with the name the timeline shows (town and community); another
// code, or a retired community (issue 17), is ErrNotFound.
func transferTarget(ctx context.Context, q pgx.Tx, scope portal.Scope, code string) (string, error) {
	var label string
	err := q.QueryRow(ctx, `SELECT t.name || c.name FROM divisions c JOIN divisions t ON t.code = c.parent_code
		WHERE c.code = @code AND c.level = 'community' AND c.retired_at IS NULL AND `+scopeWithin("c.code"),
		scopeArgs(scope, namedArgs{"code": code})).Scan(&label)
	return label, translate(err)
}

// TransferOrg moves organization id inside scope to community t.To inside scope, at the version the clerk saw
// (another is ErrConflict). A community outside scope is ErrNotFound; the group's own ErrSameCommunity; a group
// with a case still open is a *registry.OpenCaseError (ErrOpenCase); a new name another live group holds is
// ErrNameTaken. The timeline gets "transferred" from the old community to the new with the reason (and
// "renamed" when the name follows the community), the audit log a row.
func (db *DB) TransferOrg(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, t registry.Transfer) error {
	if !portal.Can(scope.Tier, portal.TransferOrgs) {
		return portal.ErrNotAllow
	}
	return translate(db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := lockOrganization(ctx, tx, scope, id)
		if err != nil {
			return err
		}
		o := cur.org
		if o.Version != version {
			return portal.ErrConflict
		}
		to, err := transferTarget(ctx, tx, scope, t.To)
		if err != nil {
			return err
		}
		if t.To == o.CommunityCode {
			return registry.ErrSameCommunity
		}
		if err := openCaseOf(ctx, tx, []int64{id}); err != nil {
			return err
		}
		renamed, err := renameOnMove(ctx, tx, actor, []int64{id}, t.To)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE organizations SET community_code = @to, town_code = left(@to, 9),
			updated_at = now(), version = version + 1 WHERE id = @id`, namedArgs{"id": id, "to": t.To}); err != nil {
			return err
		}
		from := o.TownName + o.CommunityName
		if err := insertEvent(ctx, tx, actor, id, t.To, "transferred", from, to, t.Reason); err != nil {
			return err
		}
		if err := renamed(); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.transfer", ObjectType: "organization",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: o.CommunityCode + " → " + t.To + "；" + t.Reason})
	}))
}

// communityToken is the state of a community's groups: their ids and versions. Any group added, moved away or
// changed changes it.
const communityToken = `SELECT coalesce(md5(string_agg(o.id::text || ':' || o.version, ',' ORDER BY o.id)), '')
	FROM organizations o WHERE o.community_code = @from AND `

// CommunityGroups lists the groups of community from inside scope, by name, with the token a whole-community
// move must carry. A community outside scope is ErrNotFound.
func (db *DB) CommunityGroups(ctx context.Context, scope portal.Scope, from string) ([]registry.TransferCandidate, string, error) {
	var out []registry.TransferCandidate
	var token string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := transferTarget(ctx, tx, scope, from); err != nil {
			return err
		}
		args := scopeArgs(scope, namedArgs{"from": from})
		rows, _ := tx.Query(ctx, `SELECT o.id, o.name, o.tier, o.status, o.name_prefix, o.name_community,
				o.name_zihao, o.name_field, o.name_form, t.name
			FROM organizations o JOIN divisions t ON t.code = o.town_code
			WHERE o.community_code = @from AND `+scopeOn("o")+` ORDER BY o.status IN ('normal', 'abnormal') DESC, o.name, o.id`, args)
		var err error
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (registry.TransferCandidate, error) {
			var c registry.TransferCandidate
			var tier, status string
			p := &c.NameParts
			err := r.Scan(&c.ID, &c.Name, &tier, &status, &p.Prefix, &p.Community, &p.Zihao, &p.Field, &p.Form, &c.TownName)
			c.Tier, c.Status = registry.Tier(tier), registry.Status(status)
			return c, err
		})
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, communityToken+scopeOn("o"), args).Scan(&token)
	})
	return out, token, translate(err)
}

// MoveCommunityGroups moves the groups of community m.From (all, or those m.IDs names) to community m.To, both
// inside scope, in one transaction: one UPDATE (the kept counts follow in one trigger run), a "transferred"
// timeline row per group with the reason, one audit row. The groups are locked first; a token other than the
// one their state now gives (a group added, moved or changed since the page was shown), or an id not among
// them, is ErrConflict and nothing is written. It returns how many groups moved.
func (db *DB) MoveCommunityGroups(ctx context.Context, scope portal.Scope, actor portal.Actor, m registry.CommunityMove) (int, error) {
	if !portal.Can(scope.Tier, portal.TransferOrgs) {
		return 0, portal.ErrNotAllow
	}
	var moved int
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		from, err := transferTarget(ctx, tx, scope, m.From)
		if err != nil {
			return err
		}
		to, err := transferTarget(ctx, tx, scope, m.To)
		if err != nil {
			return err
		}
		if m.From == m.To {
			return registry.ErrSameCommunity
		}
		args := scopeArgs(scope, namedArgs{"from": m.From, "to": m.To})
		rows, _ := tx.Query(ctx, `SELECT o.id FROM organizations o WHERE o.community_code = @from AND `+
			scopeOn("o")+` ORDER BY o.id FOR UPDATE`, args)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		var token string
		if err := tx.QueryRow(ctx, communityToken+scopeOn("o"), args).Scan(&token); err != nil {
			return err
		}
		if token != m.Token {
			return portal.ErrConflict
		}
		if !m.All {
			for _, id := range m.IDs {
				if !slices.Contains(ids, id) {
					return portal.ErrConflict
				}
			}
			ids = m.IDs
		}
		if len(ids) == 0 {
			return nil
		}
		if err := openCaseOf(ctx, tx, ids); err != nil {
			return err
		}
		renamed, err := renameOnMove(ctx, tx, actor, ids, m.To)
		if err != nil {
			return err
		}
		args["ids"] = ids
		tag, err := tx.Exec(ctx, `UPDATE organizations SET community_code = @to, town_code = left(@to, 9),
			updated_at = now(), version = version + 1 WHERE id = ANY(@ids) AND community_code = @from`, args)
		if err != nil {
			return err
		}
		moved = int(tag.RowsAffected())
		if _, err := tx.Exec(ctx, `
			INSERT INTO org_events (org_id, community_code, actor_id, actor_name, actor_division, kind, from_value,
				to_value, reason)
			SELECT id, @to, @actor_id, @actor_name, @actor_division, 'transferred', @from_label, @to_label, @reason
			FROM unnest(@ids::bigint[]) AS id`,
			namedArgs{"ids": ids, "to": m.To, "actor_id": actorRef(actor), "actor_name": actor.Username,
				"actor_division": actor.Division, "from_label": from, "to_label": to, "reason": m.Reason}); err != nil {
			return err
		}
		if err := renamed(); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.transfer_community",
			ObjectType: "division", ObjectID: m.From, Result: portal.ResultOK,
			Detail: m.From + " → " + m.To + "：" + strconv.Itoa(moved) + " 个组织；" + m.Reason})
	})
	if err != nil {
		return 0, translate(err)
	}
	return moved, nil
}
