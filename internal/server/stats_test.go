package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/seed"
)

// busiestYear is the year with the most current reports in the demo data, so a page of it has figures.
func (a *app) busiestYear() string {
	a.t.Helper()
	return strconv.Itoa(a.count(`SELECT extract(year FROM activity_date)::int FROM activity_reports WHERE superseded_at IS NULL
		GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`))
}

// rowCells are the texts of the cells of a ranking row whose first cell is name.
func rowCells(doc *goquery.Document, table, name string) []string {
	var out []string
	doc.Find("#" + table + " tr").Each(func(_ int, tr *goquery.Selection) {
		if strings.TrimSpace(tr.Children().First().Text()) == name {
			tr.Children().Each(func(_ int, c *goquery.Selection) { out = append(out, strings.TrimSpace(c.Text())) })
		}
	})
	return out
}

// sameFigures fails unless a page's row and a spreadsheet's row hold the same numbers after their label (the
// page writes 12.5%, the sheet the number 12.5).
func sameFigures(t *testing.T, page, sheet []string) {
	t.Helper()
	if len(page) != len(sheet) || len(page) < 10 {
		t.Fatalf("export row %v, page row %v", sheet, page)
	}
	for i := 1; i < len(page); i++ {
		p, err1 := strconv.ParseFloat(strings.TrimSuffix(page[i], "%"), 64)
		s, err2 := strconv.ParseFloat(sheet[i], 64)
		if err1 != nil || err2 != nil || p != s {
			t.Fatalf("column %d: export %q, page %q", i, sheet[i], page[i])
		}
	}
}

// The district's page ranks the 30 towns, each linked to its own page, which shows the same figures as its row
// and a breadcrumb back; a community's page is one level further down. Charts carry a title and a text
// alternative, and the table they were drawn from.
func TestStatsDrillDown(t *testing.T) {
	a := newApp(t, nil)
	year := a.busiestYear()
	district := a.signedIn("demo-district")
	res := district.get("/district/stats?year=" + year)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("district stats: %d", res.StatusCode)
	}
	doc := res.doc(t)
	if n := doc.Find("#ranking tbody tr").Length(); n != 30 {
		t.Fatalf("the ranking has %d towns, want 30", n)
	}
	svg := doc.Find("svg#chart-orgs")
	if svg.AttrOr("role", "") != "img" || !strings.Contains(svg.Find("title").Text(), "单位") ||
		!strings.Contains(svg.Find("desc").Text(), "双龙湖街道") || strings.Count(svg.Find("path.bars").AttrOr("d", ""), "M") != 30 ||
		svg.Find("g.labels text").Length() != 30 || svg.Find("g.values text").Length() != 30 {
		t.Fatalf("chart: role %q, title %q, desc %q", svg.AttrOr("role", ""), svg.Find("title").Text(), svg.Find("desc").Text())
	}
	if !strings.Contains(doc.Find("#target-source").Text(), "民政部《关于大力培育发展社区社会组织的意见》(2017)") {
		t.Fatal("the page does not say where the default target comes from")
	}
	townRow := rowCells(doc, "ranking", "双龙湖街道")
	href, _ := doc.Find("#ranking a:contains('双龙湖街道')").Attr("href")
	if !strings.Contains(href, "division="+seed.TownShuanglonghu) || !strings.Contains(href, "year="+year) {
		t.Fatalf("the town's link %q", href)
	}
	tdoc := district.get(href).doc(t)
	if got := strings.TrimSpace(tdoc.Find("h1").Text()); got != "双龙湖街道社区社会组织统计" {
		t.Fatalf("drilled into %q", got)
	}
	total := rowCells(tdoc, "ranking", "合计")
	if strings.Join(total[1:], "|") != strings.Join(townRow[1:], "|") {
		t.Fatalf("the town's total %v differs from its row on the district page %v", total, townRow)
	}
	back, _ := tdoc.Find("nav.breadcrumb a").First().Attr("href")
	if !strings.HasPrefix(back, "/district/stats?") || strings.Contains(back, "division=") {
		t.Fatalf("breadcrumb back to the district: %q", back)
	}
	chref, _ := tdoc.Find("#ranking tbody a").First().Attr("href")
	cdoc := district.get(chref).doc(t)
	if cdoc.Find("nav.breadcrumb a").Length() != 2 || cdoc.Find("#ranking tbody tr").Length() != 1 {
		t.Fatalf("a community's page: %d crumbs, %d rows", cdoc.Find("nav.breadcrumb a").Length(), cdoc.Find("#ranking tbody tr").Length())
	}

	// Sorting by organizations, most first.
	sdoc := district.get("/district/stats?year=" + year + "&sort=live&dir=desc").doc(t)
	prev := 1 << 30
	sdoc.Find("#ranking tbody tr").Each(func(_ int, tr *goquery.Selection) {
		n, _ := strconv.Atoi(strings.TrimSpace(tr.Children().Eq(4).Text()))
		if n > prev {
			t.Fatalf("sorted by organizations, %d follows %d", n, prev)
		}
		prev = n
	})
}

// A town officer reaches its own town and communities, never another town's (404), and the same for exports.
func TestStatsStayInsideTheScope(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	for path, want := range map[string]int{
		"/town/stats": http.StatusOK,
		"/town/stats?division=" + seed.CommunityDemo:             http.StatusOK,
		"/town/stats?division=" + seed.TownTongjing:              http.StatusNotFound,
		"/town/stats?division=" + seed.CommunityDemoRural:        http.StatusNotFound,
		"/town/stats?division=" + seed.DistrictCode:              http.StatusNotFound,
		"/town/stats?division=abc":                               http.StatusNotFound,
		"/town/stats/export.xlsx?division=" + seed.TownTongjing:  http.StatusNotFound,
		"/town/stats/export.xlsx?division=" + seed.CommunityDemo: http.StatusOK,
		"/town/stats?year=2019":                                  http.StatusUnprocessableEntity,
		"/town/stats?quarter=9":                                  http.StatusUnprocessableEntity,
		"/town/stats?area=mars":                                  http.StatusUnprocessableEntity,
		"/community/stats":                                       http.StatusForbidden,
		"/district/stats":                                        http.StatusForbidden,
		"/district/stats/targets":                                http.StatusForbidden,
	} {
		if res := town.get(path); res.StatusCode != want {
			t.Errorf("town officer GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
	community := a.signedIn("demo-community")
	if res := community.get("/community/stats?division=" + seed.TownShuanglonghu); res.StatusCode != http.StatusNotFound {
		t.Errorf("a committee reading its town: %d", res.StatusCode)
	}
	if res := community.get("/community/stats"); res.StatusCode != http.StatusOK {
		t.Errorf("a committee's own page: %d", res.StatusCode)
	}
	bad := town.get("/town/stats?year=二〇一九").doc(t)
	if !strings.Contains(bad.Find(`[data-field="year"] .msg`).Text(), "年份") {
		t.Error("a bad year has no message at its field")
	}
}

// A period with no reports shows zeros and says so.
func TestStatsEmptyPeriod(t *testing.T) {
	a := newApp(t, nil)
	// The first quarter since 2021 in which the demo village filed nothing.
	q := a.count(`SELECT min(q) FROM generate_series(0, 19) q
		WHERE NOT EXISTS (SELECT 1 FROM activity_reports WHERE community_code = $1
			AND activity_date >= date '2021-01-01' + q * interval '3 months'
			AND activity_date < date '2021-01-01' + (q + 1) * interval '3 months')`, seed.CommunityDemoRural)
	path := "/community/stats?year=" + strconv.Itoa(2021+q/4) + "&quarter=" + strconv.Itoa(q%4+1)
	doc := a.signedIn("demo-community2").get(path).doc(t)
	if !strings.Contains(doc.Find("#stats-empty").Text(), "尚无活动报告") {
		t.Fatalf("%s: an empty period does not say so", path)
	}
	if got := rowCells(doc, "series", "合计"); len(got) < 2 || got[1] != "0" {
		t.Fatalf("series total %v", got)
	}
	if n := doc.Find("#ranking tbody tr").Length(); n != 1 {
		t.Fatalf("a community's page has %d rows", n)
	}
}

// The targets form refuses bad numbers at their field with the input kept and nothing written; a good one is
// saved, audited and followed by the page.
func TestStatsTargets(t *testing.T) {
	a := newApp(t, nil)
	district := a.signedIn("demo-district")
	before := a.count(`SELECT count(*) FROM stat_targets`)
	if doc := district.get("/district/stats/targets").doc(t); doc.Find("#targets tr[data-code='"+seed.TownTongjing+"']").Length() != 1 {
		t.Fatal("the demo town's own target is not listed")
	}
	for _, c := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"division": {seed.DistrictCode}, "urban": {"-3"}, "rural": {"5"}}, "urban"},
		{url.Values{"division": {seed.DistrictCode}, "urban": {"10"}, "rural": {"五"}}, "rural"},
		{url.Values{"division": {seed.DistrictCode}, "urban": {""}, "rural": {""}}, "urban"},
		{url.Values{"division": {seed.CommunityDemoRural}, "urban": {"8"}}, "urban"},
		{url.Values{"division": {"999999"}, "urban": {"8"}}, "division"},
	} {
		res := district.post("/district/stats/targets", c.form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%v: %d", c.form, res.StatusCode)
		}
		doc := res.doc(t)
		if doc.Find(`[data-field="`+c.field+`"] .msg`).Text() == "" {
			t.Fatalf("%v: no message at %s", c.form, c.field)
		}
		if c.form.Get("rural") != "" && doc.Find("input#rural").AttrOr("value", "") != c.form.Get("rural") {
			t.Fatalf("%v: input not kept", c.form)
		}
	}
	if n := a.count(`SELECT count(*) FROM stat_targets`); n != before {
		t.Fatalf("a refused form wrote %d targets", n-before)
	}
	res := district.post("/district/stats/targets", url.Values{"division": {seed.TownShuanglonghu}, "urban": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'stats.target_set' AND object_id = $1`, seed.TownShuanglonghu); n != 1 {
		t.Fatalf("%d audit rows", n)
	}
	doc := district.get("/district/stats?division=" + seed.TownShuanglonghu).doc(t)
	if got := doc.Find(`[data-figure="urban"] .l`).Text(); !strings.Contains(got, "目标 1）") {
		t.Fatalf("the town's page shows %q", got)
	}
	// The delete button carries the version it was shown with; a stale one is refused and removes nothing.
	clear := district.get("/district/stats/targets").doc(t).Find(`form[action$="/` + seed.TownShuanglonghu + `/clear"] input[name=version]`)
	version, _ := clear.Attr("value")
	if version == "" {
		t.Fatal("the delete form carries no version")
	}
	if res := district.post("/district/stats/targets/"+seed.TownShuanglonghu+"/clear", url.Values{"version": {version + "9"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("clear with a stale version: %d, want 409", res.StatusCode)
	}
	if res := district.post("/district/stats/targets/"+seed.TownShuanglonghu+"/clear", url.Values{"version": {version}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("clear: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM stat_targets`); n != before {
		t.Fatal("cleared target remains")
	}
}

// The export holds the page's tables under title rows, and its totals are the page's.
func TestStatsExportEqualsPage(t *testing.T) {
	a := newApp(t, nil)
	year := a.busiestYear()
	town := a.signedIn("demo-town")
	doc := town.get("/town/stats?year=" + year).doc(t)
	href, _ := doc.Find("#export-xlsx").Attr("href")
	res := town.get(href)
	rows := xlsxRows(t, res, "1.村(社区)对比")
	if len(rows) < 7 || !strings.Contains(rows[1][0], "双龙湖街道") || !strings.Contains(rows[2][0], year+"年") ||
		!strings.HasPrefix(rows[3][0], "单位") || !strings.HasPrefix(rows[4][0], "导出时间") {
		t.Fatalf("title rows %v", rows[:min(len(rows), 7)])
	}
	page := rowCells(doc, "ranking", "合计")
	sheet := rowOf(rows, "合计")
	sameFigures(t, page, sheet)
	if sheet[4] == "0" {
		t.Fatal("the town has no organizations: the comparison proves little")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'stats.export'`); n != 1 {
		t.Fatalf("%d export audit rows", n)
	}
}

// A community's 述职 summary puts the year's figures in sentences and a table; a town reaches its own
// communities' summaries and no other.
func TestStatsSummary(t *testing.T) {
	a := newApp(t, nil)
	year := a.busiestYear()
	community := a.signedIn("demo-community")
	page := community.get("/community/stats?year=" + year).doc(t)
	href, ok := page.Find("#summary-link").Attr("href")
	if !ok {
		t.Fatal("the community's page has no link to its summary")
	}
	res := community.get(href)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("summary: %d", res.StatusCode)
	}
	doc := res.doc(t)
	var live []string
	page.Find("#ranking tbody tr").First().Children().Each(func(_ int, c *goquery.Selection) {
		live = append(live, strings.TrimSpace(c.Text()))
	})
	if len(live) < 5 || !strings.Contains(doc.Find("#summary-page").Text(), "在册社区社会组织 "+live[4]+" 个") {
		t.Fatalf("the summary does not state the page's %v organizations: %s", live, doc.Find("#summary-page p").First().Text())
	}
	if got := rowCells(doc, "summary", "在册社区社会组织（个）"); len(got) != 2 || got[1] != live[4] {
		t.Fatalf("summary table %v", got)
	}
	town := a.signedIn("demo-town")
	for path, want := range map[string]int{
		"/town/stats/summary?division=" + seed.CommunityDemo:      http.StatusOK,
		"/town/stats/summary?division=" + seed.CommunityDemoRural: http.StatusNotFound,
		"/town/stats/summary": http.StatusNotFound,
		"/town/stats/summary?division=" + seed.TownShuanglonghu: http.StatusNotFound,
	} {
		if res := town.get(path); res.StatusCode != want {
			t.Errorf("town GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
}

// The district marks a 试点 community from the settings page, the statistics follow it under the 试点 filter,
// and anything but a community of its own is refused at the field with nothing written.
func TestStatsPilots(t *testing.T) {
	a := newApp(t, nil)
	district := a.signedIn("demo-district")
	for _, code := range []string{seed.TownShuanglonghu, "500112999999", "", "abc"} {
		res := district.post("/district/stats/pilots", url.Values{"community": {code}})
		if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-field="community"] .msg`).Text() == "" {
			t.Fatalf("pilot %q: %d", code, res.StatusCode)
		}
	}
	if n := a.count(`SELECT count(*) FROM stat_pilots`); n != 0 {
		t.Fatalf("refused pilots wrote %d rows", n)
	}
	if res := district.post("/district/stats/pilots", url.Values{"community": {seed.CommunityDemoRural}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'stats.pilot_mark' AND object_id = $1`, seed.CommunityDemoRural); n != 1 {
		t.Fatalf("%d audit rows", n)
	}
	doc := district.get("/district/stats?area=pilot").doc(t)
	live := a.count(`SELECT count(*) FROM organizations WHERE community_code = $1 AND status IN ('normal', 'abnormal')`, seed.CommunityDemoRural)
	if got := doc.Find(`[data-figure="live"] .n`).Text(); got != strconv.Itoa(live) {
		t.Fatalf("the pilots' organizations: page %s, recount %d", got, live)
	}
	if got := doc.Find(`[data-figure="meet"] .n`).Text(); !strings.HasSuffix(got, "/1") {
		t.Fatalf("the pilot group holds %s communities", got)
	}
	if res := district.post("/district/stats/pilots/"+seed.CommunityDemoRural+"/clear", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unmark: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM stat_pilots`); n != 0 {
		t.Fatal("the pilot mark stayed")
	}
}
