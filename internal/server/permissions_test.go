package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/yubei-cso/portal/web"
)

// access says who may reach a route.
type access int

const (
	public        access = iota // anyone, signed in or not
	signedIn                    // any signed-in account
	districtOnly                // /district/…
	townOnly                    // /town/…
	communityOnly               // /community/…
)

// publicRoutes lists every route outside the three tier areas and what it admits. A new route outside the tier
// areas fails the matrix until it is listed here, so nothing becomes public by accident.
var publicRouteAccess = map[string]access{
	"GET /healthz":                      public,
	"GET /readyz":                       public,
	"GET /static/*":                     public,
	"GET /":                             public,
	"GET /login":                        public,
	"POST /login":                       public,
	"POST /logout":                      public,
	"GET /verify/{token}":               public,
	"GET /verify":                       public,
	"GET /orgs":                         public,
	"GET /orgs/{id}":                    public,
	"GET /divisions/{code}":             public,
	"GET /open-data":                    public,
	"GET /open-data/organizations.csv":  public,
	"GET /open-data/services.csv":       public,
	"GET /open-data/locations.csv":      public,
	"GET /open-data/organizations.json": public,
	"GET /open-data/disclosures.csv":    public,
	"GET /open-data/disclosures.json":   public,
	"GET /account/password":             signedIn,
	"POST /account/password":            signedIn,

	// 典型案例 (issue 14): the published cases and their photos
	"GET /cases":                             public,
	"GET /cases/{id}":                        public,
	"GET /cases/{id}/photos/{photoID}":       public,
	"GET /cases/{id}/photos/{photoID}/thumb": public,
	// 通知公告 and 政策文件 (issue 14)
	"GET /announcements":                         public,
	"GET /announcements/{id}":                    public,
	"GET /announcements/{id}/documents/{fileID}": public,
	"GET /policies":                              public,
	"GET /policies/{id}":                         public,
	"GET /policies/{id}/documents/{fileID}":      public,

	// issue 14: photos the committee marked public
	"GET /orgs/{id}/photos/{photoID}":       public,
	"GET /orgs/{id}/photos/{photoID}/thumb": public,
}

// expectedAccess is the matrix: tier areas by their prefix, everything else from the explicit list.
func expectedAccess(method, pattern string) (access, bool) {
	switch {
	case strings.HasPrefix(pattern, "/district/"):
		return districtOnly, true
	case strings.HasPrefix(pattern, "/town/"):
		return townOnly, true
	case strings.HasPrefix(pattern, "/community/"):
		return communityOnly, true
	}
	a, ok := publicRouteAccess[method+" "+pattern]
	return a, ok
}

// TestPermissionMatrix walks every route (SECURITY.md 6) as anonymous and as each demo account, and fails on a
// route the matrix does not list or on any answer the matrix does not allow.
func TestPermissionMatrix(t *testing.T) {
	a := newApp(t, nil)
	users := []string{"demo-district", "demo-town", "demo-town2", "demo-community", "demo-community2"}
	tierOf := map[string]access{"demo-district": districtOnly, "demo-town": townOnly, "demo-town2": townOnly,
		"demo-community": communityOnly, "demo-community2": communityOnly}
	clients := map[string]*client{"": a.client()}
	for _, u := range users {
		clients[u] = a.signedIn(u)
	}
	s := New(a.cfg, a.db, slog.New(slog.NewTextHandler(io.Discard, nil)), web.DemoLogin{})
	defer s.Close()
	type route struct{ method, pattern string }
	var routes []route
	err := chi.Walk(s.routes().(chi.Routes), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, route{method, pattern})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].pattern+routes[i].method < routes[j].pattern+routes[j].method })
	if len(routes) < 20 {
		t.Fatalf("chi.Walk found only %d routes", len(routes))
	}
	// An id that exists: demo-town's account, managed by the district; other ids give 404 inside the tier.
	id := strconv.FormatInt(a.accountID("demo-community"), 10)
	for _, rt := range routes {
		want, listed := expectedAccess(rt.method, rt.pattern)
		if !listed {
			t.Errorf("%s %s is not in the permission matrix", rt.method, rt.pattern)
			continue
		}
		path := strings.NewReplacer("{id}", id, "{token}", "no-such-token", "{docID}", "1", "*", "app.css").Replace(rt.pattern)
		for _, who := range append([]string{""}, users...) {
			c := clients[who]
			var res response
			switch rt.method {
			case http.MethodGet:
				res = c.get(path)
			case http.MethodPost:
				if rt.pattern == "/logout" || rt.pattern == "/login" {
					continue // would end or start the sessions the rest of the walk uses; tested on their own
				}
				res = c.post(path, url.Values{"version": {"-1"}})
			default:
				t.Errorf("%s %s: the matrix knows only GET and POST", rt.method, rt.pattern)
				continue
			}
			label := who
			if label == "" {
				label = "anonymous"
			}
			checkAccess(t, rt.method+" "+path, label, want, tierOf[who], res)
		}
	}
}

func checkAccess(t *testing.T, what, who string, want, userTier access, res response) {
	t.Helper()
	toLogin := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login?next=")
	if res.StatusCode >= 500 {
		t.Errorf("%s as %s: %d", what, who, res.StatusCode)
		return
	}
	switch {
	case want == public:
		if toLogin || res.StatusCode == http.StatusForbidden {
			t.Errorf("%s as %s: public route answered %d", what, who, res.StatusCode)
		}
	case who == "anonymous":
		if !toLogin {
			t.Errorf("%s as anonymous: want 303 to /login?next=…, got %d %s", what, res.StatusCode, res.Header.Get("Location"))
		}
	case want == signedIn || want == userTier:
		if toLogin || res.StatusCode == http.StatusForbidden {
			t.Errorf("%s as %s: own area answered %d", what, who, res.StatusCode)
		}
	default:
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s as %s: another tier's area answered %d, want 403", what, who, res.StatusCode)
		}
	}
}
