package server

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserTownRegistersAnIncubatorHousesAndBooks: a town registers its 孵化基地 and a room, gives a group a
// home there and books the room for the group's activity; the week's calendar shows the booking.
func TestBrowserTownRegistersAnIncubatorHousesAndBooks(t *testing.T) {
	a := flowApp(t)
	b := newBrowser(t, a)
	town := flowSignIn(t, b, "demo-town", "town")
	const name = "浏览器测试孵化基地"

	if res := town.click(`nav a[href="/town/platforms"]`); res.Status != 200 {
		t.Fatalf("the 支持平台 link: status %d", res.Status)
	}
	if res := town.click("#new-platform"); res.Status != 200 {
		t.Fatalf("登记支持平台: status %d", res.Status)
	}
	town.setValue("#kind", "孵化基地")
	town.fill("#name", name)
	town.fill("#address", "双龙湖街道龙湖路 8 号")
	town.fill("#hours", "周一至周五 9:00–17:30")
	town.do(chromedp.Click(`input[name=services][value="培育孵化"]`), chromedp.Click(`input[name=services][value="场地支持"]`))
	town.fill("#staff_count", "3")
	town.fill("#contact_name", "李敏")
	if res := town.click(`#platform-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("registering: status %d; the page says %q", res.Status, town.text("main"))
	}
	id := town.idOf("/town/platforms/")
	if got := town.text("#platform-name"); got != name {
		t.Fatalf("platform page shows %q", got)
	}
	if n := a.count(`SELECT count(*) FROM platforms WHERE id = $1 AND kind = '孵化基地' AND division_code = '500112002'
		AND services = ARRAY['培育孵化', '场地支持']`, id); n != 1 {
		t.Fatal("the platform is not stored as registered")
	}

	town.fill("#room_name", "多功能活动室")
	town.fill("#capacity", "40")
	town.fill("#equipment", "投影仪、音响")
	if res := town.click(`#room-form button[type=submit]`); res.Status != 200 || town.count("#rooms tbody tr") != 1 {
		t.Fatalf("adding the room: status %d, %d rooms", res.Status, town.count("#rooms tbody tr"))
	}

	org := js[string](town, `document.querySelector("#home_org option:nth-child(10)").value`)
	orgName := js[string](town, `document.querySelector("#home_org option:nth-child(10)").textContent`)
	town.setValue("#home_org", org)
	town.setValue("#from_on", "2026-01-01")
	town.setValue("#to_on", "2027-12-31")
	town.fill("#agreement", "安家协议〔2026〕1号")
	if res := town.click(`#home-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("安家: status %d", res.Status)
	}
	if row := town.text("#homes tbody"); !strings.Contains(row, orgName) || !strings.Contains(row, "2027年12月31日") {
		t.Fatalf("the homes show %q", row)
	}

	if res := town.click(`#rooms a`); res.Status != 200 {
		t.Fatalf("the room's week: status %d", res.Status)
	}
	d := time.Now().In(beijing).AddDate(0, 0, 2)
	start := time.Date(d.Year(), d.Month(), d.Day(), 14, 0, 0, 0, beijing)
	town.setValue("#org_id", org)
	town.fill("#title", "书法兴趣班")
	town.setValue("#starts_at", start.Format("2006-01-02T15:04"))
	town.setValue("#ends_at", start.Add(2*time.Hour).Format("2006-01-02T15:04"))
	if res := town.click(`#booking-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("booking: status %d; the page says %q", res.Status, town.text("main"))
	}
	cal := town.text("#week")
	if !strings.Contains(cal, "书法兴趣班") || !strings.Contains(cal, "14:00–16:00") || !strings.Contains(cal, orgName) {
		t.Fatalf("the calendar shows %q", cal)
	}
	if n := a.count(`SELECT count(*) FROM bookings b JOIN rooms r ON r.id = b.room_id
		WHERE r.platform_id = $1 AND b.org_id = $2 AND lower(b.during) = $3 AND b.status = 'booked'`, id, org, start); n != 1 {
		t.Fatal("the booking is not stored at the time typed in 北京时间")
	}
	if n := a.count(`SELECT count(*) FROM org_events WHERE org_id = $1 AND ((kind = '安家' AND reason = '安家协议〔2026〕1号')
		OR (kind = '预约活动室' AND reason = '书法兴趣班'))`, org); n != 2 {
		t.Errorf("the group's timeline has %d rows of its home and booking, want 2", n)
	}
	town.screenshot("platform-week")
}
