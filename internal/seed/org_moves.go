package seed

// Demo of the two ways a record moves (issue 13), worked through the store so that each leaves the timeline a
// real one would: a guided group filed on its own record (村居指导 → 镇街备案) in a third town, so that the
// 备案编号 counters of the two demo towns stay as their tests expect; and a guided group of 双龙湖街道 moved by
// demo-town to another of its communities (迁移, with the rename its name follows), outside the demo community,
// whose groups the other demos use.

import (
	"context"
	"fmt"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
)

// LoadDemoOrgMoves files one guided group on its record and transfers another.
func LoadDemoOrgMoves(ctx context.Context, db *postgres.DB) error {
	if err := loadDemoGuidedFiling(ctx, db); err != nil {
		return fmt.Errorf("demo guided filing: %w", err)
	}
	if err := loadDemoTransfer(ctx, db); err != nil {
		return fmt.Errorf("demo transfer: %w", err)
	}
	return nil
}

// demoFreeGuided are the live guided groups of town (not of community except) with no case open, by id, with
// their communities.
func demoFreeGuided(ctx context.Context, db *postgres.DB, town, except string) ([]int64, []string, error) {
	rows, _ := db.Pool.Query(ctx, `SELECT o.id, o.community_code FROM organizations o
		WHERE o.town_code = $1 AND o.community_code <> $2 AND o.tier = 'guided' AND o.status = 'normal'
		AND NOT EXISTS (SELECT 1 FROM filings f WHERE f.status = 'submitted' AND (f.org_id = o.id OR f.guided_org_id = o.id))
		AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.org_id = o.id AND a.status IN ('submitted', 'accepted', 'correction'))
		AND NOT EXISTS (SELECT 1 FROM major_activities m WHERE m.org_id = o.id AND m.status IN ('submitted', 'changes_requested'))
		ORDER BY o.id`, town, except)
	var ids []int64
	var communities []string
	for rows.Next() {
		var id int64
		var community string
		if err := rows.Scan(&id, &community); err != nil {
			return nil, nil, err
		}
		ids, communities = append(ids, id), append(communities, community)
	}
	return ids, communities, rows.Err()
}

// loadDemoGuidedFiling files the first free guided group of the first town other than the two demo towns on
// its record and approves the filing, as that town's clerk would.
func loadDemoGuidedFiling(ctx context.Context, db *postgres.DB) error {
	var town string
	for _, t := range Towns() {
		if t.Code != TownShuanglonghu && t.Code != TownTongjing {
			town = t.Code
			break
		}
	}
	scope := portal.Scope{Tier: portal.TierTown, Division: town}
	actor := portal.Actor{Username: "demo-seed", Tier: portal.TierTown, Division: town, IP: "local"}
	ids, _, err := demoFreeGuided(ctx, db, town, "")
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("no guided group of %s free to file", town)
	}
	o, err := db.Organization(ctx, scope, ids[0])
	if err != nil {
		return err
	}
	in := registry.FilingInput{Kind: registry.FilingEstablish, CommunityCode: o.CommunityCode, NameParts: o.NameParts,
		Fields: o.Fields, Nature: o.Nature, Beneficiaries: o.Beneficiaries, FoundedOn: o.FoundedOn,
		LeaderName: o.LeaderName, LeaderPhone: "13983001234", LeaderID: rules.MakeIDNumber("50011219680315004"),
		Venue: o.Venue, Members: max(o.Members, 1), Volunteers: o.Volunteers, Funding: "会员自筹", Charter: o.Charter,
		GuideUnit: "镇街社区事务办公室", PartyStatus: o.PartyStatus, PartyMembers: o.PartyMembers,
		GuidedOrgID: o.ID, GuidedVersion: o.Version}
	if in.Nature == "" {
		in.Nature = "互助性"
	}
	id, err := db.CreateFiling(ctx, scope, actor, in, nil)
	if err != nil {
		return err
	}
	_, err = db.ApproveFiling(ctx, scope, actor, id, 1)
	return err
}

// loadDemoTransfer moves the first free guided group of 双龙湖街道 outside the demo community to the next
// community of the town, as demo-town.
func loadDemoTransfer(ctx context.Context, db *postgres.DB) error {
	actor, err := applicationActor(ctx, db, "demo-town")
	if err != nil {
		return err
	}
	scope := portal.Scope{Tier: portal.TierTown, Division: TownShuanglonghu}
	ids, communities, err := demoFreeGuided(ctx, db, TownShuanglonghu, CommunityDemo)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return fmt.Errorf("no guided group of %s free to move", TownShuanglonghu)
	}
	o, err := db.Organization(ctx, scope, ids[0])
	if err != nil {
		return err
	}
	return db.TransferOrg(ctx, scope, actor, o.ID, o.Version, registry.Transfer{To: demoMoveTarget(communities[0]),
		Reason: "该队活动场所随小区划入新社区（社区界线调整）"})
}

// demoMoveTarget is the community of 双龙湖街道 after from (other than the demo community's).
func demoMoveTarget(from string) string {
	var in []string
	for _, c := range DemoCommunities(Towns()) {
		if c.ParentCode == TownShuanglonghu && c.Code != CommunityDemo && c.Code != from {
			in = append(in, c.Code)
		}
	}
	for _, c := range in {
		if c > from {
			return c
		}
	}
	return in[0]
}
