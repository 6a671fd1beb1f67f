package server

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/web"
)

// Communities the list tests put organizations in: two in 双龙湖街道 (demo-town), two in 统景镇 (demo-town2).
const (
	listCommunityA  = seed.CommunityDemo      // demo-community's 社区
	listCommunityA2 = "500112002002"          // another 社区 of 双龙湖街道
	listCommunityB  = seed.CommunityDemoRural // demo-community2's 村
	listCommunityB2 = "500112133201"          // another 村 of 统景镇
	listPhone       = "13812345678"           // every test organization's leader phone, sealed at rest
)

// orgListInsert adds guided groups to a community with plain SQL, the leader phone sealed and masked as the
// store does, and returns their ids. The names carry words the demo organizations do not use, so the tests hold
// whatever demo data the template has.
func orgListInsert(t *testing.T, a *app, community string, names ...string) []int64 {
	t.Helper()
	box, err := sealbox.New(a.cfg.DataKey)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(names))
	for i, name := range names {
		err := a.db.Pool.QueryRow(context.Background(), `
			INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name, fields,
				nature, leader_name, leader_phone_enc, leader_phone_mask, founded_on)
			VALUES (left($1, 6), left($1, 9), $1, 'guided', '未登记团体', $2, '{文体娱乐,邻里互助}', '互助性', $3, $4,
				'138****5678', '2021-07-21')
			RETURNING id`, community, name, "李四", box.Seal(listPhone, "leader_phone")).Scan(&ids[i])
		if err != nil {
			t.Fatalf("insert %s: %v", name, err)
		}
	}
	return ids
}

// listedOrgs is the list page's rows: name → [href, town, community, leader, status].
func listedOrgs(t *testing.T, res response) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	res.doc(t).Find("#orgs tbody tr").Each(func(_ int, tr *goquery.Selection) {
		td := tr.Find("td")
		a := td.Eq(0).Find("a")
		href, _ := a.Attr("href")
		out[a.Text()] = []string{href, td.Eq(3).Text(), td.Eq(4).Text(), td.Eq(6).Text(), td.Eq(7).Text()}
	})
	return out
}

func totalOf(t *testing.T, res response) int {
	t.Helper()
	m := regexp.MustCompile(`^共 (\d+) 个组织$`).FindStringSubmatch(strings.TrimSpace(res.doc(t).Find("#org-total").Text()))
	if m == nil {
		t.Fatalf("no total line in %s", res.Body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestOrgListShowsOnlyInScopeRows(t *testing.T) {
	a := newApp(t, nil)
	orgListInsert(t, a, listCommunityA, "锦华社区鹦鹉舞蹈队")
	orgListInsert(t, a, listCommunityA2, "碧波社区鹦鹉合唱团")
	orgListInsert(t, a, listCommunityB, "统景村鹦鹉腰鼓队")
	orgListInsert(t, a, listCommunityB2, "统景村鹦鹉读书会")
	mine := []string{"锦华社区鹦鹉舞蹈队", "碧波社区鹦鹉合唱团", "统景村鹦鹉腰鼓队", "统景村鹦鹉读书会"}

	cases := []struct {
		user, path string
		town       string // every row's 所在镇街, or "" for any
		community  string // every row's code prefix
		want       []string
		sqlScope   string
	}{
		{"demo-district", "/district/orgs", "", seed.DistrictCode, mine, `district_code = '500112'`},
		{"demo-town", "/town/orgs", "双龙湖街道", seed.TownShuanglonghu, mine[:2], `town_code = '500112002'`},
		{"demo-town2", "/town/orgs", "统景镇", seed.TownTongjing, mine[2:], `town_code = '500112133'`},
		{"demo-community2", "/community/orgs", "统景镇", listCommunityB, mine[2:3], `community_code = '500112133200'`},
	}
	for _, c := range cases {
		cl := a.signedIn(c.user)
		// The search narrows the list to this test's rows (they are also the newest, on the first page anyway).
		res := cl.get(c.path + "?q=" + url.QueryEscape("鹦鹉"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", c.user, res.StatusCode)
		}
		rows := listedOrgs(t, res)
		var got []string
		for name, r := range rows {
			got = append(got, name)
			if c.town != "" && r[1] != c.town {
				t.Errorf("%s sees %s in %s", c.user, name, r[1])
			}
			if !regexp.MustCompile(`^` + c.path + `/\d+$`).MatchString(r[0]) {
				t.Errorf("%s: link %q", c.user, r[0])
			}
			if r[3] != "李四 138****5678" || r[4] != "正常" {
				t.Errorf("%s: leader %q status %q", c.user, r[3], r[4])
			}
		}
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: rows %q, want %q", c.user, got, want)
		}
		if n := totalOf(t, res); n != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.user, n, len(c.want))
		}
		// Unfiltered, the total is every organization in the jurisdiction and no other.
		res = cl.get(c.path)
		if n, want := totalOf(t, res), a.count(`SELECT count(*) FROM organizations WHERE `+c.sqlScope); n != want {
			t.Errorf("%s: unfiltered total %d, want %d", c.user, n, want)
		}
		for name, r := range listedOrgs(t, res) {
			if c.town != "" && r[1] != c.town {
				t.Errorf("%s sees %s of %s unfiltered", c.user, name, r[1])
			}
		}
		if strings.Contains(res.Body, listPhone) {
			t.Errorf("%s: the page holds a full phone number", c.user)
		}
	}
}

func TestOrgListNameSearch(t *testing.T) {
	a := newApp(t, nil)
	orgListInsert(t, a, listCommunityA, "锦华社区鹦鹉舞蹈队", "锦华社区鹦鹉合唱团", "锦华社区鹦读书会", "锦华社区鹉鹦太极队")
	d := a.signedIn("demo-district")
	res := d.get("/district/orgs?q=" + url.QueryEscape(" 鹦鹉 "))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	rows := listedOrgs(t, res)
	for name := range rows {
		if !strings.Contains(name, "鹦鹉") {
			t.Errorf("search for 鹦鹉 lists %s", name)
		}
	}
	for _, name := range []string{"锦华社区鹦鹉舞蹈队", "锦华社区鹦鹉合唱团"} {
		if rows[name] == nil {
			t.Errorf("search for 鹦鹉 misses %s", name)
		}
	}
	if n := totalOf(t, res); n != 2 {
		t.Errorf("total %d, want 2", n)
	}
	if v, _ := res.doc(t).Find("#q").Attr("value"); v != "鹦鹉" {
		t.Errorf("search field keeps %q", v)
	}
	// Every filter together, on a town's list: the filters are kept in the export and page links.
	tn := a.signedIn("demo-town")
	res = tn.get("/town/orgs?" + url.Values{"q": {"鹦鹉"}, "status": {"normal"}, "field": {"邻里互助"},
		"tier": {"guided"}, "form": {"未登记团体"}, "nature": {"互助性"}, "party": {"未覆盖"},
		"community": {listCommunityA}, "sort": {"name"}}.Encode())
	if res.StatusCode != http.StatusOK || totalOf(t, res) != 2 {
		t.Fatalf("all filters: %d", res.StatusCode)
	}
	href, _ := res.doc(t).Find("#export-csv").Attr("href")
	if !strings.HasPrefix(href, "/town/orgs/export.csv?") || !strings.Contains(href, "field=%E9%82%BB") ||
		!strings.Contains(href, "community="+listCommunityA) || !strings.Contains(href, "sort=name") {
		t.Errorf("export link %q", href)
	}
}

func TestOrgListOneCharacterSearchIs422(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	res := d.get("/district/orgs?" + url.Values{"q": {"鹦"}, "status": {"abnormal"}, "town": {seed.TownTongjing}}.Encode())
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	doc := res.doc(t)
	field := doc.Find("#q").Closest(".field")
	if !field.HasClass("bad") || !strings.Contains(field.Find(".msg").Text(), "至少需要 2 个字") {
		t.Errorf("no message at the search field: %q", field.Text())
	}
	if v, _ := doc.Find("#q").Attr("value"); v != "鹦" {
		t.Errorf("search field keeps %q", v)
	}
	if v, _ := doc.Find("#status option[selected]").Attr("value"); v != "abnormal" {
		t.Errorf("status filter not kept: %q", v)
	}
	if v, _ := doc.Find("#town option[selected]").Attr("value"); v != seed.TownTongjing {
		t.Errorf("town filter not kept: %q", v)
	}
	if doc.Find("#orgs tbody tr").Length() != 0 || doc.Find(".errors").Length() != 1 {
		t.Errorf("a refused search shows rows or no summary")
	}
	// The exports refuse it the same way.
	if res := d.get("/district/orgs/export.csv?q=" + url.QueryEscape("鹦")); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("export with one-character term: %d", res.StatusCode)
	}
}

func TestOrgListOutOfScopeFilterIs422(t *testing.T) {
	a := newApp(t, nil)
	orgListInsert(t, a, listCommunityA, "锦华社区鹦鹉舞蹈队")
	cases := []struct{ user, path, field string }{
		{"demo-town2", "/town/orgs?town=" + seed.TownShuanglonghu, "town"},
		{"demo-town2", "/town/orgs?community=" + listCommunityA, "community"},
		{"demo-town2", "/town/orgs/export.xlsx?town=" + seed.TownShuanglonghu, "town"},
		{"demo-town2", "/town/orgs/export.csv?community=" + listCommunityA, "community"},
		{"demo-community2", "/community/orgs?community=" + listCommunityB2, "community"},
		{"demo-community2", "/community/orgs?town=" + seed.TownShuanglonghu, "town"},
		{"demo-district", "/district/orgs?town=" + seed.TownTongjing + "&community=" + listCommunityA, "community"},
		{"demo-district", "/district/orgs?town=999999999", "town"},
		{"demo-district", "/district/orgs?status=gone", "status"},
	}
	for _, c := range cases {
		res := a.signedIn(c.user).get(c.path)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s %s: %d, want 422", c.user, c.path, res.StatusCode)
			continue
		}
		if strings.Contains(res.Body, "锦华社区鹦鹉舞蹈队") || strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s %s: refused filter still shows rows", c.user, c.path)
		}
		if !strings.Contains(res.Body, `<div class="msg">`) || !strings.Contains(res.Body, "errors") {
			t.Errorf("%s %s: no field message", c.user, c.path)
		}
	}
	// A town naming itself is fine.
	if res := a.signedIn("demo-town").get("/town/orgs?town=" + seed.TownShuanglonghu); res.StatusCode != http.StatusOK {
		t.Errorf("own town filter: %d", res.StatusCode)
	}
}

// The district's community select offers one town's communities once a town is chosen; a town's offers its own.
func TestOrgListCommunitySelect(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	doc := d.get("/district/orgs").doc(t)
	if doc.Find("#town option").Length() != 31 || doc.Find("#community option").Length() != 1 ||
		doc.Find("#community-hint").Length() != 1 {
		t.Errorf("district without a town: %d towns, %d communities", doc.Find("#town option").Length(),
			doc.Find("#community option").Length())
	}
	want := a.count(`SELECT count(*) FROM divisions WHERE parent_code = $1`, seed.TownTongjing)
	for _, path := range []string{"/district/orgs?town=" + seed.TownTongjing, "/district/orgs?community=" + listCommunityB} {
		doc = d.get(path).doc(t)
		if n := doc.Find("#community option").Length(); n != want+1 {
			t.Errorf("%s: %d community options, want %d", path, n, want+1)
		}
		doc.Find("#community option").Each(func(_ int, s *goquery.Selection) {
			if v, _ := s.Attr("value"); v != "" && !strings.HasPrefix(v, seed.TownTongjing) {
				t.Errorf("%s offers %s", path, v)
			}
		})
	}
	doc = a.signedIn("demo-town").get("/town/orgs").doc(t)
	if doc.Find("#town").Length() != 0 || doc.Find("#community option").Length() !=
		a.count(`SELECT count(*) FROM divisions WHERE parent_code = $1`, seed.TownShuanglonghu)+1 {
		t.Errorf("town list selects: %d towns, %d communities", doc.Find("#town").Length(), doc.Find("#community option").Length())
	}
	doc = a.signedIn("demo-community").get("/community/orgs").doc(t)
	if doc.Find("#town, #community").Length() != 0 {
		t.Error("a community's list offers division selects")
	}
}

// With 120 rows and pages of 50, the next links visit all 120 once, newest first, then stop; the first-page
// link and the filters survive every step.
func TestOrgListPagination(t *testing.T) {
	a := newApp(t, nil)
	var names []string
	for i := range 120 {
		names = append(names, "统景村鹦鹉第"+strconv.Itoa(1000+i)+"队")
	}
	ids := orgListInsert(t, a, listCommunityB, names...)
	c := a.signedIn("demo-community2")
	path := "/community/orgs?q=" + url.QueryEscape("鹦鹉") + "&status=normal"
	var seen []int64
	pages := 0
	for path != "" {
		res := c.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		pages++
		doc := res.doc(t)
		// A search's total is not counted past one page (at 2 M organizations a common word has 100k
		// matches); the line says there are more than a page.
		if line := strings.TrimSpace(doc.Find("#org-total").Text()); !strings.Contains(line, "超过 50 个") {
			t.Fatalf("page %d total line %q", pages, line)
		}
		doc.Find("#orgs tbody tr td:first-child a").Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			id, _ := strconv.ParseInt(href[strings.LastIndexByte(href, '/')+1:], 10, 64)
			seen = append(seen, id)
		})
		first, hasFirst := doc.Find("#page-first").Attr("href")
		if pages > 1 && (!hasFirst || !strings.Contains(first, "q=") || strings.Contains(first, "after=")) {
			t.Errorf("page %d: first-page link %q", pages, first)
		}
		next, ok := doc.Find("#page-next").Attr("href")
		if ok && (!strings.Contains(next, "status=normal") || !strings.Contains(next, "q=")) {
			t.Errorf("next link drops the filters: %q", next)
		}
		path = next
		if pages > 5 {
			t.Fatal("the next links do not end")
		}
	}
	if pages != 3 || len(seen) != 120 {
		t.Fatalf("%d pages, %d rows", pages, len(seen))
	}
	want := slices.Clone(ids)
	slices.Reverse(want)
	if !slices.Equal(seen, want) {
		t.Fatalf("rows not each once, newest first:\n%v\n%v", seen, want)
	}
}

func TestOrgExportXLSX(t *testing.T) {
	a := newApp(t, nil)
	orgListInsert(t, a, listCommunityA, "锦华社区鹦鹉舞蹈队")
	orgListInsert(t, a, listCommunityB, "统景村鹦鹉腰鼓队", "=HYPERLINK(\"http://x\",\"鹦鹉\")")
	before := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.export'`)
	c := a.signedIn("demo-town2")
	res := c.get("/town/orgs/export.xlsx")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type %q", ct)
	}
	cd := res.Header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, "attachment; ") || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("统景镇社会组织名录-")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	f, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("社会组织")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], web.OrgExportHeader) {
		t.Errorf("header %q", rows[0])
	}
	want := a.count(`SELECT count(*) FROM organizations WHERE town_code = $1`, seed.TownTongjing)
	if len(rows)-1 != want {
		t.Errorf("%d rows, want %d", len(rows)-1, want)
	}
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[1]] = r
		if r[6] != "统景镇" {
			t.Errorf("demo-town2's export holds %s of %s", r[1], r[6])
		}
		for _, cell := range r {
			if regexp.MustCompile(`1[3-9]\d{9}`).MatchString(cell) {
				t.Errorf("full phone number in %s: %q", r[1], cell)
			}
		}
	}
	if byName["锦华社区鹦鹉舞蹈队"] != nil {
		t.Error("demo-town2's export holds demo-town's organization")
	}
	if r := byName["统景村鹦鹉腰鼓队"]; r == nil || r[14] != "138****5678" || r[13] != "李四" || r[16] != "2021-07-21" {
		t.Errorf("row = %q", r)
	}
	if byName[`'=HYPERLINK("http://x","鹦鹉")`] == nil {
		t.Errorf("formula cell not neutralised")
	}
	for i := 2; i <= len(rows); i++ {
		if fm, _ := f.GetCellFormula("社会组织", "B"+strconv.Itoa(i)); fm != "" {
			t.Errorf("B%d holds formula %q", i, fm)
		}
	}
	if after := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.export' AND actor_username = 'demo-town2'
		AND result = 'ok' AND detail LIKE 'xlsx ' || $1 || ' 行%'`, strconv.Itoa(want)); after != before+1 {
		t.Errorf("audit rows for the export: %d", after-before)
	}

	// The district's export holds both towns.
	res = a.signedIn("demo-district").get("/district/orgs/export.xlsx?q=" + url.QueryEscape("鹦鹉"))
	f2, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	rows, _ = f2.GetRows("社会组织")
	if len(rows) != 4 {
		t.Errorf("district search export: %d rows, want 3 and the header", len(rows))
	}
}

func TestOrgExportCSV(t *testing.T) {
	a := newApp(t, nil)
	orgListInsert(t, a, listCommunityA, "锦华社区鹦鹉舞蹈队", "@SUM(1+1)*cmd|鹦鹉", "-2+3+cmd|鹦鹉")
	orgListInsert(t, a, listCommunityB, "统景村鹦鹉腰鼓队")
	c := a.signedIn("demo-community")
	res := c.get("/community/orgs/export.csv?q=" + url.QueryEscape("鹦鹉"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.HasPrefix(res.Body, "\ufeff系统编号,名称,") {
		t.Fatalf("no BOM and header: %q", res.Body[:min(40, len(res.Body))])
	}
	if !strings.Contains(res.Header.Get("Content-Disposition"), ".csv") {
		t.Errorf("Content-Disposition %q", res.Header.Get("Content-Disposition"))
	}
	body := res.Body
	for _, want := range []string{"锦华社区鹦鹉舞蹈队", "'@SUM(1+1)*cmd|鹦鹉", "'-2+3+cmd|鹦鹉", "138****5678"} {
		if !strings.Contains(body, want) {
			t.Errorf("CSV lacks %s", want)
		}
	}
	for _, bad := range []string{"统景村鹦鹉腰鼓队", listPhone, ",@SUM", ",-2+3"} {
		if strings.Contains(body, bad) {
			t.Errorf("CSV holds %q", bad)
		}
	}
	if n := strings.Count(body, "\r\n"); n != 4 {
		t.Errorf("%d lines, want the header and 3 rows", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.export' AND actor_username = 'demo-community'
		AND detail LIKE 'csv 3 行; q=鹦鹉%'`); n != 1 {
		t.Errorf("%d audit rows for the CSV export", n)
	}
}

// An export the client abandons half-way still leaves its audit row, marked failed with the rows reached. The
// file (about 15 MB) is larger than the loopback socket buffers, so the server cannot finish it unread.
func TestOrgExportAuditedWhenClientLeaves(t *testing.T) {
	a := newApp(t, nil)
	if _, err := a.db.Pool.Exec(context.Background(), `
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name, leader_name)
		SELECT '500112', '500112002', $1, 'guided', '未登记团体', '锦华社区鹦鹉第' || i || '队', repeat('长', 1000)
		FROM generate_series(1, 5000) AS i`, listCommunityA); err != nil {
		t.Fatal(err)
	}
	c := a.signedIn("demo-district")
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/district/orgs/export.csv?q="+url.QueryEscape("鹦鹉"), nil)
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(io.Discard, res.Body, 64<<10); err != nil {
		t.Fatal(err)
	}
	res.Body.Close() // leaves with most of the file unread
	deadline := time.Now().Add(10 * time.Second)
	for a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.export'`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no audit row after the client left")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var result, detail string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT result, detail FROM audit_log
		WHERE action = 'org.export'`).Scan(&result, &detail); err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(strings.Fields(detail)[1])
	if result != portal.ResultFailed || n >= 5000 {
		t.Errorf("audit row %s %q, want failed with fewer than 5000 rows", result, detail)
	}
}

// BenchmarkRenderOrgList renders a 50-row list page the way the handler does, into io.Discard.
func BenchmarkRenderOrgList(b *testing.B) {
	acc := &portal.Account{Username: "demo-district", DisplayName: "区民政局演示账号", Tier: portal.TierDistrict,
		DivisionCode: seed.DistrictCode, DivisionName: "渝北区"}
	towns := seed.Towns()
	v := web.NewOrgListView(web.NewPage("社会组织", acc, "/district/orgs", ""), "/district/orgs",
		web.OrgFilterForm{}, map[string]string{}, towns, []portal.Division{})
	founded := time.Date(2021, 7, 21, 0, 0, 0, 0, time.UTC)
	for i := range 50 {
		v.Rows = append(v.Rows, registry.OrgPageRow{ID: int64(100000 - i),
			Name: "渝北区双龙湖街道锦华社区夕阳红舞蹈队" + strconv.Itoa(i), Tier: registry.TierGuided, LegalForm: "未登记团体",
			TownName: "双龙湖街道", CommunityName: "锦华社区", Fields: []string{"文体娱乐", "邻里互助"}, LeaderName: "张三",
			LeaderPhone: "138****5678", Status: registry.StatusNormal, FoundedOn: founded})
	}
	v.Total = web.OrgListTotal(1234567, false)
	v.NextHref, v.FirstHref = "/district/orgs?after=99951", "/district/orgs"
	v.ExportXLSX, v.ExportCSV = "/district/orgs/export.xlsx", "/district/orgs/export.csv"
	page := web.OrgListPage(v)
	var buf bytes.Buffer
	if err := page.Render(context.Background(), &buf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if err := page.Render(context.Background(), io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
