package server

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/web"
)

// insertNotices adds notices waiting for the town (待确认) in a community with plain SQL, the contact phone
// sealed and masked as the store does, starting a week ahead; it returns their ids in insertion order.
func (a *app) insertNotices(community string, titles ...string) []int64 {
	a.t.Helper()
	box := a.box()
	start := time.Now().Add(7 * 24 * time.Hour)
	ids := make([]int64, len(titles))
	for i, title := range titles {
		err := a.db.Pool.QueryRow(context.Background(), `
			INSERT INTO major_activities (district_code, town_code, community_code, kind, title, starts_at, ends_at,
				place, attendance, organizer, safety, contact_name, contact_phone_enc, contact_phone_mask)
			VALUES (left($1, 6), left($1, 9), $1, '文化演出', $2, $3, $4, '文化广场', 300, '居民委员会',
				'设置疏散通道', '王芳', $5, '138****5678')
			RETURNING id`, community, title, start, start.Add(2*time.Hour),
			box.Seal(listPhone, "contact_phone")).Scan(&ids[i])
		if err != nil {
			a.t.Fatalf("insert %s: %v", title, err)
		}
	}
	return ids
}

func TestNoticeListPaging(t *testing.T) {
	a := newApp(t, nil)
	ids := a.insertNotices(listCommunityA2, numbered("鹦鹉汇演第", "场", 120)...)
	a.insertNotices(listCommunityB, "统景村鹦鹉汇演")
	c := a.signedIn("demo-town")
	// The town's calendar links to its full list.
	if href, _ := c.get("/town/notices").doc(t).Find("#list-link").Attr("href"); href != "/town/notices/list" {
		t.Errorf("calendar's list link %q", href)
	}
	path := "/town/notices/list?community=" + listCommunityA2 + "&kind=" + "文化演出" + "&status=submitted"
	want := a.ids(`SELECT id FROM major_activities WHERE community_code = $1 AND kind = '文化演出'
		AND status = 'submitted'`, listCommunityA2)
	if len(want) < len(ids) {
		t.Fatalf("%d notices match, fewer than the %d inserted", len(want), len(ids))
	}
	if line := c.get(path).doc(t).Find("#list-total").Text(); line != "共 "+strconv.Itoa(len(want))+" 件报告" {
		t.Errorf("total line %q, want %d", line, len(want))
	}
	seen, _ := walkPages(t, c, path, "#notices", "community="+listCommunityA2, "status=submitted", "kind=")
	checkNewestOnce(t, seen, want)
}

func TestNoticeExportStaysInScope(t *testing.T) {
	a := newApp(t, nil)
	a.insertNotices(listCommunityA, "锦华社区鹦鹉汇演", "=1+2鹦鹉")
	a.insertNotices(listCommunityB, "统景村鹦鹉汇演")
	c := a.signedIn("demo-town")
	href, ok := c.get("/town/notices/list?status=submitted").doc(t).Find("#export-xlsx").Attr("href")
	if !ok || href != "/town/notices/export.xlsx?status=submitted" {
		t.Fatalf("export link %q", href)
	}
	rows := sheetRows(t, c.get(href), "重大活动报告")
	if !slices.Equal(rows[0], web.NoticeExportHeader) {
		t.Errorf("header %q", rows[0])
	}
	want := a.count(`SELECT count(*) FROM major_activities WHERE town_code = $1 AND status = 'submitted'`,
		seed.TownShuanglonghu)
	if len(rows)-1 != want {
		t.Errorf("%d rows, want %d", len(rows)-1, want)
	}
	checkMasked(t, rows)
	byTitle := map[string][]string{}
	for _, r := range rows[1:] {
		byTitle[r[1]] = r
		if r[6] != "双龙湖街道" {
			t.Errorf("demo-town's export holds %q", r)
		}
	}
	if byTitle["统景村鹦鹉汇演"] != nil {
		t.Error("demo-town's export holds demo-town2's notice")
	}
	if r := byTitle["锦华社区鹦鹉汇演"]; r == nil || r[2] != "文化演出" || r[10] != "300" || r[11] != "王芳" ||
		r[12] != "138****5678" || r[13] != "待确认" || r[9] != "村(居)委会自行组织" {
		t.Errorf("row = %q", r)
	}
	if byTitle["'=1+2鹦鹉"] == nil {
		t.Error("formula cell not neutralised")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'notice.export' AND actor_username = 'demo-town'
		AND result = 'ok' AND detail = $1`, "xlsx "+strconv.Itoa(want)+" 行; status=submitted"); n != 1 {
		t.Errorf("%d audit rows for the export", n)
	}

	// demo-town2 gets none of demo-town's notices, and may not name its community.
	res := a.signedIn("demo-town2").get("/town/notices/export.csv")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "统景村鹦鹉汇演") ||
		strings.Contains(res.Body, "锦华社区鹦鹉汇演") || strings.Contains(res.Body, listPhone) {
		t.Errorf("demo-town2's CSV: %d\n%s", res.StatusCode, res.Body)
	}
	for _, path := range []string{"/town/notices/export.xlsx?community=" + listCommunityA,
		"/town/notices/list?community=" + listCommunityA} {
		if res := a.signedIn("demo-town2").get(path); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
	}
	// A committee exports its own notices only; the district filters by town.
	res = a.signedIn("demo-community").get("/community/notices/export.csv")
	if !strings.Contains(res.Body, "锦华社区鹦鹉汇演") || strings.Contains(res.Body, "统景村鹦鹉汇演") {
		t.Errorf("demo-community's CSV:\n%s", res.Body)
	}
	rows = sheetRows(t, a.signedIn("demo-district").get("/district/notices/export.xlsx?town="+seed.TownTongjing),
		"重大活动报告")
	if len(rows)-1 != a.count(`SELECT count(*) FROM major_activities WHERE town_code = $1`, seed.TownTongjing) {
		t.Errorf("district export of 统景镇: %d rows", len(rows)-1)
	}
}
