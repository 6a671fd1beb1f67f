package postgres

// The two rules a transfer keeps (issue 13): no group moves while a case of it is still open where it is (the
// case was filed with that town and community, whose clerks decide it), and a group named by the portal's naming
// rules takes the new community's name with it.

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// openCaseOf is the first open case of any of the groups ids, or nil: a filing waiting for review (on the
// organization or on its guided record), a 登记申请 not yet decided, a 重大活动报告 the group organizes that
// waits for the town or for the committee's change.
func openCaseOf(ctx context.Context, tx pgx.Tx, ids []int64) error {
	var c registry.OpenCase
	err := tx.QueryRow(ctx, `
		SELECT o.name, x.kind, x.id, x.status, x.title
		FROM (
			SELECT coalesce(f.org_id, f.guided_org_id) AS org_id, 'filing:' || f.kind AS kind, f.id, f.status,
				'' AS title
			FROM filings f
			WHERE f.status = 'submitted' AND (f.org_id = ANY(@ids) OR f.guided_org_id = ANY(@ids))
			UNION ALL
			SELECT a.org_id, 'application', a.id, a.status, ''
			FROM applications a
			WHERE a.org_id = ANY(@ids) AND a.status IN ('submitted', 'accepted', 'correction')
			UNION ALL
			SELECT m.org_id, 'major_activity', m.id, m.status, m.title
			FROM major_activities m
			WHERE m.org_id = ANY(@ids) AND m.status IN ('submitted', 'changes_requested')
		) x JOIN organizations o ON o.id = x.org_id
		ORDER BY o.name, x.kind, x.id
		LIMIT 1`, namedArgs{"ids": ids}).Scan(&c.OrgName, &c.Kind, &c.ID, &c.Status, &c.Title)
	if err == pgx.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	return &registry.OpenCaseError{Case: c}
}

// renameOnMove gives each of the groups ids that moves to community to the name registry.TransferredName
// composes, in one UPDATE. It runs before the move, while the groups still name their old town; the function
// it returns writes the "renamed" timeline rows keeping the old names, for the caller to run after the move's
// own rows so that the timeline reads 迁移 then 更名. Version and counts are left to the move's own UPDATE.
func renameOnMove(ctx context.Context, tx pgx.Tx, actor portal.Actor, ids []int64, to string) (func() error, error) {
	none := func() error { return nil }
	var town, community string
	if err := tx.QueryRow(ctx, `SELECT t.name, c.name FROM divisions c JOIN divisions t ON t.code = c.parent_code
		WHERE c.code = @to`, namedArgs{"to": to}).Scan(&town, &community); err != nil {
		return nil, err
	}
	rows, _ := tx.Query(ctx, `SELECT o.id, o.tier, o.status, o.name, o.name_prefix, o.name_community,
			o.name_zihao, o.name_field, o.name_form, t.name
		FROM organizations o JOIN divisions t ON t.code = o.town_code
		WHERE o.id = ANY(@ids) ORDER BY o.id`, namedArgs{"ids": ids})
	orgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (registry.Organization, error) {
		var o registry.Organization
		var tier, status string
		err := r.Scan(&o.ID, &tier, &status, &o.Name, &o.NameParts.Prefix, &o.NameParts.Community,
			&o.NameParts.Zihao, &o.NameParts.Field, &o.NameParts.Form, &o.TownName)
		o.Tier, o.Status = registry.Tier(tier), registry.Status(status)
		return o, err
	})
	if err != nil {
		return nil, err
	}
	var rid []int64
	var names, olds, prefixes []string
	for _, o := range orgs {
		if parts, ok := registry.TransferredName(o, town, community); ok {
			rid = append(rid, o.ID)
			olds = append(olds, o.Name)
			names = append(names, rules.ComposeName(parts))
			prefixes = append(prefixes, parts.Prefix)
		}
	}
	if len(rid) == 0 {
		return none, nil
	}
	args := namedArgs{"ids": rid, "names": names, "olds": olds, "prefixes": prefixes, "community": community,
		"to": to, "actor_id": actorRef(actor), "actor_name": actor.Username, "actor_division": actor.Division,
		"reason": "随迁入" + town + community + "更名：名称中的社区（村）随所在社区（村）改变"}
	if _, err := tx.Exec(ctx, `UPDATE organizations o SET name = u.name, name_prefix = u.prefix,
			name_community = @community
		FROM unnest(@ids::bigint[], @names::text[], @prefixes::text[]) AS u(id, name, prefix)
		WHERE o.id = u.id`, args); err != nil {
		return nil, translate(err)
	}
	return func() error {
		_, err := tx.Exec(ctx, `
		INSERT INTO org_events (org_id, community_code, actor_id, actor_name, actor_division, kind, from_value,
			to_value, reason)
		SELECT u.id, @to, @actor_id, @actor_name, @actor_division, 'renamed', u.old, u.name, @reason
		FROM unnest(@ids::bigint[], @olds::text[], @names::text[]) AS u(id, old, name)`, args)
		return err
	}, nil
}
