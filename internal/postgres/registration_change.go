package postgres

import (
	"context"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// ChangeRegistration is the district's 变更登记 of a registered group inside scope: its name (字号, 业务领域,
// 组织形式), legal form, 统一社会信用代码 and leader become c's. version is the one the clerk saw: a different one
// is ErrConflict and nothing is written. A group that is not a live registered one, or a scope without the
// right, is ErrNotAllow; a name or code another group holds is ErrNameTaken or ErrUSCCTaken. It returns the
// particulars that changed (none: nothing written); a change leaves a "registration_changed" timeline row
// naming them with c's reason, and an audit row, in the same transaction.
func (db *DB) ChangeRegistration(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, c registry.RegistrationChange) ([]string, error) {
	if !portal.Can(scope.Tier, portal.ChangeRegistration) {
		return nil, portal.ErrNotAllow
	}
	box := db.box
	var changed []string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		cur, err := lockOrganization(ctx, tx, scope, id)
		if err != nil {
			return err
		}
		o := cur.org
		if !registry.MayChangeRegistration(o) {
			return portal.ErrNotAllow
		}
		if o.Version != version {
			return portal.ErrConflict
		}
		parts := rules.NameParts{Prefix: o.NameParts.Prefix, Community: o.NameParts.Community,
			Zihao: c.NameParts.Zihao, Field: c.NameParts.Field, Form: c.NameParts.Form}
		name, uscc := rules.ComposeName(parts), rules.NormalizeUSCC(c.USCC)
		add := func(differs bool, label string) {
			if differs {
				changed = append(changed, label)
			}
		}
		add(name != o.Name, "名称")
		add(c.LegalForm != o.LegalForm, "组织类别")
		add(uscc != o.USCC, "统一社会信用代码")
		add(c.LeaderName != o.LeaderName, "负责人")
		idEnc, idMask := cur.idEnc, o.LeaderID
		if c.LeaderID != "" {
			if old, err := box.Open(cur.idEnc, "leader_id"); err != nil || old != c.LeaderID {
				changed = append(changed, "负责人身份证号")
				idEnc, idMask = box.Seal(c.LeaderID, "leader_id"), maskID(c.LeaderID)
			}
		}
		if len(changed) == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, `
			UPDATE organizations SET name = @name, name_zihao = @zihao, name_field = @field, name_form = @form,
				legal_form = @legal_form, uscc = @uscc, leader_name = @leader_name, leader_id_enc = @id_enc,
				leader_id_mask = @id_mask, updated_at = now(), version = version + 1
			WHERE id = @id`,
			namedArgs{"id": id, "name": name, "zihao": parts.Zihao, "field": parts.Field, "form": parts.Form,
				"legal_form": string(c.LegalForm), "uscc": uscc, "leader_name": c.LeaderName, "id_enc": idEnc,
				"id_mask": idMask}); err != nil {
			return err
		}
		what := strings.Join(changed, "、")
		if err := insertEvent(ctx, tx, actor, id, o.CommunityCode, "registration_changed", "", what, c.Reason); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.change_registration",
			ObjectType: "organization", ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: what + "；" + c.Reason})
	})
	if err != nil {
		return nil, translate(err)
	}
	return changed, nil
}

// registeredParticularChanged says whether an edit of o would change one of its 登记事项, which only the
// district's 变更登记 may: the name or the leader of a registered group (the edit form never carries the legal
// form or the code).
func registeredParticularChanged(o registry.Organization, in registry.OrgInput, oldID string) bool {
	if o.Tier != registry.TierRegistered {
		return false
	}
	return rules.ComposeName(in.NameParts) != o.Name || in.LeaderName != o.LeaderName ||
		(in.LeaderID != "" && in.LeaderID != oldID)
}
