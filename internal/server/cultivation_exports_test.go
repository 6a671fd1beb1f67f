package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/registry"
)

// TestCultivationListExports: the contracts, a round's applications and a room's bookings download as xlsx,
// linked from their pages, each with the rows the page shows under title rows saying what, whose, when and in
// which units; another town's round or room is 404.
func TestCultivationListExports(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	page := town.get("/town/funding").doc(t)
	href, _ := page.Find("#contracts-xlsx").Attr("href")
	sheet := xlsxRows(t, town.get(href), "contracts")
	titled(t, sheet, "双龙湖街道购买服务合同", "双龙湖街道", "签订日期 ", "元（精确到分）")
	rows := titleRows(t, sheet, "购买服务合同")
	if want := a.count(`SELECT count(*) FROM contracts WHERE division_code LIKE '500112002%'`); len(rows) != want+1 || want == 0 {
		t.Fatalf("the contracts sheet has %d rows, want %d and the header", len(rows)-1, want)
	}
	if rows[0][0] != "项目" || !strings.Contains(strings.Join(rows[0], ","), "已支付（元）") {
		t.Errorf("header %q", rows[0])
	}
	if a.signedIn("demo-community").get("/town/funding/contracts.xlsx").StatusCode == http.StatusOK {
		t.Error("a committee downloaded the town's contracts")
	}

	district := a.signedIn("demo-district")
	round := firstLink(t, district, "/district/funding", "#rounds tbody a")
	roundPage := district.get(round).doc(t)
	href, _ = roundPage.Find("#round-xlsx").Attr("href")
	sheet = xlsxRows(t, district.get(href), "applications")
	titled(t, sheet, strings.TrimSpace(roundPage.Find("h1").First().Text()), "设立单位 ", "申报期 ", "评分：分")
	rows = titleRows(t, sheet, "申报与立项")
	id := round[strings.LastIndex(round, "/")+1:]
	if want := a.count(`SELECT count(*) FROM venture_applications WHERE round_id = $1`, id); len(rows) != want+1 || want == 0 {
		t.Fatalf("the round's sheet has %d rows, want %d", len(rows)-1, want)
	}
	if rows[0][0] != "社会组织" || rows[0][8] != "立项金额（元）" {
		t.Errorf("header %q", rows[0])
	}

	platform := firstLink(t, town, "/town/platforms", "table a[href^='/town/platforms/']")
	room := firstLink(t, town, platform, "#rooms a")
	href, _ = town.get(room).doc(t).Find("#bookings-xlsx").Attr("href")
	res := town.get(href)
	sheet = xlsxRows(t, res, "bookings")
	titled(t, sheet, "预约记录", "双龙湖街道", "（含已取消的预约）", "北京时间")
	rows = titleRows(t, sheet, "预约记录")
	if rows[0][0] != "活动室" || len(rows) < 1 {
		t.Fatalf("bookings header %q", rows[0])
	}
	if res := a.signedIn("demo-town2").get(href); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town's room bookings: %d, want 404", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'funding.export' AND object_type IN ('contract', 'round', 'room')`); n != 3 {
		t.Errorf("%d export audit rows, want 3", n)
	}
}

// titled checks that the title rows of sheet name what it is, whose, the period and the units (each want a
// part of its row), and that the export's time is today's.
func titled(t *testing.T, sheet [][]string, what, whose, period, units string) {
	t.Helper()
	titleRows(t, sheet, what)
	today := time.Now().In(beijing).Format("2006-01-02")
	for i, want := range []string{what, whose, period, units, today} {
		if !strings.Contains(sheet[i][0], want) {
			t.Errorf("title row %d %q, want it to hold %q", i+1, sheet[i][0], want)
		}
	}
	if regexp.MustCompile(`\d{4}年\d{1,2}月\d{1,2}日 至 \d{4}年`).FindString(sheet[2][0]) == "" {
		t.Errorf("the period %q is no span of days", sheet[2][0])
	}
}

// titleRows checks the five title rows above a titled sheet's header and gives the rows below them.
func titleRows(t *testing.T, rows [][]string, what string) [][]string {
	t.Helper()
	if len(rows) < 6 {
		t.Fatalf("%d rows, want the title rows and a header", len(rows))
	}
	for i, prefix := range []string{"", "范围：", "期间：", "单位：", "导出时间："} {
		if len(rows[i]) == 0 || !strings.HasPrefix(rows[i][0], prefix) {
			t.Errorf("title row %d = %q, want it to start %q", i+1, rows[i], prefix)
		}
	}
	if !strings.Contains(rows[0][0], what) {
		t.Errorf("title %q, want %q", rows[0][0], what)
	}
	return rows[5:]
}

// TestPlatformsAndLedgerExports: the platforms' register (with its filter) and a fund's ledger download as
// titled xlsx from their pages; the register's rows and rooms, and the ledger's rows, income, spending and
// balance, are the page's. Another town's fund is 404.
func TestPlatformsAndLedgerExports(t *testing.T) {
	a := newApp(t, nil)
	for _, c := range []struct{ user, page string }{{"demo-town", "/town/platforms"}, {"demo-community", "/community/platforms"},
		{"demo-district", "/district/platforms?kind=" + url.QueryEscape(registry.PlatformIncubator)}} {
		client := a.signedIn(c.user)
		page := client.get(c.page).doc(t)
		href, ok := page.Find("#export-xlsx").Attr("href")
		if !ok {
			t.Fatalf("%s: no export link", c.page)
		}
		rows := titleRows(t, xlsxRows(t, client.get(href), "支持平台"), "支持平台名册")
		if rows[0][0] != "名称" || rows[0][len(rows[0])-1] != "活动室（间）" {
			t.Fatalf("header %q", rows[0])
		}
		var names []string
		rooms := 0
		page.Find("#platforms tbody tr").Each(func(_ int, tr *goquery.Selection) {
			names = append(names, tr.Find("td").First().Text())
			n, _ := strconv.Atoi(tr.Find("td").Last().Text())
			rooms += n
		})
		sheetRooms := 0
		for i, r := range rows[1:] {
			if i >= len(names) || r[0] != names[i] {
				t.Errorf("%s: sheet row %d is %q, the page's %q", c.page, i+1, r[0], names)
				break
			}
			n, _ := strconv.Atoi(r[len(r)-1])
			sheetRooms += n
		}
		if len(rows)-1 != len(names) || len(names) == 0 || sheetRooms != rooms {
			t.Errorf("%s: the sheet has %d platforms and %d rooms, the page %d and %d", c.page, len(rows)-1, sheetRooms, len(names), rooms)
		}
	}

	town := a.signedIn("demo-town")
	fund := firstLink(t, town, "/town/funding", "#funds a")
	page := town.get(fund).doc(t)
	href, _ := page.Find("#export-xlsx").Attr("href")
	rows := titleRows(t, xlsxRows(t, town.get(href), "收支明细"), "收支明细")
	if rows[0][0] != "日期" || rows[0][4] != "余额（元）" {
		t.Fatalf("ledger header %q", rows[0])
	}
	plain := func(s string) string {
		return strings.NewReplacer(",", "", "+", "", "−", "").Replace(strings.TrimSpace(s))
	}
	cents := func(s string) int64 {
		if s == "" {
			return 0
		}
		f, ok := registry.ParseYuan(s)
		if !ok {
			t.Fatalf("amount %q", s)
		}
		return int64(f)
	}
	lines := page.Find("#ledger tbody tr")
	body, total := rows[1:len(rows)-1], rows[len(rows)-1]
	if len(body) != lines.Length() || len(body) == 0 || total[0] != "合计" {
		t.Fatalf("the ledger sheet has %d rows and %q last, the page %d", len(body), total, lines.Length())
	}
	var in, out int64
	lines.Each(func(i int, tr *goquery.Selection) {
		amount := plain(tr.Find("td").Eq(2).Text())
		if got := body[i][2] + body[i][3]; got != amount {
			t.Errorf("ledger row %d: %q in the sheet, %q on the page", i+1, got, amount)
		}
		in, out = in+cents(body[i][2]), out+cents(body[i][3])
	})
	balance := cents(plain(page.Find("#fund-balance").Text()))
	if cents(total[2]) != in || cents(total[3]) != out || cents(total[4]) != balance || in-out != balance {
		t.Errorf("totals %q; recomputed in %d out %d, the page's balance %d", total, in, out, balance)
	}
	if res := a.signedIn("demo-town2").get(href); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town's ledger: %d, want 404", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action IN ('platform.export', 'funding.export') AND object_type IN ('platform', 'fund')`); n != 4 {
		t.Errorf("%d export audit rows, want 4", n)
	}
}

// The funds and rounds of the money overview export as the page lists them, for every tier: same rows in the
// same order, same balances and budgets; each export is audited, and another town's rows are not in a town's sheet.
func TestFundsAndRoundsListsExport(t *testing.T) {
	a := newApp(t, nil)
	cellsOf := func(tr *goquery.Selection) []string {
		var out []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) { out = append(out, strings.TrimSpace(td.Text())) })
		return out
	}
	yuan := func(s string) int64 {
		f, ok := registry.ParseYuan(strings.ReplaceAll(s, ",", ""))
		if !ok {
			t.Fatalf("amount %q", s)
		}
		return int64(f)
	}
	exports := 0
	for _, user := range []struct{ name, page string }{{"demo-district", "/district/funding"}, {"demo-town", "/town/funding"},
		{"demo-community", "/community/funding"}} {
		client := a.signedIn(user.name)
		page := client.get(user.page).doc(t)
		for _, c := range []struct {
			link, table, sheet string
			money              []int // columns of amounts: page column → sheet column
			sheetCol           []int
		}{
			{"#funds-xlsx", "#funds", "工作基金", []int{2}, []int{2}},
			{"#rounds-xlsx", "#rounds", "公益创投", []int{2, 3}, []int{3, 4}},
		} {
			href, ok := page.Find(c.link).Attr("href")
			if !ok {
				t.Fatalf("%s: no %s link", user, c.link)
			}
			rows := titleRows(t, xlsxRows(t, client.get(href), c.sheet), c.sheet)
			exports++
			lines := page.Find(c.table + " tbody tr")
			if user.name != "demo-community" && lines.Length() == 0 {
				t.Fatalf("%s: the demo has no %s to compare", user, c.table)
			}
			if len(rows)-1 != lines.Length() {
				t.Fatalf("%s %s: %d rows in the sheet, %d on the page", user, c.table, len(rows)-1, lines.Length())
			}
			lines.Each(func(i int, tr *goquery.Selection) {
				cells, sheet := cellsOf(tr), rows[i+1]
				if sheet[0] != cells[0] || sheet[1] != cells[1] {
					t.Errorf("%s %s row %d: sheet %q, page %q", user, c.table, i+1, sheet, cells)
				}
				for k, col := range c.money {
					if yuan(sheet[c.sheetCol[k]]) != yuan(cells[col]) {
						t.Errorf("%s %s row %d: amount %q in the sheet, %q on the page", user, c.table, i+1, sheet[c.sheetCol[k]], cells[col])
					}
				}
			})
		}
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'funding.export' AND object_type IN ('fund', 'round')`); n != exports {
		t.Errorf("%d export audit rows, want %d", n, exports)
	}
	// A town's sheet holds no fund of the other demo town (which has some).
	if a.count(`SELECT count(*) FROM funds f JOIN divisions d ON d.code = f.division_code WHERE d.name = '统景镇'`) == 0 {
		t.Fatal("the demo gives 统景镇 no fund to leave out")
	}
	for _, r := range xlsxRows(t, a.signedIn("demo-town").get("/town/funding/funds.xlsx"), "工作基金") {
		if len(r) > 1 && strings.Contains(r[1], "统景") {
			t.Errorf("双龙湖's funds sheet holds %q of 统景镇", r)
		}
	}
}
