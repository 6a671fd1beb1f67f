package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// Generated reports must meet what the report form asks of a real one, belong to a live group of the community
// whose committee filed them, keep the kept counts right, and a second run must append rather than repeat.
func TestGeneratedReportsAreValid(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	communities := seed.DemoCommunities(seed.Towns())
	now := time.Now()
	before, err := db.CountCurrentReports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err := seed.GenerateReports(ctx, db, communities, 400, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Before != before || res.Rows < 400 || res.Orgs == 0 {
		t.Fatalf("result %+v, before %d", res, before)
	}
	res2, err := seed.GenerateReports(ctx, db, communities, 250, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Before != before+400 {
		t.Fatalf("the second run started from %d, want %d", res2.Before, before+400)
	}
	after, err := db.CountCurrentReports(ctx)
	if err != nil || after != before+650 {
		t.Fatalf("kept count %d (%v), want %d", after, err, before+650)
	}
	today := now.In(portal.Beijing).Format("2006-01-02")
	// Every rule of the form and of the store, checked over every generated row; each count must be 0.
	checks := map[string]string{
		"group not live or not in the report's community": `SELECT count(*) FROM activity_reports r
			JOIN organizations o ON o.id = r.org_id
			WHERE r.submitted_by_name LIKE 'gen-%' AND (o.status NOT IN ('normal', 'abnormal')
			   OR o.community_code <> r.community_code OR o.town_code <> r.town_code OR o.district_code <> r.district_code)`,
		"filed by another community's account": `SELECT count(*) FROM activity_reports r JOIN accounts a ON a.id = r.submitted_by
			WHERE r.submitted_by_name LIKE 'gen-%' AND (a.division_code <> r.community_code OR a.tier <> 'community'
			   OR a.username <> r.submitted_by_name OR NOT a.disabled)`,
		"dated before the group, after today, or filed before the activity": `SELECT count(*) FROM activity_reports r
			JOIN organizations o ON o.id = r.org_id
			WHERE r.submitted_by_name LIKE 'gen-%' AND (r.activity_date > '` + today + `'::date
			   OR r.activity_date < least((o.created_at AT TIME ZONE 'Asia/Shanghai')::date, '` + today + `'::date - 1)
			      AND r.activity_date > '2021-01-01'
			   OR r.activity_date < '2021-01-01' OR r.submitted_at::date < r.activity_date - 1 OR r.submitted_at > now())`,
		"numbers the form refuses": `SELECT count(*) FROM activity_reports r WHERE r.submitted_by_name LIKE 'gen-%'
			AND (r.participants < 1 OR r.volunteer_hours > r.volunteers * 24 OR (r.volunteer_hours > 0 AND r.volunteers = 0)
			   OR r.beneficiaries_total <> (SELECT coalesce(sum(v::int), 0) FROM jsonb_each_text(r.beneficiaries) AS b(k, v))
			   OR EXISTS (SELECT 1 FROM jsonb_object_keys(r.beneficiaries) k
			              WHERE k NOT IN ('低保对象', '特困人员', '空巢老人', '农村留守人员', '困境儿童', '残疾人',
			                              '进城务工人员及随迁子女', '社区居民')))`,
		"a report with no current revision, or a broken correction chain": `SELECT count(*) FROM (
			SELECT report_no FROM activity_reports WHERE submitted_by_name LIKE 'gen-%' GROUP BY report_no
			HAVING count(*) FILTER (WHERE superseded_at IS NULL) <> 1
			    OR count(*) <> max(revision)
			    OR count(*) FILTER (WHERE superseded_at IS NOT NULL AND superseded_by IS NULL) > 0) x`,
		"kept counts differ from a recount": `SELECT count(*) FROM (
			SELECT community_code, series, category, count(*) AS n FROM activity_reports WHERE superseded_at IS NULL
			GROUP BY 1, 2, 3) r FULL JOIN (SELECT * FROM report_counts WHERE n <> 0) k USING (community_code, series, category)
			WHERE r.n IS DISTINCT FROM k.n`,
		"town kept counts differ from a recount": `SELECT count(*) FROM (
			SELECT town_code, series, category, count(*) AS n FROM activity_reports WHERE superseded_at IS NULL
			GROUP BY 1, 2, 3) r FULL JOIN (SELECT * FROM report_town_counts WHERE n <> 0) k USING (town_code, series, category)
			WHERE r.n IS DISTINCT FROM k.n`,
	}
	for what, q := range checks {
		var n int
		if err := db.Pool.QueryRow(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n != 0 {
			t.Errorf("%s: %d rows", what, n)
		}
	}
	var corrected, reportNos int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE revision = 2), count(DISTINCT report_no)
		FROM activity_reports WHERE submitted_by_name LIKE 'gen-%'`).Scan(&corrected, &reportNos); err != nil {
		t.Fatal(err)
	}
	if reportNos != 650 || corrected == 0 {
		t.Fatalf("%d report numbers (want 650), %d corrections (want some)", reportNos, corrected)
	}
	// The indexes and keys dropped for the load are back, and the form's own path still inserts after it.
	var idx, fks int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM pg_indexes WHERE tablename = 'activity_reports'),
		(SELECT count(*) FROM pg_constraint WHERE conrelid = 'activity_reports'::regclass AND contype = 'f')`).
		Scan(&idx, &fks); err != nil {
		t.Fatal(err)
	}
	if idx != 10 || fks != 4 {
		t.Fatalf("%d indexes (want 10), %d foreign keys (want 4) after the load", idx, fks)
	}
	g := repGroup(t, db, repCommunityA)
	if _, err := db.CreateActivityReport(ctx, repCommunityA, repActor, repInput(g, time.Now().AddDate(0, 0, -1)), nil); err != nil {
		t.Fatalf("a report through the form after the load: %v", err)
	}
	rows, err := db.ListActivityReports(ctx, portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode},
		registry.ReportFilter{}, registry.ReportCursor{}, 50)
	if err != nil || len(rows) != 50 {
		t.Fatalf("district list after the load: %d rows, %v", len(rows), err)
	}
}

// A series or category filter reads each (series, category) pair's own range and merges them; walking every
// page must give exactly the rows, in exactly the order, that the plain filter gives, and the kept-count total
// must be the number of those rows.
func TestReportListFiltersAndTotalsAtScale(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	if _, err := seed.GenerateReports(ctx, db, seed.DemoCommunities(seed.Towns()), 3000, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		scope portal.Scope
		f     registry.ReportFilter
	}{
		{town, registry.ReportFilter{}},
		{town, registry.ReportFilter{Series: "邻里守望"}},
		{town, registry.ReportFilter{Category: "志愿服务"}},
		{town, registry.ReportFilter{Series: "共创平安", Category: "走访慰问"}},
		{town, registry.ReportFilter{Series: "文化铸魂", Category: "矛盾调解"}}, // a pair nobody files
		{town, registry.ReportFilter{Series: "其他", CommunityCode: seed.CommunityDemo}},
		{town, registry.ReportFilter{Category: "文体活动", From: &from}},
		{district, registry.ReportFilter{Series: "共建共治共享", TownCode: seed.TownTongjing}},
		{district, registry.ReportFilter{Category: "协商议事"}},
		{district, registry.ReportFilter{}}, // the district's totals read the counts kept per town
		{district, registry.ReportFilter{Series: "邻里守望"}},
	}
	for _, c := range cases {
		var want []int64
		rows, err := db.Pool.Query(ctx, `SELECT id FROM activity_reports r WHERE superseded_at IS NULL
			AND starts_with(r.community_code, $1) AND ($2 = '' OR r.series = $2) AND ($3 = '' OR r.category = $3)
			AND ($4 = '' OR r.community_code = $4) AND ($5 = '' OR r.town_code = $5)
			AND ($6::date IS NULL OR r.activity_date >= $6) ORDER BY activity_date DESC, id DESC`,
			c.scope.Division, c.f.Series, c.f.Category, c.f.CommunityCode, c.f.TownCode, c.f.From)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			_ = rows.Scan(&id)
			want = append(want, id)
		}
		rows.Close()
		var got []int64
		var after registry.ReportCursor
		for page := 0; ; page++ {
			rs, err := db.ListActivityReports(ctx, c.scope, c.f, after, 50)
			if err != nil {
				t.Fatalf("%+v: %v", c.f, err)
			}
			for _, r := range rs {
				got = append(got, r.ID)
			}
			if len(rs) < 50 || page > 1000 {
				break
			}
			after = registry.ReportCursor{Date: rs[len(rs)-1].ActivityDate, ID: rs[len(rs)-1].ID}
		}
		if len(got) != len(want) {
			t.Fatalf("%s %+v: %d rows over the pages, want %d", c.scope.Division, c.f, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%s %+v: row %d is %d, want %d", c.scope.Division, c.f, i, got[i], want[i])
			}
		}
		n, err := db.CountActivityReports(ctx, c.scope, c.f)
		if err != nil {
			t.Fatal(err)
		}
		if n.Known != c.f.KeptCountable() || n.Known && n.N != len(want) {
			t.Errorf("%s %+v: total %+v, want %d", c.scope.Division, c.f, n, len(want))
		}
		if plan, err := db.ExplainListActivityReports(ctx, c.scope, c.f, registry.ReportCursor{}, 51); err != nil {
			t.Fatal(err)
		} else if (c.f.Series != "" || c.f.Category != "") && !strings.Contains(plan, "kind_idx") {
			t.Errorf("%+v: the plan does not read the (series, category) index:\n%s", c.f, plan)
		}
	}
}

// A list's divisions are applied as one equality on the narrowest of the scope and the filters; a filter wider
// than the scope must not widen it, and one outside it must match nothing.
func TestReportListDivisionNeverWidensScope(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	cases := []struct {
		name  string
		scope portal.Scope
		f     registry.ReportFilter
		want  func(registry.ActivityReport) bool
		empty bool
	}{
		{"a committee filtering by its own town", repCommunityA, registry.ReportFilter{TownCode: seed.TownShuanglonghu},
			func(r registry.ActivityReport) bool { return r.CommunityCode == seed.CommunityDemo }, false},
		{"a committee filtering by another town", repCommunityA, registry.ReportFilter{TownCode: seed.TownTongjing}, nil, true},
		{"a committee filtering by another community", repCommunityA,
			registry.ReportFilter{CommunityCode: seed.CommunityDemoRural, Series: "邻里守望"}, nil, true},
		{"a town filtering by another town's community", town, registry.ReportFilter{CommunityCode: seed.CommunityDemoRural}, nil, true},
		{"a town filtering by its community and a series", town,
			registry.ReportFilter{CommunityCode: seed.CommunityDemo, Category: "走访慰问"},
			func(r registry.ActivityReport) bool {
				return r.CommunityCode == seed.CommunityDemo && r.Category == "走访慰问"
			}, false},
	}
	for _, c := range cases {
		rs, err := db.ListActivityReports(ctx, c.scope, c.f, registry.ReportCursor{}, 1000)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if c.empty != (len(rs) == 0) {
			t.Errorf("%s: %d rows", c.name, len(rs))
		}
		for _, r := range rs {
			if c.want == nil || !c.want(r) {
				t.Fatalf("%s: lists report %d of %s (%s)", c.name, r.ID, r.CommunityCode, r.Category)
			}
		}
	}
}
