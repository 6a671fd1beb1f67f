package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/seed"
)

// xlsxRows opens a downloaded workbook and returns the rows of its sheet.
func xlsxRows(t *testing.T, res response, sheet string) [][]string {
	t.Helper()
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// rowOf is the row whose first cell is key, or nil.
func rowOf(rows [][]string, key string) []string {
	for _, r := range rows {
		if len(r) > 0 && r[0] == key {
			return r
		}
	}
	return nil
}

// The coverage table exports as the page shows it — each division below the caller's, then the total — for
// the period asked, inside the caller's jurisdiction only, with an audit row.
func TestWorkReportCoverageExport(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	org1, _ := a.liveOrgs(seed.CommunityDemo)
	cur := registry.PeriodOf(time.Now())
	if res := community.post("/community/work-reports", wrForm(org1, cur, 0, nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}

	district := a.signedIn("demo-district")
	page := district.get("/district/work-reports?period=" + cur.Key())
	href, ok := page.doc(t).Find("#export-xlsx").Attr("href")
	if !ok || !strings.Contains(href, "period="+cur.Key()) {
		t.Fatalf("the page links %q", href)
	}
	rows := xlsxRows(t, district.get(href), "报送情况")
	if strings.Join(rows[0], "|") != "区划代码|镇街|存续组织数|已报送|未报送|报送率" {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows) != 1+30+1 {
		t.Fatalf("%d rows, want a header, 30 towns and the total", len(rows))
	}
	live := a.count(`SELECT count(*) FROM organizations WHERE town_code = $1 AND status IN ('normal', 'abnormal')`,
		seed.TownShuanglonghu)
	town := rowOf(rows, seed.TownShuanglonghu)
	if town == nil || town[2] != strconv.Itoa(live) || town[3] != "1" || town[4] != strconv.Itoa(live-1) {
		t.Errorf("双龙湖 row %v, want %d live and 1 reported", town, live)
	}
	all := a.count(`SELECT count(*) FROM organizations WHERE status IN ('normal', 'abnormal')`)
	if total := rows[len(rows)-1]; total[1] != "合计" || total[2] != strconv.Itoa(all) || total[3] != "1" {
		t.Errorf("total row %v, want %d live and 1 reported", total, all)
	}

	townRows := xlsxRows(t, a.signedIn("demo-town").get("/town/work-reports/export.xlsx?period="+cur.Key()), "报送情况")
	if townRows[0][1] != "村(社区)" || rowOf(townRows, seed.CommunityDemo) == nil {
		t.Errorf("town export: header %v, demo community row missing", townRows[0])
	}
	for _, r := range townRows[1 : len(townRows)-1] {
		if !strings.HasPrefix(r[0], seed.TownShuanglonghu) {
			t.Errorf("town export lists %s, outside the town", r[0])
		}
	}
	other := xlsxRows(t, a.signedIn("demo-town2").get("/town/work-reports/export.xlsx"), "报送情况")
	if rowOf(other, seed.CommunityDemo) != nil {
		t.Error("demo-town2's export lists demo-community")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'workreport.coverage_export'`); n != 3 {
		t.Errorf("%d audit rows, want 3", n)
	}
	if res := district.get("/district/work-reports/export.xlsx?period=2999-1"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a period not offered: %d", res.StatusCode)
	}
	if res := community.get("/community/work-reports/export.xlsx"); res.StatusCode == http.StatusOK {
		t.Error("a committee exports a coverage table it has no page for")
	}
}

// The evaluation list exports every evaluated group's latest grade inside the caller's jurisdiction, with the
// list's grade filter, text neutralised against formulas, and an audit row.
func TestEvaluationExport(t *testing.T) {
	a := newApp(t, nil)
	community := a.signedIn("demo-community")
	org1, _ := a.liveOrgs(seed.CommunityDemo)
	year := time.Now().In(beijing).Year()
	res := community.post("/community/evaluations", evalForm(org1, year, 0, [4]string{"95", "95", "90", "92"},
		url.Values{"views": {"=HYPERLINK(\"http://x\") 居民满意"}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("evaluate: %d\n%s", res.StatusCode, res.Body)
	}
	var name string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT name FROM organizations WHERE id = $1`, org1).Scan(&name); err != nil {
		t.Fatal(err)
	}

	town := a.signedIn("demo-town")
	href, ok := town.get("/town/evaluations?grade=excellent").doc(t).Find("#export-xlsx").Attr("href")
	if !ok || href != "/town/evaluations/export.xlsx?grade=excellent" {
		t.Fatalf("the page links %q", href)
	}
	rows := xlsxRows(t, town.get("/town/evaluations/export.xlsx"), "评估评议")
	header := strings.Join(rows[0], "|")
	if !strings.HasPrefix(header, "组织|组织系统编号|所在镇街|社区(村)|年度|版本|内部治理|服务成效|群众满意度|党建引领|平均分|等次") {
		t.Fatalf("header %s", header)
	}
	want := a.count(`SELECT count(DISTINCT org_id) FROM evaluations WHERE town_code = $1`, seed.TownShuanglonghu)
	if len(rows)-1 != want {
		t.Errorf("%d rows, want one per evaluated group of the town (%d)", len(rows)-1, want)
	}
	mine := rowOf(rows, name)
	if mine == nil || mine[1] != strconv.FormatInt(org1, 10) || mine[4] != strconv.Itoa(year) || mine[10] != "93.00" ||
		mine[11] != "优秀" || mine[14] != `'=HYPERLINK("http://x") 居民满意` {
		t.Errorf("the evaluated group's row %q", mine)
	}
	for _, r := range rows[1:] {
		if r[2] != "双龙湖街道" {
			t.Errorf("town export lists a group of %s", r[2])
		}
	}
	excellent := xlsxRows(t, town.get("/town/evaluations/export.xlsx?grade=excellent"), "评估评议")
	for _, r := range excellent[1:] {
		if r[11] != "优秀" {
			t.Errorf("the 优秀 export holds %s", r[11])
		}
	}
	if rowOf(excellent, name) == nil {
		t.Error("the 优秀 export lacks the group just graded 优秀")
	}
	other := xlsxRows(t, a.signedIn("demo-town2").get("/town/evaluations/export.xlsx"), "评估评议")
	if rowOf(other, name) != nil {
		t.Error("demo-town2's export lists demo-community's group")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'evaluation.export'`); n != 3 {
		t.Errorf("%d audit rows, want 3", n)
	}
	if res := town.get("/town/evaluations/export.xlsx?grade=best"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown grade: %d", res.StatusCode)
	}
}
