package server

import (
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
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
	"github.com/yubei-cso/portal/web"
)

// Masks the work-list tests store beside the sealed values, and the full values that must never appear.
const (
	listIDNumber = "500112198001011234"
	listIDMask   = "500***********1234"
)

// fullPersonalData matches a full mobile number or a full 18-character 身份证号 in a cell.
var fullPersonalData = regexp.MustCompile(`1[3-9]\d{9}|\d{17}[\dX]`)

func (a *app) box() *sealbox.Box {
	a.t.Helper()
	box, err := sealbox.New(a.cfg.DataKey)
	if err != nil {
		a.t.Fatal(err)
	}
	return box
}

// insertApplications adds submitted applications for new groups in a community with plain SQL, leader phone
// and 身份证号 sealed and masked as the store does, and returns their ids in insertion order.
func (a *app) insertApplications(community string, names ...string) []int64 {
	a.t.Helper()
	box := a.box()
	ids := make([]int64, len(names))
	for i, name := range names {
		err := a.db.Pool.QueryRow(context.Background(), `
			INSERT INTO applications (new_group, district_code, town_code, community_code, legal_form, name,
				fields, nature, leader_name, leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask,
				venue, members, supervisor)
			VALUES (true, left($1, 6), left($1, 9), $1, '社会团体', $2, '{文体娱乐}', '互助性', '李四', $3,
				'138****5678', $4, $5, '社区活动室', 20, '街道办事处')
			RETURNING id`, community, name, box.Seal(listPhone, "leader_phone"),
			box.Seal(listIDNumber, "leader_id"), listIDMask).Scan(&ids[i])
		if err != nil {
			a.t.Fatalf("insert %s: %v", name, err)
		}
	}
	return ids
}

// numbered is n names made of prefix, a running number and suffix.
func numbered(prefix, suffix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(1000+i) + suffix
	}
	return out
}

// rowIDs is the data-id of every row of the list table.
func rowIDs(doc *goquery.Document, table string) []int64 {
	var ids []int64
	doc.Find(table + " tbody tr").Each(func(_ int, tr *goquery.Selection) {
		id, _ := strconv.ParseInt(tr.AttrOr("data-id", ""), 10, 64)
		ids = append(ids, id)
	})
	return ids
}

// walkPages follows a list's 下一页 links from path and returns every row id in the order shown and the pages
// seen. Each page after the first must link back to the first, and every link must keep each of keep.
func walkPages(t *testing.T, c *client, path, table string, keep ...string) ([]int64, int) {
	t.Helper()
	var seen []int64
	pages := 0
	for path != "" {
		res := c.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		pages++
		doc := res.doc(t)
		ids := rowIDs(doc, table)
		if len(ids) > workListPageSize {
			t.Fatalf("page %d holds %d rows", pages, len(ids))
		}
		seen = append(seen, ids...)
		first, hasFirst := doc.Find("#page-first").Attr("href")
		if pages > 1 && (!hasFirst || strings.Contains(first, "after=")) {
			t.Errorf("page %d: first-page link %q", pages, first)
		}
		next, _ := doc.Find("#page-next").Attr("href")
		for _, link := range []string{next, first, doc.Find("#export-xlsx").AttrOr("href", "")} {
			for _, k := range keep {
				if link != "" && !strings.Contains(link, k) {
					t.Errorf("page %d: link %q drops %s", pages, link, k)
				}
			}
		}
		path = next
		if pages > 50 {
			t.Fatal("the next links do not end")
		}
	}
	return seen, pages
}

// ids runs a query of ids.
func (a *app) ids(sql string, args ...any) []int64 {
	a.t.Helper()
	rows, err := a.db.Pool.Query(context.Background(), sql, args...)
	if err != nil {
		a.t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			a.t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

// checkNewestOnce fails unless seen holds each id of want exactly once, newest (highest) first.
func checkNewestOnce(t *testing.T, seen, want []int64) {
	t.Helper()
	want = slices.Clone(want)
	slices.Sort(want)
	slices.Reverse(want)
	if !slices.Equal(seen, want) {
		t.Fatalf("rows not each once, newest first:\n got %v\nwant %v", seen, want)
	}
}

// sheetRows opens an xlsx response and returns the rows of sheet.
func sheetRows(t *testing.T, res response, sheet string) [][]string {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type %q", ct)
	}
	f, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= len(rows); i++ {
		for col := 1; col <= len(rows[0]); col++ {
			cell, _ := excelize.CoordinatesToCellName(col, i)
			if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
				t.Errorf("%s holds formula %q", cell, fm)
			}
		}
	}
	return rows
}

// checkMasked fails on any cell of rows holding a full phone number or 身份证号.
func checkMasked(t *testing.T, rows [][]string) {
	t.Helper()
	for _, r := range rows {
		for _, cell := range r {
			if fullPersonalData.MatchString(cell) {
				t.Errorf("full personal data in an export cell: %q", cell)
			}
		}
	}
}

func TestApplicationListPaging(t *testing.T) {
	a := newApp(t, nil)
	ids := a.insertApplications(listCommunityA2, numbered("双龙湖街道翠云社区鹦鹉第", "协会", 120)...)
	a.insertApplications(listCommunityA, "锦华社区鹦鹉别处协会")
	c := a.signedIn("demo-town")
	path := "/town/applications?community=" + listCommunityA2 + "&status=submitted"
	want := a.ids(`SELECT id FROM applications WHERE community_code = $1 AND status = 'submitted'`, listCommunityA2)
	if len(want) < len(ids) {
		t.Fatalf("%d applications match, fewer than the %d inserted", len(want), len(ids))
	}
	if line := c.get(path).doc(t).Find("#list-total").Text(); line != "共 "+strconv.Itoa(len(want))+" 件申请" {
		t.Errorf("total line %q, want %d", line, len(want))
	}
	seen, pages := walkPages(t, c, path, "#applications", "community="+listCommunityA2, "status=submitted")
	checkNewestOnce(t, seen, want)
	if pages != (len(want)+workListPageSize-1)/workListPageSize {
		t.Errorf("%d pages for %d rows", pages, len(want))
	}

	// Page 2 starts right after page 1's last row.
	page1 := rowIDs(c.get(path).doc(t), "#applications")
	page2 := rowIDs(c.get(path+"&after="+strconv.FormatInt(page1[len(page1)-1], 10)).doc(t), "#applications")
	if len(page1) != workListPageSize || len(page2) == 0 || page2[0] >= page1[len(page1)-1] {
		t.Fatalf("page 1 %v, page 2 %v", page1, page2)
	}
}

func TestApplicationListRefusesOutOfScopeFilters(t *testing.T) {
	a := newApp(t, nil)
	before := a.count(`SELECT count(*) FROM audit_log WHERE action = 'application.export'`)
	for _, tc := range []struct{ user, path, key string }{
		{"demo-town2", "/town/applications?community=" + listCommunityA, "community"},
		{"demo-town2", "/town/applications/export.xlsx?community=" + listCommunityA, "community"},
		{"demo-town2", "/town/applications/export.csv?town=" + seed.TownShuanglonghu, "town"},
		{"demo-community2", "/community/applications?community=" + listCommunityA, "community"},
		{"demo-district", "/district/applications/export.xlsx?town=500113002", "town"},
		{"demo-district", "/district/applications?town=" + seed.TownTongjing + "&community=" + listCommunityA, "community"},
		{"demo-district", "/district/applications?status=gone", "status"},
	} {
		res := a.signedIn(tc.user).get(tc.path)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s %s: status %d, want 422", tc.user, tc.path, res.StatusCode)
			continue
		}
		doc := res.doc(t)
		if doc.Find("#applications tbody tr").Length() != 0 || doc.Find("#export-xlsx").Length() != 0 {
			t.Errorf("%s %s: refused filter still lists rows or offers an export", tc.user, tc.path)
		}
		if doc.Find(".errors li").Length() != 1 || doc.Find(".field.bad .msg").Length() != 1 {
			t.Errorf("%s %s: want one message, at the %s filter", tc.user, tc.path, tc.key)
		}
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'application.export'`); n != before {
		t.Errorf("refused exports wrote %d audit rows", n-before)
	}
}

func TestApplicationExportXLSX(t *testing.T) {
	a := newApp(t, nil)
	a.insertApplications(listCommunityA, "锦华社区鹦鹉舞蹈协会")
	a.insertApplications(listCommunityB, "统景村鹦鹉腰鼓协会", `=HYPERLINK("http://x","鹦鹉")`)
	c := a.signedIn("demo-town2")
	list := c.get("/town/applications?status=submitted").doc(t)
	href, ok := list.Find("#export-xlsx").Attr("href")
	if !ok || href != "/town/applications/export.xlsx?status=submitted" {
		t.Fatalf("export link %q", href)
	}
	res := c.get(href)
	cd := res.Header.Get("Content-Disposition")
	if !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("统景镇登记申请-")) {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows := sheetRows(t, res, "登记申请")
	if !slices.Equal(rows[0], web.ApplicationExportHeader) {
		t.Errorf("header %q", rows[0])
	}
	want := a.count(`SELECT count(*) FROM applications WHERE town_code = $1 AND status = 'submitted'`, seed.TownTongjing)
	if len(rows)-1 != want {
		t.Errorf("%d rows, want %d", len(rows)-1, want)
	}
	checkMasked(t, rows)
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[1]] = r
		if r[4] != "统景镇" || r[14] != "待受理" {
			t.Errorf("demo-town2's export of submitted applications holds %q", r)
		}
	}
	if byName["锦华社区鹦鹉舞蹈协会"] != nil {
		t.Error("demo-town2's export holds demo-town's application")
	}
	if r := byName["统景村鹦鹉腰鼓协会"]; r == nil || r[8] != "李四" || r[9] != "138****5678" || r[10] != listIDMask ||
		r[12] != "20" {
		t.Errorf("row = %q", r)
	}
	if byName[`'=HYPERLINK("http://x","鹦鹉")`] == nil {
		t.Error("formula cell not neutralised")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'application.export'
		AND actor_username = 'demo-town2' AND result = 'ok' AND detail = $1`,
		"xlsx "+strconv.Itoa(want)+" 行; status=submitted"); n != 1 {
		t.Errorf("%d audit rows for the export", n)
	}

	// The district's export holds both towns.
	rows = sheetRows(t, a.signedIn("demo-district").get("/district/applications/export.xlsx"), "登记申请")
	if len(rows)-1 != a.count(`SELECT count(*) FROM applications`) {
		t.Errorf("district export: %d rows", len(rows)-1)
	}
}

func TestApplicationExportCSV(t *testing.T) {
	a := newApp(t, nil)
	a.insertApplications(listCommunityA, "锦华社区鹦鹉舞蹈协会", "@SUM(1+1)*cmd|鹦鹉协会")
	a.insertApplications(listCommunityB, "统景村鹦鹉腰鼓协会")
	res := a.signedIn("demo-community").get("/community/applications/export.csv?status=submitted")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !strings.HasPrefix(res.Body, "\ufeff申请编号,拟登记名称,") {
		t.Fatalf("no BOM and header: %q", res.Body[:min(40, len(res.Body))])
	}
	for _, want := range []string{"锦华社区鹦鹉舞蹈协会", "'@SUM(1+1)*cmd|鹦鹉协会", "138****5678", listIDMask} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("CSV lacks %s", want)
		}
	}
	for _, bad := range []string{"统景村鹦鹉腰鼓协会", listPhone, listIDNumber, ",@SUM"} {
		if strings.Contains(res.Body, bad) {
			t.Errorf("CSV holds %q", bad)
		}
	}
	want := a.count(`SELECT count(*) FROM applications WHERE community_code = $1 AND status = 'submitted'`, listCommunityA)
	if n := strings.Count(res.Body, "\r\n"); n != want+1 {
		t.Errorf("%d lines, want the header and %d rows", n, want)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'application.export'
		AND actor_username = 'demo-community' AND detail = $1`, "csv "+strconv.Itoa(want)+" 行; status=submitted"); n != 1 {
		t.Errorf("%d audit rows for the CSV export", n)
	}
}

// An application export the client abandons half-way still leaves its audit row, marked failed with the rows
// reached. The file (about 15 MB) is larger than the loopback socket buffers, so the server cannot finish it
// unread.
func TestApplicationExportAuditedWhenClientLeaves(t *testing.T) {
	a := newApp(t, nil)
	box := a.box()
	if _, err := a.db.Pool.Exec(context.Background(), `
		INSERT INTO applications (new_group, district_code, town_code, community_code, legal_form, name, nature,
			leader_name, leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask, venue, members)
		SELECT true, '500112', '500112002', $1, '社会团体', '锦华社区鹦鹉第' || i || '协会', '互助性', '李四', $2,
			'138****5678', $2, $3, repeat('长', 1000), 1
		FROM generate_series(1, 5000) AS i`, listCommunityA, box.Seal(listPhone, "leader_phone"), listIDMask); err != nil {
		t.Fatal(err)
	}
	c := a.signedIn("demo-district")
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/district/applications/export.csv", nil)
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(io.Discard, res.Body, 64<<10); err != nil {
		t.Fatal(err)
	}
	res.Body.Close() // leaves with most of the file unread
	deadline := time.Now().Add(10 * time.Second)
	for a.count(`SELECT count(*) FROM audit_log WHERE action = 'application.export'`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no audit row after the client left")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var result, detail string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT result, detail FROM audit_log
		WHERE action = 'application.export'`).Scan(&result, &detail); err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(strings.Fields(detail)[1])
	if result != portal.ResultFailed || n >= 5000 {
		t.Errorf("audit row %s %q, want failed with fewer than 5000 rows", result, detail)
	}
}

// A town officer pages through the applications in Chromium with a filter on, and reads a history naming
// people by display name; the pages are saved as screenshots for a person to look at.
func TestBrowserWorkLists(t *testing.T) {
	a := newApp(t, nil)
	a.insertApplications(listCommunityA2, numbered("双龙湖街道翠云社区鹦鹉第", "协会", 60)...)
	a.insertFilings(listCommunityA2, numbered("双龙湖街道翠云社区鹦鹉第", "队", 3)...)
	notice := a.reportNotice(a.signedIn("demo-community"), 5*24*time.Hour, nil)
	b := newBrowser(t, a)
	town := b.newTab(t)
	if res := town.signIn("demo-town", testdb.DemoPassword); res.Status != 200 {
		t.Fatalf("sign in: %d", res.Status)
	}
	if res := town.open("/town/applications?status=submitted"); res.Status != 200 {
		t.Fatalf("list: %d", res.Status)
	}
	town.screenshot("applications-town")
	first := town.text("#applications tbody tr:last-child td:first-child")
	if res := town.click("#page-next"); res.Status != 200 {
		t.Fatalf("下一页: %d", res.Status)
	}
	if q := town.url().Query(); q.Get("status") != "submitted" || q.Get("after") == "" {
		t.Errorf("page 2 at %s", town.url())
	}
	if top := town.text("#applications tbody tr:first-child td:first-child"); top == first || town.count("#page-first") != 1 {
		t.Errorf("page 2 starts with %q, page 1 ended with %q", top, first)
	}
	town.screenshot("applications-town-page2")
	town.open("/town/filings?community=" + listCommunityA2)
	if town.count("#filings tbody tr") != 3 || town.count("#export-xlsx") != 1 {
		t.Errorf("filings list: %d rows", town.count("#filings tbody tr"))
	}
	town.screenshot("filings-town")
	town.open("/town/notices/" + strconv.FormatInt(notice, 10))
	if who := town.text("#timeline .who"); who != "社区演示账号" {
		t.Errorf("the history names %q", who)
	}
	town.screenshot("notice-history")
	town.open("/town/notices/list")
	town.screenshot("notices-town-list")
}
