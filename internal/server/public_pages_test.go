package server

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/registry"
)

// anonymous GETs path with extra request headers.
func (c *client) getWith(path string, header map[string]string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.srv.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// The directory searches by part of a name, filters, and is cacheable: public for a minute, an ETag that a
// revalidation answers with 304, and no session cookie.
func TestPublicDirectorySearchesAndCaches(t *testing.T) {
	a := newApp(t, nil)
	c := a.client()
	res := c.get("/orgs?q=" + url.QueryEscape("舞蹈"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("search: %d", res.StatusCode)
	}
	names := res.doc(t).Find("#orgs .name")
	if names.Length() == 0 {
		t.Fatal("舞蹈 finds nothing in the demo registry")
	}
	for _, n := range names.Map(func(_ int, s *goquery.Selection) string { return s.Text() }) {
		if !strings.Contains(n, "舞蹈") {
			t.Errorf("%s does not hold 舞蹈", n)
		}
	}
	if cc := res.Header.Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("Cache-Control %q", cc)
	}
	if len(res.Header.Values("Set-Cookie")) != 0 {
		t.Errorf("a public page sets a cookie: %v", res.Header.Values("Set-Cookie"))
	}
	etag := res.Header.Get("ETag")
	again := c.getWith("/orgs?q="+url.QueryEscape("舞蹈"), map[string]string{"If-None-Match": etag})
	if etag == "" || again.StatusCode != http.StatusNotModified || again.Body != "" {
		t.Errorf("revalidation with %q: %d", etag, again.StatusCode)
	}
	// A signed-in clerk's pages stay out of caches.
	if cc := a.signedIn("demo-town").get("/town/orgs").Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("a private page: Cache-Control %q", cc)
	}
	// Filters: a town's page lists only its groups; a community filter needs its town.
	var town, townName string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT o.town_code, t.name FROM organizations o
		JOIN divisions t ON t.code = o.town_code WHERE o.name LIKE '%舞蹈%' LIMIT 1`).Scan(&town, &townName); err != nil {
		t.Fatal(err)
	}
	doc := c.get("/orgs?q=" + url.QueryEscape("舞蹈") + "&town=" + town).doc(t)
	for _, m := range doc.Find("#orgs .meta").First().Map(func(_ int, s *goquery.Selection) string { return s.Text() }) {
		if !strings.Contains(m, townName) {
			t.Errorf("a row of another town: %s", m)
		}
	}
	// Paging: the next link carries the filter and leads on.
	first := c.get("/orgs").doc(t)
	next, ok := first.Find("#page-next").Attr("href")
	if !ok {
		t.Fatal("no next page on the full list")
	}
	second := c.get(next).doc(t)
	if second.Find("#orgs .name").First().Text() == first.Find("#orgs .name").First().Text() {
		t.Error("the next page repeats the first")
	}
}

// Dissolved and revoked groups are shown on request, with their reason and date.
func TestPublicDirectoryShowsClosedOnRequest(t *testing.T) {
	a := newApp(t, nil)
	var name string
	if err := a.db.Pool.QueryRow(context.Background(), `UPDATE organizations SET status = 'dissolved',
		status_on = '2025-03-04', status_reason = '成员自愿解散' WHERE id = (SELECT max(id) FROM organizations)
		RETURNING name`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	c := a.client()
	if strings.Contains(c.get("/orgs").Body, name) {
		t.Error("a dissolved group is listed without being asked for")
	}
	body := c.get("/orgs?closed=1").Body
	if !strings.Contains(body, name) || !strings.Contains(body, "2025年3月4日已注销：成员自愿解散") {
		t.Error("closed=1 does not list the dissolved group with its date and reason")
	}
}

// Input no form sends gets 400, input a person mistyped 422 with the message at the field; never a 500.
func TestPublicBadInput(t *testing.T) {
	a := newApp(t, nil)
	c := a.client()
	for path, want := range map[string]int{
		"/orgs?q=%00abc": http.StatusBadRequest,
		"/orgs?q=%ff%fe": http.StatusBadRequest,
		"/orgs?q=%zz":    http.StatusBadRequest,
		"/orgs?q=" + strings.Repeat("舞", 20000): http.StatusBadRequest,
		"/orgs?q=" + url.QueryEscape("舞"):       http.StatusUnprocessableEntity,
		"/orgs?town=12345":                      http.StatusUnprocessableEntity,
		"/orgs?town=500112999":                  http.StatusUnprocessableEntity,
		"/orgs?tier=x":                          http.StatusUnprocessableEntity,
		"/orgs?after=-3":                        http.StatusBadRequest,
		"/divisions/abc":                        http.StatusBadRequest,
		"/divisions/500112999":                  http.StatusNotFound,
		"/orgs/abc":                             http.StatusNotFound,
		"/orgs/99999999":                        http.StatusNotFound,
		"/verify?no=" + url.QueryEscape("x"):    http.StatusUnprocessableEntity,
		"/verify?no=%00":                        http.StatusBadRequest,
		"/verify?no=" + url.QueryEscape("渝北社备〔2020〕002-9999号"): http.StatusNotFound,
	} {
		res := c.get(path)
		if res.StatusCode != want {
			t.Errorf("%.60s: %d, want %d", path, res.StatusCode, want)
			continue
		}
		doc := res.doc(t)
		if doc.Find("h1").Length() == 0 || strings.TrimSpace(doc.Find("main").Text()) == "" {
			t.Errorf("%.60s: no page with a message", path)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%.60s: an error is cacheable (%q)", path, cc)
		}
	}
	res := c.get("/orgs?q=" + url.QueryEscape("舞"))
	doc := res.doc(t)
	if msg := doc.Find(`[data-field="q"] .msg`).Text(); !strings.Contains(msg, "两个字") {
		t.Errorf("one character: message %q", msg)
	}
	if v, _ := doc.Find("#q").Attr("value"); v != "舞" {
		t.Errorf("the input is not kept: %q", v)
	}
}

// Searches and checks by number are limited per client address, with a 429 page in Chinese; browsing is not.
func TestPublicRateLimit(t *testing.T) {
	a := newApp(t, func(c *config.Config) { c.PublicRate = 3 })
	c := a.client()
	for i := range 3 {
		if res := c.get("/orgs?q=" + url.QueryEscape("舞蹈")); res.StatusCode != http.StatusOK {
			t.Fatalf("search %d: %d", i+1, res.StatusCode)
		}
	}
	res := c.get("/verify?no=" + url.QueryEscape("渝北社备〔2020〕002-9999号"))
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" ||
		!strings.Contains(res.Body, "查询过于频繁") {
		t.Fatalf("past the rate: %d %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if res := c.get("/orgs"); res.StatusCode != http.StatusOK {
		t.Errorf("browsing the list is limited: %d", res.StatusCode)
	}
}

// /verify finds a group by its 备案编号 or 统一社会信用代码, shows validity, tier and community, and says
// clearly when the group is dissolved; nothing personal.
func TestPublicVerifyByNumber(t *testing.T) {
	a := newApp(t, nil)
	ctx := context.Background()
	var filingNo, uscc, leader string
	var id int64
	if err := a.db.Pool.QueryRow(ctx, `SELECT id, filing_no, leader_name FROM organizations
		WHERE filing_no IS NOT NULL AND status = 'normal' AND NOT publish_contact LIMIT 1`).Scan(&id, &filingNo, &leader); err != nil {
		t.Fatal(err)
	}
	if err := a.db.Pool.QueryRow(ctx, `SELECT uscc FROM organizations WHERE uscc IS NOT NULL LIMIT 1`).Scan(&uscc); err != nil {
		t.Fatal(err)
	}
	c := a.client()
	for _, no := range []string{filingNo, strings.ToLower(uscc)} {
		res := c.get("/verify?no=" + url.QueryEscape(no))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", no, res.StatusCode)
		}
		doc := res.doc(t)
		if !strings.Contains(doc.Find("#verify-verdict").Text(), "有效") || doc.Find("#verify-facts").Length() == 0 {
			t.Errorf("%s: verdict %q", no, doc.Find("#verify-verdict").Text())
		}
	}
	if _, err := a.db.Pool.Exec(ctx, `UPDATE organizations SET status = 'dissolved', status_on = '2025-01-02',
		status_reason = '活动停止' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	res := c.get("/verify?no=" + url.QueryEscape(filingNo))
	if v := res.doc(t).Find("#verify-verdict").Text(); !strings.Contains(v, "无效") || !strings.Contains(v, "注销") {
		t.Errorf("a dissolved group's verdict: %q", v)
	}
	if strings.Contains(res.Body, leader) {
		t.Error("the verification shows the leader's name")
	}
}

// The open data's every column is in the dictionary, the files carry the extract date, and two extracts give
// every record the same identifier.
func TestOpenDataMatchesItsDictionary(t *testing.T) {
	a := newApp(t, nil)
	c := a.client()
	page := c.get("/open-data").doc(t)
	documented := map[string][]string{}
	page.Find("table.dictionary").Each(func(_ int, s *goquery.Selection) {
		ds, _ := s.Attr("data-dataset")
		documented[ds] = s.Find("tbody tr td:first-child").Map(func(_ int, td *goquery.Selection) string { return td.Text() })
	})
	ids := map[string][]string{}
	for _, d := range registry.OpenDatasets {
		res := c.get("/open-data/" + d.Name + ".csv")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%s.csv: %d %s", d.Name, res.StatusCode, res.Header.Get("Content-Type"))
		}
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(records) < 2 {
			t.Fatalf("%s.csv has no rows", d.Name)
		}
		if !slices.Equal(records[0], documented[d.Name]) {
			t.Errorf("%s.csv columns %v, dictionary %v", d.Name, records[0], documented[d.Name])
		}
		extract := slices.Index(records[0], "x_extract_date")
		for _, rec := range records[1:] {
			if extract < 0 || len(rec[extract]) != 10 {
				t.Fatalf("%s.csv: no extract date in %v", d.Name, rec)
			}
			ids[d.Name] = append(ids[d.Name], rec[0])
		}
	}
	// The JSON: its keys are documented too, and it names the extract's date.
	res := c.get("/open-data/organizations.json")
	var doc struct {
		ExtractDate   string           `json:"extract_date"`
		Organizations []map[string]any `json:"organizations"`
	}
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.ExtractDate) != 10 || len(doc.Organizations) != len(ids["organizations"]) {
		t.Fatalf("JSON: extract %q, %d organizations", doc.ExtractDate, len(doc.Organizations))
	}
	for i, o := range doc.Organizations {
		if o["id"] != ids["organizations"][i] {
			t.Fatalf("JSON id %v, CSV %s", o["id"], ids["organizations"][i])
		}
		for k, v := range o {
			if k == "services" || k == "locations" {
				for _, sub := range v.([]any) {
					for sk := range sub.(map[string]any) {
						if !slices.Contains(documented[k], sk) {
							t.Fatalf("JSON %s key %q is not in the dictionary", k, sk)
						}
					}
				}
				continue
			}
			if !slices.Contains(documented["organizations"], k) {
				t.Fatalf("JSON key %q is not in the dictionary", k)
			}
		}
	}
	// A second extract after a change names every record alike.
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE organizations SET fields = '{养老照护}', status = 'revoked',
		status_on = '2025-06-01', status_reason = '违规' WHERE id = (SELECT min(id) FROM organizations)`); err != nil {
		t.Fatal(err)
	}
	for _, d := range registry.OpenDatasets {
		records, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(c.get("/open-data/"+d.Name+".csv").Body, "\ufeff"))).ReadAll()
		var again []string
		for _, rec := range records[1:] {
			again = append(again, rec[0])
		}
		if !slices.Equal(again, ids[d.Name]) {
			t.Errorf("%s ids changed between extracts", d.Name)
		}
	}
}
