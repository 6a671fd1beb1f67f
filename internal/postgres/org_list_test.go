package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// Divisions of the demo data: two communities in 双龙湖街道 and the first 村 of 统景镇.
const (
	communityA  = seed.CommunityDemo      // 500112002001, demo-community
	communityA2 = "500112002002"          // another 社区 of 双龙湖街道
	communityB  = seed.CommunityDemoRural // 500112133200, demo-community2
)

var (
	district   = portal.Scope{Tier: portal.TierDistrict, Division: seed.DistrictCode}
	townA      = portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	townB      = portal.Scope{Tier: portal.TierTown, Division: seed.TownTongjing}
	communityS = portal.Scope{Tier: portal.TierCommunity, Division: communityB}
)

// newRegistryDB is a fresh test database with no organizations, so that these tests can assert exact lists
// and control the planner's statistics whatever demo organizations the template holds. Truncating cascades to
// the tables that refer to organizations and empties the kept counts, which a TRUNCATE does not maintain; the
// database is this test's own clone.
func newRegistryDB(t testing.TB) *postgres.DB {
	t.Helper()
	db := testdb.New(t)
	if _, err := db.Pool.Exec(context.Background(), `TRUNCATE organizations, org_counts, org_town_counts CASCADE`); err != nil {
		t.Fatal(err)
	}
	return db
}

// insertOrgs adds guided groups with the given names to a community with plain SQL (the demo organizations
// land separately) and returns their ids in insertion order.
func insertOrgs(t testing.TB, db *postgres.DB, community string, names ...string) []int64 {
	t.Helper()
	ids := make([]int64, len(names))
	for i, name := range names {
		err := db.Pool.QueryRow(context.Background(), `
			INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name, fields,
				nature, leader_name, leader_phone_mask, status, party_status, members)
			VALUES (left($1, 6), left($1, 9), $1, 'guided', '未登记团体', $2, '{文体娱乐}', '互助性', '张三',
				'138****5678', 'normal', '未覆盖', 12)
			RETURNING id`, community, name).Scan(&ids[i])
		if err != nil {
			t.Fatalf("insert %s: %v", name, err)
		}
	}
	return ids
}

func names(rows []registry.OrgPageRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Name
	}
	return out
}

func TestListOrganizationsStaysInScope(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	insertOrgs(t, db, communityA, "锦华社区舞蹈队", "锦华社区读书会")
	insertOrgs(t, db, communityA2, "金港社区合唱团")
	insertOrgs(t, db, communityB, "统景村腰鼓队")

	for _, c := range []struct {
		scope portal.Scope
		want  []string
	}{
		{district, []string{"统景村腰鼓队", "金港社区合唱团", "锦华社区读书会", "锦华社区舞蹈队"}},
		{townA, []string{"金港社区合唱团", "锦华社区读书会", "锦华社区舞蹈队"}},
		{townB, []string{"统景村腰鼓队"}},
		{communityS, []string{"统景村腰鼓队"}},
		// A filter naming another jurisdiction cannot widen the scope.
	} {
		rows, err := db.ListOrganizations(ctx, c.scope, registry.OrgFilter{}, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(names(rows), ","); got != strings.Join(c.want, ",") {
			t.Errorf("%v: got %s, want %s", c.scope, got, strings.Join(c.want, ","))
		}
		count, err := db.CountOrganizations(ctx, c.scope, registry.OrgFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if n := count.N; n != len(c.want) || count.More {
			t.Errorf("%v: count %d, want %d", c.scope, n, len(c.want))
		}
		// The page with its total in one batch: the same rows, and the kept total.
		page, err := db.ListOrganizationsPage(ctx, c.scope, registry.OrgFilter{}, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(names(page.Rows), ","); got != strings.Join(c.want, ",") || page.Kept == nil ||
			page.Kept.N != len(c.want) {
			t.Errorf("%v: page %s total %+v, want %s", c.scope, got, page.Kept, strings.Join(c.want, ","))
		}
	}
	rows, err := db.ListOrganizations(ctx, townB, registry.OrgFilter{TownCode: seed.TownShuanglonghu}, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 0 {
		t.Fatalf("town filter outside scope returned %q", names(rows))
	}
	r := mustList(t, db, district, registry.OrgFilter{CommunityCode: communityA2})
	if len(r) != 1 || r[0].TownName != "双龙湖街道" || r[0].CommunityName == "" || r[0].LeaderPhone != "138****5678" {
		t.Fatalf("row = %+v", r)
	}
}

func mustList(t *testing.T, db *postgres.DB, scope portal.Scope, f registry.OrgFilter) []registry.OrgPageRow {
	t.Helper()
	rows, err := db.ListOrganizations(context.Background(), scope, f, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestListOrganizationsFilters(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	ids := insertOrgs(t, db, communityA, "锦华社区舞蹈队", "锦华社区广场舞蹈队", "锦华社区读书会", "锦华社区百分%之_队",
		"锦华社区百分百队")
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET status = 'abnormal', fields = '{养老照护,邻里互助}',
		party_status = '联合建立', nature = '服务性' WHERE id = $1`, ids[2]); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		f    registry.OrgFilter
		want string
	}{
		{registry.OrgFilter{Query: "舞蹈"}, "锦华社区广场舞蹈队,锦华社区舞蹈队"},
		{registry.OrgFilter{Query: "读书"}, "锦华社区读书会"},
		{registry.OrgFilter{Query: "书舞"}, ""},
		{registry.OrgFilter{Query: "%之"}, "锦华社区百分%之_队"},
		{registry.OrgFilter{Query: "百分%"}, "锦华社区百分%之_队"},
		{registry.OrgFilter{Query: "之_"}, "锦华社区百分%之_队"},
		{registry.OrgFilter{Status: registry.StatusAbnormal}, "锦华社区读书会"},
		{registry.OrgFilter{Field: "邻里互助"}, "锦华社区读书会"},
		{registry.OrgFilter{Party: "联合建立"}, "锦华社区读书会"},
		{registry.OrgFilter{Nature: "服务性", Status: registry.StatusAbnormal}, "锦华社区读书会"},
		{registry.OrgFilter{Tier: registry.TierFiled}, ""},
		{registry.OrgFilter{LegalForm: "未登记团体", Query: "舞蹈", Sort: registry.SortName}, "锦华社区广场舞蹈队,锦华社区舞蹈队"},
	}
	for _, c := range cases {
		got := strings.Join(names(mustList(t, db, townA, c.f)), ",")
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.f.Summary(), got, c.want)
		}
		count, err := db.CountOrganizations(ctx, townA, c.f)
		if err != nil {
			t.Fatal(err)
		}
		n := count.N
		if want := len(strings.Split(c.want, ",")); c.want != "" && n != want || c.want == "" && n != 0 {
			t.Errorf("%s: count %d", c.f.Summary(), n)
		}
		// The page with its total, in one batch: the same rows, and the kept total exactly when the kept
		// counts can answer the filter.
		page, err := db.ListOrganizationsPage(ctx, townA, c.f, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(names(page.Rows), ","); got != c.want {
			t.Errorf("%s: page rows %q, want %q", c.f.Summary(), got, c.want)
		}
		switch {
		case c.f.KeptCountable() && (page.Kept == nil || page.Kept.N != n):
			t.Errorf("%s: page total %+v, want %d", c.f.Summary(), page.Kept, n)
		case !c.f.KeptCountable() && page.Kept != nil:
			t.Errorf("%s: a total the kept counts cannot give: %+v", c.f.Summary(), page.Kept)
		}
	}
}

// Following the cursor visits every row exactly once, in order, in both orders, with and without a filter.
func TestListOrganizationsKeyset(t *testing.T) {
	db := newRegistryDB(t)
	var all []string
	for i := range 120 {
		all = append(all, fmt.Sprintf("统景村第%03d文体队", (i*37)%120))
	}
	insertOrgs(t, db, communityB, all...)
	for _, f := range []registry.OrgFilter{{}, {Sort: registry.SortName}, {CommunityCode: communityB},
		{CommunityCode: communityB, Sort: registry.SortName}} {
		sort := f.Sort
		var seen []registry.OrgPageRow
		var after int64
		pages := 0
		for {
			rows, err := db.ListOrganizations(context.Background(), communityS, f, after, 51)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			more := len(rows) > 50
			if more {
				rows = rows[:50]
			}
			seen = append(seen, rows...)
			if !more {
				break
			}
			after = rows[len(rows)-1].ID
		}
		if pages != 3 || len(seen) != 120 {
			t.Fatalf("sort %q: %d pages, %d rows", sort, pages, len(seen))
		}
		for i := 1; i < len(seen); i++ {
			ok := seen[i].ID < seen[i-1].ID
			if sort == registry.SortName {
				ok = seen[i].Name > seen[i-1].Name
			}
			if !ok {
				t.Fatalf("sort %q: row %d (%d %s) out of order after (%d %s)", sort, i, seen[i].ID, seen[i].Name,
					seen[i-1].ID, seen[i-1].Name)
			}
		}
	}
}

// A two-character search reads the bigram index rather than walking the jurisdiction. The table holds 2,000
// names of varied characters with the term in ten. VACUUM ANALYZE, as autovacuum would: ANALYZE alone leaves
// the freshly inserted entries in the GIN index's pending list, which the planner prices as a full scan of
// that list, and at this size a sequential scan would then win. After it the index scan costs about a third
// of the sequential scan, a margin that does not hang on the exact row count.
func TestNameSearchUsesBigramIndex(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	fillAnalyzed(t, db, `
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name)
		SELECT left(c, 6), left(c, 9), c, 'guided', '未登记团体',
		       CASE WHEN i % 200 = 0 THEN '锦华舞蹈' || i || '队'
		            ELSE chr(19968 + (i * 7919) % 6000) || chr(19968 + (i * 104729) % 6000) ||
		                 chr(19968 + (i * 31) % 6000) || i || '组' END
		FROM generate_series(1, 2000) AS i,
		     LATERAL (SELECT CASE WHEN i % 2 = 0 THEN $1 ELSE $2 END AS c) AS pick`, communityA, communityB)
	for _, scope := range []portal.Scope{district, townA} {
		for _, sort := range []registry.OrgSort{registry.SortNewest, registry.SortName} {
			plan, err := db.ExplainListOrganizations(ctx, scope, registry.OrgFilter{Query: "舞蹈", Sort: sort}, 0, 51)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, "organizations_name_bigrams_idx") {
				t.Errorf("scope %v sort %q: plan does not use the bigram index:\n%s", scope, sort, plan)
			}
		}
	}
	want := 10
	if n, err := db.CountOrganizations(ctx, district, registry.OrgFilter{Query: "舞蹈"}); err != nil || n.N != want || n.More {
		t.Fatalf("count = %+v, %v; want %d", n, err, want)
	}
	if rows := mustList(t, db, townA, registry.OrgFilter{Query: "舞蹈"}); len(rows) != want {
		t.Fatalf("town sees %d matches, want %d (every 200th row is in its community)", len(rows), want)
	}
}

func TestExportOrganizationsAudits(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	insertOrgs(t, db, communityA, "锦华社区舞蹈队", "锦华社区读书会")
	insertOrgs(t, db, communityB, "统景村腰鼓队", "统景村舞蹈队", "统景村读书会")
	actor := portal.Actor{AccountID: 0, Username: "demo-town2", Tier: portal.TierTown, Division: seed.TownTongjing, IP: "127.0.0.1"}

	var got []string
	n, err := db.ExportOrganizations(ctx, townB, actor, registry.OrgFilter{}, "csv", func(o registry.OrgListRow) error {
		got = append(got, o.Name)
		return nil
	})
	if err != nil || n != 3 || strings.Join(got, ",") != "统景村读书会,统景村舞蹈队,统景村腰鼓队" {
		t.Fatalf("export = %d %v %q", n, err, got)
	}

	// Stopped by the writer after one row (a client gone away): the audit row still lands, marked failed.
	boom := errors.New("client went away")
	n, err = db.ExportOrganizations(ctx, district, actor, registry.OrgFilter{Query: "舞蹈"}, "xlsx", func(registry.OrgListRow) error {
		return boom
	})
	if !errors.Is(err, boom) || n != 0 {
		t.Fatalf("export = %d %v", n, err)
	}

	// A cancelled request context does not stop the audit insert.
	cctx, cancel := context.WithCancel(ctx)
	_, err = db.ExportOrganizations(cctx, district, actor, registry.OrgFilter{}, "csv", func(registry.OrgListRow) error {
		cancel()
		return cctx.Err()
	})
	if err == nil {
		t.Fatal("cancelled export reported success")
	}

	rows, err := db.Pool.Query(ctx, `SELECT result, detail FROM audit_log WHERE action = 'org.export' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var entries []string
	for rows.Next() {
		var result, detail string
		if err := rows.Scan(&result, &detail); err != nil {
			t.Fatal(err)
		}
		entries = append(entries, result+" "+detail)
	}
	want := []string{"ok csv 3 行; 全部", "failed xlsx 0 行; q=舞蹈", "failed csv 0 行; 全部"}
	if strings.Join(entries, "|") != strings.Join(want, "|") {
		t.Fatalf("audit rows:\n%s\nwant\n%s", strings.Join(entries, "\n"), strings.Join(want, "\n"))
	}
}

// TestKeptListPlansUseTheirIndexes checks the plans the Lookups pool keeps for list pages, made without the
// values of the division or the cursor: each walks the index of its jurisdiction or filter in the list's
// order and stops after a page, with neither a sort nor a scan of the table. The rows are spread as the
// registry's are, every town's groups interleaved by id, so that a deep page of one town is found only through
// its own index.
func TestKeptListPlansUseTheirIndexes(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	_, err := db.Pool.Exec(ctx, `
		WITH c AS (SELECT code, row_number() OVER (ORDER BY code) - 1 AS k, count(*) OVER () AS n
		           FROM divisions WHERE level = 'community')
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name, status, nature,
			party_status)
		SELECT left(c.code, 6), left(c.code, 9), c.code,
		       CASE WHEN i % 50 = 0 THEN 'filed' ELSE 'guided' END, '未登记团体', '测试组织' || i || '队',
		       CASE WHEN i % 97 = 0 THEN 'dissolved' ELSE 'normal' END,
		       (ARRAY['服务性', '公益性', '互助性'])[i % 3 + 1], '未覆盖'
		FROM generate_series(1, 60000) AS i JOIN c ON c.k = i % c.n`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `VACUUM ANALYZE organizations`); err != nil {
		t.Fatal(err)
	}
	var deep int64
	if err := db.Pool.QueryRow(ctx, `SELECT min(id) + 6000 FROM organizations`).Scan(&deep); err != nil {
		t.Fatal(err)
	}
	town := portal.Scope{Tier: portal.TierTown, Division: "500112002"}
	community := portal.Scope{Tier: portal.TierCommunity, Division: "500112002001"}
	for _, c := range []struct {
		name  string
		scope portal.Scope
		f     registry.OrgFilter
		after int64
		index string
	}{
		{"town, first page", town, registry.OrgFilter{}, 0, "organizations_town_idx"},
		{"town, deep page", town, registry.OrgFilter{}, deep, "organizations_town_idx"},
		{"town, dissolved", town, registry.OrgFilter{Status: registry.StatusDissolved}, 0, "organizations_town_status_idx"},
		{"town, filed", town, registry.OrgFilter{Tier: registry.TierFiled}, deep, "organizations_town_tier_idx"},
		{"town by name, deep page", town, registry.OrgFilter{Sort: registry.SortName}, deep, "organizations_town_name_idx"},
		{"community, deep page", community, registry.OrgFilter{}, deep, "organizations_community_idx"},
		{"district, a town's deep page", district, registry.OrgFilter{TownCode: "500112002"}, deep, "organizations_town_idx"},
		{"district, a community", district, registry.OrgFilter{CommunityCode: "500112002001"}, 0, "organizations_community_idx"},
	} {
		plan, err := db.ExplainListOrganizations(ctx, c.scope, c.f, c.after, 51)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !strings.Contains(plan, c.index) || strings.Contains(plan, "Sort") || strings.Contains(plan, "Seq Scan") {
			t.Errorf("%s: the kept plan does not walk %s in order:\n%s", c.name, c.index, plan)
		}
	}
}

// The kept totals — per town for a district or a town, per community for one community — equal a recount for
// every scope and every filter they answer, over the demo data's groups of all towns, tiers and forms.
func TestKeptTotalsEqualARecount(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	column := map[portal.Tier]string{portal.TierDistrict: "district_code", portal.TierTown: "town_code",
		portal.TierCommunity: "community_code"}
	var someCommunity string
	if err := db.Pool.QueryRow(ctx, `SELECT community_code FROM organizations WHERE town_code = $1 LIMIT 1`,
		seed.TownShuanglonghu).Scan(&someCommunity); err != nil {
		t.Fatal(err)
	}
	filters := []registry.OrgFilter{{}, {TownCode: seed.TownShuanglonghu}, {TownCode: seed.TownTongjing},
		{TownCode: seed.TownShuanglonghu, Tier: registry.TierGuided}, {Status: registry.StatusNormal},
		{LegalForm: "未登记团体"}, {Tier: registry.TierRegistered, Status: registry.StatusNormal},
		{CommunityCode: someCommunity}, {CommunityCode: someCommunity, Tier: registry.TierFiled}}
	for _, scope := range []portal.Scope{district, townA, townB, {Tier: portal.TierCommunity, Division: someCommunity}} {
		for _, f := range filters {
			page, err := db.ListOrganizationsPage(ctx, scope, f, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			var want int
			if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM organizations WHERE `+column[scope.Tier]+` = $1
				AND ($2 = '' OR town_code = $2) AND ($3 = '' OR community_code = $3) AND ($4 = '' OR tier = $4)
				AND ($5 = '' OR legal_form = $5) AND ($6 = '' OR status = $6)`, scope.Division, f.TownCode,
				f.CommunityCode, string(f.Tier), string(f.LegalForm), string(f.Status)).Scan(&want); err != nil {
				t.Fatal(err)
			}
			if page.Kept == nil || page.Kept.N != want {
				t.Errorf("%v %s: kept total %+v, recount %d", scope, f.Summary(), page.Kept, want)
			}
		}
	}
}

// A jurisdiction no account can have — no tier, or no division — counts and lists nothing rather than everything.
func TestNoJurisdictionSeesNothing(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	for _, scope := range []portal.Scope{{}, {Tier: portal.TierDistrict}, {Tier: "province", Division: "500000"}} {
		if n, err := db.CountOrganizations(ctx, scope, registry.OrgFilter{}); err == nil {
			t.Errorf("%+v: counted %+v organizations", scope, n)
		}
		if page, err := db.ListOrganizationsPage(ctx, scope, registry.OrgFilter{TownCode: seed.TownShuanglonghu}, 0, 50); err == nil {
			t.Errorf("%+v: listed %d organizations", scope, len(page.Rows))
		}
		page, err := db.ListActivityReportsPage(ctx, scope, registry.ReportFilter{TownCode: seed.TownShuanglonghu},
			registry.ReportCursor{}, 50)
		if err != nil || len(page.Rows) != 0 || page.Count.N != 0 {
			t.Errorf("%+v: reports %d, total %+v, err %v", scope, len(page.Rows), page.Count, err)
		}
	}
}

// The name order's cursor is an id; an id outside the scope (another town's organization) gives an empty page,
// exactly as an id that does not exist does, so the cursor cannot tell whether another jurisdiction's id exists.
func TestNameCursorOutsideTheScopeGivesNothing(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	var other, own int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE town_code <> $1 ORDER BY name, id LIMIT 1`, seed.TownShuanglonghu).Scan(&other); err != nil {
		t.Fatal(err)
	}
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM organizations WHERE town_code = $1 ORDER BY name, id LIMIT 1`, seed.TownShuanglonghu).Scan(&own); err != nil {
		t.Fatal(err)
	}
	f := registry.OrgFilter{Sort: registry.SortName}
	rows, err := db.ListOrganizations(ctx, townA, f, other, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 0 {
		t.Fatalf("a cursor on another town's organization %d gave 双龙湖 %d rows, want none (as for a missing id)", other, len(rows))
	}
	if rows, err := db.ListOrganizations(ctx, townA, f, own, 20); err != nil || len(rows) == 0 {
		t.Fatalf("a cursor on 双龙湖's own first organization: %d rows, %v", len(rows), err)
	}
}
