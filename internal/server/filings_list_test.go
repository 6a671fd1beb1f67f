package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/web"
)

// insertFilings adds 成立备案 filings awaiting review in a community with plain SQL, leader phone and 身份证号
// sealed and masked as the store does, and returns their ids in insertion order.
func (a *app) insertFilings(community string, names ...string) []int64 {
	a.t.Helper()
	box := a.box()
	ids := make([]int64, len(names))
	for i, name := range names {
		err := a.db.Pool.QueryRow(context.Background(), `
			INSERT INTO filings (district_code, town_code, community_code, kind, name, fields, nature, leader_name,
				leader_phone_enc, leader_phone_mask, leader_id_enc, leader_id_mask, venue, members, volunteers)
			VALUES (left($1, 6), left($1, 9), $1, 'establish', $2, '{文体娱乐}', '互助性', '李四', $3,
				'138****5678', $4, $5, '社区活动室', 20, 5)
			RETURNING id`, community, name, box.Seal(listPhone, "leader_phone"),
			box.Seal(listIDNumber, "leader_id"), listIDMask).Scan(&ids[i])
		if err != nil {
			a.t.Fatalf("insert %s: %v", name, err)
		}
	}
	return ids
}

func TestFilingListPaging(t *testing.T) {
	a := newApp(t, nil)
	ids := a.insertFilings(listCommunityB2, numbered("统景镇某村鹦鹉第", "队", 120)...)
	a.insertFilings(listCommunityA, "锦华社区鹦鹉别处队")
	c := a.signedIn("demo-district")
	path := "/district/filings?town=" + seed.TownTongjing + "&community=" + listCommunityB2 + "&kind=establish&status=submitted"
	want := a.ids(`SELECT id FROM filings WHERE community_code = $1 AND kind = 'establish'
		AND status = 'submitted'`, listCommunityB2)
	if len(want) < len(ids) {
		t.Fatalf("%d filings match, fewer than the %d inserted", len(want), len(ids))
	}
	doc := c.get(path).doc(t)
	if line := doc.Find("#list-total").Text(); line != "共 "+strconv.Itoa(len(want))+" 件备案" {
		t.Errorf("total line %q, want %d", line, len(want))
	}
	if doc.Find(`#community option[selected][value="`+listCommunityB2+`"]`).Length() != 1 {
		t.Error("the community select does not keep the chosen community")
	}
	seen, _ := walkPages(t, c, path, "#filings", "town="+seed.TownTongjing, "community="+listCommunityB2,
		"kind=establish", "status=submitted")
	checkNewestOnce(t, seen, want)
}

func TestFilingExportStaysInScope(t *testing.T) {
	a := newApp(t, nil)
	a.insertFilings(listCommunityA, "锦华社区鹦鹉舞蹈队")
	a.insertFilings(listCommunityB, "统景村鹦鹉腰鼓队", "+cmd|' /C calc'!A0鹦鹉")
	c := a.signedIn("demo-town2")
	href, ok := c.get("/town/filings").doc(t).Find("#export-xlsx").Attr("href")
	if !ok || href != "/town/filings/export.xlsx" {
		t.Fatalf("export link %q", href)
	}
	rows := sheetRows(t, c.get(href), "备案记录")
	if !slices.Equal(rows[0], web.FilingExportHeader) {
		t.Errorf("header %q", rows[0])
	}
	want := a.count(`SELECT count(*) FROM filings WHERE town_code = $1`, seed.TownTongjing)
	if len(rows)-1 != want {
		t.Errorf("%d rows, want %d", len(rows)-1, want)
	}
	checkMasked(t, rows)
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[1]] = r
		if r[3] != "统景镇" {
			t.Errorf("demo-town2's export holds %q", r)
		}
	}
	if byName["锦华社区鹦鹉舞蹈队"] != nil {
		t.Error("demo-town2's export holds demo-town's filing")
	}
	if r := byName["统景村鹦鹉腰鼓队"]; r == nil || r[2] != "成立备案" || r[5] != "待审核" || r[7] != "李四" ||
		r[8] != "138****5678" || r[9] != listIDMask || r[10] != "20" {
		t.Errorf("row = %q", r)
	}
	if byName["'+cmd|' /C calc'!A0鹦鹉"] == nil {
		t.Error("formula cell not neutralised")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'filing.export' AND actor_username = 'demo-town2'
		AND result = 'ok' AND detail = $1`, "xlsx "+strconv.Itoa(want)+" 行; 全部"); n != 1 {
		t.Errorf("%d audit rows for the export", n)
	}

	// Naming demo-town's community is refused, with nothing exported and nothing audited.
	for _, path := range []string{"/town/filings/export.csv?community=" + listCommunityA,
		"/town/filings?community=" + listCommunityA, "/town/filings?kind=other"} {
		if res := c.get(path); res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(res.Body, "鹦鹉") {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'filing.export'`); n != 1 {
		t.Errorf("%d filing.export audit rows, want the one export", n)
	}

	// CSV: the district's, filtered to one town.
	res := a.signedIn("demo-district").get("/district/filings/export.csv?town=" + seed.TownShuanglonghu)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "\ufeff系统编号,名称,备案类型") ||
		!strings.Contains(res.Body, "锦华社区鹦鹉舞蹈队") || strings.Contains(res.Body, "统景村鹦鹉腰鼓队") ||
		strings.Contains(res.Body, listPhone) || strings.Contains(res.Body, listIDNumber) {
		t.Errorf("district CSV: %d\n%s", res.StatusCode, res.Body)
	}
}
