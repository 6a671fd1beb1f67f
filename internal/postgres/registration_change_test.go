package postgres_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// regOrg is a live registered group of 双龙湖街道 and the edit input that keeps everything of it.
func regOrg(t *testing.T, db *postgres.DB, tier string) (registry.Organization, registry.OrgInput) {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE tier = $1 AND status = 'normal'
		AND left(community_code, 9) = $2 ORDER BY id LIMIT 1`, tier, seed.TownShuanglonghu).Scan(&id); err != nil {
		t.Fatal(err)
	}
	o, err := db.Organization(ctx, recDistrict, id)
	if err != nil {
		t.Fatal(err)
	}
	return o, registry.OrgInput{CommunityCode: o.CommunityCode, Tier: o.Tier, LegalForm: o.LegalForm,
		NameParts: o.NameParts, USCC: o.USCC, Fields: o.Fields, Nature: o.Nature, Beneficiaries: o.Beneficiaries,
		FoundedOn: o.FoundedOn, LeaderName: o.LeaderName, Venue: o.Venue, Charter: o.Charter, Members: o.Members,
		Volunteers: o.Volunteers, Funding: o.Funding, GuideUnit: o.GuideUnit, PartyStatus: o.PartyStatus,
		PartyMembers: o.PartyMembers, Incubation: o.Incubation, PublishContact: o.PublishContact}
}

// A town edits what it keeps of a registered group (its venue), but its name and leader only move by the
// district's 变更登记: the edit is refused and nothing is written.
func TestTownEditLeavesRegisteredParticulars(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	o, in := regOrg(t, db, "registered")
	for what, edit := range map[string]func(*registry.OrgInput){
		"字号":      func(i *registry.OrgInput) { i.NameParts.Zihao = "新改" },
		"负责人":     func(i *registry.OrgInput) { i.LeaderName = "赵新" },
		"负责人身份证号": func(i *registry.OrgInput) { i.LeaderID = rules.MakeIDNumber("50011219700101123") },
	} {
		e := in
		edit(&e)
		if _, err := db.UpdateOrganization(ctx, recTown, recActor(recTown), o.ID, o.Version, e); !errors.Is(err, registry.ErrRegisteredParticular) {
			t.Errorf("town changing a registered group's %s: %v, want ErrRegisteredParticular", what, err)
		}
	}
	if got, _ := db.Organization(ctx, recTown, o.ID); got.Version != o.Version || got.Name != o.Name {
		t.Fatal("a refused edit was written")
	}
	e := in
	e.Venue = o.Venue + "二楼"
	if changed, err := db.UpdateOrganization(ctx, recTown, recActor(recTown), o.ID, o.Version, e); err != nil || len(changed) != 1 {
		t.Fatalf("town changing the venue: %v %v", changed, err)
	}
}

func TestChangeRegistration(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	o, _ := regOrg(t, db, "registered")
	c := registry.RegistrationChange{LegalForm: o.LegalForm, NameParts: o.NameParts, USCC: o.USCC,
		LeaderName: "赵新", Reason: "理事会改选，渝北民社变〔2021〕3号"}
	c.NameParts.Zihao = "新雅"
	if _, err := db.ChangeRegistration(ctx, recTown, recActor(recTown), o.ID, o.Version, c); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("a town's 变更登记: %v, want ErrNotAllow", err)
	}
	if _, err := db.ChangeRegistration(ctx, recDistrict, recActor(recDistrict), o.ID, o.Version-1, c); !errors.Is(err, portal.ErrConflict) {
		t.Errorf("a stale version: %v, want ErrConflict", err)
	}
	filed, _ := regOrg(t, db, "filed")
	if _, err := db.ChangeRegistration(ctx, recDistrict, recActor(recDistrict), filed.ID, filed.Version, c); !errors.Is(err, portal.ErrNotAllow) {
		t.Errorf("变更登记 of a filed group: %v, want ErrNotAllow", err)
	}
	var otherUSCC string
	if err := db.Pool.QueryRow(ctx, `SELECT uscc FROM organizations WHERE uscc IS NOT NULL AND id <> $1 LIMIT 1`, o.ID).Scan(&otherUSCC); err != nil {
		t.Fatal(err)
	}
	taken := c
	taken.USCC = otherUSCC
	if _, err := db.ChangeRegistration(ctx, recDistrict, recActor(recDistrict), o.ID, o.Version, taken); !errors.Is(err, registry.ErrUSCCTaken) {
		t.Errorf("another group's code: %v, want ErrUSCCTaken", err)
	}
	if n := recCount(t, db, `SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = 'registration_changed'`, o.ID); n != 0 {
		t.Fatalf("refused changes wrote %d timeline rows", n)
	}

	changed, err := db.ChangeRegistration(ctx, recDistrict, recActor(recDistrict), o.ID, o.Version, c)
	if err != nil || len(changed) != 2 || changed[0] != "名称" || changed[1] != "负责人" {
		t.Fatalf("变更登记: %v %v", changed, err)
	}
	got, _ := db.Organization(ctx, recDistrict, o.ID)
	want := rules.ComposeName(c.NameParts)
	if got.Name != want || got.LeaderName != "赵新" || got.Version != o.Version+1 || got.USCC != o.USCC {
		t.Errorf("after 变更登记: %q %q v%d", got.Name, got.LeaderName, got.Version)
	}
	ev, err := db.OrgEvents(ctx, recDistrict, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := ev[len(ev)-1]
	if last.Kind != "registration_changed" || last.To != "名称、负责人" || last.Reason != c.Reason {
		t.Errorf("timeline row %+v", last)
	}
	if n := recCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'org.change_registration' AND object_id = $1`, strconv.FormatInt(o.ID, 10)); n != 1 {
		t.Errorf("%d audit rows", n)
	}
	// The same particulars again change nothing and write nothing.
	if changed, err := db.ChangeRegistration(ctx, recDistrict, recActor(recDistrict), o.ID, got.Version, c); err != nil || len(changed) != 0 {
		t.Errorf("unchanged 变更登记: %v %v", changed, err)
	}
}
