package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/testdb"
)

// The district publishes a notice with an attachment through its pages; a resident on a phone, signed in
// nowhere, finds it on the public list, reads it and downloads the attachment; the action plan is the first
// policy document.
func TestBrowserAnnouncementPublishedAndRead(t *testing.T) {
	a := newApp(t, caseUploads(t))
	pdf := filepath.Join(t.TempDir(), "报名表.pdf")
	if err := os.WriteFile(pdf, announcementPDF, 0o644); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	district := b.newTab(t)
	district.signIn("demo-district", testdb.DemoPassword)
	district.click(`nav a[href="/district/announcements"]`)
	district.click("#new-announcement")
	district.do(chromedp.SetValue(chromedp.CSS("#kind"), "notice"))
	district.fill("#title", "关于报送社区社会组织年度工作报告的通知")
	district.do(chromedp.SendKeys(chromedp.CSS("#body"), "各镇人民政府、街道办事处：请于12月底前报送。"))
	district.do(chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{pdf}))
	if res := district.click("#announcement-form button[type=submit]"); res.Status != 200 || district.count("#files a") != 1 {
		t.Fatalf("publish: %d", res.Status)
	}
	district.screenshot("announcement-district")

	phone := b.newTab(t)
	phone.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	phone.open("/announcements")
	if js[int](phone, `document.documentElement.scrollWidth`) > 390 {
		t.Error("the list is wider than the phone")
	}
	if res := phone.click(`#announcement-list li:first-child a`); res.Status != 200 || phone.text("#announcement-title") != "关于报送社区社会组织年度工作报告的通知" {
		t.Fatalf("open the notice: %d %q", res.Status, phone.text("#announcement-title"))
	}
	if js[int](phone, `document.documentElement.scrollWidth`) > 390 {
		t.Error("the notice is wider than the phone")
	}
	got, err := chromedp.Run(phone.ctx, chromedp.Evaluate[string](`(async () => {
		const r = await fetch(document.querySelector("#files a").href);
		return r.status + " " + r.headers.get("content-type") + " " + (await r.text()).slice(0, 8); })()`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "200 application/pdf %PDF-1.4") {
		t.Fatalf("download: %q", got)
	}
	phone.open("/policies")
	if !strings.Contains(phone.text("#announcement-list"), "渝北民〔2021〕114号") {
		t.Errorf("the action plan is not among the policies: %q", phone.text("#announcement-list"))
	}
	phone.click(`#announcement-list a`)
	if !strings.Contains(phone.text("#announcement-body"), "典型引领") {
		t.Error("the action plan's text is not shown")
	}
	phone.screenshot("policy-phone")
}
