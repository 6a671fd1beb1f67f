package server

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// A town writes a 典型案例 with a photo through its pages; the district returns it with a reason; the town reads
// the reason, fixes the case and resubmits it; the district publishes it; and a resident on a 390 px phone,
// signed in nowhere, finds it on the public list and reads it, and sees it on the group's profile.
func TestBrowserCaseWrittenReturnedPublishedRead(t *testing.T) {
	a := newApp(t, caseUploads(t))
	org := a.caseGroup(seed.TownShuanglonghu)
	photo := filepath.Join(t.TempDir(), "case.png")
	if err := os.WriteFile(photo, reportPNG(t, 80, 60), 0o644); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)

	town := b.newTab(t)
	town.signIn("demo-town", testdb.DemoPassword)
	if res := town.click(`nav a[href="/town/cases"]`); res.Status != 200 {
		t.Fatalf("the nav's 典型案例: %d", res.Status)
	}
	town.click("#new-case")
	town.do(chromedp.SetValue(chromedp.CSS("#org"), strconv.FormatInt(org, 10)))
	town.fill("#title", "楼栋里的守望人")
	town.do(chromedp.SetValue(chromedp.CSS("#series"), "邻里守望"))
	town.do(chromedp.SendKeys(chromedp.CSS("#story"), "志愿者按楼栋结对，每周上门问候独居老人，帮忙买菜、取药、陪同就医。"))
	town.do(chromedp.SetUploadFiles(chromedp.CSS("#photos"), []string{photo}))
	if res := town.click("#case-form button[type=submit]"); res.Status != 200 || town.text("#case-status") != "待审核" {
		t.Fatalf("submit: %d, status %q", res.Status, town.text("#case-status"))
	}
	id := strings.TrimPrefix(town.url().Path, "/town/cases/")

	district := b.newTab(t)
	district.signIn("demo-district", testdb.DemoPassword)
	district.click(`nav a[href="/district/cases"]`)
	if res := district.click(`#cases tr[data-id="` + id + `"] a`); res.Status != 200 {
		t.Fatalf("open the case: %d", res.Status)
	}
	district.do(chromedp.SendKeys(chromedp.CSS("#reason"), "请补充服务的人数和成效。"))
	if res := district.click("#return button[type=submit]"); res.Status != 200 || district.text("#case-status") != "已退回" {
		t.Fatalf("return: %d, %q", res.Status, district.text("#case-status"))
	}

	town.open("/town/cases/" + id)
	if !strings.Contains(town.text("#returned"), "请补充服务的人数和成效") {
		t.Fatalf("the town does not read the reason: %q", town.text("#returned"))
	}
	town.click("#edit-link")
	town.do(chromedp.SetValue(chromedp.CSS("#story"), "志愿者按楼栋结对，每周上门问候独居老人，帮忙买菜、取药、陪同就医。\n两年来共结对服务老人 86 位，上门 2100 余次。"))
	if res := town.click("#case-form button[type=submit]"); res.Status != 200 || town.text("#case-status") != "待审核" {
		t.Fatalf("resubmit: %d, %q", res.Status, town.text("#case-status"))
	}

	district.open("/district/cases/" + id)
	district.screenshot("case-district-decide")
	if res := district.click("#publish button[type=submit]"); res.Status != 200 || district.text("#case-status") != "已发布" {
		t.Fatalf("publish: %d, %q", res.Status, district.text("#case-status"))
	}
	if msgs := district.dialogMessages(); len(msgs) == 0 || !strings.Contains(msgs[len(msgs)-1], "确定发布") {
		t.Errorf("publishing asked no confirmation: %v", msgs)
	}

	phone := b.newTab(t)
	phone.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	fits := func(where string) {
		t.Helper()
		if w := js[int](phone, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s is %d px wide on a 390 px phone", where, w)
		}
	}
	phone.open("/cases")
	fits("the case list")
	if res := phone.click(`#case-list a[href="/cases/` + id + `"]`); res.Status != 200 {
		t.Fatalf("open the public case: %d", res.Status)
	}
	fits("the case")
	if phone.text("#case-title") != "楼栋里的守望人" || !strings.Contains(phone.text("#story"), "上门 2100 余次") {
		t.Fatalf("the public case: %q %q", phone.text("#case-title"), phone.text("#story"))
	}
	if phone.count("#photos img") != 1 || js[int](phone, `document.querySelector("#photos img").naturalWidth`) == 0 {
		t.Error("the photo does not show")
	}
	phone.click("#case-org")
	fits("the profile")
	if !strings.Contains(phone.text("#org-cases"), "楼栋里的守望人") {
		t.Errorf("the profile lacks the case: %q", phone.text("#org-cases"))
	}
	phone.screenshot("case-profile-phone")
}
