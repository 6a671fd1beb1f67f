package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
)

// A search for a common term walks a window of the newest rows and asks the bigram index for the rest only
// when the window did not fill the page. Paged through to the end, it must find exactly what a plain scan
// finds, in the same order, wherever the matches lie: thick among the oldest rows, absent from a stretch
// longer than the window, thin among the newest, and split between two towns. The first page's window holds
// four of the six rows asked for, and the row just past its edge (the 41st newest, 锦华舞蹈360队) matches.
func TestWindowSearchFindsWhatAScanFinds(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	defer postgres.SetSearchWindow(40)()
	fillAnalyzed(t, db, `
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name)
		SELECT left(c, 6), left(c, 9), c, CASE WHEN i % 4 = 0 THEN 'filed' ELSE 'guided' END, '未登记团体',
		       CASE WHEN (i <= 150 AND i % 2 = 0) OR (i > 350 AND i % 10 = 0) THEN '锦华舞蹈' || i || '队'
		            ELSE '锦华读书' || i || '会' END
		FROM generate_series(1, 400) AS i,
		     LATERAL (SELECT CASE WHEN i % 3 = 0 THEN $2 ELSE $1 END AS c) AS pick`, communityA, communityB)
	const limit = 6 // a window of 40 rows should hold a page of 舞蹈 (a fifth of the names)
	f := registry.OrgFilter{Query: "舞蹈"}
	plan, err := db.ExplainListOrganizations(ctx, district, f, 0, limit)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "CTE w") {
		t.Fatalf("a common term's search does not walk the window first:\n%s", plan)
	}
	// No index gives a 服务领域's list newest first: gathering its window could read the whole jurisdiction.
	plan, err = db.ExplainListOrganizations(ctx, district, registry.OrgFilter{Query: "舞蹈", Field: "文体娱乐"}, 0, limit)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plan, "CTE w") {
		t.Errorf("a search filtered by 服务领域 walks the window:\n%s", plan)
	}
	for _, c := range []struct {
		name  string
		scope portal.Scope
		f     registry.OrgFilter
		where string
	}{
		{"district", district, f, "true"},
		{"town", townA, f, "town_code = '" + townA.Division + "'"},
		{"other town", townB, f, "town_code = '" + townB.Division + "'"},
		{"district, filed", district, registry.OrgFilter{Query: "舞蹈", Tier: "filed"}, "tier = 'filed'"},
		{"community", communityS, f, "community_code = '" + communityB + "'"},
	} {
		var want []int64
		rows, err := db.Pool.Query(ctx, `SELECT id FROM organizations WHERE `+c.where+
			` AND strpos(name, '舞蹈') > 0 ORDER BY id DESC`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			want = append(want, id)
		}
		if rows.Err() != nil || len(want) < 2*limit {
			t.Fatalf("%s: %d matches to page through (%v)", c.name, len(want), rows.Err())
		}
		var got []int64
		var after int64
		for pages := 0; ; pages++ {
			page, err := db.ListOrganizations(ctx, c.scope, c.f, after, limit)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page {
				got = append(got, r.ID)
			}
			if len(page) < limit || pages > len(want) {
				break
			}
			after = page[len(page)-1].ID
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: paged search found\n%v\nwant\n%v", c.name, got, want)
		}
	}
}

// A term the statistics call rare goes to the bigram index at once; walking the window first would only add
// the walk.
func TestRareTermSearchAsksTheIndexAtOnce(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	defer postgres.SetSearchWindow(40)()
	fillAnalyzed(t, db, `
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name)
		SELECT left($1, 6), left($1, 9), $1, 'guided', '未登记团体',
		       CASE WHEN i = 7 THEN '锦华舞蹈队' ELSE '锦华读书' || i || '会' END
		FROM generate_series(1, 400) AS i`, communityA)
	plan, err := db.ExplainListOrganizations(ctx, district, registry.OrgFilter{Query: "舞蹈"}, 0, 6)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plan, "CTE w") {
		t.Errorf("a rare term's search walks the window:\n%s", plan)
	}
	rows, err := db.ListOrganizations(ctx, district, registry.OrgFilter{Query: "舞蹈"}, 0, 6)
	if err != nil || len(rows) != 1 || rows[0].Name != "锦华舞蹈队" {
		t.Errorf("rare term found %v, %v", names(rows), err)
	}
}

// A term's share is at most its rarest piece's; a piece the statistics do not list is rarer than all listed.
func TestTermShareIsItsRarestPiece(t *testing.T) {
	share := map[string]float64{"舞蹈": 0.3, "蹈协": 0.02, "协会": 0.4}
	for _, c := range []struct {
		term string
		want float64
		ok   bool
	}{
		{"舞蹈", 0.3, true},
		{"舞蹈协会", 0.02, true},
		{"舞蹈队", 0.001, true}, // 蹈队 is not listed
		{"舞", 0, false},
		{"\xff\xfe", 0, false},
	} {
		got, ok := postgres.TermShare(c.term, share, 0.001)
		if got != c.want || ok != c.ok {
			t.Errorf("termShare(%q) = %v, %v; want %v, %v", c.term, got, ok, c.want, c.ok)
		}
	}
	if _, ok := postgres.TermShare("舞蹈", nil, 0); ok {
		t.Error("a share without statistics")
	}
}

// fillAnalyzed runs an INSERT of test organizations and then VACUUM ANALYZE, as autovacuum would: the planner's
// choices and the bigram statistics that choose how a search runs both come from it.
func fillAnalyzed(t *testing.T, db *postgres.DB, insert string, args ...any) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, insert, args...); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `VACUUM ANALYZE organizations`); err != nil {
		t.Fatal(err)
	}
}
