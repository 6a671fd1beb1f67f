package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// A community retired in 区划管理 leaves the per-community tables and rankings of its town's and the district's
// statistics (and so the 考核 ranking, built from them), while its past rows stay in the trends and its own page
// still shows its history.
func TestRetiredCommunityLeavesTheStatistics(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	actor := accountOf(t, db, "demo-district")
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	code := addEmptyCommunity(t, db, actor)
	// A group that lived there and was dissolved: the community has a past but no live group.
	org := liveGroupOfTown(t, db)
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET community_code = $1 WHERE id = $2`, code, org); err != nil {
		t.Fatal(err)
	}
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
	if len(after.Children) != len(before.Children)-1 || after.Total.Communities != before.Total.Communities-1 {
		t.Fatalf("the town ranks %d communities (%d counted), before %d (%d)", len(after.Children),
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
