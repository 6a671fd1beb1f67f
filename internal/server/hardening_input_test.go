package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/web"
)

// recordsPerPattern is how many records of each kind of page the walk opens.
const recordsPerPattern = 8

// badValues are what a hostile or broken client sends: a NUL byte, bytes that are not UTF-8, a 64 KB value,
// SQL and HTML metacharacters, negative and overflowing numbers.
var badValues = map[string]string{
	"nul":      "a\x00b",
	"not-utf8": "\xff\xfe\xc3(",
	"64KB":     strings.Repeat("名", 64<<10/3),
	"meta":     `'; DROP TABLE organizations; -- "><script>alert(1)</script>%_\`,
	"negative": "-1",
	"overflow": "99999999999999999999999999",
	"float":    "1e309",
}

// walkedRoute is one route of the portal with a path that reaches a real record where the pattern has a
// parameter, the fields its forms carry, and the account that may use it ("" for anonymous).
type walkedRoute struct {
	method, pattern, path, who string
	fields                     []string
	forms                      []walkForm // the pages that showed a form leading to path, and to whom
}

// walkForm is a page that showed a form leading to a route (action: the form's path), and the account it showed
// it to.
type walkForm struct{ page, who, action string }

// tierUsers are the demo accounts the walk uses for each area; another set (demo-town2, demo-community2) walks the
// same routes as another jurisdiction.
var tierUsers = map[string]string{"district": "demo-district", "town": "demo-town", "community": "demo-community",
	"account": "demo-town2"}

// routeWalk lists every route of the portal (chi.Walk, as the permission matrix does) with, for each, a path
// filled in from the links the pages show to its tier's demo account and the names of the fields of the forms
// that lead to it (or, for a page, the forms that stay on it: its filters).
func routeWalk(t *testing.T, a *app, clients map[string]*client) []walkedRoute {
	t.Helper()
	return routeWalkAs(t, a, clients, tierUsers)
}

// routeWalkAs is routeWalk with the areas' accounts named by users (tier or "account" → username).
func routeWalkAs(t *testing.T, a *app, clients map[string]*client, users map[string]string) []walkedRoute {
	t.Helper()
	return routeWalkSeeded(t, a, clients, users, nil)
}

// routeWalkSeeded is routeWalkAs that also opens the pages of seeds (records a test put into a state whose page
// shows forms the demo data's records do not), each as its account; with seeds, the second pass also opens the
// records whose links only the first pass found (a record's page linking to its own pages below it).
func routeWalkSeeded(t *testing.T, a *app, clients map[string]*client, users map[string]string, seeds []walkForm) []walkedRoute {
	t.Helper()
	s := New(a.cfg, a.db, slog.New(slog.NewTextHandler(io.Discard, nil)), web.DemoLogin{})
	defer s.Close()
	var routes []walkedRoute
	err := chi.Walk(s.routes().(chi.Routes), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodPost && pattern == "/logout" {
			return nil // ends the sessions the walk uses; tested on its own
		}
		routes = append(routes, walkedRoute{method: method, pattern: pattern})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	whoFor := func(pattern string) string {
		for _, tier := range []string{"district", "town", "community", "account"} {
			if strings.HasPrefix(pattern, "/"+tier+"/") {
				return users[tier]
			}
		}
		return ""
	}
	// Crawl: every page without a parameter, then the pages the links found lead to, collecting links and forms.
	links := map[string]bool{}
	forms := map[string]map[string]bool{} // action path → field names
	shown := map[string][]walkForm{}      // action path → the pages that showed a form leading there
	crawled := map[string]bool{}
	queried := map[string][]string{} // path → links to it with a query, as the pages gave them
	crawl := func(who, path string) {
		if crawled[who+" "+path] {
			return
		}
		crawled[who+" "+path] = true
		res := clients[who].get(path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			return
		}
		doc := res.doc(t)
		doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
			if u, err := url.Parse(s.AttrOr("href", "")); err == nil && u.Host == "" {
				links[u.Path] = true
				// A page opened for one record (new-change?org=…): a few of each, with a seeded walk.
				if seeds != nil && u.RawQuery != "" && len(queried[u.Path]) < 3 && !slices.Contains(queried[u.Path], u.String()) {
					queried[u.Path] = append(queried[u.Path], u.String())
				}
			}
		})
		doc.Find("form").Each(func(_ int, f *goquery.Selection) {
			action := f.AttrOr("action", path)
			if u, err := url.Parse(action); err == nil {
				action = u.Path
			}
			if forms[action] == nil {
				forms[action] = map[string]bool{}
			}
			if strings.EqualFold(f.AttrOr("method", "get"), http.MethodPost) && len(shown[action]) < 3 &&
				!slices.Contains(shown[action], walkForm{path, who, action}) {
				shown[action] = append(shown[action], walkForm{path, who, action})
			}
			f.Find("input[name], select[name], textarea[name]").Each(func(_ int, in *goquery.Selection) {
				forms[action][in.AttrOr("name", "")] = true
			})
		})
	}
	for _, rt := range routes {
		rt.who = whoFor(rt.pattern)
		if rt.method == http.MethodGet && !strings.Contains(rt.pattern, "{") && !strings.Contains(rt.pattern, "*") {
			crawl(rt.who, rt.pattern)
		}
	}
	for _, seed := range seeds {
		crawl(seed.who, seed.page)
	}
	matchers := map[string]*regexp.Regexp{}
	paramRE := regexp.MustCompile(`\{[^}]+\}`)
	// Twice: a record's page, crawled in the first pass, holds the forms and links of the routes below it.
	passes := 2
	if seeds != nil {
		passes = 3
	}
	for pass := 0; pass < passes; pass++ {
		if pass > 0 {
			for _, rt := range routes {
				if rt.method == http.MethodGet && !strings.Contains(rt.pattern, "{") {
					for _, l := range queried[rt.pattern] {
						crawl(whoFor(rt.pattern), l)
					}
				}
			}
		}
		for i := range routes {
			rt := &routes[i]
			rt.who = whoFor(rt.pattern)
			rt.path = strings.ReplaceAll(rt.pattern, "*", "app.css")
			if strings.Contains(rt.pattern, "{") {
				re := matchers[rt.pattern]
				if re == nil {
					re = regexp.MustCompile("^" + paramRE.ReplaceAllString(strings.ReplaceAll(rt.pattern, ".", `\.`), `[^/]+`) + "$")
					matchers[rt.pattern] = re
				}
				var found []string
				for l := range links {
					if re.MatchString(l) {
						found = append(found, l)
					}
				}
				for action := range forms {
					if re.MatchString(action) {
						found = append(found, action)
					}
				}
				// A real record's id before any other word a link puts in the parameter's place (export.csv).
				numeric := regexp.MustCompile("^" + paramRE.ReplaceAllString(strings.ReplaceAll(rt.pattern, ".", `\.`), `[0-9a-f-]*[0-9][0-9a-f-]*`) + "$")
				sort.Slice(found, func(i, j int) bool {
					ni, nj := numeric.MatchString(found[i]), numeric.MatchString(found[j])
					if ni != nj {
						return ni
					}
					return found[i] < found[j]
				})
				found = slices.Compact(found)
				if len(found) > 0 {
					rt.path = found[0]
				} else {
					rt.path = paramRE.ReplaceAllString(rt.pattern, "1")
				}
				// Several records of a kind, so that the forms a record shows only in some states are found.
				if rt.method == http.MethodGet && (pass == 0 || seeds != nil) {
					// Spread over the list: records of one state tend to sit together.
					for i := 0; i < min(len(found), recordsPerPattern); i++ {
						crawl(rt.who, found[i*len(found)/min(len(found), recordsPerPattern)])
					}
				}
			}
		}
	}
	for i := range routes {
		rt := &routes[i]
		// The forms leading to the route's path first, then those leading to other records of its pattern.
		rt.forms = slices.Clone(shown[rt.path])
		if re := matchers[rt.pattern]; re != nil {
			var other []string
			for action := range shown {
				if action != rt.path && re.MatchString(action) {
					other = append(other, action)
				}
			}
			sort.Strings(other)
			for _, action := range other {
				rt.forms = append(rt.forms, shown[action]...)
			}
		}
		for name := range forms[rt.path] {
			if name != "" {
				rt.fields = append(rt.fields, name)
			}
		}
		sort.Strings(rt.fields)
	}
	return routes
}

// registryDigest is a digest of every table a request could write, audit log and sessions aside.
func registryDigest(t *testing.T, a *app) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := a.db.Pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'
		AND tablename NOT IN ('audit_log', 'sessions', 'schema_migrations') ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string]string{}
	for _, tbl := range tables {
		// An account's failure count and lock change by design under wrong passwords (they are the lockout).
		row := "t::text"
		if tbl == "accounts" {
			row = "(t.id, t.username, t.password_hash, t.disabled, t.division_code, t.version, t.session_version)::text"
		}
		var d string
		if err := a.db.Pool.QueryRow(ctx, `SELECT coalesce(md5(string_agg(md5(`+row+`), '' ORDER BY md5(`+row+`))), '')
			FROM `+tbl+` t`).Scan(&d); err != nil {
			t.Fatal(err)
		}
		out[tbl] = d
	}
	return out
}

// SECURITY.md 13 everywhere: every parameter and form field of every route, sent NUL bytes, invalid UTF-8, 64 KB
// values, metacharacters and overflowing numbers, answers below 500 and writes nothing.
func TestBadInputOnEveryRouteNeverFails(t *testing.T) {
	a := newApp(t, nil)
	clients := map[string]*client{"": a.client()}
	for _, u := range []string{"demo-district", "demo-town", "demo-town2", "demo-community"} {
		clients[u] = a.signedIn(u)
	}
	routes := routeWalk(t, a, clients)
	if len(routes) < 50 {
		t.Fatalf("the walk found only %d routes", len(routes))
	}
	common := []string{"q", "page", "after", "before", "sort", "status", "division", "town", "tier", "year", "id",
		"version", "from", "to", "actor", "action", "result", "kind", "area", "next", "username", "password"}
	before := registryDigest(t, a)
	sent := 0
	for _, rt := range routes {
		fields := rt.fields
		if len(fields) == 0 {
			fields = common
		}
		for label, v := range badValues {
			// Every field at once, and (for the large value, which a body limit would otherwise stop whole) each
			// field alone.
			sets := [][]string{fields}
			if label == "64KB" {
				sets = nil
				for _, f := range fields {
					sets = append(sets, []string{f})
				}
			}
			for _, set := range sets {
				form := url.Values{}
				for _, f := range set {
					form.Set(f, v)
				}
				c := clients[rt.who]
				var res response
				if rt.method == http.MethodGet {
					q := form.Encode()
					if len(q) > 32<<10 {
						q = url.Values{set[0]: {v}}.Encode()
					}
					res = c.get(rt.path + "?" + q)
				} else {
					res = c.post(rt.path, form)
				}
				sent++
				if res.StatusCode >= 500 {
					t.Errorf("%s %s (%s) with %s in %v: %d", rt.method, rt.path, rt.pattern, label, set, res.StatusCode)
				}
			}
		}
		// The path's own parameters get the bad values too.
		if strings.Contains(rt.pattern, "{") {
			for label, v := range badValues {
				if label == "64KB" {
					continue // longer than any URL a server takes
				}
				p := regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(rt.pattern, url.PathEscape(v))
				var res response
				if rt.method == http.MethodGet {
					res = clients[rt.who].get(p)
				} else {
					res = clients[rt.who].post(p, url.Values{"version": {"1"}})
				}
				sent++
				if res.StatusCode >= 500 {
					t.Errorf("%s %s with %s in its path: %d", rt.method, p, label, res.StatusCode)
				}
			}
		}
	}
	after := registryDigest(t, a)
	for tbl, d := range before {
		if after[tbl] != d {
			t.Errorf("table %s changed under bad input", tbl)
		}
	}
	t.Logf("%d routes, %d requests", len(routes), sent)
}
