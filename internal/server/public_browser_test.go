package server

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/config"
)

// A resident on a 390 px wide phone, signed in nowhere, searches the directory, narrows it to a town, opens a
// group's profile and reaches it through its community's office, then verifies a 备案编号; no page is wider
// than the phone.
func TestBrowserPublicPhoneUser(t *testing.T) {
	a := newApp(t, func(c *config.Config) { c.PublicRate = 0 })
	ctx := context.Background()
	var filingNo, filedName, town, townName string
	if err := a.db.Pool.QueryRow(ctx, `SELECT filing_no, name FROM organizations
		WHERE filing_no IS NOT NULL AND status = 'normal' LIMIT 1`).Scan(&filingNo, &filedName); err != nil {
		t.Fatal(err)
	}
	if err := a.db.Pool.QueryRow(ctx, `SELECT o.town_code, t.name FROM organizations o JOIN divisions t ON t.code = o.town_code
		WHERE o.name LIKE '%舞蹈%' GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1`).Scan(&town, &townName); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	tb := b.newTab(t)
	tb.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	fits := func(where string) {
		t.Helper()
		if w := js[int](tb, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s is %d px wide on a 390 px phone", where, w)
		}
	}

	tb.open("/")
	tb.fill("#q", "舞蹈")
	if res := tb.click("#home-search button[type=submit]"); res.Status != 200 || tb.url().Path != "/orgs" {
		t.Fatalf("search from the home page: %d at %s", res.Status, tb.url())
	}
	fits("the directory")
	names := js[[]string](tb, `[...document.querySelectorAll("#orgs .name")].map(e => e.innerText)`)
	if len(names) == 0 {
		t.Fatal("舞蹈 finds nothing")
	}
	for _, n := range names {
		if !strings.Contains(n, "舞蹈") {
			t.Errorf("%s does not hold 舞蹈", n)
		}
	}

	tb.do(chromedp.SetValue(chromedp.CSS("#town"), town))
	if res := tb.click("#directory button[type=submit]"); res.Status != 200 {
		t.Fatalf("filter by town: %d", res.Status)
	}
	if tb.value("#q") != "舞蹈" || tb.value("#town") != town {
		t.Errorf("the filter is not kept: %q %q", tb.value("#q"), tb.value("#town"))
	}
	places := js[[]string](tb, `[...document.querySelectorAll("#orgs .meta:first-of-type")].map(e => e.innerText)`)
	if len(places) == 0 {
		t.Fatal("the town holds no 舞蹈 group")
	}
	for _, p := range places {
		if !strings.Contains(p, townName) {
			t.Errorf("a group outside %s: %s", townName, p)
		}
	}
	first := tb.text("#orgs .name")
	if res := tb.click("#orgs .name"); res.Status != 200 || tb.text("#org-name") != first {
		t.Fatalf("open the profile of %s: %d, %q", first, res.Status, tb.text("#org-name"))
	}
	fits("the profile")
	if !strings.Contains(tb.text("#office"), "联系") || tb.count("#org-facts dt") < 4 {
		t.Errorf("the profile lacks its facts or its community's office: %q", tb.text("#office"))
	}

	tb.open("/verify")
	tb.fill("#no", filingNo)
	if res := tb.click("#verify-form button[type=submit]"); res.Status != 200 {
		t.Fatalf("verify %s: %d", filingNo, res.Status)
	}
	fits("the verification")
	if v := tb.text("#verify-verdict"); !strings.Contains(v, "有效") || !strings.Contains(tb.text("#verify-result"), filedName) {
		t.Errorf("verification of %s: %q", filingNo, v)
	}
}
