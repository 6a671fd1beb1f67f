package server

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/seed"
)

// The statistics page shows the year's 三会一课 by quarter from the kept counts, for the caller's division.
func TestStatsPageShowsPartyMeetings(t *testing.T) {
	a := newApp(t, nil)
	var org int64
	if err := a.db.Pool.QueryRow(t.Context(), `UPDATE organizations SET party_status = '单独建立'
		WHERE id = (SELECT id FROM organizations WHERE community_code = $1 AND status = 'normal' ORDER BY id LIMIT 1)
		RETURNING id`, seed.CommunityDemo).Scan(&org); err != nil {
		t.Fatal(err)
	}
	before := a.count(`SELECT coalesce(sum(meetings), 0) FROM party_meeting_counts WHERE starts_with(community_code, $1)
		AND quarter = '2022-04-01'`, seed.TownShuanglonghu)
	for _, day := range []string{"2022-04-02", "2022-05-02"} {
		if _, err := a.db.Pool.Exec(t.Context(), `INSERT INTO party_meetings (org_id, district_code, town_code,
			community_code, kind, held_on, topic, attendance)
			SELECT id, district_code, town_code, community_code, 'lecture', $2, '党课', 9 FROM organizations WHERE id = $1`,
			org, day); err != nil {
			t.Fatal(err)
		}
	}
	res := a.signedIn("demo-town").get("/town/stats?year=2022")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("stats: %d", res.StatusCode)
	}
	row := res.doc(t).Find("#stats-party-meetings tbody tr").Eq(1)
	if got, want := strings.TrimSpace(row.Find("td").First().Text()), itoa64(int64(before+2)); got != want {
		t.Fatalf("second quarter's meetings %q, want %s", got, want)
	}
	if res := a.signedIn("demo-town2").get("/town/stats?year=2022"); !strings.Contains(res.Body, "stats-party-meetings") {
		t.Error("another town's page has no 三会一课 section")
	}
}

// The 三会一课 section follows the page's urban/rural/试点 filter, draws the trend since 2021 as an SVG with its
// title, text alternative and table, and its export holds the same figures as the page: every row of the year
// (with its total) and of the trend, under title rows naming the area. A bad area is 422, a division outside the
// scope 404.
func TestPartyMeetingsSectionFilterTrendAndExport(t *testing.T) {
	a := newApp(t, nil)
	for _, community := range []string{seed.CommunityDemo, seed.CommunityDemoRural} {
		if _, err := a.db.Pool.Exec(t.Context(), `INSERT INTO party_meetings (org_id, district_code, town_code,
			community_code, kind, held_on, topic, attendance)
			SELECT id, district_code, town_code, community_code, 'lecture', '2022-08-02', '党课', 7 FROM organizations
			WHERE id = (SELECT min(id) FROM organizations WHERE community_code = $1 AND status = 'normal')`, community); err != nil {
			t.Fatal(err)
		}
	}
	district := a.signedIn("demo-district")
	third := func(area string) string {
		t.Helper()
		doc := district.get("/district/stats?year=2022&area=" + area).doc(t)
		return strings.TrimSpace(doc.Find("#party-meetings tbody tr").Eq(2).Find("td").First().Text())
	}
	all, urban, rural := third(""), third("urban"), third("rural")
	n := func(s string) int { v, _ := strconv.Atoi(strings.ReplaceAll(s, ",", "")); return v }
	if n(all) != n(urban)+n(rural) || n(urban) < 1 || n(rural) < 1 {
		t.Fatalf("2022Q3 meetings: all %q, urban %q, rural %q", all, urban, rural)
	}

	res := district.get("/district/stats?year=2022&area=rural")
	doc := res.doc(t)
	if h := doc.Find("#stats-party-meetings h2").First().Text(); !strings.Contains(h, "农村") {
		t.Errorf("the section does not name its area: %q", h)
	}
	svg := doc.Find("svg#chart-party-meetings")
	if svg.Find("title").Text() == "" || !strings.Contains(svg.Find("desc").Text(), "2022年三季度") {
		t.Errorf("the trend chart has no title or text alternative: %q", svg.Find("desc").Text())
	}
	trendRows := doc.Find("#party-meetings-trend tbody tr").Length()
	if trendRows < 8 {
		t.Fatalf("the trend has %d quarters", trendRows)
	}
	href, _ := doc.Find("#party-meetings-export").Attr("href")
	if !strings.Contains(href, "area=rural") || !strings.Contains(href, "year=2022") {
		t.Fatalf("export link %q", href)
	}
	pageRows := func(table string) [][]string {
		var out [][]string
		doc.Find("#" + table + " tr").Each(func(_ int, tr *goquery.Selection) {
			if tr.Find("td").Length() == 0 {
				return
			}
			var cells []string
			tr.Children().Each(func(_ int, c *goquery.Selection) {
				cells = append(cells, strings.TrimSuffix(strings.ReplaceAll(strings.TrimSpace(c.Text()), ",", ""), "%"))
			})
			out = append(out, cells)
		})
		return out
	}
	x := district.get(href)
	if x.StatusCode != http.StatusOK || !strings.Contains(x.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("export: %d %s", x.StatusCode, x.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(strings.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if len(sheets) != 2 {
		t.Fatalf("sheets %v", sheets)
	}
	for i, table := range []string{"party-meetings", "party-meetings-trend"} {
		rows, err := f.GetRows(sheets[i])
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 7 || !strings.Contains(rows[1][0], "农村") || !strings.Contains(rows[4][0], "导出时间") {
			t.Fatalf("%s: title rows %v", table, rows[:min(len(rows), 7)])
		}
		want := pageRows(table)
		got := rows[7:]
		if len(got) != len(want) {
			t.Fatalf("%s: export %d rows, page %d", table, len(got), len(want))
		}
		for r := range want {
			for c := range want[r] {
				if c < len(got[r]) && sameCell(got[r][c], want[r][c]) || want[r][c] == "—" {
					continue
				}
				t.Fatalf("%s row %d column %d: export %v, page %v", table, r, c, got[r], want[r])
			}
		}
	}
	if res := district.get("/district/stats/party-meetings.xlsx?year=2022&area=moon"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad area: %d, want 422", res.StatusCode)
	}
	if res := a.signedIn("demo-town").get("/town/stats/party-meetings.xlsx?year=2022&division=" + seed.TownTongjing); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town's division: %d, want 404", res.StatusCode)
	}
}

// sameCell says whether a sheet's cell and a page's hold the same text or the same number (0 and 0.0).
func sameCell(sheet, page string) bool {
	if sheet == page {
		return true
	}
	a, err1 := strconv.ParseFloat(sheet, 64)
	b, err2 := strconv.ParseFloat(page, 64)
	return err1 == nil && err2 == nil && a == b
}
