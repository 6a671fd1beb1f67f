package server

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/seed"
)

// The district drills from the district to a town to a community and back by the breadcrumb; the chart has its
// title and text alternative; the export opens and its totals equal the page's. A town officer cannot reach
// another town's page.
func TestBrowserStatsDrillDown(t *testing.T) {
	a := newApp(t, nil)
	year := a.busiestYear()
	b := newBrowser(t, a)

	d := flowSignIn(t, b, "demo-district", "district")
	if res := d.click(`nav.tier a[href="/district/stats"]`); res.Status != 200 {
		t.Fatalf("statistics: %d", res.Status)
	}
	d.setValue("#year", year)
	d.click(`#stats-filter button[type=submit]`)
	if d.url().Query().Get("year") != year || d.count("#ranking tbody tr") != 30 {
		t.Fatalf("the district page for %s: %s with %d towns", year, d.url(), d.count("#ranking tbody tr"))
	}
	// The chart: an SVG image named by its title and described by its text alternative, the table after it.
	label := js[string](d, `(s => s.getAttribute("aria-labelledby").split(" ").map(id => document.getElementById(id).textContent).join("|"))(document.querySelector("svg#chart-orgs"))`)
	if !strings.Contains(label, "各镇街社区社会组织数（单位：个）|") || !strings.Contains(label, "双龙湖街道") {
		t.Fatalf("the chart's accessible name and description: %q", label)
	}
	if js[string](d, `document.querySelector("svg#chart-orgs").getAttribute("role")`) != "img" ||
		js[int](d, `document.querySelector("svg#chart-orgs").getBoundingClientRect().height`) < 100 {
		t.Fatal("the chart is not drawn as an image")
	}

	d.click(`#ranking tbody a[href*="division=` + seed.TownShuanglonghu + `"]`)
	if got := d.text("h1"); got != "双龙湖街道社区社会组织统计" || d.url().Query().Get("year") != year {
		t.Fatalf("drilled into %q at %s", got, d.url())
	}
	d.click(`#ranking tbody a[href*="division=` + seed.CommunityDemo + `"]`)
	community := d.text("h1")
	if !strings.HasSuffix(community, "社区社会组织统计") || d.count("nav.breadcrumb a") != 2 || d.count("#ranking tbody tr") != 1 {
		t.Fatalf("the community page %q: %d crumbs", community, d.count("nav.breadcrumb a"))
	}
	d.screenshot("stats-community")
	d.click(`nav.breadcrumb a[href*="division=` + seed.TownShuanglonghu + `"]`)
	if got := d.text("h1"); got != "双龙湖街道社区社会组织统计" {
		t.Fatalf("back up to %q", got)
	}
	d.click(`nav.breadcrumb a`)
	if got := d.text("h1"); got != "渝北区社区社会组织统计" || d.url().Query().Get("year") != year {
		t.Fatalf("back up to %q at %s", got, d.url())
	}
	d.screenshot("stats-district")

	// The export, fetched as the signed-in browser fetches it, opens as a workbook whose totals are the page's.
	page := js[[]string](d, `[...document.querySelectorAll("#ranking tfoot tr > *")].map(c => c.innerText.trim())`)
	b64, err := chromedp.Run(d.ctx, chromedp.Evaluate[string](`fetch(document.querySelector("#export-xlsx").href)
		.then(r => r.arrayBuffer()).then(buf => {
			let s = ""; new Uint8Array(buf).forEach(x => s += String.fromCharCode(x)); return btoa(s) })`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetching the export: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows("1.镇街对比")
	if err != nil {
		t.Fatal(err)
	}
	sheet := rowOf(rows, "合计")
	sameFigures(t, page, sheet)

	// A town officer: its own page, no link to another town, and another town's page is 404.
	town := flowSignIn(t, b, "demo-town", "town")
	town.open("/town/stats?year=" + year)
	if town.count(`a[href*="division=`+seed.TownTongjing+`"]`) != 0 || town.text("h1") != "双龙湖街道社区社会组织统计" {
		t.Fatal("the town's page shows another town")
	}
	if res := town.open("/town/stats?division=" + seed.TownTongjing); res.Status != 404 {
		t.Fatalf("another town's statistics: %d", res.Status)
	}
	if res := town.open("/town/stats?division=" + seed.CommunityDemoRural); res.Status != 404 {
		t.Fatalf("another town's village: %d", res.Status)
	}
}
