package server

import (
	"net/http"
	"strings"
	"testing"
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
