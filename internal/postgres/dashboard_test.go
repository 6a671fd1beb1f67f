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

// A 工作台's counts, whose statements keep their plans (each written with its scope's range of codes or its
// tier's column), equal a recount of the same rows by the prefix of the scope's code, at every tier: its
// figures, its open work and its groups' kept counts.
func TestDashboardCountsEqualARecount(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	// A failed sign-in today inside the town, which its figures and the district's count.
	if err := db.Audit(ctx, portal.AuditEntry{Actor: portal.Actor{Username: "nobody", Tier: portal.TierCommunity,
		Division: seed.CommunityDemo, IP: "local"}, Action: "login.failed", Result: portal.ResultFailed}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, scope := range []portal.Scope{{Tier: portal.TierDistrict, Division: seed.DistrictCode}, town,
		{Tier: portal.TierTown, Division: seed.TownTongjing}, {Tier: portal.TierCommunity, Division: seed.CommunityDemo}} {
		got, err := db.Dashboard(ctx, scope, scope.Division, registry.DueWant{}, now)
		if err != nil {
			t.Fatal(err)
		}
		var f registry.DivisionFigures
		if err := db.Pool.QueryRow(ctx, `
			SELECT
				(SELECT count(*) FROM divisions WHERE level = 'town' AND starts_with(code, $1)),
				(SELECT count(*) FROM divisions WHERE level = 'community' AND NOT rural AND retired_at IS NULL AND starts_with(code, $1)),
				(SELECT count(*) FROM divisions WHERE level = 'community' AND rural AND retired_at IS NULL AND starts_with(code, $1)),
				(SELECT count(*) FROM accounts WHERE starts_with(division_code, $1) AND tier = ANY($2)),
				(SELECT count(*) FROM accounts WHERE starts_with(division_code, $1) AND tier = ANY($2) AND disabled),
				(SELECT count(*) FROM accounts WHERE starts_with(division_code, $1) AND tier = ANY($2) AND locked_until > now()),
				(SELECT count(*) FROM divisions d WHERE d.parent_code = $1 AND d.retired_at IS NULL
					AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.division_code = d.code AND NOT a.disabled)),
				(SELECT count(*) FROM audit_log WHERE action = 'login.failed' AND starts_with(actor_division, $1)
					AND at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`,
			scope.Division, scope.ManagedTiers()).Scan(&f.Towns, &f.UrbanCommunities, &f.RuralCommunities, &f.Accounts,
			&f.DisabledAccounts, &f.LockedAccounts, &f.DivisionsNoAcct, &f.FailedLoginsToday); err != nil {
			t.Fatal(err)
		}
		if got.Figures != f {
			t.Errorf("%v: figures %+v, a recount %+v", scope, got.Figures, f)
		}
		if scope.Tier == portal.TierDistrict && (f.Towns == 0 || f.Accounts == 0 || f.RuralCommunities == 0) {
			t.Errorf("the demo data has figures of zero: the recount proves nothing: %+v", f)
		}
		if scope.Division != seed.TownTongjing && f.FailedLoginsToday != 1 {
			t.Errorf("%v: %d failed sign-ins today, want the one inside it", scope, f.FailedLoginsToday)
		}
		var w registry.WorkWaiting
		if err := db.Pool.QueryRow(ctx, `
			SELECT
				(SELECT count(*) FROM applications WHERE status = 'submitted' AND starts_with(community_code, $1)),
				(SELECT count(*) FROM applications WHERE status = 'accepted' AND starts_with(community_code, $1)),
				(SELECT count(*) FROM applications WHERE status = 'correction' AND starts_with(community_code, $1)),
				(SELECT count(*) FROM filings WHERE status = 'submitted' AND starts_with(community_code, $1)),
				(SELECT count(*) FROM major_activities WHERE status = 'submitted' AND starts_with(community_code, $1)),
				(SELECT count(*) FROM major_activities WHERE status = 'submitted' AND starts_with(community_code, $1)
					AND starts_at < $2::timestamptz + interval '72 hours'),
				(SELECT count(*) FROM major_activities WHERE status = 'changes_requested' AND starts_with(community_code, $1))`,
			scope.Division, now).Scan(&w.ApplicationsSubmitted, &w.ApplicationsAccepted, &w.ApplicationsCorrection,
			&w.FilingsSubmitted, &w.NoticesWaiting, &w.NoticesUrgent, &w.NoticesChanges); err != nil {
			t.Fatal(err)
		}
		if got.Work != w {
			t.Errorf("%v: open work %+v, a recount %+v", scope, got.Work, w)
		}
		if scope.Tier == portal.TierDistrict && w.ApplicationsSubmitted+w.FilingsSubmitted+w.NoticesWaiting == 0 {
			t.Errorf("the demo data has no open work: the recount proves nothing")
		}
		want := registry.OrgTotals{ByTier: map[string]int{}, ByChild: map[string]int{}}
		rows, err := db.Pool.Query(ctx, `SELECT left(community_code, $2), tier, status, count(*)::int FROM organizations
			WHERE starts_with(community_code, $1) GROUP BY 1, 2, 3`, scope.Division, len(scope.Division)+3)
		if err != nil {
			t.Fatal(err)
		}
		var child, tier, status string
		var n int
		for rows.Next() {
			if err := rows.Scan(&child, &tier, &status, &n); err != nil {
				t.Fatal(err)
			}
			if status != "normal" && status != "abnormal" {
				want.Ended += n
				continue
			}
			want.Live, want.ByTier[tier], want.ByChild[child] = want.Live+n, want.ByTier[tier]+n, want.ByChild[child]+n
			if status == "abnormal" {
				want.Abnormal += n
			}
		}
		if rows.Err() != nil {
			t.Fatal(rows.Err())
		}
		if !reflect.DeepEqual(got.Orgs, want) || want.Live == 0 {
			t.Errorf("%v: groups %+v, a recount %+v", scope, got.Orgs, want)
		}
	}
}
