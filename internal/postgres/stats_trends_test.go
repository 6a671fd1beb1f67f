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

// The trends since 2021 on a statistics page: 定期工作报告 on time and 评估评议 grades equal a recount of the base
// tables for the district, a town and the rural part of a town; a town's trend is the sum of its communities';
// the quarter trend reads the monthly snapshots the demo backfilled, and its quarter under way is the page's
// current count.
func TestStatTrendsEqualRecount(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	now := time.Now()

	recount := func(code string, area registry.StatArea) (filed, onTime, evaluated, good int64) {
		t.Helper()
		rural := `(SELECT rural FROM divisions v WHERE v.code = x.community_code)`
		filter := `starts_with(x.community_code, $1) AND ($2 = '' OR ` + rural + ` = ($2 = 'rural'))`
		if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE submitted_at <
				(make_date(period_year, (period_no - 1) * 6 + 1, 1) + interval '6 months')::timestamp AT TIME ZONE 'Asia/Shanghai')
			FROM work_reports x WHERE revision = 1 AND period_year >= 2021 AND `+filter, code, string(area)).Scan(&filed, &onTime); err != nil {
			t.Fatal(err)
		}
		if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE grade IN ('excellent', 'good'))
			FROM (SELECT DISTINCT ON (org_id, year) * FROM evaluations ORDER BY org_id, year, version DESC) x
			WHERE year >= 2021 AND `+filter, code, string(area)).Scan(&evaluated, &good); err != nil {
			t.Fatal(err)
		}
		return
	}
	sums := func(s registry.Stats) (filed, onTime, evaluated, good int64) {
		for _, o := range s.Trends.OnTime {
			filed += o.Filed
			onTime += o.OnTime
		}
		for _, g := range s.Trends.Grades {
			evaluated += g.Total()
			good += g.N[registry.GradeExcellent] + g.N[registry.GradeGood]
		}
		return
	}
	period := registry.StatPeriodOf(now)
	for _, c := range []struct {
		code string
		area registry.StatArea
	}{{seed.DistrictCode, ""}, {seed.TownShuanglonghu, ""}, {seed.TownTongjing, registry.AreaRural},
		{seed.DistrictCode, registry.AreaUrban}, {seed.DistrictCode, registry.AreaRural}} {
		s, err := db.Stats(ctx, district, registry.StatQuery{Division: c.code, Period: period, Area: c.area})
		if err != nil {
			t.Fatal(err)
		}
		f, o, e, g := sums(s)
		rf, ro, re, rg := recount(c.code, c.area)
		if f != rf || o != ro || e != re || g != rg {
			t.Fatalf("%s %q: trends filed %d on time %d evaluated %d good %d; recount %d %d %d %d", c.code, c.area,
				f, o, e, g, rf, ro, re, rg)
		}
		if c.code == seed.TownShuanglonghu && (f == 0 || o == 0 || o == f || e == 0) {
			t.Fatalf("the demo town should have reports on time and late, and grades: %d %d %d", f, o, e)
		}
		if len(s.Trends.OnTime) != len(registry.TrendPeriods(now)) || len(s.Trends.Quarters) != len(registry.TrendQuarters(now)) {
			t.Fatalf("%s: %d periods and %d quarters", c.code, len(s.Trends.OnTime), len(s.Trends.Quarters))
		}
		last := s.Trends.Quarters[len(s.Trends.Quarters)-1]
		if last.Live != int64(s.Total.Live) || last.Abnormal != int64(s.Total.Abnormal) {
			t.Fatalf("%s: the quarter under way shows %d live, %d abnormal; the page %d, %d", c.code, last.Live,
				last.Abnormal, s.Total.Live, s.Total.Abnormal)
		}
		// Each quarter's activity is a recount of the current reports dated in it.
		withReports := 0
		for _, q := range s.Trends.Quarters {
			var reports int64
			var volunteers int64
			if err := db.Pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(volunteers), 0) FROM activity_reports r
				WHERE starts_with(r.community_code, $1) AND r.superseded_at IS NULL
				  AND r.activity_date >= $3 AND r.activity_date < $4
				  AND ($2 = '' OR (SELECT rural FROM divisions v WHERE v.code = r.community_code) = ($2 = 'rural'))`,
				c.code, string(c.area), q.Period.Start(), q.Period.End()).Scan(&reports, &volunteers); err != nil {
				t.Fatal(err)
			}
			if q.Activity.Reports != reports || q.Activity.Volunteers != volunteers {
				t.Fatalf("%s %q %s: the trend shows %d reports, %d volunteers; recount %d, %d", c.code, c.area,
					q.Period.Label(), q.Activity.Reports, q.Activity.Volunteers, reports, volunteers)
			}
			if reports > 0 {
				withReports++
			}
		}
		if c.code == seed.DistrictCode && withReports < 2 {
			t.Fatalf("the district's trend has reports in %d quarters: the recount proves little", withReports)
		}
		// Each past quarter is the snapshot of its last month.
		for _, q := range s.Trends.Quarters[:len(s.Trends.Quarters)-1] {
			var live, abnormal int64
			if err := db.Pool.QueryRow(ctx, `SELECT coalesce(sum(live), 0), coalesce(sum(abnormal), 0)
				FROM stat_month_snapshots x WHERE month = $3 AND starts_with(community_code, $1)
				  AND ($2 = '' OR (SELECT rural FROM divisions v WHERE v.code = x.community_code) = ($2 = 'rural'))`,
				c.code, string(c.area), q.Period.End().AddDate(0, -1, 0)).Scan(&live, &abnormal); err != nil {
				t.Fatal(err)
			}
			if !q.Snapshot || q.Live != live || q.Abnormal != abnormal {
				t.Fatalf("%s %s: trend %+v, snapshot %d live %d abnormal", c.code, q.Period.Label(), q, live, abnormal)
			}
		}
	}

	// A town's trend is the sum of its communities' trends.
	ts, err := db.Stats(ctx, district, registry.StatQuery{Division: seed.TownShuanglonghu, Period: period})
	if err != nil {
		t.Fatal(err)
	}
	var cf, co, ce, cg int64
	var q21 int64
	for _, c := range ts.Children {
		cs, err := db.Stats(ctx, district, registry.StatQuery{Division: c.Code, Period: period})
		if err != nil {
			t.Fatal(err)
		}
		f, o, e, g := sums(cs)
		cf, co, ce, cg = cf+f, co+o, ce+e, cg+g
		q21 += cs.Trends.Quarters[0].Live
	}
	if f, o, e, g := sums(ts); f != cf || o != co || e != ce || g != cg || ts.Trends.Quarters[0].Live != q21 {
		t.Fatalf("the town's trends %d %d %d %d %d differ from its communities' sum %d %d %d %d %d",
			f, o, e, g, ts.Trends.Quarters[0].Live, cf, co, ce, cg, q21)
	}
}

// The 考核 figures behind growth and 重大活动: a town's notices of a year and those reported before they began
// equal a recount; its live groups when the year began are December's snapshot of the year before.
func TestStatGrowthAndNotices(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	district := portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	var year, notices, before int
	if err := db.Pool.QueryRow(ctx, `SELECT extract(year FROM starts_at AT TIME ZONE 'Asia/Shanghai')::int, count(*),
			count(*) FILTER (WHERE submitted_at < starts_at)
		FROM major_activities WHERE town_code = $1 GROUP BY 1 ORDER BY 2 DESC LIMIT 1`, seed.TownShuanglonghu).Scan(&year, &notices, &before); err != nil {
		t.Fatal(err)
	}
	// One notice reported late, so the share is not all or nothing.
	if _, err := db.Pool.Exec(ctx, `UPDATE major_activities SET submitted_at = starts_at + interval '1 hour'
		WHERE id = (SELECT min(id) FROM major_activities WHERE town_code = $1 AND submitted_at < starts_at
		            AND extract(year FROM starts_at AT TIME ZONE 'Asia/Shanghai') = $2)`, seed.TownShuanglonghu, year); err != nil {
		t.Fatal(err)
	}
	before--
	s, err := db.Stats(ctx, district, registry.StatQuery{Division: seed.TownShuanglonghu, Period: registry.StatPeriod{Year: year}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Total.Notices != notices || s.Total.NoticesBefore != before || notices == 0 {
		t.Fatalf("notices %d (%d before), recount %d (%d)", s.Total.Notices, s.Total.NoticesBefore, notices, before)
	}
	var start int
	if err := db.Pool.QueryRow(ctx, `SELECT coalesce(sum(live), 0) FROM stat_month_snapshots
		WHERE month = make_date($2 - 1, 12, 1) AND starts_with(community_code, $1)`, seed.TownShuanglonghu, year).Scan(&start); err != nil {
		t.Fatal(err)
	}
	if year > registry.FirstStatYear && s.Total.LiveStart != start {
		t.Fatalf("live when %d began: %d, the snapshot %d", year, s.Total.LiveStart, start)
	}
	v := registry.ValuesOf(s.Total, portal.TierTown, 0)
	if want := float64(before) * 100 / float64(notices); v["notices"] != want {
		t.Fatalf("notices indicator %v, want %v", v["notices"], want)
	}
}

// Evaluations are a history the grade counts follow: an update or a delete is refused.
func TestEvaluationsAreAppendOnly(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `UPDATE evaluations SET grade = 'fail', computed_grade = 'fail'`); err == nil {
		t.Fatal("an evaluation was updated in place")
	}
	if _, err := db.Pool.Exec(ctx, `DELETE FROM evaluations`); err == nil {
		t.Fatal("an evaluation was deleted")
	}
}

// The monthly snapshot backfill rebuilds past months from founding and status dates: a group founded in March
// 2021 and dissolved in May 2022 counts from March 2021 to April 2022; months already taken are left as they are.
func TestStatSnapshotBackfill(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	c := seed.CommunityDemo
	if _, err := db.Pool.Exec(ctx, `DELETE FROM stat_month_snapshots`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO organizations (district_code, town_code, community_code, tier,
			legal_form, name, founded_on, status, status_on)
		VALUES (left($1, 6), left($1, 9), $1, 'guided', '未登记团体', '回填测试队', '2021-03-15', 'dissolved', '2022-05-10')`, c); err != nil {
		t.Fatal(err)
	}
	if err := db.TakeStatSnapshot(ctx, time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE stat_month_snapshots SET live = 999 WHERE month = '2023-06-01'`); err != nil {
		t.Fatal(err)
	}
	if err := db.BackfillStatSnapshots(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	at := func(month string) (live, ended int64) {
		t.Helper()
		if err := db.Pool.QueryRow(ctx, `SELECT live, ended FROM stat_month_snapshots WHERE community_code = $1 AND month = $2`,
			c, month).Scan(&live, &ended); err != nil {
			t.Fatalf("%s: %v", month, err)
		}
		return
	}
	feb, _ := at("2021-02-01")
	mar, _ := at("2021-03-01")
	apr22, _ := at("2022-04-01")
	may22, ended := at("2022-05-01")
	if mar-feb != 1 || may22-apr22 != -1 || ended < 1 {
		t.Fatalf("the group should count from 2021-03 to 2022-04: feb %d mar %d apr22 %d may22 %d ended %d",
			feb, mar, apr22, may22, ended)
	}
	if live, _ := at("2023-06-01"); live != 999 {
		t.Fatalf("a month already taken was rewritten: %d", live)
	}
}
