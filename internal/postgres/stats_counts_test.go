package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

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
}

// statKeptRows reads a kept table without its zero rows (a key whose count went back to zero stays as a row).
func statKeptRows(table string) string {
	if table == "activity_month_counts" || table == "activity_month_town_counts" {
		return `SELECT * FROM ` + table + ` WHERE reports <> 0 OR participants <> 0 OR volunteers <> 0
			OR volunteer_hours <> 0 OR beneficiaries <> 0`
	}
	if table == "activity_beneficiary_counts" || table == "activity_beneficiary_town_counts" {
		return `SELECT * FROM ` + table + ` WHERE reports <> 0 OR people <> 0`
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
		switch op := rng.IntN(11); op {
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
				AND NOT EXISTS (SELECT 1 FROM work_reports w WHERE w.org_id = organizations.id)`, firstNew, rng.IntN(5))
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
