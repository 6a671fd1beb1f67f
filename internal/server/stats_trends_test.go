package server

import (
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
)

// A town's page shows the trends since 2021 — quarters from the monthly snapshot with their chart (title and
// text alternative), 定期工作报告 on time and 评估评议 grades — and its export holds the same tables with the same
// totals.
func TestStatsTrends(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	doc := town.get("/town/stats").doc(t)
	if n := doc.Find("#trend tbody tr").Length(); n < 20 {
		t.Fatalf("the quarter trend has %d rows", n)
	}
	first := rowCells(doc, "trend", "2021年一季度")
	if len(first) != 8 || first[1] == "未留存" {
		t.Fatalf("2021年一季度: %v", first)
	}
	svg := doc.Find("svg#chart-trend")
	if !strings.Contains(svg.Find("title").Text(), "季度末在册") || !strings.Contains(svg.Find("desc").Text(), "2021年一季度") {
		t.Fatalf("the trend chart lacks its title or text alternative: %q / %q", svg.Find("title").Text(), svg.Find("desc").Text())
	}
	ontime := rowCells(doc, "ontime", "合计")
	filed := a.count(`SELECT count(*) FROM work_reports WHERE revision = 1 AND town_code = $1 AND period_year >= 2021`,
		seed.TownShuanglonghu)
	if len(ontime) != 5 || ontime[1] != strconv.Itoa(filed) || ontime[2] == "0" || ontime[2] == ontime[1] {
		t.Fatalf("on-time total %v, %d first reports filed", ontime, filed)
	}
	grades := rowCells(doc, "grades", "合计")
	if len(grades) != 7 || grades[5] == "0" {
		t.Fatalf("grades total %v", grades)
	}

	href, _ := doc.Find("#export-xlsx").Attr("href")
	res := town.get(href)
	for sheet, page := range map[string][]string{"11.定期工作报告按期报送": ontime, "12.评估评议等次": grades} {
		row := rowOf(xlsxRows(t, res, sheet), "合计")
		if len(row) != len(page) {
			t.Fatalf("%s: export %v, page %v", sheet, row, page)
		}
		for i := 1; i < len(row); i++ {
			p, _ := strconv.ParseFloat(strings.TrimSuffix(page[i], "%"), 64)
			if s, err := strconv.ParseFloat(row[i], 64); err != nil || s != p {
				t.Fatalf("%s column %d: export %q, page %q", sheet, i, row[i], page[i])
			}
		}
	}
	if row := rowOf(xlsxRows(t, res, "10.季度趋势（2021年以来）"), "2021年一季度"); len(row) != 8 || row[1] != first[1] {
		t.Fatalf("the export's 2021年一季度 %v, the page's %v", row, first)
	}
}

// A community's 述职 summary states the year's 定期工作报告 and how many were on time, as a recount finds them.
func TestStatsSummaryStatesWorkReports(t *testing.T) {
	a := newApp(t, nil)
	var code string
	var year, filed, onTime int
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT community_code, period_year, count(*)::int,
			count(*) FILTER (WHERE submitted_at < (make_date(period_year, (period_no - 1) * 6 + 1, 1)
				+ interval '6 months')::timestamp AT TIME ZONE 'Asia/Shanghai')::int
		FROM work_reports WHERE revision = 1 AND town_code = $1 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1`,
		seed.TownShuanglonghu).Scan(&code, &year, &filed, &onTime); err != nil {
		t.Fatal(err)
	}
	doc := a.signedIn("demo-town").get("/town/stats/summary?division=" + code + "&year=" + strconv.Itoa(year)).doc(t)
	want := "报送定期工作报告 " + strconv.Itoa(filed) + " 份，其中按期报送 " + strconv.Itoa(onTime) + " 份"
	if !strings.Contains(doc.Find("#summary-page").Text(), want) {
		t.Fatalf("the summary lacks %q: %s", want, doc.Find("#summary-page").Text())
	}
	if row := rowCells(doc, "summary", "其中按期报送（份）"); len(row) != 2 || row[1] != strconv.Itoa(onTime) {
		t.Fatalf("summary table row %v", row)
	}
}
