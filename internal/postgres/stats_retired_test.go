package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// groupInNewCommunity adds a community to 双龙湖 and moves a live group of the town into it.
func groupInNewCommunity(t *testing.T, db *postgres.DB, actor portal.Actor) (string, int64) {
	t.Helper()
	code := addEmptyCommunity(t, db, actor)
	org := liveGroupOfTown(t, db)
	if _, err := db.Pool.Exec(context.Background(), `UPDATE organizations SET community_code = $1 WHERE id = $2`, code, org); err != nil {
		t.Fatal(err)
	}
	return code, org
}

// A community retired in 区划管理 leaves the per-community tables and rankings of its town's and the district's
// statistics (and so the 考核 ranking, built from them), while its past rows stay in the trends (and in its
// town's row of retired communities) and its own page still shows its history.
func TestRetiredCommunityLeavesTheStatistics(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	actor := accountOf(t, db, "demo-district")
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	// A group that lived there and was dissolved: the community has a past but no live group.
	code, org := groupInNewCommunity(t, db, actor)
	// The snapshot of a past month, taken while the group lived there: history.
	month := time.Date(time.Now().Year()-1, 12, 1, 0, 0, 0, 0, time.UTC)
	if err := db.TakeStatSnapshot(ctx, month); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET status = 'dissolved', status_on = current_date WHERE id = $1`, org); err != nil {
		t.Fatal(err)
	}
	year := registry.StatPeriod{Year: time.Now().In(portal.Beijing).Year()}
	read := func(scope portal.Scope, division string) registry.Stats {
		t.Helper()
		s, err := db.Stats(ctx, scope, registry.StatQuery{Division: division, Period: year})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	has := func(s registry.Stats) (child, community bool) {
		for _, c := range s.Children {
			child = child || c.Code == code
		}
		for _, c := range s.Communities {
			community = community || c.Code == code
		}
		return child, community
	}
	pastLive := func(s registry.Stats) int64 {
		for _, q := range s.Trends.Quarters {
			if q.Period.Year == month.Year() && q.Period.Quarter == 4 {
				return q.Live
			}
		}
		t.Fatal("no trend row for the past quarter")
		return 0
	}

	before := read(town, seed.TownShuanglonghu)
	if child, community := has(before); !child || !community {
		t.Fatalf("before retiring, the town's page lists the community: row %v, community %v", child, community)
	}
	if _, community := has(read(districtScope, seed.DistrictCode)); !community {
		t.Fatal("before retiring, the district's communities include it")
	}

	c, err := db.Community(ctx, districtScope, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RetireCommunity(ctx, districtScope, actor, code, c.Version); err != nil {
		t.Fatal(err)
	}

	after := read(town, seed.TownShuanglonghu)
	if child, community := has(after); child || community {
		t.Fatalf("a retired community is still on its town's page: row %v, community %v", child, community)
	}
	// Its past is one row of the town's retired communities (TestRetiredCommunityStaysInItsTownsTotal), not a
	// community of the ranking.
	ranked := 0
	for _, c := range after.Children {
		if !c.Retired {
			ranked++
		}
	}
	if ranked != len(before.Children)-1 || after.Total.Communities != before.Total.Communities-1 {
		t.Fatalf("the town ranks %d communities (%d counted), before %d (%d)", ranked,
			after.Total.Communities, len(before.Children), before.Total.Communities)
	}
	if _, community := has(read(districtScope, seed.DistrictCode)); community {
		t.Fatal("a retired community is still among the district's communities")
	}
	// Its past stays: the town's trend for the past quarter is what it was, and the community's own page answers.
	if pastLive(after) != pastLive(before) {
		t.Fatalf("the past quarter's live groups moved from %d to %d on retiring", pastLive(before), pastLive(after))
	}
	own := read(town, code)
	if own.Division.Code != code || pastLive(own) != 1 {
		t.Fatalf("the retired community's own page: %s, past live %d, want 1", own.Division.Code, pastLive(own))
	}
}

// A retired community's past is still its town's history: the activity reported there before it was retired and
// the groups dissolved there count in the town's 合计 on the town's own page exactly as in the town's row on the
// district's page, and the town's page shows them as one row of their own rather than dropping them.
func TestRetiredCommunityStaysInItsTownsTotal(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	actor := accountOf(t, db, "demo-district")
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	code, org := groupInNewCommunity(t, db, actor)
	here := portal.Scope{Tier: portal.TierCommunity, Division: code}
	if _, err := db.CreateActivityReport(ctx, here, repActor, repInput(org, time.Now().In(portal.Beijing)), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET status = 'dissolved', status_on = current_date WHERE id = $1`, org); err != nil {
		t.Fatal(err)
	}
	c, err := db.Community(ctx, districtScope, code)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RetireCommunity(ctx, districtScope, actor, code, c.Version); err != nil {
		t.Fatal(err)
	}
	year := registry.StatPeriod{Year: time.Now().In(portal.Beijing).Year()}
	for _, area := range []registry.StatArea{registry.AreaAll, registry.AreaUrban} {
		d, err := db.Stats(ctx, districtScope, registry.StatQuery{Division: seed.DistrictCode, Period: year, Area: area})
		if err != nil {
			t.Fatal(err)
		}
		var row registry.StatChild
		for _, c := range d.Children {
			if c.Code == seed.TownShuanglonghu {
				row = c
			}
		}
		for _, s := range []portal.Scope{town, districtScope} {
			own, err := db.Stats(ctx, s, registry.StatQuery{Division: seed.TownShuanglonghu, Period: year, Area: area})
			if err != nil {
				t.Fatal(err)
			}
			if own.Total.Activity != row.Activity || own.Total.Ended != row.Ended || own.Total.Live != row.Live {
				t.Errorf("%s %s: the town's 合计 has %+v, %d ended, %d live; its row on the district's page %+v, %d ended, %d live",
					s.Tier, area, own.Total.Activity, own.Total.Ended, own.Total.Live, row.Activity, row.Ended, row.Live)
			}
			var retired *registry.StatChild
			for i, c := range own.Children {
				if c.Retired {
					retired = &own.Children[i]
				}
			}
			if retired == nil || retired.Activity.Reports != 1 || retired.Ended != 1 || retired.Live != 0 || len(retired.FieldsMissing) != 0 {
				t.Errorf("%s %s: the retired communities' row: %+v", s.Tier, area, retired)
			}
			for _, f := range own.Fields {
				if f.Without > len(own.Children)-1 {
					t.Errorf("%s: %d of %d communities lack %s: the retired row counts as one", area, f.Without, len(own.Children)-1, f.Label)
				}
			}
		}
	}
}
