package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/registry"
)

// TestCultivationListExports: the contracts, a round's applications and a room's bookings download as xlsx,
// linked from their pages, each with the rows the page shows; another town's round or room is 404.
func TestCultivationListExports(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	page := town.get("/town/funding").doc(t)
	href, _ := page.Find("#contracts-xlsx").Attr("href")
	rows := xlsxRows(t, town.get(href), "contracts")
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
	href, _ = district.get(round).doc(t).Find("#round-xlsx").Attr("href")
	rows = xlsxRows(t, district.get(href), "applications")
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
	rows = xlsxRows(t, res, "bookings")
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
