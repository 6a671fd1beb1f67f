package postgres_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// siblingCommunity is another community of 双龙湖街道 than demo-community's.
func siblingCommunity(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var code string
	if err := db.Pool.QueryRow(context.Background(), `SELECT code FROM divisions WHERE parent_code = $1 AND code <> $2
		ORDER BY code LIMIT 1`, seed.TownShuanglonghu, seed.CommunityDemo).Scan(&code); err != nil {
		t.Fatal(err)
	}
	return code
}

// A transfer moves a group to another community: the town only between its own communities, the district
// anywhere; a stale version or a community outside the jurisdiction writes nothing; the timeline keeps the
// reason; every kept count equals a recount before and after.
func TestTransferOrgMovesTheCounts(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	orgID, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), recGuided(t, db, "迁移"))
	if err != nil {
		t.Fatal(err)
	}
	assertOrgCountsEqualRecount(t, db, "before the transfer")
	sibling := siblingCommunity(t, db)
	here := func(community string) int {
		return recCount(t, db, `SELECT coalesce(sum(n), 0) FROM org_counts WHERE community_code = $1`, community)
	}
	beforeFrom, beforeTo := here(seed.CommunityDemo), here(sibling)
	beforeRural := here(seed.CommunityDemoRural)
	tr := registry.Transfer{To: sibling, Reason: "锦华社区拆分，该队活动场所划入新社区"}

	refused := []struct {
		what    string
		scope   portal.Scope
		version int
		to      string
		want    error
	}{
		{"a committee", recCommunity, 1, sibling, portal.ErrNotAllow},
		{"a stale version", recTown, 7, sibling, portal.ErrConflict},
		{"another town's community", recTown, 1, seed.CommunityDemoRural, portal.ErrNotFound},
		{"another town's group", recTown2, 1, seed.CommunityDemoRural, portal.ErrNotFound},
		{"a town, not a community", recTown, 1, seed.TownShuanglonghu, portal.ErrNotFound},
		{"the same community", recTown, 1, seed.CommunityDemo, registry.ErrSameCommunity},
	}
	for _, c := range refused {
		in := tr
		in.To = c.to
		if err := db.TransferOrg(ctx, c.scope, recActor(c.scope), orgID, c.version, in); !errors.Is(err, c.want) {
			t.Fatalf("%s: %v, want %v", c.what, err, c.want)
		}
	}
	if n := recCount(t, db, `SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = 'transferred'`, orgID); n != 0 {
		t.Fatalf("refused transfers wrote %d events", n)
	}

	if err := db.TransferOrg(ctx, recTown, recActor(recTown), orgID, 1, tr); err != nil {
		t.Fatal(err)
	}
	o, err := db.Organization(ctx, recTown, orgID)
	if err != nil || o.CommunityCode != sibling || o.TownCode != seed.TownShuanglonghu || o.Version != 2 {
		t.Fatalf("after the town's transfer: %+v %v", o, err)
	}
	if _, err := db.Organization(ctx, recCommunity, orgID); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("the old committee still sees the group: %v", err)
	}
	if here(seed.CommunityDemo) != beforeFrom-1 || here(sibling) != beforeTo+1 {
		t.Fatalf("counts: from %d→%d, to %d→%d", beforeFrom, here(seed.CommunityDemo), beforeTo, here(sibling))
	}
	assertOrgCountsEqualRecount(t, db, "the town's transfer")
	var reason, from, to string
	if err := db.Pool.QueryRow(ctx, `SELECT reason, from_value, to_value FROM org_events
		WHERE org_id = $1 AND kind = 'transferred'`, orgID).Scan(&reason, &from, &to); err != nil {
		t.Fatal(err)
	}
	if reason != tr.Reason || from == "" || to == "" || from == to {
		t.Fatalf("event %q %q → %q", reason, from, to)
	}
	if n := recCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'org.transfer' AND object_id = $1`, strconv.FormatInt(orgID, 10)); n != 1 {
		t.Fatalf("%d audit rows", n)
	}

	// The district moves it to another town's village.
	tr.To = seed.CommunityDemoRural
	if err := db.TransferOrg(ctx, recDistrict, recActor(recDistrict), orgID, 2, tr); err != nil {
		t.Fatal(err)
	}
	if o, err := db.Organization(ctx, recTown2, orgID); err != nil || o.TownCode != seed.TownTongjing {
		t.Fatalf("after the district's transfer: %+v %v", o, err)
	}
	if here(sibling) != beforeTo || here(seed.CommunityDemoRural) != beforeRural+1 {
		t.Fatal("counts did not follow the district's transfer")
	}
	assertOrgCountsEqualRecount(t, db, "the district's transfer")
}

// A whole community's groups move in one step (a community merged into another); a token from before any
// change is stale; a chosen subset moves alone; the counts equal a recount throughout.
func TestMoveCommunityGroups(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	sibling := siblingCommunity(t, db)
	for _, z := range []string{"合一", "合二"} {
		if _, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), recGuided(t, db, z)); err != nil {
			t.Fatal(err)
		}
	}
	groups, token, err := db.CommunityGroups(ctx, recTown, seed.CommunityDemo)
	if err != nil || len(groups) < 2 || token == "" {
		t.Fatalf("groups %d token %q: %v", len(groups), token, err)
	}
	if _, _, err := db.CommunityGroups(ctx, recTown2, seed.CommunityDemo); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another town lists the community: %v", err)
	}
	total := len(groups)
	// The demo's groups have cases still open where they are: the move is refused, naming one, until they are
	// decided (closeOpenCases stands in for the clerks deciding them).
	whole := registry.CommunityMove{From: seed.CommunityDemo, To: sibling, All: true, Token: token, Reason: "合并"}
	var oc *registry.OpenCaseError
	if _, err := db.MoveCommunityGroups(ctx, recTown, recActor(recTown), whole); !errors.As(err, &oc) || oc.Case.OrgName == "" {
		t.Fatalf("a community with open cases moved: %v", err)
	}
	closeOpenCases(t, db, seed.CommunityDemo)
	assertOrgCountsEqualRecount(t, db, "before the move")
	beforeTo := recCount(t, db, `SELECT coalesce(sum(n), 0) FROM org_counts WHERE community_code = $1`, sibling)

	// First a chosen one.
	one := registry.CommunityMove{From: seed.CommunityDemo, To: sibling, IDs: []int64{groups[0].ID}, Token: token,
		Reason: "锦华社区与锦绣社区合并"}
	if n, err := db.MoveCommunityGroups(ctx, recTown, recActor(recTown), one); err != nil || n != 1 {
		t.Fatalf("moved %d: %v", n, err)
	}
	assertOrgCountsEqualRecount(t, db, "moving one group")
	// The token is now stale: nothing more moves with it.
	all := registry.CommunityMove{From: seed.CommunityDemo, To: sibling, All: true, Token: token, Reason: one.Reason}
	if _, err := db.MoveCommunityGroups(ctx, recTown, recActor(recTown), all); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale token: %v", err)
	}
	// A group not of the community is refused, and another town's community is not found.
	_, fresh, err := db.CommunityGroups(ctx, recTown, seed.CommunityDemo)
	if err != nil {
		t.Fatal(err)
	}
	foreign := registry.CommunityMove{From: seed.CommunityDemo, To: sibling, IDs: []int64{groups[0].ID}, Token: fresh,
		Reason: one.Reason}
	if _, err := db.MoveCommunityGroups(ctx, recTown, recActor(recTown), foreign); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("a group of another community: %v", err)
	}
	out := registry.CommunityMove{From: seed.CommunityDemo, To: seed.CommunityDemoRural, All: true, Token: fresh,
		Reason: one.Reason}
	if _, err := db.MoveCommunityGroups(ctx, recTown, recActor(recTown), out); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("a town moves groups into another town: %v", err)
	}
	if n := recCount(t, db, `SELECT coalesce(sum(n), 0) FROM org_counts WHERE community_code = $1`, sibling); n != beforeTo+1 {
		t.Fatalf("refused moves changed the counts: %d", n)
	}
	all.Token = fresh
	n, err := db.MoveCommunityGroups(ctx, recTown, recActor(recTown), all)
	if err != nil || n != total-1 {
		t.Fatalf("moved %d of %d: %v", n, total-1, err)
	}
	if left := recCount(t, db, `SELECT count(*) FROM organizations WHERE community_code = $1`, seed.CommunityDemo); left != 0 {
		t.Fatalf("%d groups left behind", left)
	}
	if ev := recCount(t, db, `SELECT count(*) FROM org_events WHERE kind = 'transferred' AND reason = $1`, one.Reason); ev != total {
		t.Fatalf("%d transferred events for %d groups", ev, total)
	}
	assertOrgCountsEqualRecount(t, db, "moving the whole community")
}

// closeOpenCases decides every open case of the groups of community, as its clerks would: filings and
// applications returned or refused, 重大活动报告 withdrawn.
func closeOpenCases(t *testing.T, db *postgres.DB, community string) {
	t.Helper()
	for _, q := range []string{
		`UPDATE filings SET status = 'returned', return_reason = '测试：办结', decided_at = now()
			WHERE status = 'submitted' AND coalesce(org_id, guided_org_id) IN (SELECT id FROM organizations WHERE community_code = $1)`,
		`UPDATE applications SET status = 'rejected', reject_reason = '测试：办结', decided_at = now()
			WHERE status IN ('submitted', 'accepted', 'correction') AND org_id IN (SELECT id FROM organizations WHERE community_code = $1)`,
		`UPDATE major_activities SET status = 'withdrawn'
			WHERE status IN ('submitted', 'changes_requested') AND org_id IN (SELECT id FROM organizations WHERE community_code = $1)`,
	} {
		if _, err := db.Pool.Exec(context.Background(), q, community); err != nil {
			t.Fatal(err)
		}
	}
}
