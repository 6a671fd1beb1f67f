package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// A committee publishes a 收支情况 for its guided group and corrects it: the old revision stays, superseded,
// and the public reads both; a stale or second correction writes nothing; a tier that does not publish for a
// group, or a group outside the scope, is refused.
func TestDisclosurePublishCorrectAndWhoMay(t *testing.T) {
	ctx := context.Background()
	db := testdb.New(t)
	orgOf := func(community, tier string) int64 {
		var id int64
		if err := db.Pool.QueryRow(ctx, `SELECT max(id) FROM organizations WHERE community_code = $1 AND tier = $2
			AND status = 'normal'`, community, tier).Scan(&id); err != nil || id == 0 {
			t.Fatalf("no %s group in %s: %v", tier, community, err)
		}
		return id
	}
	guided := orgOf(seed.CommunityDemo, "guided")
	filed := orgOf(seed.CommunityDemo, "filed")
	in := registry.DisclosureInput{Kind: registry.DisclosureFinance, Title: "2025年度收支情况",
		DisclosedOn: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC),
		Lines: []registry.DisclosureLine{{Side: registry.SideIncome, Category: "会费", Amount: 120000},
			{Side: registry.SideSpending, Category: "活动支出", Amount: 80050}}}
	before := countRows(t, db, "SELECT count(*) FROM org_disclosures")
	id, err := db.PublishDisclosure(ctx, noticeCommunity, trainingClerk, guided, in)
	if err != nil {
		t.Fatal(err)
	}
	// Who may: a committee not for a filed group, a town not for a guided one, nobody outside its scope.
	if _, err := db.PublishDisclosure(ctx, noticeCommunity, trainingClerk, filed, in); !errors.Is(err, registry.ErrMayNotDisclose) {
		t.Fatalf("committee for a filed group: %v", err)
	}
	if _, err := db.PublishDisclosure(ctx, noticeTown, trainingClerk, guided, in); !errors.Is(err, registry.ErrMayNotDisclose) {
		t.Fatalf("town for a guided group: %v", err)
	}
	if _, err := db.PublishDisclosure(ctx, noticeCommunity2, trainingClerk, guided, in); !errors.Is(err, portal.ErrNotFound) {
		t.Fatalf("another community's group: %v", err)
	}
	if _, err := db.PublishDisclosure(ctx, noticeDistrict, trainingClerk, guided, in); !errors.Is(err, portal.ErrNotAllow) {
		t.Fatalf("the district: %v", err)
	}
	if _, err := db.PublishDisclosure(ctx, noticeTown, trainingClerk, filed, in); err != nil {
		t.Fatalf("town for its filed group: %v", err)
	}
	if n := countRows(t, db, "SELECT count(*) FROM org_disclosures"); n != before+2 {
		t.Fatalf("%d disclosures written, want 2", n-before)
	}

	d, err := db.Disclosure(ctx, noticeCommunity, id)
	if err != nil {
		t.Fatal(err)
	}
	fixed := in
	fixed.Lines = []registry.DisclosureLine{in.Lines[0], {Side: registry.SideSpending, Category: "活动支出", Amount: 112050}}
	if _, err := db.CorrectDisclosure(ctx, noticeCommunity, trainingClerk, id, d.Version+1, "漏记", fixed); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("stale version: %v", err)
	}
	newID, err := db.CorrectDisclosure(ctx, noticeCommunity, trainingClerk, id, d.Version, "活动支出漏记一笔", fixed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CorrectDisclosure(ctx, noticeCommunity, trainingClerk, id, d.Version, "again", fixed); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("correcting a superseded revision: %v", err)
	}
	public := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	list, err := db.OrgDisclosures(ctx, public, guided)
	if err != nil {
		t.Fatal(err)
	}
	var cur, old *registry.Disclosure
	for i := range list {
		switch list[i].ID {
		case newID:
			cur = &list[i]
		case id:
			old = &list[i]
		}
	}
	if cur == nil || old == nil {
		t.Fatalf("public read lacks a revision: %+v", list)
	}
	if !cur.Current() || old.Current() || cur.No != old.No || cur.Revision != 2 || cur.CorrectionReason != "活动支出漏记一笔" {
		t.Fatalf("chain: current %+v, old %+v", cur, old)
	}
	if _, out := cur.Totals(); out != 112050 {
		t.Fatalf("corrected spending %d", out)
	}
	if _, out := old.Totals(); out != 80050 {
		t.Fatalf("superseded spending changed to %d", out)
	}
	var audited int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('disclosure.publish', 'disclosure.correct')`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 3 {
		t.Fatalf("%d audit rows, want 3", audited)
	}
}
