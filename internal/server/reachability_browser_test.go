// Reachability: a clerk finds a page only by following links. For each tier, Chromium starts at the 工作台 and
// follows only links and GET forms (filters, searches, pagers); every GET route of that tier must be reached, so
// a page without a link to it fails here.
package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/seed"

	"github.com/yubei-cso/portal/web"
)

// crawlOpensPerPattern is how many pages of one route the crawl opens at most (the records of a list differ: only
// an approved filing has a certificate), preferring links to routes it has not opened yet.
const crawlOpensPerPattern = 6

// tierGetRoutes lists the GET route patterns of tier's area, plus the signed-in pages outside it.
func tierGetRoutes(t *testing.T, a *app, tier string) (map[string]bool, chi.Routes) {
	t.Helper()
	s := New(a.cfg, a.db, slog.New(slog.NewTextHandler(io.Discard, nil)), web.DemoLogin{})
	t.Cleanup(s.Close)
	rt := s.routes().(chi.Routes)
	want := map[string]bool{}
	err := chi.Walk(rt, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodGet {
			return nil
		}
		if strings.HasPrefix(pattern, "/"+tier+"/") || publicRouteAccess["GET "+pattern] == signedIn {
			want[pattern] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return want, rt
}

// routeOf is the route pattern path matches, or "".
func routeOf(rt chi.Routes, path string) string {
	rctx := chi.NewRouteContext()
	if !rt.Match(rctx, http.MethodGet, path) {
		return ""
	}
	return strings.ReplaceAll(rctx.RoutePattern(), "/*/", "/")
}

// downloads are answered with a file, not a page: reaching the link is enough.
func isDownload(pattern string) bool {
	return strings.HasSuffix(pattern, ".xlsx") || strings.HasSuffix(pattern, ".csv") ||
		strings.Contains(pattern, "/photos/") || strings.Contains(pattern, "/documents/") ||
		strings.Contains(pattern, "/materials/")
}

// linksJS collects the links of the page, the pictures it shows, the addresses its GET forms submit to as they stand.
const linksJS = `(() => {
	const out = [];
	for (const a of document.querySelectorAll("a[href]")) out.push(a.href);
	for (const i of document.querySelectorAll("img[src]")) out.push(i.src);
	for (const f of document.querySelectorAll("form")) {
		if ((f.getAttribute("method") || "get").toLowerCase() !== "get") continue;
		const u = new URL(f.getAttribute("action") || location.href, location.href);
		u.search = new URLSearchParams(new FormData(f)).toString();
		out.push(u.href);
	}
	return out;
})()`

// crawl follows links from the tab's current page and returns the route patterns it reached.
func crawl(tb *tab, rt chi.Routes, want map[string]bool) map[string]bool {
	tb.t.Helper()
	origin := tb.b.app.srv.URL
	route := func(path string) string {
		p := routeOf(rt, path)
		if !want[p] && want[p+"/"] { // a tier's 工作台, /district/, is asked for as /district
			return p + "/"
		}
		return p
	}
	reached := map[string]bool{}
	opened := map[string]int{} // pattern → pages of it opened
	seen := map[string]bool{}  // addresses queued or opened
	var queue []string
	collect := func() {
		for _, href := range js[[]string](tb, linksJS) {
			u, err := url.Parse(href)
			if err != nil || !strings.HasPrefix(href, origin) {
				continue
			}
			u.Fragment = ""
			p := route(u.Path)
			if !want[p] {
				continue
			}
			reached[p] = true
			addr := u.RequestURI()
			if isDownload(p) || seen[addr] {
				continue
			}
			seen[addr] = true
			queue = append(queue, addr)
		}
	}
	seen[tb.url().RequestURI()] = true
	start := route(tb.url().Path)
	opened[start]++
	reached[start] = true
	collect()
	for len(queue) > 0 && len(reached) < len(want) {
		// The next page: one of the least-opened route, in the order found.
		best := 0
		for i, addr := range queue {
			if opened[route(pathOf(addr))] < opened[route(pathOf(queue[best]))] {
				best = i
			}
		}
		addr := queue[best]
		queue = append(queue[:best], queue[best+1:]...)
		p := route(pathOf(addr))
		if opened[p] >= crawlOpensPerPattern {
			break
		}
		opened[p]++
		res := tb.open(addr)
		if res.Status != 200 {
			tb.t.Errorf("GET %s (found as a link): status %d", addr, res.Status)
			continue
		}
		collect()
	}
	return reached
}

func pathOf(requestURI string) string {
	p, _, _ := strings.Cut(requestURI, "?")
	return p
}

// crawlWork gives the pages of uploaded files something to show, the way clerks make it: a committee's report
// with a photo, a town's filing with its documents, and a 台账 job of each tier that imports.
func crawlWork(t *testing.T, a *app) {
	t.Helper()
	community := a.signedIn("demo-community")
	reportIDFrom(t, community.postReportForm("/community/reports", reportForm(a.reportGroup(seed.CommunityDemo), "入户走访"),
		[]reportFile{{"photos", "现场.png", reportPNG(t, 40, 30)}}))
	town := a.signedIn("demo-town")
	fileFiling(t, town, "舞悦")
	book := ledgerFile(t, ledger.Columns(true), [][]string{ledgerRow("导入", nil)}, nil)
	town.checkLedger("/town/orgs/import", book)
	community.checkLedger("/community/orgs/import", book)
	// 典型案例 with a photo, and a notice with an attachment (issue 14)
	town.postReportForm("/town/cases", caseForm(a.caseGroup(seed.TownShuanglonghu), "巡查"), []reportFile{{"photos", "现场.png", reportPNG(t, 40, 30)}})
	town.postReportForm("/town/announcements", announcementForm("notice", "通知"), []reportFile{{"files", "通知.pdf", announcementPDF}})
	cultivationCrawlWork(t, a)
	uploadSessionMaterial(t, a, town) // 培训资料 (training_materials_test.go)
}

// crawlLimit bounds one crawl: a browser test's usual limit, plus what the crawl may open of each route
// (crawlOpensPerPattern pages) at crawlPageLimit a page. The crawl's work grows with every module's pages, so a
// fixed limit for the whole crawl, set when a tier had half as many, failed it on a loaded machine for no fault.
func crawlLimit(want map[string]bool) time.Duration {
	return browserTimeout + time.Duration(len(want)*crawlOpensPerPattern)*crawlPageLimit
}

// crawlPageLimit is the time a crawled page may take on average, counted into the crawl's limit.
const crawlPageLimit = 250 * time.Millisecond

func TestBrowserEveryPageIsReachableByLinks(t *testing.T) {
	a := flowApp(t)
	crawlWork(t, a)
	for _, tc := range []struct{ username, tier string }{
		{"demo-district", "district"},
		{"demo-town", "town"},
		{"demo-community", "community"},
	} {
		t.Run(tc.username, func(t *testing.T) {
			want, rt := tierGetRoutes(t, a, tc.tier)
			b := newBrowserWithin(t, a, crawlLimit(want))
			tb := flowSignIn(t, b, tc.username, tc.tier)
			reached := crawl(tb, rt, want)
			var missing []string
			for p := range want {
				if !reached[p] {
					missing = append(missing, p)
				}
			}
			sort.Strings(missing)
			for _, p := range missing {
				t.Errorf("%s: no link from the 工作台 leads to GET %s", tc.username, p)
			}
			t.Logf("%s reached %d of %d pages", tc.username, len(reached), len(want))
		})
	}
}
