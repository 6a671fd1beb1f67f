package server

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/testdb"
)

// The district corrects a published notice through its pages and then withdraws it: the withdrawal's first
// click leads to a confirmation page (no JavaScript dialog), and only its button takes the notice down. A
// resident sees the corrected text with 更新于, and after the withdrawal a 404.
func TestBrowserAnnouncementCorrectedThenWithdrawnWithConfirmation(t *testing.T) {
	a := newApp(t, caseUploads(t))
	res := a.signedIn("demo-district").postReportForm("/district/announcements", announcementForm("notice", "关于开展骨干培训的通知"), nil)
	href := res.Header.Get("Location")
	id := strings.TrimPrefix(href, "/district/announcements/")
	b := newBrowser(t, a)
	district := b.newTab(t)
	district.signIn("demo-district", testdb.DemoPassword)
	district.open(href)
	district.click("#correct-link")
	district.fill("#title", "关于开展骨干培训的通知（更正）")
	district.do(chromedp.SendKeys(chromedp.CSS("#note"), "更正了标题"))
	if res := district.click("#correction-form button[type=submit]"); res.Status != 200 ||
		district.text("#announcement-title") != "关于开展骨干培训的通知（更正）" || district.count("#revisions details") != 1 {
		t.Fatalf("correct: %d %q", res.Status, district.text("#announcement-title"))
	}
	phone := b.newTab(t)
	phone.open("/announcements/" + id)
	if !strings.Contains(phone.text("#updated-on"), "更新于") {
		t.Fatalf("the public page does not say 更新于: %q", phone.text("#announcement-meta"))
	}

	district.do(chromedp.SendKeys(chromedp.CSS("#reason"), "活动取消"))
	if res := district.click("#withdraw button[type=submit]"); res.Status != 200 || district.count("#withdraw-confirm") != 1 {
		t.Fatalf("no confirmation page: %d", res.Status)
	}
	if len(district.dialogMessages()) != 0 {
		t.Fatalf("a JavaScript dialog asked instead of the page: %v", district.dialogMessages())
	}
	// Each public check in a new tab: the public page is cacheable for a minute, so a tab may keep it.
	if res := b.newTab(t).open("/announcements/" + id); res.Status != 200 {
		t.Fatalf("the confirmation page withdrew it already: %d", res.Status)
	}
	if res := district.click("#confirm-withdraw"); res.Status != 200 || district.count("#withdrawn") != 1 {
		t.Fatalf("confirm: %d", res.Status)
	}
	if res := b.newTab(t).open("/announcements/" + id); res.Status != 404 {
		t.Fatalf("withdrawn but public: %d", res.Status)
	}
}
