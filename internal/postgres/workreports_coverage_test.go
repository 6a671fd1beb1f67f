package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// The coverage pages read counts that triggers keep (migration 0012); after every kind of change that moves
// them — a first report, a correction, several reports in one statement, a group dissolved, revived, marked
// 活动异常, moved to another community, a report removed — they must equal a recount from the rows themselves.
func TestCoverageKeptCountsMatchRecount(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Now()
	cur := registry.PeriodOf(now)
	prev := cur.Prev()
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	town := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	community := portal.Scope{Tier: portal.TierCommunity, Division: seed.CommunityDemo}
	committee := portal.Actor{Username: "demo-community", Tier: portal.TierCommunity, Division: seed.CommunityDemo, IP: "127.0.0.1"}

	check := func(step string) {
		t.Helper()
		for _, scope := range []portal.Scope{district, town} {
			for _, p := range []registry.Period{cur, prev} {
				kept, err := db.ReportCoverage(ctx, scope, p)
				if err != nil {
					t.Fatalf("%s: %v", step, err)
				}
				recount, err := db.RecountReportCoverage(ctx, scope, p)
				if err != nil {
					t.Fatalf("%s: %v", step, err)
				}
				if !reflect.DeepEqual(kept, recount) {
					t.Fatalf("%s, %s %s: kept counts differ from a recount\nkept    %v\nrecount %v", step,
						scope.Division, p.Key(), kept, recount)
				}
			}
		}
	}
	missingIn := func(scope portal.Scope, code string, p registry.Period) int {
		t.Helper()
		cs, err := db.ReportCoverage(ctx, scope, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Code == code {
				return c.Missing
			}
		}
		t.Fatalf("no row for %s", code)
		return 0
	}
	check("demo data")

	groups, err := db.ReportGroups(ctx, community)
	if err != nil || len(groups) < 4 {
		t.Fatalf("groups: %d %v", len(groups), err)
	}
	before := missingIn(town, seed.CommunityDemo, cur)
	submit := func(org int64, p registry.Period, seen int) {
		t.Helper()
		in := registry.WorkReportInput{OrgID: org, Period: p, Revision: seen, Summary: "本期开展活动", Activities: 3, Members: 12}
		if _, err := db.SubmitWorkReport(ctx, community, committee, in, now); err != nil {
			t.Fatalf("submit %d %s: %v", org, p.Key(), err)
		}
	}
	for _, g := range groups[:3] {
		submit(g.ID, cur, 0)
	}
	submit(groups[0].ID, prev, 0)
	check("first reports")
	if got := missingIn(town, seed.CommunityDemo, cur); got != before-3 {
		t.Fatalf("missing %d after three reports, want %d", got, before-3)
	}
	submit(groups[0].ID, cur, 1) // a correction is not a second report
	check("a correction")
	if got := missingIn(town, seed.CommunityDemo, cur); got != before-3 {
		t.Fatalf("missing %d after a correction, want %d", got, before-3)
	}

	exec := func(step, sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		check(step)
	}
	exec("several reports in one statement", `
		INSERT INTO work_reports (org_id, district_code, town_code, community_code, period_year, period_no, revision,
			summary, activities, members)
		SELECT o.id, o.district_code, o.town_code, o.community_code, $2, $3, 1, '补报', 1, 5
		FROM organizations o WHERE o.town_code = $1 AND o.status IN ('normal', 'abnormal')
		  AND NOT EXISTS (SELECT 1 FROM work_reports w WHERE w.org_id = o.id AND w.period_year = $2 AND w.period_no = $3)`,
		seed.TownShuanglonghu, prev.Year, prev.Half)
	exec("a group that reported dissolved", `UPDATE organizations SET status = 'dissolved', status_on = now(),
		status_reason = '成员自愿解散' WHERE id = $1`, groups[1].ID)
	if got := missingIn(town, seed.CommunityDemo, cur); got != before-3 {
		t.Fatalf("missing %d after a reported group left, want %d (one fewer live, one fewer reported)", got, before-3)
	}
	exec("marked 活动异常 (still live)", `UPDATE organizations SET status = 'abnormal', status_on = now(),
		status_reason = '连续未报送' WHERE id = $1`, groups[2].ID)
	exec("revived", `UPDATE organizations SET status = 'normal', status_on = now(), status_reason = ''
		WHERE id = $1`, groups[1].ID)
	exec("moved to another community of the town", `UPDATE organizations SET community_code = $2 WHERE id = $1`,
		groups[0].ID, seed.TownShuanglonghu+"002")
	exec("an unrelated edit", `UPDATE organizations SET members = members + 1 WHERE town_code = $1`, seed.TownShuanglonghu)
	exec("a first revision removed", `DELETE FROM work_reports WHERE org_id = $1 AND period_year = $2 AND period_no = $3
		AND revision = 1 AND NOT EXISTS (SELECT 1 FROM work_reports x WHERE x.org_id = $1 AND x.revision > 1
		AND x.period_year = $2 AND x.period_no = $3)`, groups[2].ID, cur.Year, cur.Half)

	// The community tier has no divisions below it.
	if _, err := db.ReportCoverage(ctx, community, cur); err == nil {
		t.Error("a community's coverage: want an error")
	}
}
