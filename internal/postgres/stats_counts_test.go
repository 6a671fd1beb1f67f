package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// statRecounts holds, for each table of kept statistics counts, the recount of its rows from the base tables.
var statRecounts = map[string]string{
	"org_stat_counts": `SELECT community_code, tier, legal_form, nature, party_status, status, count(*)::bigint
		FROM organizations GROUP BY 1, 2, 3, 4, 5, 6`,
	"org_stat_town_counts": `SELECT o.town_code, v.rural, tier, legal_form, nature, party_status, status, count(*)::bigint
		FROM organizations o JOIN divisions v ON v.code = o.community_code GROUP BY 1, 2, 3, 4, 5, 6, 7`,
	"org_field_counts": `SELECT community_code, f, tier, legal_form, nature, party_status, status, count(*)::bigint
		FROM organizations, unnest(CASE WHEN cardinality(fields) = 0 THEN '{""}'::text[] ELSE fields END) f
		GROUP BY 1, 2, 3, 4, 5, 6, 7`,
	"org_field_town_counts": `SELECT o.town_code, v.rural, f, tier, legal_form, nature, party_status, status, count(*)::bigint
		FROM organizations o JOIN divisions v ON v.code = o.community_code,
			unnest(CASE WHEN cardinality(fields) = 0 THEN '{""}'::text[] ELSE fields END) f
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
	// Migration 0125: the same per 服务领域 and status alone.
	"org_field_status_counts": `SELECT community_code, f, status, count(*)::bigint
		FROM organizations, unnest(CASE WHEN cardinality(fields) = 0 THEN '{""}'::text[] ELSE fields END) f
		GROUP BY 1, 2, 3`,
	"org_field_status_town_counts": `SELECT o.town_code, v.rural, f, status, count(*)::bigint
		FROM organizations o JOIN divisions v ON v.code = o.community_code,
			unnest(CASE WHEN cardinality(fields) = 0 THEN '{""}'::text[] ELSE fields END) f
		GROUP BY 1, 2, 3, 4`,
	"activity_month_counts": `SELECT community_code, date_trunc('month', activity_date)::date, series, category,
			count(*)::bigint, sum(participants)::bigint, sum(volunteers)::bigint, sum(volunteer_hours)::numeric,
			sum(beneficiaries_total)::bigint
		FROM activity_reports WHERE superseded_at IS NULL GROUP BY 1, 2, 3, 4`,
	"activity_month_town_counts": `SELECT r.town_code, date_trunc('month', activity_date)::date, v.rural, series,
			count(*)::bigint, sum(participants)::bigint, sum(volunteers)::bigint, sum(volunteer_hours)::numeric,
			sum(beneficiaries_total)::bigint
		FROM activity_reports r JOIN divisions v ON v.code = r.community_code
		WHERE superseded_at IS NULL GROUP BY 1, 2, 3, 4`,
	"activity_beneficiary_counts": `SELECT community_code, date_trunc('month', activity_date)::date, series, category,
			e.key, count(*)::bigint, sum(e.value::bigint)::bigint
		FROM activity_reports, jsonb_each_text(beneficiaries) e
		WHERE superseded_at IS NULL AND e.value::bigint > 0 GROUP BY 1, 2, 3, 4, 5`,
	"activity_beneficiary_town_counts": `SELECT r.town_code, date_trunc('month', activity_date)::date, v.rural,
			e.key, count(*)::bigint, sum(e.value::bigint)::bigint
		FROM activity_reports r JOIN divisions v ON v.code = r.community_code, jsonb_each_text(r.beneficiaries) e
		WHERE superseded_at IS NULL AND e.value::bigint > 0 GROUP BY 1, 2, 3, 4`,
	// Migration 0067: the same sums per quarter, at the community, its town and the district.
	"activity_quarter_counts": `SELECT l.code, date_trunc('quarter', activity_date)::date, v.rural, series,
			count(*)::bigint, sum(participants)::bigint, sum(volunteers)::bigint, sum(volunteer_hours)::numeric,
			sum(beneficiaries_total)::bigint
		FROM activity_reports r JOIN divisions v ON v.code = r.community_code,
			unnest(ARRAY[r.community_code, left(r.community_code, 9), left(r.community_code, 6)]) l (code)
		WHERE superseded_at IS NULL GROUP BY 1, 2, 3, 4`,
	// Migration 0120: the same sums per year.
	"activity_year_counts": `SELECT l.code, date_trunc('year', activity_date)::date, v.rural, series,
			count(*)::bigint, sum(participants)::bigint, sum(volunteers)::bigint, sum(volunteer_hours)::numeric,
			sum(beneficiaries_total)::bigint
		FROM activity_reports r JOIN divisions v ON v.code = r.community_code,
			unnest(ARRAY[r.community_code, left(r.community_code, 9), left(r.community_code, 6)]) l (code)
		WHERE superseded_at IS NULL GROUP BY 1, 2, 3, 4`,
	"beneficiary_quarter_counts": `SELECT l.code, date_trunc('quarter', activity_date)::date, v.rural,
			e.key, count(*)::bigint, sum(e.value::bigint)::bigint
		FROM activity_reports r JOIN divisions v ON v.code = r.community_code, jsonb_each_text(r.beneficiaries) e,
			unnest(ARRAY[r.community_code, left(r.community_code, 9), left(r.community_code, 6)]) l (code)
		WHERE superseded_at IS NULL AND e.value::bigint > 0 GROUP BY 1, 2, 3, 4`,
	"work_report_ontime_counts": `SELECT community_code, period_year, period_no, count(*)::bigint,
			count(*) FILTER (WHERE submitted_at < (make_date(period_year, (period_no - 1) * 6 + 1, 1)
				+ interval '6 months')::timestamp AT TIME ZONE 'Asia/Shanghai')::bigint
		FROM work_reports WHERE revision = 1 GROUP BY 1, 2, 3`,
	"notice_lead_counts": `SELECT community_code, date_trunc('month', starts_at AT TIME ZONE 'Asia/Shanghai')::date,
			count(*)::bigint, count(*) FILTER (WHERE submitted_at < starts_at)::bigint
		FROM major_activities GROUP BY 1, 2`,
	"evaluation_grade_counts": `SELECT community_code, year, grade, count(*)::bigint
		FROM (SELECT DISTINCT ON (org_id, year) community_code, year, grade FROM evaluations
		      ORDER BY org_id, year, version DESC) x GROUP BY 1, 2, 3`,
}

// statKeptRows reads a kept table without its zero rows (a key whose count went back to zero stays as a row).
func statKeptRows(table string) string {
	if table == "activity_month_counts" || table == "activity_month_town_counts" || table == "activity_quarter_counts" ||
		table == "activity_year_counts" {
		return `SELECT * FROM ` + table + ` WHERE reports <> 0 OR participants <> 0 OR volunteers <> 0
			OR volunteer_hours <> 0 OR beneficiaries <> 0`
	}
	if table == "activity_beneficiary_counts" || table == "activity_beneficiary_town_counts" ||
		table == "beneficiary_quarter_counts" {
		return `SELECT * FROM ` + table + ` WHERE reports <> 0 OR people <> 0`
	}
	if table == "notice_lead_counts" {
		return `SELECT * FROM ` + table + ` WHERE notices <> 0 OR before_start <> 0`
	}
	if table == "work_report_ontime_counts" {
		return `SELECT * FROM ` + table + ` WHERE filed <> 0 OR on_time <> 0`
	}
	return `SELECT * FROM ` + table + ` WHERE n <> 0`
}

// assertStatCountsEqualRecount compares every kept statistics table with its recount, and each town table with
// the sum of its communities' rows.
func assertStatCountsEqualRecount(t *testing.T, db *postgres.DB, step string) {
	t.Helper()
	ctx := context.Background()
	for table, recount := range statRecounts {
		var diff int
		q := fmt.Sprintf(`WITH kept AS (%s), recount AS (%s)
			SELECT count(*) FROM ((SELECT * FROM kept EXCEPT ALL SELECT * FROM recount)
				UNION ALL (SELECT * FROM recount EXCEPT ALL SELECT * FROM kept)) x`, statKeptRows(table), recount)
		if err := db.Pool.QueryRow(ctx, q).Scan(&diff); err != nil {
			t.Fatalf("%s: %s: %v", step, table, err)
		}
		if diff != 0 {
			t.Fatalf("after %s: %d rows of %s differ from a recount", step, diff, table)
		}
	}
	// A town's totals are the sum of its communities', and nothing of another town.
	var diff int
	if err := db.Pool.QueryRow(ctx, `
		WITH c AS (SELECT left(c.community_code, 9) AS town, v.rural, c.status, sum(c.n) AS n
		           FROM org_stat_counts c JOIN divisions v ON v.code = c.community_code GROUP BY 1, 2, 3),
		     t AS (SELECT town_code, rural, status, sum(n) AS n FROM org_stat_town_counts GROUP BY 1, 2, 3),
		     ac AS (SELECT left(community_code, 9) AS town, month, sum(reports) AS r, sum(volunteer_hours) AS h
		            FROM activity_month_counts GROUP BY 1, 2),
		     at AS (SELECT town_code, month, sum(reports) AS r, sum(volunteer_hours) AS h
		            FROM activity_month_town_counts GROUP BY 1, 2)
		SELECT (SELECT count(*) FROM c FULL JOIN t ON t.town_code = c.town AND t.rural = c.rural AND t.status = c.status
		        WHERE coalesce(c.n, 0) <> coalesce(t.n, 0))
		     + (SELECT count(*) FROM ac FULL JOIN at ON at.town_code = ac.town AND at.month = ac.month
		        WHERE coalesce(ac.r, 0) <> coalesce(at.r, 0) OR coalesce(ac.h, 0) <> coalesce(at.h, 0))`).Scan(&diff); err != nil {
		t.Fatal(err)
	}
	if diff != 0 {
		t.Fatalf("after %s: %d town totals differ from the sum of their communities", step, diff)
	}
	// A snapshot taken now is the organizations as they are, per community.
	if err := db.TakeStatSnapshot(ctx, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, `
		WITH r AS (SELECT v.code, count(o.id) FILTER (WHERE o.status IN ('normal', 'abnormal')) AS live,
		                  count(o.id) FILTER (WHERE o.status = 'abnormal') AS abnormal,
		                  count(o.id) FILTER (WHERE o.status IN ('dissolved', 'revoked')) AS ended,
		                  count(o.id) FILTER (WHERE o.status IN ('normal', 'abnormal') AND o.party_status <> '未覆盖') AS party
		           FROM divisions v LEFT JOIN organizations o ON o.community_code = v.code
		           WHERE v.level = 'community' GROUP BY v.code)
		SELECT count(*) FROM r FULL JOIN (SELECT * FROM stat_month_snapshots WHERE month = '2100-01-01') s
			ON s.community_code = r.code
		WHERE s.live IS DISTINCT FROM r.live OR s.abnormal IS DISTINCT FROM r.abnormal
		   OR s.ended IS DISTINCT FROM r.ended OR s.party_covered IS DISTINCT FROM r.party`).Scan(&diff); err != nil {
		t.Fatal(err)
	}
	if diff != 0 {
		t.Fatalf("after %s: %d communities' snapshot differs from a recount", step, diff)
	}
}

// A random sequence of creates (one by one and by COPY), tier moves, transfers between communities and towns,
// edits of 服务领域, 性质 and 党建, dissolutions, deletions, reports and corrections leaves every kept statistics
// count equal to a recount from the base tables.
func TestStatCountsFollowEveryChange(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	assertStatCountsEqualRecount(t, db, "migration")
	rng := rand.New(rand.NewPCG(13, 2021))

	var communities []string
	rows, _ := db.Pool.Query(ctx, `SELECT code FROM divisions WHERE level = 'community' ORDER BY code`)
	communities, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(communities) < 4 {
		t.Fatalf("communities: %v (%d)", err, len(communities))
	}
	var firstNew int64
	if err := db.Pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) + 1 FROM organizations`).Scan(&firstNew); err != nil {
		t.Fatal(err)
	}
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	someFields := func() []string {
		fs := []string{}
		for _, f := range registry.Fields {
			if rng.IntN(6) == 0 {
				fs = append(fs, f)
			}
		}
		return fs
	}
	exec := func(step, sql string, args ...any) {
		t.Helper()
		if _, err := db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	randomOrg := func() (id int64, ok bool) {
		err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations ORDER BY random() LIMIT 1`).Scan(&id)
		return id, err == nil
	}
	randomReport := func() (id int64, ok bool) {
		err := db.Pool.QueryRow(ctx, `SELECT id FROM activity_reports WHERE superseded_at IS NULL ORDER BY random() LIMIT 1`).Scan(&id)
		return id, err == nil
	}
	beneficiaries := func() (map[string]int, int) {
		m, total := map[string]int{}, 0
		for _, b := range registry.Beneficiaries {
			if rng.IntN(3) == 0 {
				n := rng.IntN(20)
				m[b] = n
				total += n
			}
		}
		return m, total
	}
	box, _ := sealbox.New(bytes.Repeat([]byte{3}, 32))
	towns := seed.Towns()
	g := seed.NewScaleGenerator(towns, seed.DemoCommunities(towns), box)

	for i := 0; i < 300; i++ {
		step := ""
		switch op := rng.IntN(15); op {
		case 0, 1: // a guided group is recorded
			step = "create"
			c := pick(communities)
			exec(step, `INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name,
					fields, nature, party_status)
				VALUES (left($1, 6), left($1, 9), $1, 'guided', '未登记团体', $2, $3, $4, $5)`,
				c, fmt.Sprintf("渝北统计测试%d文体队", i), someFields(), pick(append([]string{""}, registry.Natures...)),
				pick(registry.PartyStatuses))
		case 2: // a guided group is filed, or a filed one registered
			step = "tier move"
			if id, ok := randomOrg(); ok {
				exec(step, `UPDATE organizations SET
						tier = CASE tier WHEN 'guided' THEN 'filed' ELSE 'registered' END,
						legal_form = CASE tier WHEN 'guided' THEN '未登记团体' ELSE '社会团体' END,
						uscc = CASE tier WHEN 'guided' THEN uscc ELSE coalesce(uscc, '51500112MJ' || lpad(id::text, 8, '0')) END
					WHERE id = $1 AND tier <> 'registered'`, id)
			}
		case 3: // a group moves to another community, possibly of another town
			step = "transfer"
			if id, ok := randomOrg(); ok {
				c := pick(communities)
				exec(step, `UPDATE organizations SET community_code = $2, town_code = left($2, 9) WHERE id = $1`, id, c)
			}
		case 4: // 服务领域, 性质 and 党建 change
			step = "edit"
			if id, ok := randomOrg(); ok {
				exec(step, `UPDATE organizations SET fields = $2, nature = $3, party_status = $4 WHERE id = $1`,
					id, someFields(), pick(registry.Natures), pick(registry.PartyStatuses))
			}
		case 5: // dissolution, or 活动异常 and back, many rows in one statement
			step = "status"
			exec(step, `UPDATE organizations SET status = (ARRAY['normal', 'abnormal', 'dissolved'])[1 + (id % 3)]
				WHERE id % $1 = 0`, 7+rng.IntN(20))
		case 6: // a group created here without reports is deleted
			step = "delete"
			exec(step, `DELETE FROM organizations WHERE id >= $1 AND id % 5 = $2
				AND NOT EXISTS (SELECT 1 FROM activity_reports r WHERE r.org_id = organizations.id)
				AND NOT EXISTS (SELECT 1 FROM org_events e WHERE e.org_id = organizations.id)
				AND NOT EXISTS (SELECT 1 FROM work_reports w WHERE w.org_id = organizations.id)
				AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.org_id = organizations.id)`, firstNew, rng.IntN(5))
		case 7, 8: // a report is filed
			step = "report"
			if id, ok := randomOrg(); ok {
				b, total := beneficiaries()
				exec(step, `INSERT INTO activity_reports (report_no, org_id, district_code, town_code, community_code,
						activity_date, title, place, series, category, participants, volunteers, volunteer_hours,
						beneficiaries, beneficiaries_total)
					SELECT nextval('activity_report_no_seq'), id, district_code, town_code, community_code,
						date '2021-01-01' + $2::int, '统计测试活动', '社区广场', $3, $4, $5, $6, $7, $8, $9
					FROM organizations WHERE id = $1`,
					id, rng.IntN(1800), pick(registry.ReportSeries), pick(registry.ReportCategories),
					rng.IntN(200), rng.IntN(30), float64(rng.IntN(400))/2, b, total)
			}
		case 9: // a report is corrected: the current revision is superseded and the next inserted
			step = "correction"
			if id, ok := randomReport(); ok {
				b, total := beneficiaries()
				tx, err := db.Pool.Begin(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var next int64
				err = tx.QueryRow(ctx, `WITH old AS (
						UPDATE activity_reports SET superseded_at = now(), version = version + 1 WHERE id = $1 RETURNING *)
					INSERT INTO activity_reports (report_no, revision, correction_reason, org_id, district_code, town_code,
						community_code, activity_date, title, place, series, category, participants, volunteers,
						volunteer_hours, beneficiaries, beneficiaries_total)
					SELECT report_no, revision + 1, '人数有误', org_id, district_code, town_code, community_code,
						activity_date + $2::int, title, place, $3, category, $4, volunteers, $5, $6, $7
					FROM old RETURNING id`,
					id, rng.IntN(60)-30, pick(registry.ReportSeries), rng.IntN(300), float64(rng.IntN(100)), b, total).Scan(&next)
				if err == nil {
					_, err = tx.Exec(ctx, `UPDATE activity_reports SET superseded_by = $2 WHERE id = $1`, id, next)
				}
				if err == nil {
					err = tx.Commit(ctx)
				}
				if err != nil {
					t.Fatalf("%s: %v", step, err)
				}
			}
		case 11: // a 定期工作报告: a first report (before or after its period ended) or a correction of one
			step = "work report"
			if id, ok := randomOrg(); ok {
				year, no := 2021+rng.IntN(4), 1+rng.IntN(2)
				exec(step, `INSERT INTO work_reports (org_id, district_code, town_code, community_code, period_year,
						period_no, revision, summary, activities, members, submitted_at)
					SELECT id, district_code, town_code, community_code, $2, $3,
						1 + (SELECT count(*) FROM work_reports w WHERE w.org_id = o.id AND w.period_year = $2 AND w.period_no = $3),
						'本期工作总结', 3, 12,
						(make_date($2, ($3 - 1) * 6 + 1, 1) + interval '6 months')::timestamp AT TIME ZONE 'Asia/Shanghai'
							+ $4 * interval '1 hour'
					FROM organizations o WHERE id = $1`, id, year, no, rng.IntN(5)-3)
			}
		case 12: // 评估评议: the first evaluation of a year or a re-evaluation (the next version)
			step = "evaluation"
			id, ok := randomOrg()
			var year int
			if rng.IntN(2) == 0 { // half of them evaluate a group again
				ok = db.Pool.QueryRow(ctx, `SELECT org_id, year FROM evaluations ORDER BY random() LIMIT 1`).Scan(&id, &year) == nil
			}
			if year == 0 {
				year = 2021 + rng.IntN(3)
			}
			if ok {
				g := pick([]string{"excellent", "good", "pass", "fail"})
				exec(step, `INSERT INTO evaluations (org_id, district_code, town_code, community_code, year, version,
						scores, average, computed_grade, grade)
					SELECT id, district_code, town_code, community_code, $2,
						1 + (SELECT count(*) FROM evaluations e WHERE e.org_id = o.id AND e.year = $2),
						'{}', 80, $3, $3
					FROM organizations o WHERE id = $1`, id, year, g)
			}
		case 13: // a guided group is filed on the same record and moved to another community in one change
			step = "filed and moved"
			if id, ok := randomOrg(); ok {
				c := pick(communities)
				exec(step, `UPDATE organizations SET tier = 'filed', community_code = $2, town_code = left($2, 9)
					WHERE id = $1 AND tier = 'guided'`, id, c)
			}
		case 14: // a 重大活动 notice is moved (its start, or when it was submitted), or a copy of one is reported
			step = "notice"
			switch rng.IntN(3) {
			case 0:
				exec(step, `UPDATE major_activities SET starts_at = starts_at + $1 * interval '1 day',
						ends_at = ends_at + $1 * interval '1 day'
					WHERE id = (SELECT id FROM major_activities ORDER BY random() LIMIT 1)`, rng.IntN(60)-30)
			case 1:
				exec(step, `UPDATE major_activities SET submitted_at = starts_at + $1 * interval '1 hour'
					WHERE id % 4 = $2`, rng.IntN(5)-2, rng.IntN(4))
			default:
				exec(step, `INSERT INTO major_activities (district_code, town_code, community_code, kind, title, starts_at,
						ends_at, place, attendance, organizer, safety, contact_name, contact_phone_enc, contact_phone_mask,
						submitted_at)
					SELECT district_code, town_code, community_code, kind, title, starts_at + interval '40 days',
						ends_at + interval '40 days', place, attendance, organizer, safety, contact_name, contact_phone_enc,
						contact_phone_mask, starts_at + $1 * interval '1 day'
					FROM major_activities ORDER BY random() LIMIT 1`, rng.IntN(80)-40)
			}
		case 10: // a ledger import by COPY
			step = "copy"
			base := 300000 + i*100
			if err := db.BulkLoadOrganizations(ctx, seed.ScaleColumns, 40, func(j int) []any { return g.Row(base + j) }, nil); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}
		if i%25 == 0 {
			assertStatCountsEqualRecount(t, db, fmt.Sprintf("step %d (%s)", i, step))
		}
	}
	assertStatCountsEqualRecount(t, db, "the last step")
}
