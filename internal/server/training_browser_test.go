package server

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/seed"
)

// A town enters its plan, holds a session, imports a sign-in sheet with one bad row (refused with the row's
// reason), fixes it and imports it; the reach page moves.
func TestBrowserTownTrainsKeyPeople(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	tb := flowSignIn(t, b, "demo-town", "town")
	now := time.Now().In(beijing)
	year := now.Year()

	scope := portal.Scope{Tier: portal.TierTown, Division: seed.TownShuanglonghu}
	unreached, err := a.db.UnreachedOrgs(context.Background(), scope, year, 0, 50)
	if err != nil || len(unreached) < 2 {
		t.Fatalf("unreached groups: %d, %v", len(unreached), err)
	}
	tb.open("/town/training/reach")
	reachedBefore, _ := strconv.Atoi(tb.text("#total-reached"))

	tb.open("/town")
	tb.click(`nav a[href="/town/training"]`)
	tb.click("#edit-plan")
	for i, n := range []string{"2", "3", "2", "1"} {
		tb.fill("#q"+strconv.Itoa(i+1), n)
	}
	tb.do(chromedp.Click(chromedp.CSS(`input[name="audiences"][value="社区志愿者"]`)))
	tb.fill("#note", "每季度至少一场示范培训")
	if res := tb.click(`#plan-form button[type=submit]`); res.Status != 200 || !strings.Contains(tb.text("body"), "培训计划已保存") {
		t.Fatalf("plan: status %d, page %q", res.Status, tb.text("main"))
	}
	if got := tb.text("#plans tbody"); !strings.Contains(got, "社区志愿者") {
		t.Fatalf("plan row: %q", got)
	}

	tb.click("#new-session")
	tb.fill("#title", "社区社会组织骨干能力提升示范培训")
	tb.setValue("#date", now.Format("2006-01-02"))
	tb.setValue("#starts", "09:00")
	tb.setValue("#ends", "08:00")
	tb.fill("#hours", "3")
	tb.setValue("#mode", "示范培训")
	tb.do(chromedp.Click(chromedp.CSS(`input[name="topics"][value="能力建设"]`)))
	if res := tb.click(`#session-form button[type=submit]`); res.Status != 422 || !strings.Contains(tb.text(`[data-field="ends"] .msg`), "结束时间应晚于开始时间") {
		t.Fatalf("session ending before it starts: status %d, %q", res.Status, tb.text("main"))
	}
	if tb.value("#title") != "社区社会组织骨干能力提升示范培训" {
		t.Fatal("title not kept")
	}
	tb.setValue("#ends", "12:00")
	if res := tb.click(`#session-form button[type=submit]`); res.Status != 200 || tb.count("#import-form") != 1 {
		t.Fatalf("session: status %d, %q", res.Status, tb.text("main"))
	}

	dir := t.TempDir()
	rows := [][]string{
		{"蒋丽", "500112199001010017", "13900001111", "社区社会组织负责人", unreached[0].Name, "助理社会工作师", "2021"},
		{"韩磊", "50011219900101002X", "", "社区社会组织负责人", unreached[1].Name, "", ""},
	}
	bad := filepath.Join(dir, "签到表.xlsx")
	if err := os.WriteFile(bad, attendanceSheet(t, rows), 0o600); err != nil {
		t.Fatal(err)
	}
	tb.upload("#sheet", bad)
	if res := tb.click(`#import-form button[type=submit]`); res.Status != 422 {
		t.Fatalf("bad sheet: status %d", res.Status)
	}
	if got := tb.text(`#sheet-problems tr[data-row="3"]`); !strings.Contains(got, "身份证号") || tb.count(`#sheet-problems tr[data-row]`) != 1 {
		t.Fatalf("row problems: %q", tb.text("#sheet-problems"))
	}
	if tb.text("#attendee-count") != "0" {
		t.Fatal("a refused sheet imported rows")
	}
	rows[1][1] = "500112199001010025"
	good := filepath.Join(dir, "签到表-改.xlsx")
	if err := os.WriteFile(good, attendanceSheet(t, rows), 0o600); err != nil {
		t.Fatal(err)
	}
	tb.upload("#sheet", good)
	if res := tb.click(`#import-form button[type=submit]`); res.Status != 200 || tb.text("#attendee-count") != "2" {
		t.Fatalf("good sheet: status %d, %q", res.Status, tb.text("main"))
	}
	tb.screenshot("training-session")

	tb.open("/town/training/reach")
	reachedAfter, _ := strconv.Atoi(tb.text("#total-reached"))
	if reachedAfter != reachedBefore+2 {
		t.Fatalf("reached %d → %d, want +2", reachedBefore, reachedAfter)
	}
	if strings.Contains(tb.text("#unreached"), unreached[0].Name) {
		t.Fatal("a reached group is still listed as unreached")
	}
	tb.screenshot("training-reach")
}
