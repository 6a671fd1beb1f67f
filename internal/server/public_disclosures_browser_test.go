package server

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/testdb"
)

// A committee publishes a group's 收支情况 from the group's record and corrects it; a resident on a 390 px
// phone, signed in nowhere, opens the group's profile and reads the corrected one with the superseded one
// beneath it, marked 已更正.
func TestBrowserCommitteeDisclosesFinanceAndCorrects(t *testing.T) {
	a := newApp(t, func(c *config.Config) { c.PublicRate = 0 })
	org := strconv.FormatInt(guidedOrg(t, a), 10)
	b := newBrowser(t, a)
	clerk := b.newTab(t)
	if res := clerk.signIn("demo-community", testdb.DemoPassword); res.Status != 200 {
		t.Fatalf("sign in: %d", res.Status)
	}
	clerk.open("/community/orgs/" + org)
	if res := clerk.click("#disclosures-link"); res.Status != 200 {
		t.Fatalf("信息公开 from the record: %d", res.Status)
	}
	if res := clerk.click(`#disclosure-new a[href$="kind=finance"]`); res.Status != 200 {
		t.Fatalf("发布收支情况: %d", res.Status)
	}
	clerk.fill("#title", "本年度收支情况（浏览器测试）")
	clerk.fill("#income-1", "6000")
	clerk.fill("#spending-0", "2345.60")
	if res := clerk.click(`#disclosure-form button[type=submit]`); res.Status != 200 || !strings.Contains(clerk.text(".flash"), "已公开") {
		t.Fatalf("publish: %d %q", res.Status, clerk.text(".flash"))
	}
	if res := clerk.click(`#disclosures article:first-of-type a[href$="/correct"]`); res.Status != 200 {
		t.Fatalf("更正: %d", res.Status)
	}
	if clerk.value("#spending-0") != "2345.60" {
		t.Fatalf("the correction form does not hold the published amount: %q", clerk.value("#spending-0"))
	}
	clerk.fill("#spending-0", "2645.60")
	clerk.fill("#reason", "漏记一笔 300 元的物资采购")
	if res := clerk.click(`#disclosure-form button[type=submit]`); res.Status != 200 || !strings.Contains(clerk.text(".flash"), "已更正") {
		t.Fatalf("correct: %d %q", res.Status, clerk.text(".flash"))
	}

	phone := b.newTab(t)
	phone.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	if res := phone.open("/orgs/" + org); res.Status != 200 {
		t.Fatalf("profile: %d", res.Status)
	}
	if w := js[int](phone, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the profile is %d px wide on a 390 px phone", w)
	}
	first := phone.text("#disclosures article:first-of-type")
	for _, want := range []string{"本年度收支情况（浏览器测试）", "2,645.60 元", "6,000.00 元", "更正说明：漏记一笔 300 元的物资采购",
		"已更正", "2,345.60 元"} {
		if !strings.Contains(first, want) {
			t.Errorf("the profile's disclosure lacks %q:\n%s", want, first)
		}
	}
	if got := phone.text("#disclosures article:first-of-type .superseded"); !strings.Contains(got, "2,345.60 元") || strings.Contains(got, "2,645.60") {
		t.Errorf("the superseded version is not the first one:\n%s", got)
	}
	phone.screenshot("public-disclosures-phone")
}
