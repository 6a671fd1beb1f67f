package postgres_test

import (
	"context"
	"errors"
	"github.com/jackc/pgx/v5"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// A district's page counts each town as that town's own page does, a town's page is the sum of its communities'
// pages and counts what a recount of the base tables counts, and nothing outside the scope is reachable.
func TestStatsAddUpAcrossLevels(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	period := registry.StatPeriod{Year: 2021}
	var year int
	if err := db.Pool.QueryRow(ctx, `SELECT extract(year FROM activity_date)::int FROM activity_reports
		WHERE town_code = $1 AND superseded_at IS NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
		seed.TownShuanglonghu).Scan(&year); err != nil {
		t.Fatal(err)
	}
	period.Year = year

	for _, area := range []registry.StatArea{registry.AreaAll, registry.AreaUrban, registry.AreaRural} {
		ds, err := db.Stats(ctx, district, registry.StatQuery{Division: seed.DistrictCode, Period: period, Area: area})
		if err != nil {
			t.Fatal(err)
		}
		if len(ds.Children) != 30 {
			t.Fatalf("district ranks %d towns, want 30", len(ds.Children))
		}
		ts, err := db.Stats(ctx, town, registry.StatQuery{Division: seed.TownShuanglonghu, Period: period, Area: area})
		if err != nil {
			t.Fatal(err)
		}
		var row registry.StatChild
		for _, c := range ds.Children {
			if c.Code == seed.TownShuanglonghu {
				row = c
			}
		}
		ts.Total.Code, ts.Total.Name, ts.Total.FieldsMissing = row.Code, row.Name, row.FieldsMissing
		if row.Live != ts.Total.Live || row.Activity != ts.Total.Activity || row.Communities != ts.Total.Communities ||
			row.MeetTarget != ts.Total.MeetTarget || row.PartyCovered != ts.Total.PartyCovered || row.Ended != ts.Total.Ended {
			t.Fatalf("area %q: the district's row for the town %+v differs from the town's total %+v", area, row, ts.Total)
		}
		// The town's total is the sum of its communities' own pages.
		var sum registry.StatChild
		for _, c := range ts.Children {
			cs, err := db.Stats(ctx, town, registry.StatQuery{Division: c.Code, Period: period, Area: area})
			if err != nil {
				t.Fatal(err)
			}
			sum.Live += cs.Total.Live
			sum.PartyCovered += cs.Total.PartyCovered
			sum.Activity.Add(cs.Total.Activity)
			if len(cs.Trail) != 2 || cs.Trail[0].Code != seed.TownShuanglonghu || cs.Trail[1].Code != c.Code {
				t.Fatalf("a community's trail from the town: %+v", cs.Trail)
			}
		}
		if sum.Live != ts.Total.Live || sum.PartyCovered != ts.Total.PartyCovered || sum.Activity.Reports != ts.Total.Activity.Reports ||
			sum.Activity.Volunteers != ts.Total.Activity.Volunteers {
			t.Fatalf("area %q: communities add up to %+v, town total %+v", area, sum, ts.Total)
		}
		// Against the base tables.
		var live, party, reports int64
		if err := db.Pool.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM organizations o JOIN divisions v ON v.code = o.community_code
			        WHERE o.town_code = $1 AND o.status IN ('normal', 'abnormal') AND ($2 = '' OR v.rural = ($2 = 'rural'))),
			       (SELECT count(*) FROM organizations o JOIN divisions v ON v.code = o.community_code
			        WHERE o.town_code = $1 AND o.status IN ('normal', 'abnormal') AND o.party_status <> '未覆盖'
			          AND ($2 = '' OR v.rural = ($2 = 'rural'))),
			       (SELECT count(*) FROM activity_reports r JOIN divisions v ON v.code = r.community_code
			        WHERE r.town_code = $1 AND r.superseded_at IS NULL AND extract(year FROM r.activity_date) = $3
			          AND ($2 = '' OR v.rural = ($2 = 'rural')))`,
			seed.TownShuanglonghu, string(area), year).Scan(&live, &party, &reports); err != nil {
			t.Fatal(err)
		}
		if int64(ts.Total.Live) != live || int64(ts.Total.PartyCovered) != party || ts.Total.Activity.Reports != reports {
			t.Fatalf("area %q: town page %d live, %d 党建, %d reports; recount %d, %d, %d", area,
				ts.Total.Live, ts.Total.PartyCovered, ts.Total.Activity.Reports, live, party, reports)
		}
		if area == registry.AreaAll && (live == 0 || reports == 0) {
			t.Fatal("the demo town has no organizations or reports: the test proves nothing")
		}
		// Each community of the district's page (its targets and 达标 counts) against a recount of its groups.
		rows, _ := db.Pool.Query(ctx, `SELECT community_code, count(*)::int FROM organizations
			WHERE status IN ('normal', 'abnormal') GROUP BY 1`)
		recount, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct {
			Code string
			N    int
		}])
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{}
		for _, r := range recount {
			want[r.Code] = r.N
		}
		meets, withGroups := 0, 0
		for _, c := range ds.Communities {
			if c.Live != want[c.Code] {
				t.Fatalf("area %q: community %s has %d live groups on the district's page, recount %d", area, c.Code, c.Live, want[c.Code])
			}
			if c.Live > 1 {
				withGroups++
			}
			if c.Meets() {
				meets++
			}
		}
		if meets != ds.Total.MeetTarget || (area == registry.AreaAll && withGroups == 0) {
			t.Fatalf("area %q: %d communities meet their target, the total says %d (%d with groups)", area, meets, ds.Total.MeetTarget, withGroups)
		}
	}

	// A year reads the year rows and a quarter the quarter rows (0120): the four quarters add up to the year, each
	// equal to a recount, and the page's breakdowns by 主题系列, tier, 党建 and 服务领域 equal a recount too.
	ys, err := db.Stats(ctx, town, registry.StatQuery{Division: seed.TownShuanglonghu, Period: period})
	if err != nil {
		t.Fatal(err)
	}
	var quarters registry.StatActivity
	for q := 1; q <= 4; q++ {
		qs, err := db.Stats(ctx, town, registry.StatQuery{Division: seed.TownShuanglonghu,
			Period: registry.StatPeriod{Year: year, Quarter: q}})
		if err != nil {
			t.Fatal(err)
		}
		quarters.Add(qs.Total.Activity)
		var n int64
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM activity_reports WHERE town_code = $1
			AND superseded_at IS NULL AND activity_date >= make_date($2, $3 * 3 - 2, 1)
			AND activity_date < make_date($2, $3 * 3 - 2, 1) + interval '3 months'`,
			seed.TownShuanglonghu, year, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if qs.Total.Activity.Reports != n {
			t.Fatalf("%d Q%d: %d reports, recount %d", year, q, qs.Total.Activity.Reports, n)
		}
	}
	if quarters != ys.Total.Activity {
		t.Fatalf("the quarters of %d add up to %+v, the year is %+v", year, quarters, ys.Total.Activity)
	}
	got := map[string]int64{}
	for _, x := range ys.Series {
		got["series "+x.Series] = x.Reports
	}
	for _, x := range ys.ByTier {
		got["tier "+x.Label] = int64(x.N)
	}
	for _, x := range ys.ByParty {
		got["party "+x.Label] = int64(x.N)
	}
	for _, x := range ys.Fields {
		if x.Label != "" && x.N > 0 {
			got["field "+x.Label] = int64(x.N)
		}
	}
	rows, err := db.Pool.Query(ctx, `
		SELECT 'series ' || series, count(*) FROM activity_reports WHERE town_code = $1 AND superseded_at IS NULL
			AND extract(year FROM activity_date) = $2 GROUP BY 1
		UNION ALL SELECT 'tier ' || CASE tier WHEN 'guided' THEN $3 WHEN 'filed' THEN $4 ELSE $5 END, count(*)
			FROM organizations WHERE town_code = $1 AND status IN ('normal', 'abnormal') GROUP BY 1
		UNION ALL SELECT 'party ' || party_status, count(*) FROM organizations
			WHERE town_code = $1 AND status IN ('normal', 'abnormal') GROUP BY 1
		UNION ALL SELECT 'field ' || f, count(*) FROM organizations, unnest(fields) f
			WHERE town_code = $1 AND status IN ('normal', 'abnormal') GROUP BY 1`,
		seed.TownShuanglonghu, year, registry.TierGuided.Label(), registry.TierFiled.Label(), registry.TierRegistered.Label())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		want[k] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for k, n := range want {
		if got[k] != n {
			t.Fatalf("%s: the page counts %d, a recount %d", k, got[k], n)
		}
	}
	if len(want) < 8 {
		t.Fatalf("the recount found only %v: the check proves little", want)
	}

	// Another town, or a community of another town, is not found for a town officer.
	for _, code := range []string{seed.TownTongjing, seed.CommunityDemoRural, seed.DistrictCode} {
		if _, err := db.Stats(ctx, town, registry.StatQuery{Division: code, Period: period}); !errors.Is(err, portal.ErrNotFound) {
			t.Fatalf("a town officer reading %s: %v, want ErrNotFound", code, err)
		}
	}

	// A year with no reports is zeros, not an error.
	empty, err := db.Stats(ctx, district, registry.StatQuery{Division: seed.DistrictCode, Period: registry.StatPeriod{Year: 2021, Quarter: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM activity_reports WHERE activity_date < '2021-04-01' AND superseded_at IS NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if empty.Total.Activity.Reports != int64(n) {
		t.Fatalf("2021 Q1: %d reports, recount %d", empty.Total.Activity.Reports, n)
	}
}

// Targets fall through from a community to its town to the district to the default, and a change is audited.
func TestTargetsFallThroughAndAreAudited(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	actor := portal.Actor{Username: "demo-district", Tier: portal.TierDistrict, Division: seed.DistrictCode}
	q := registry.StatQuery{Division: seed.TownShuanglonghu, Period: registry.StatPeriod{Year: 2024}}
	target := func() float64 {
		t.Helper()
		s, err := db.Stats(ctx, district, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range s.Communities {
			if c.Code == seed.CommunityDemo {
				return c.Target
			}
		}
		t.Fatal("the demo community is missing")
		return 0
	}
	if got := target(); got != registry.DefaultUrbanTarget {
		t.Fatalf("default target %v", got)
	}
	f := func(v float64) *float64 { return &v }
	steps := []struct {
		code         string
		urban, rural *float64
		want         float64
	}{
		{seed.DistrictCode, f(12), f(6), 12},
		{seed.TownShuanglonghu, f(15), nil, 15},
		{seed.CommunityDemo, f(8.5), nil, 8.5},
	}
	for _, st := range steps {
		d, err := db.Division(ctx, district, st.code)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetTarget(ctx, district, actor, d, st.urban, st.rural); err != nil {
			t.Fatal(err)
		}
		if got := target(); got != st.want {
			t.Fatalf("after setting %s: target %v, want %v", st.code, got, st.want)
		}
	}
	// A clear names the version the clerk saw: a stale one is a conflict and removes nothing.
	own, err := db.TargetSettings(ctx, district)
	if err != nil {
		t.Fatal(err)
	}
	seen := own[seed.CommunityDemo].Version
	if err := db.ClearTarget(ctx, district, actor, seed.CommunityDemo, seen+1); !errors.Is(err, portal.ErrConflict) {
		t.Fatalf("clearing with a stale version: %v, want ErrConflict", err)
	}
	if err := db.ClearTarget(ctx, district, actor, seed.CommunityDemo, seen); err != nil {
		t.Fatal(err)
	}
	if got := target(); got != 15 {
		t.Fatalf("after clearing the community: %v, want the town's 15", got)
	}
	var audited int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('stats.target_set', 'stats.target_clear') AND actor_username = 'demo-district'`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 4 {
		t.Fatalf("%d audit rows, want 4", audited)
	}
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}
	d, _ := db.Division(ctx, district, seed.TownShuanglonghu)
	if err := db.SetTarget(ctx, town, actor, d, f(1), nil); !errors.Is(err, registry.ErrTargetDivision) {
		t.Fatalf("a town setting another town's target: %v", err)
	}
}

// The 试点 filter follows the marked communities as a group at every level, and only them.
func TestStatsFollowPilots(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	actor := portal.Actor{Username: "demo-district", Tier: portal.TierDistrict, Division: seed.DistrictCode}
	for _, code := range []string{seed.CommunityDemo, seed.CommunityDemoRural} {
		d, err := db.Division(ctx, district, code)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPilot(ctx, district, actor, d, true); err != nil {
			t.Fatal(err)
		}
	}
	town, _ := db.Division(ctx, district, seed.TownShuanglonghu)
	if err := db.SetPilot(ctx, district, actor, town, true); !errors.Is(err, registry.ErrTargetDivision) {
		t.Fatalf("a town marked as a pilot: %v", err)
	}
	var live, reports int64
	if err := db.Pool.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM organizations WHERE community_code = ANY($1) AND status IN ('normal', 'abnormal')),
		       (SELECT count(*) FROM activity_reports WHERE community_code = ANY($1) AND superseded_at IS NULL
		          AND activity_date >= '2021-01-01' AND activity_date < '2022-01-01')`,
		[]string{seed.CommunityDemo, seed.CommunityDemoRural}).Scan(&live, &reports); err != nil {
		t.Fatal(err)
	}
	q := registry.StatQuery{Division: seed.DistrictCode, Period: registry.StatPeriod{Year: 2021}, Area: registry.AreaPilot}
	s, err := db.Stats(ctx, district, q)
	if err != nil {
		t.Fatal(err)
	}
	if int64(s.Total.Live) != live || s.Total.Activity.Reports != reports || s.Total.Communities != 2 || len(s.Communities) != 2 || live == 0 {
		t.Fatalf("pilots: %d live, %d reports, %d communities; recount %d, %d", s.Total.Live, s.Total.Activity.Reports,
			s.Total.Communities, live, reports)
	}
	q.Division = seed.TownShuanglonghu
	ts, err := db.Stats(ctx, district, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts.Children) != 1 || ts.Children[0].Code != seed.CommunityDemo {
		t.Fatalf("the town's pilots: %+v", ts.Children)
	}
}
