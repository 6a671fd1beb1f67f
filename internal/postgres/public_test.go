package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/testdb"
)

// pageThrough reads the public directory from its start to its end and returns the ids in order, and how many
// pages stopped at the walk's bound.
func pageThrough(t *testing.T, db *postgres.DB, f registry.PublicFilter, limit int) (ids []int64, partial int) {
	t.Helper()
	var c registry.PublicCursor
	for range 1000 {
		p, err := db.PublicOrganizations(context.Background(), district, f, c, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Rows) > limit {
			t.Fatalf("a page of %d rows, asked for %d", len(p.Rows), limit)
		}
		for _, r := range p.Rows {
			ids = append(ids, r.ID)
			if r.TownName == "" || r.CommunityName == "" {
				t.Fatalf("row %d has no division names", r.ID)
			}
		}
		if p.Partial {
			partial++
		}
		if p.Next == nil {
			return ids, partial
		}
		c = *p.Next
	}
	t.Fatal("the directory never ended")
	return nil, 0
}

// Paged to the end, the public directory finds exactly what a plain scan finds, in the same order, for every
// kind of walk (a term's postings, a 服务领域's postings, the name order, the plain list), also when the walk's
// bound is far smaller than the list so that pages stop short and continue, and when a search's second tier
// walks more candidates than it reads postings of each other key (walk 60: 42 in the first tier, 18 in the
// second, at most 2 postings of each other key, below which candidates are probed).
func TestPublicDirectoryFindsWhatAScanFinds(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	if _, err := db.Pool.Exec(ctx, `
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name, fields,
			status, status_on, status_reason)
		SELECT left(c, 6), left(c, 9), c, CASE WHEN i % 4 = 0 THEN 'filed' ELSE 'guided' END, '未登记团体',
		       CASE WHEN (i <= 150 AND i % 2 = 0) OR (i > 350 AND i % 10 = 0) THEN '锦华舞蹈' || i || '队'
		            WHEN i % 7 = 0 THEN '回兴舞狮' || i || '队'
		            ELSE '锦华读书' || i || '会' END,
		       CASE WHEN i % 5 = 0 THEN '{养老照护,文体娱乐}'::text[] ELSE '{文体娱乐}'::text[] END,
		       CASE WHEN i % 9 = 0 THEN 'dissolved' ELSE 'normal' END,
		       CASE WHEN i % 9 = 0 THEN date '2024-05-01' END,
		       CASE WHEN i % 9 = 0 THEN '成员解散' ELSE '' END
		FROM generate_series(1, 400) AS i,
		     LATERAL (SELECT CASE WHEN i % 3 = 0 THEN $2 ELSE $1 END AS c) AS pick`, communityA, communityB); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		f     registry.PublicFilter
		where string
		order string
	}{
		{"term", registry.PublicFilter{Query: "舞蹈"}, "strpos(name, '舞蹈') > 0 AND status = 'normal'", "id DESC"},
		{"whole word", registry.PublicFilter{Query: "华舞蹈3"}, "strpos(name, '华舞蹈3') > 0 AND status = 'normal'", "id DESC"},
		{"no match", registry.PublicFilter{Query: "舞书"}, "false", "id DESC"},
		{"long term", registry.PublicFilter{Query: "锦华舞蹈36"}, "strpos(name, '锦华舞蹈36') > 0 AND status = 'normal'", "id DESC"},
		{"term, closed too", registry.PublicFilter{Query: "舞", Closed: true}, "false", "id DESC"},
		{"term and town", registry.PublicFilter{Query: "锦华", TownCode: townB.Division},
			"strpos(name, '锦华') > 0 AND status = 'normal' AND town_code = '" + townB.Division + "'", "id DESC"},
		{"field", registry.PublicFilter{Field: "养老照护", Closed: true}, "'养老照护' = ANY(fields)", "id DESC"},
		{"term and field", registry.PublicFilter{Query: "舞狮", Field: "养老照护"},
			"strpos(name, '舞狮') > 0 AND '养老照护' = ANY(fields) AND status = 'normal'", "id DESC"},
		{"dissolved", registry.PublicFilter{Status: registry.StatusDissolved}, "status = 'dissolved'", "id DESC"},
		{"term in a community", registry.PublicFilter{Query: "锦华", TownCode: townA.Division, Community: communityA},
			"strpos(name, '锦华') > 0 AND status = 'normal' AND community_code = '" + communityA + "'", "id DESC"},
		{"field in a community", registry.PublicFilter{Field: "养老照护", TownCode: townB.Division, Community: communityB},
			"'养老照护' = ANY(fields) AND status = 'normal' AND community_code = '" + communityB + "'", "id DESC"},
		{"tier", registry.PublicFilter{Tier: registry.TierFiled}, "tier = 'filed' AND status = 'normal'", "id DESC"},
		{"by name", registry.PublicFilter{Sort: registry.SortName, Community: communityB},
			"community_code = '" + communityB + "' AND status = 'normal'", "name, id"},
		{"term by name", registry.PublicFilter{Sort: registry.SortName, Query: "舞狮"},
			"strpos(name, '舞狮') > 0 AND status = 'normal'", "name, id"},
	}
	for _, bound := range []struct{ walk, span int }{{2000, 1000}, {60, 2}, {7, 3}} {
		walk := bound.walk
		restore := postgres.SetPublicWalk(walk, min(walk/2, 1000), bound.span)
		for _, c := range cases {
			var want []int64
			rows, err := db.Pool.Query(ctx, `SELECT id FROM organizations WHERE `+c.where+` ORDER BY `+c.order)
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
			got, partial := pageThrough(t, db, c.f, 6)
			if !slices.Equal(got, want) {
				t.Errorf("walk %d, %s: got %d rows %v…, want %d %v…", walk, c.name, len(got), head(got), len(want), head(want))
			}
			if walk == 2000 && partial > 0 {
				t.Errorf("%s: %d pages stopped at a bound larger than the list", c.name, partial)
			}
		}
		restore()
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 8)] }

// The postings follow a group's name and 服务领域 when they change, and a dissolved group's reason and date
// show only for it.
func TestPublicPostingsFollowChanges(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	ids := insertOrgs(t, db, communityA, "双龙湖街道甲社区启航书画队", "双龙湖街道甲社区晨曦太极队")
	find := func(q string) []int64 {
		p, err := db.PublicOrganizations(ctx, district, registry.PublicFilter{Query: q}, registry.PublicCursor{}, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, r := range p.Rows {
			out = append(out, r.ID)
		}
		return out
	}
	if got := find("书画"); !slices.Equal(got, ids[:1]) {
		t.Fatalf("书画: %v", got)
	}
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET name = '双龙湖街道甲社区启航合唱队', fields = '{养老照护}' WHERE id = $1`, ids[0]); err != nil {
		t.Fatal(err)
	}
	if got := find("书画"); len(got) != 0 {
		t.Errorf("an old name still found: %v", got)
	}
	if got := find("合唱"); !slices.Equal(got, ids[:1]) {
		t.Errorf("the new name not found: %v", got)
	}
	p, err := db.PublicOrganizations(ctx, district, registry.PublicFilter{Field: "养老照护"}, registry.PublicCursor{}, 10)
	if err != nil || len(p.Rows) != 1 || p.Rows[0].ID != ids[0] {
		t.Errorf("the new 服务领域 not found: %v %v", p.Rows, err)
	}
	if got := find("社区"); !slices.Equal(got, []int64{ids[1], ids[0]}) {
		t.Errorf("社区, newest first: %v", got)
	}
}

// A profile holds public fields only: the leader's name appears only when the group publishes its contact,
// and never a phone or 身份证号; its community's office is how to reach it.
func TestPublicProfileIsPublicOnly(t *testing.T) {
	db := newRegistryDB(t)
	ctx := context.Background()
	ids := insertOrgs(t, db, communityA, "双龙湖街道甲社区启航书画队", "双龙湖街道甲社区晨曦太极队")
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET publish_contact = true WHERE id = $1`, ids[1]); err != nil {
		t.Fatal(err)
	}
	if err := db.SetCommunityOffice(ctx, townA, portal.Actor{Username: "t"}, registry.CommunityOffice{
		CommunityCode: communityA, Phone: "023-67001234", Address: "双龙湖街道某路 1 号", Hours: "工作日 9:00-17:00"}); err != nil {
		t.Fatal(err)
	}
	o, err := db.PublicOrganization(ctx, district, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if o.LeaderName != "" || o.Office.Phone != "023-67001234" || o.TownName == "" {
		t.Errorf("profile: leader %q, office %+v", o.LeaderName, o.Office)
	}
	o, err = db.PublicOrganization(ctx, district, ids[1])
	if err != nil || o.LeaderName != "张三" {
		t.Errorf("published contact: %q %v", o.LeaderName, err)
	}
	if _, err := db.PublicOrganization(ctx, townB, ids[0]); err != portal.ErrNotFound {
		t.Errorf("outside scope: %v", err)
	}
	if err := db.SetCommunityOffice(ctx, townB, portal.Actor{Username: "t"}, registry.CommunityOffice{CommunityCode: communityA}); err != portal.ErrNotFound {
		t.Errorf("another town set the office: %v", err)
	}
	d, err := db.PublicDivision(ctx, district, townA.Division)
	if err != nil || d.Live != 2 || len(d.Children) == 0 {
		t.Errorf("town page: %+v %v", d, err)
	}
	d, err = db.PublicDivision(ctx, district, communityA)
	if err != nil || d.Live != 2 || d.Office.Phone != "023-67001234" || !strings.Contains(d.ParentName, "双龙湖") {
		t.Errorf("community page: %+v %v", d, err)
	}
	if _, err := db.PublicDivision(ctx, district, "500113001"); err != portal.ErrNotFound {
		t.Errorf("another district's town: %v", err)
	}
}

// A 备案编号 or 统一社会信用代码 finds its group, with its status; an unknown number is ErrNotFound.
func TestPublicCheckByNumber(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	var filingNo, uscc string
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT filing_no FROM organizations WHERE filing_no IS NOT NULL LIMIT 1),
		(SELECT uscc FROM organizations WHERE uscc IS NOT NULL LIMIT 1)`).Scan(&filingNo, &uscc); err != nil {
		t.Fatal(err)
	}
	for _, n := range []struct {
		kind   registry.NumberKind
		number string
	}{{registry.NumberFiling, filingNo}, {registry.NumberUSCC, uscc}} {
		c, err := db.PublicCheck(ctx, district, n.kind, n.number)
		if err != nil || c.Name == "" || c.TownName == "" || (c.FilingNo != n.number && c.USCC != n.number) {
			t.Errorf("%s %s: %+v %v", n.kind, n.number, c, err)
		}
		if _, err := db.PublicCheck(ctx, district, n.kind, n.number+"9"); err != portal.ErrNotFound {
			t.Errorf("unknown %s: %v", n.kind, err)
		}
	}
	// A 备案编号 looked up as a USCC finds nothing.
	if _, err := db.PublicCheck(ctx, district, registry.NumberUSCC, filingNo); err != portal.ErrNotFound {
		t.Errorf("a filing number as a USCC: %v", err)
	}
}

// Two extracts of the open data name every record alike, and carry no personal data.
func TestOpenDataIsStableAndPublic(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	extract := func() []registry.OpenOrg {
		var out []registry.OpenOrg
		if err := db.OpenData(ctx, district, func(o registry.OpenOrg) error { out = append(out, o); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := extract()
	if _, err := db.Pool.Exec(ctx, `UPDATE organizations SET status = 'dissolved', status_on = '2025-01-02', status_reason = '成员解散'
		WHERE id = (SELECT min(id) FROM organizations)`); err != nil {
		t.Fatal(err)
	}
	second := extract()
	if len(first) == 0 || len(first) != len(second) {
		t.Fatalf("extracts of %d and %d rows", len(first), len(second))
	}
	for i := range first {
		for _, kind := range []string{"organizations", "services", "locations"} {
			a := registry.OpenRecord(kind, first[i], "", "2025-01-01")
			b := registry.OpenRecord(kind, second[i], "", "2025-01-02")
			if a[0] != b[0] {
				t.Fatalf("%s id of org %d changed: %s → %s", kind, first[i].ID, a[0], b[0])
			}
		}
	}
	if second[0].Status != registry.StatusDissolved || second[0].StatusReason != "成员解散" {
		t.Errorf("a dissolved group: %+v", second[0])
	}
}

// The open data streams for as long as its rows take: the page's statement_timeout (PORTAL_DB_TIMEOUT on the
// serving connections) does not apply to it. At 2 million organizations it once cut the CSV short after 10 MB;
// here a limit of 1 ms, far shorter than the extract's statement, stands in for that.
func TestOpenDataOutlastsThePageStatementLimit(t *testing.T) {
	db, u := testdb.NewWithURL(t)
	ctx := context.Background()
	serving, err := postgres.Open(ctx, postgres.ServingURL(u, time.Millisecond), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer serving.Close()
	if _, err := serving.Pool.Exec(ctx, `SELECT pg_sleep(0.05)`); err == nil {
		t.Fatal("the 1 ms statement limit is not in force, so this test would prove nothing")
	}
	count := func(db *postgres.DB) (n int) {
		err := db.OpenData(ctx, district, func(registry.OpenOrg) error {
			n++
			time.Sleep(time.Millisecond) // a slow reader: the statement lasts at least as long as the reading
			return nil
		})
		if err != nil {
			t.Fatalf("open data under a 1 ms page limit: %v", err)
		}
		return n
	}
	want := count(db)
	if got := count(serving); got != want || want == 0 {
		t.Fatalf("the extract under the page limit has %d organizations, want %d", got, want)
	}
}
