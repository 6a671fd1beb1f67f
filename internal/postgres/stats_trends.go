// The statistics pages' trends since 2021 (migration 0040): 定期工作报告 on time, 评估评议 grades, and the quarter
// trend from the monthly snapshots and the kept activity counts. Each reads a few rows per community and period.
package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// trendFilter narrows rows kept per community (alias c) to the page's division and area a; it needs @code,
// @code_end (digitsAfter(@code): the division's communities are an index range, which a kept plan can use where
// it would test starts_with on every row) and, for the 试点, @pilots. Each area is its own statement with its own
// kept plan: one statement for all tested the area's parameter on every row.
func trendFilter(a registry.StatArea) string {
	f := `c.community_code >= @code AND c.community_code < @code_end`
	switch a {
	case registry.AreaPilot:
		f += ` AND c.community_code = ANY(@pilots)`
	case registry.AreaRural, registry.AreaUrban:
		rural := "v.rural"
		if a == registry.AreaUrban {
			rural = "NOT v.rural"
		}
		f += ` AND EXISTS (SELECT 1 FROM divisions v WHERE v.code = c.community_code AND ` + rural + `)`
	}
	return f
}

// trendArgs are the arguments trendFilter needs for s's division; pilots are the 试点 communities when the page
// follows them.
func trendArgs(s *registry.Stats, pilots []string) namedArgs {
	if pilots == nil {
		pilots = []string{}
	}
	return namedArgs{"code": s.Division.Code, "code_end": digitsAfter(s.Division.Code), "pilots": pilots}
}

// queueTrends queues the reads of s.Trends for the page's division, area and pilots; args are the page's
// statArgs (for the activity rollup), now the time of the request. The returned func completes the quarter
// trend once the batch was read and s summarized: the quarter under way takes s.Total.
func queueTrends(b *pgx.Batch, s *registry.Stats, args namedArgs, pilots []string, now time.Time) func() {
	f := trendArgs(s, pilots)

	// 定期工作报告: every period from 2021 that has ended.
	periods := registry.TrendPeriods(now)
	b.Queue(`
		SELECT period_year, period_no, sum(filed)::bigint, sum(on_time)::bigint
		FROM work_report_ontime_counts c
		WHERE `+trendFilter(s.Query.Area)+` AND period_year >= `+strconv.Itoa(registry.FirstStatYear)+`
		GROUP BY 1, 2`, f).Query(func(rows pgx.Rows) error {
		got := map[registry.Period]registry.StatOnTime{}
		var o registry.StatOnTime
		if _, err := pgx.ForEachRow(rows, []any{&o.Period.Year, &o.Period.Half, &o.Filed, &o.OnTime}, func() error {
			got[o.Period] = o
			return nil
		}); err != nil {
			return err
		}
		for _, p := range periods {
			x := got[p]
			x.Period = p
			s.Trends.OnTime = append(s.Trends.OnTime, x)
		}
		return nil
	})

	// 评估评议: the grade that counts per group, per year.
	b.Queue(`
		SELECT year, grade, sum(n)::bigint FROM evaluation_grade_counts c
		WHERE `+trendFilter(s.Query.Area)+` AND year >= `+strconv.Itoa(registry.FirstStatYear)+`
		GROUP BY 1, 2`, f).Query(func(rows pgx.Rows) error {
		grades := map[int]map[registry.Grade]int64{}
		var year int
		var grade string
		var n int64
		if _, err := pgx.ForEachRow(rows, []any{&year, &grade, &n}, func() error {
			if grades[year] == nil {
				grades[year] = map[registry.Grade]int64{}
			}
			grades[year][registry.Grade(grade)] += n
			return nil
		}); err != nil {
			return err
		}
		for y := registry.FirstStatYear; y <= now.In(portal.Beijing).Year(); y++ {
			g := registry.StatGrades{Year: y, N: grades[y]}
			if g.N == nil {
				g.N = map[registry.Grade]int64{}
			}
			s.Trends.Grades = append(s.Trends.Grades, g)
		}
		return nil
	})

	// Quarters: organizations at each past quarter's end from the snapshot of its last month; the quarter under
	// way takes the kept counts of now (already on the page).
	quarters := registry.TrendQuarters(now)
	var ends []time.Time
	for _, q := range quarters[:len(quarters)-1] {
		ends = append(ends, q.End().AddDate(0, -1, 0))
	}
	f["months"] = ends
	snaps := map[time.Time]registry.StatQuarter{}
	b.Queue(`
		SELECT month, sum(live)::bigint, sum(abnormal)::bigint, sum(ended)::bigint, sum(party_covered)::bigint
		FROM stat_month_snapshots c
		WHERE month = ANY(@months::date[]) AND `+trendFilter(s.Query.Area)+`
		GROUP BY 1`, f).Query(func(rows pgx.Rows) error {
		var m time.Time
		var q registry.StatQuarter
		_, err := pgx.ForEachRow(rows, []any{&m, &q.Live, &q.Abnormal, &q.Ended, &q.PartyCovered}, func() error {
			q.Snapshot = true
			snaps[time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC)] = q
			return nil
		})
		return err
	})
	a := namedArgs{}
	for k, v := range args {
		a[k] = v
	}
	a["from"], a["to"] = quarters[0].Start(), quarters[len(quarters)-1].End()
	acts := map[registry.StatPeriod]registry.StatActivity{}
	// Grouped by the quarter's first day, which Go names: extract() per row cost a third of the statement.
	b.Queue(`
		SELECT quarter, sum(reports)::bigint, sum(participants)::bigint, sum(volunteers)::bigint,
		       sum(volunteer_hours)::float8, sum(beneficiaries)::bigint
		FROM activity_quarter_counts
		WHERE code = ANY(@self) AND quarter >= @from::date AND quarter < @to::date
		  `+areaRows(s.Query.Area)+`
		GROUP BY 1`, a).Query(func(rows pgx.Rows) error {
		var q time.Time
		var x registry.StatActivity
		_, err := pgx.ForEachRow(rows, []any{&q, &x.Reports, &x.Participants, &x.Volunteers,
			&x.VolunteerHours, &x.Beneficiaries}, func() error {
			acts[registry.StatPeriod{Year: q.Year(), Quarter: (int(q.Month())-1)/3 + 1}] = x
			return nil
		})
		return err
	})
	return func() { statQuarters(s, quarters, ends, snaps, acts) }
}

// statQuarters assembles the quarter trend: each past quarter from the snapshot of its last month (ends), the one
// under way from s.Total; the activity of each from acts.
func statQuarters(s *registry.Stats, quarters []registry.StatPeriod, ends []time.Time, snaps map[time.Time]registry.StatQuarter,
	acts map[registry.StatPeriod]registry.StatActivity) {
	for i, qp := range quarters {
		var row registry.StatQuarter
		if i == len(quarters)-1 {
			t := s.Total
			row = registry.StatQuarter{Snapshot: true, Live: int64(t.Live), Abnormal: int64(t.Abnormal),
				Ended: int64(t.Ended), PartyCovered: int64(t.PartyCovered)}
		} else {
			row = snaps[ends[i]]
		}
		row.Period = qp
		row.Activity = acts[qp]
		s.Trends.Quarters = append(s.Trends.Quarters, row)
	}
}

// snapshotStatement writes every community's row for @month from the kept counts of now; a month already taken
// is retaken.
const snapshotStatement = `
	INSERT INTO stat_month_snapshots AS s (community_code, month, live, abnormal, ended, party_covered)
	SELECT v.code, @month::date,
	       coalesce(sum(c.n) FILTER (WHERE c.status IN ('normal', 'abnormal')), 0),
	       coalesce(sum(c.n) FILTER (WHERE c.status = 'abnormal'), 0),
	       coalesce(sum(c.n) FILTER (WHERE c.status IN ('dissolved', 'revoked')), 0),
	       coalesce(sum(c.n) FILTER (WHERE c.status IN ('normal', 'abnormal') AND c.party_status <> '未覆盖'), 0)
	FROM divisions v LEFT JOIN org_stat_counts c ON c.community_code = v.code
	WHERE v.level = 'community'
	GROUP BY v.code
	ON CONFLICT (community_code, month) DO UPDATE SET live = excluded.live, abnormal = excluded.abnormal,
		ended = excluded.ended, party_covered = excluded.party_covered, taken_at = now()`

// TakeStatSnapshot writes the monthly snapshot of month (its first day) from the organizations as they are now,
// in one statement; run at a month's end (`portal stats-snapshot`) it keeps that month's end state.
func (db *DB) TakeStatSnapshot(ctx context.Context, month time.Time) error {
	_, err := db.pool(planFresh).Exec(ctx, snapshotStatement, namedArgs{"month": monthOf(month)})
	return translate(err)
}

// BackfillStatSnapshots writes, for every month from 2021 to the one before now's that has no snapshot, each
// community's state rebuilt from the organizations' founding and status dates: a group counts from the month it
// was founded (or recorded), until the month it was dissolved; 活动异常 and 党建 are taken as they are now, from
// the month of their status. One set-based statement, for the demo data and a database that predates the
// snapshots.
func (db *DB) BackfillStatSnapshots(ctx context.Context, now time.Time) error {
	from := time.Date(registry.FirstStatYear, 1, 1, 0, 0, 0, 0, time.UTC)
	to := monthOf(now).AddDate(0, -1, 0)
	if to.Before(from) {
		return nil
	}
	_, err := db.pool(planFresh).Exec(ctx, `
		WITH o AS (
			SELECT community_code,
			       greatest(date_trunc('month', coalesce(founded_on, (created_at AT TIME ZONE 'Asia/Shanghai')::date)),
			                @from::date)::date AS born,
			       CASE WHEN status IN ('dissolved', 'revoked') THEN greatest(date_trunc('month',
			           coalesce(status_on, (updated_at AT TIME ZONE 'Asia/Shanghai')::date)), @from::date)::date END AS died,
			       CASE WHEN status = 'abnormal' THEN greatest(date_trunc('month',
			           coalesce(status_on, (updated_at AT TIME ZONE 'Asia/Shanghai')::date)), @from::date)::date END AS ab,
			       (party_status <> '未覆盖')::int AS party
			FROM organizations),
		d AS (
			SELECT community_code, month, sum(live) AS live, sum(ab) AS ab, sum(ended) AS ended, sum(party) AS party
			FROM (SELECT community_code, born AS month, 1 AS live, 0 AS ab, 0 AS ended, party FROM o
			      UNION ALL SELECT community_code, died, -1, 0, 1, -party FROM o WHERE died IS NOT NULL
			      UNION ALL SELECT community_code, ab, 0, 1, 0, 0 FROM o WHERE ab IS NOT NULL) x
			GROUP BY 1, 2),
		grid AS (
			SELECT v.code AS community_code, m::date AS month
			FROM divisions v, generate_series(@from::date, @to::date, interval '1 month') m
			WHERE v.level = 'community'),
		run AS (
			SELECT g.community_code, g.month,
			       sum(coalesce(d.live, 0)) OVER w AS live, sum(coalesce(d.ab, 0)) OVER w AS abnormal,
			       sum(coalesce(d.ended, 0)) OVER w AS ended, sum(coalesce(d.party, 0)) OVER w AS party_covered
			FROM grid g LEFT JOIN d ON d.community_code = g.community_code AND d.month = g.month
			WINDOW w AS (PARTITION BY g.community_code ORDER BY g.month))
		INSERT INTO stat_month_snapshots (community_code, month, live, abnormal, ended, party_covered)
		SELECT community_code, month, live, abnormal, ended, party_covered FROM run
		WHERE NOT EXISTS (SELECT 1 FROM stat_month_snapshots s WHERE s.month = run.month)
		ON CONFLICT (community_code, month) DO NOTHING`, namedArgs{"from": from, "to": to})
	return translate(err)
}

// monthOf is the first day of t's month in 北京时间, as a date.
func monthOf(t time.Time) time.Time {
	b := t.In(portal.Beijing)
	return time.Date(b.Year(), b.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// queueGrowth reads into each community's live organizations when the period's year began and ended, from the monthly
// snapshots (December of the year before, else January; December of the year, or now for the year under way),
// and each child's 重大活动 of the period with those reported before they began. pilots are the 试点 communities
// when the page follows them.
func queueGrowth(b *pgx.Batch, s *registry.Stats, at func([]byte) *registry.StatChild, pilots []string, now time.Time) {
	y := s.Query.Period.Year
	dec := time.Date(y-1, 12, 1, 0, 0, 0, 0, time.UTC)
	jan := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(y, 12, 1, 0, 0, 0, 0, time.UTC)
	current := y >= now.In(portal.Beijing).Year()
	f := trendArgs(s, pilots)
	f["months"], f["from"], f["to"] = []time.Time{dec, jan, end}, s.Query.Period.Start(), s.Query.Period.End()
	b.Queue(`
		SELECT community_code, month, live FROM stat_month_snapshots c
		WHERE month = ANY(@months::date[]) AND `+trendFilter(s.Query.Area), f).Query(func(rows pgx.Rows) error {
		return statGrowthRows(rows, s, dec, jan, end, current)
	})
	b.Queue(`
		SELECT community_code, sum(notices)::int, sum(before_start)::int FROM notice_lead_counts c
		WHERE month >= @from::date AND month < @to::date AND `+trendFilter(s.Query.Area)+`
		GROUP BY 1`, f).Query(func(rows pgx.Rows) error {
		var code pgtype.DriverBytes
		var n, before int
		_, err := pgx.ForEachRow(rows, []any{&code, &n, &before}, func() error {
			if ch := at(code); ch != nil {
				ch.Notices += n
				ch.NoticesBefore += before
			}
			return nil
		})
		return err
	})
}

// statGrowthRows sets each of s.Communities' live organizations at the start and end of the year from the
// snapshot rows of the months dec, jan and end.
func statGrowthRows(rows pgx.Rows, s *registry.Stats, dec, jan, end time.Time, current bool) error {
	type snap struct{ start, startMonth, end int }
	got := map[string]*snap{}
	var code string
	var m time.Time
	var live int
	if _, err := pgx.ForEachRow(rows, []any{&code, &m, &live}, func() error {
		x := got[code]
		if x == nil {
			x = &snap{start: -1, end: -1}
			got[code] = x
		}
		switch month := time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC); {
		case month.Equal(dec):
			x.start = live
		case month.Equal(jan) && x.start < 0:
			x.start = live
		}
		if time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC).Equal(end) {
			x.end = live
		}
		return nil
	}); err != nil {
		return err
	}
	for i := range s.Communities {
		c := &s.Communities[i]
		c.LiveStart, c.LiveEnd = c.Live, c.Live
		if x := got[c.Code]; x != nil {
			if x.start >= 0 {
				c.LiveStart = x.start
			}
			if x.end >= 0 && !current {
				c.LiveEnd = x.end
			}
		}
	}
	return nil
}
