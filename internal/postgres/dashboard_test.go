package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// A 工作台 read at once holds exactly what its separate reads hold, at every tier, with what falls due at the
// district's own periods (not the defaults); a division outside the scope is not found.
func TestDashboardIsTheSeparateReads(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	actor := portal.Actor{Username: "test", Tier: portal.TierDistrict, Division: seed.DistrictCode, IP: "local"}
	if err := db.SetDeadlineSettings(ctx, district, actor, registry.DeadlineSettings{ReviewDays: 3, ReportGraceDays: 2}, 0); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	scopes := []portal.Scope{district, {Tier: portal.TierTown, Division: seed.TownShuanglonghu},
		{Tier: portal.TierCommunity, Division: seed.CommunityDemo}}
	var due int
	for _, scope := range scopes {
		want := registry.DueWant{Applications: true, Filings: true, NoticeReviews: true, NoticeChanges: true,
			WorkReports: true, Evaluations: true, DivisionCounts: scope.Tier != portal.TierCommunity}
		got, err := db.Dashboard(ctx, scope, scope.Division, want, now)
		if err != nil {
			t.Fatal(err)
		}
		var apart registry.Dashboard
		if apart.Division, err = db.Division(ctx, scope, scope.Division); err != nil {
			t.Fatal(err)
		}
		if apart.Children, err = db.OpenChildDivisions(ctx, scope, scope.Division); err != nil {
			t.Fatal(err)
		}
		if apart.Figures, err = db.Figures(ctx, scope); err != nil {
			t.Fatal(err)
		}
		if apart.Orgs, err = db.OrgTotals(ctx, scope); err != nil {
			t.Fatal(err)
		}
		if apart.Work, err = db.WorkWaiting(ctx, scope, now); err != nil {
			t.Fatal(err)
		}
		set, err := db.DeadlineSettings(ctx, scope)
		if err != nil || set.ReviewDays != 3 {
			t.Fatalf("settings %+v %v", set, err)
		}
		if apart.Due, err = db.DueWork(ctx, scope, want, set, now); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, apart) {
			t.Errorf("%s %s: at once\n%+v\napart\n%+v", scope.Tier, scope.Division, got, apart)
		}
		if got.Division.Code != scope.Division || got.Orgs.Live == 0 {
			t.Errorf("%s: division %q with %d live groups", scope.Division, got.Division.Code, got.Orgs.Live)
		}
		for _, it := range got.Due {
			if it.Kind == registry.DueApplication || it.Kind == registry.DueFiling {
				due++
			}
		}
	}
	if due == 0 {
		t.Error("no application or filing fell due on any 工作台: the review periods went untested")
	}
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	if _, err := db.Dashboard(ctx, town, seed.DistrictCode, registry.DueWant{}, now); !errors.Is(err, portal.ErrNotFound) {
		t.Errorf("a town read the district's 工作台: %v", err)
	}
}
