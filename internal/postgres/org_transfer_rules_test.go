package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// A group with a case still open where it is does not move: the transfer is refused naming the case, and
// nothing is written (version, community, timeline); once the case is decided, it moves. The demo's open
// 登记申请 and 重大活动报告 refuse the same way.
func TestTransferWaitsForOpenCases(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	orgID, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), recGuided(t, db, "待办"))
	if err != nil {
		t.Fatal(err)
	}
	in := establishInput("待办")
	in.GuidedOrgID, in.GuidedVersion = orgID, 1
	filingID, err := db.CreateFiling(ctx, filingTownA, filingActor, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := registry.Transfer{To: seed.CommunityDemoRural, Reason: "搬迁"}
	var oc *registry.OpenCaseError
	err = db.TransferOrg(ctx, recDistrict, recActor(recDistrict), orgID, 1, tr)
	if !errors.As(err, &oc) || oc.Case.Kind != "filing:establish" || oc.Case.ID != filingID || !errors.Is(err, registry.ErrOpenCase) {
		t.Fatalf("transfer with an open 成立备案: %v", err)
	}
	if o, err := db.Organization(ctx, recDistrict, orgID); err != nil || o.Version != 1 || o.CommunityCode != seed.CommunityDemo {
		t.Fatalf("a refused transfer wrote: %+v %v", o, err)
	}
	if n := recCount(t, db, `SELECT count(*) FROM org_events WHERE org_id = $1 AND kind IN ('transferred', 'renamed')`, orgID); n != 0 {
		t.Fatalf("a refused transfer left %d events", n)
	}
	// Within the town too: the case's community would no longer be the group's.
	tr.To = siblingCommunity(t, db)
	if err := db.TransferOrg(ctx, recTown, recActor(recTown), orgID, 1, tr); !errors.Is(err, registry.ErrOpenCase) {
		t.Fatalf("a move inside the town with an open case: %v", err)
	}
	f, err := db.Filing(ctx, filingTownA, filingID)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReturnFiling(ctx, filingTownA, filingActor, filingID, f.Version, "材料不全"); err != nil {
		t.Fatal(err)
	}
	tr.To = seed.CommunityDemoRural
	if err := db.TransferOrg(ctx, recDistrict, recActor(recDistrict), orgID, 1, tr); err != nil {
		t.Fatalf("after the case was decided: %v", err)
	}

	// The demo's open cases of the other kinds.
	for kind, q := range map[string]string{
		"application": `SELECT a.org_id, o.version FROM applications a JOIN organizations o ON o.id = a.org_id
			WHERE a.status IN ('submitted', 'accepted', 'correction') ORDER BY a.id LIMIT 1`,
		"major_activity": `SELECT m.org_id, o.version FROM major_activities m JOIN organizations o ON o.id = m.org_id
			WHERE m.status IN ('submitted', 'changes_requested') ORDER BY m.id LIMIT 1`,
	} {
		var id int64
		var version int
		if err := db.Pool.QueryRow(ctx, q).Scan(&id, &version); err != nil {
			t.Fatalf("%s: no open demo case: %v", kind, err)
		}
		o, err := db.Organization(ctx, recDistrict, id)
		if err != nil {
			t.Fatal(err)
		}
		to := seed.CommunityDemoRural
		if o.CommunityCode == to {
			to = seed.CommunityDemo
		}
		// the group may have cases of several kinds; the message names one, by its group
		err = db.TransferOrg(ctx, recDistrict, recActor(recDistrict), id, version, registry.Transfer{To: to, Reason: "搬迁"})
		if !errors.As(err, &oc) || oc.Case.OrgName != o.Name {
			t.Fatalf("%s: transfer of %s with an open case: %v", kind, o.Name, err)
		}
	}
}

// A guided or filed group named by the naming rules takes the new community's name (and the new town's in its
// 行政区划) on a transfer, with a "renamed" row keeping the old name; a registered group keeps its name; a new
// name another live group holds refuses the transfer and writes nothing.
func TestTransferRenamesGroupsNamedAfterTheirCommunity(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	guided := recGuided(t, db, "迁名")
	orgID, err := db.CreateOrganization(ctx, recCommunity, recActor(recCommunity), guided)
	if err != nil {
		t.Fatal(err)
	}
	var ruralTown, ruralName string
	if err := db.Pool.QueryRow(ctx, `SELECT t.name, c.name FROM divisions c JOIN divisions t ON t.code = c.parent_code
		WHERE c.code = $1`, seed.CommunityDemoRural).Scan(&ruralTown, &ruralName); err != nil {
		t.Fatal(err)
	}
	oldName := guided.NameParts.Prefix + guided.NameParts.Community + "迁名舞蹈队"
	newName := "渝北区" + ruralTown + ruralName + "迁名舞蹈队"

	// Another live group already holds the new name: refused, nothing written.
	if _, err := db.Pool.Exec(ctx, `INSERT INTO organizations (district_code, town_code, community_code, tier,
		legal_form, name, status) VALUES ($1, left($2, 9), $2, 'guided', '未登记团体', $3, 'normal')`,
		seed.DistrictCode, seed.CommunityDemoRural, newName); err != nil {
		t.Fatal(err)
	}
	tr := registry.Transfer{To: seed.CommunityDemoRural, Reason: "活动场所迁至统景镇"}
	if err := db.TransferOrg(ctx, recDistrict, recActor(recDistrict), orgID, 1, tr); !errors.Is(err, registry.ErrNameTaken) {
		t.Fatalf("transfer onto a name in use: %v", err)
	}
	if o, _ := db.Organization(ctx, recDistrict, orgID); o.Name != oldName || o.Version != 1 {
		t.Fatalf("a refused transfer renamed: %q v%d", o.Name, o.Version)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET status = 'dissolved', status_on = current_date WHERE name = $1 AND id <> $2`, newName, orgID); err != nil {
		t.Fatal(err)
	}

	if err := db.TransferOrg(ctx, recDistrict, recActor(recDistrict), orgID, 1, tr); err != nil {
		t.Fatal(err)
	}
	o, err := db.Organization(ctx, recDistrict, orgID)
	if err != nil || o.Name != newName || o.NameParts.Community != ruralName || o.NameParts.Prefix != "渝北区"+ruralTown || o.Version != 2 {
		t.Fatalf("after the transfer: %q %+v v%d %v", o.Name, o.NameParts, o.Version, err)
	}
	var from, to string
	if err := db.Pool.QueryRow(ctx, `SELECT from_value, to_value FROM org_events WHERE org_id = $1 AND kind = 'renamed'`,
		orgID).Scan(&from, &to); err != nil || from != oldName || to != newName {
		t.Fatalf("renamed event %q → %q: %v", from, to, err)
	}

	// A registered group keeps its name.
	var regID int64
	var regName string
	var regVersion int
	if err := db.Pool.QueryRow(ctx, `SELECT id, name, version FROM organizations WHERE tier = 'registered'
		AND status = 'normal' AND community_code = $1 ORDER BY id LIMIT 1`, seed.CommunityDemo).Scan(&regID, &regName, &regVersion); err != nil {
		t.Fatal(err)
	}
	closeOpenCases(t, db, seed.CommunityDemo)
	if err := db.TransferOrg(ctx, recTown, recActor(recTown), regID, regVersion,
		registry.Transfer{To: siblingCommunity(t, db), Reason: "调整"}); err != nil {
		t.Fatal(err)
	}
	if o, _ := db.Organization(ctx, recTown, regID); o.Name != regName {
		t.Fatalf("a registered group was renamed %q → %q", regName, o.Name)
	}
	if n := recCount(t, db, `SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = 'renamed'`, regID); n != 0 {
		t.Fatalf("a registered group has %d renamed events", n)
	}
	assertOrgCountsEqualRecount(t, db, "renaming transfers")
}

// The demo shows both moves on a timeline: a guided group filed on its own record and a transfer with its
// rename (seed.LoadDemoOrgMoves).
func TestDemoShowsAGuidedFilingAndATransfer(t *testing.T) {
	db := testdb.New(t)
	if n := recCount(t, db, `SELECT count(*) FROM org_events e JOIN filings f ON f.guided_org_id = e.org_id
		AND f.status = 'approved' AND f.org_id = e.org_id WHERE e.kind = 'tier_changed'`); n < 1 {
		t.Error("no demo group filed on its guided record")
	}
	if n := recCount(t, db, `SELECT count(*) FROM org_events t JOIN org_events r ON r.org_id = t.org_id
		AND r.kind = 'renamed' WHERE t.kind = 'transferred'`); n < 1 {
		t.Error("no demo transfer with its rename")
	}
}
