package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"
	"github.com/yubei-cso/portal/internal/portal"
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

// TestVentureApplicationsReadByNamedReviewersOnly: a town reads another town's 公益创投 applications only when the
// district round names it a reviewer, and only in the reviewer role; it then reads what scoring needs (project,
// budget lines, 服务对象, expected results) and nothing personal. A town that is not named reads only its own
// groups' applications and scores none.
func TestVentureApplicationsReadByNamedReviewersOnly(t *testing.T) {
	a := newApp(t, nil)
	round := strconv.Itoa(a.count(`SELECT id FROM venture_rounds WHERE title = '2026 年渝北区社区公益创投大赛'`))
	page := "/town/funding/rounds/" + round
	// 双龙湖街道's application in the round, and its group's leader's masked phone
	shuanglong := strconv.Itoa(a.count(`SELECT a.id FROM venture_applications a JOIN organizations o ON o.id = a.org_id
		WHERE a.round_id = $1 AND o.town_code = '500112002'`, round))
	var leader, mask string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT o.leader_name, o.leader_phone_mask FROM venture_applications a
		JOIN organizations o ON o.id = a.org_id WHERE a.id = $1`, shuanglong).Scan(&leader, &mask); err != nil {
		t.Fatal(err)
	}
	town2 := a.signedIn("demo-town2")
	rows := func(c *client) (int, *goquery.Document) {
		res := c.get(page)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("round page: %d", res.StatusCode)
		}
		d := res.doc(t)
		return d.Find(`#applications tbody tr[data-id="` + shuanglong + `"]`).Length(), d
	}

	// named (the demo names the three demo towns): the reviewer reads and may score 双龙湖街道's application
	n, d := rows(town2)
	card := d.Find("#review-" + shuanglong)
	if n != 1 || card.Find(".budget-lines").Text() == "" || card.Find(".expected").Text() == "" ||
		!strings.Contains(card.Find(".beneficiaries").Text(), "空巢老人") || card.Find(".score-form").Length() != 1 {
		t.Fatalf("a named reviewer sees %d rows and the card %q", n, card.Text())
	}
	if body := d.Text(); (leader != "" && strings.Contains(body, leader)) || (mask != "" && strings.Contains(body, mask)) {
		t.Fatal("the reviewer's page shows the leader's name or phone")
	}
	// the same town's clerk (经办, not the reviewer role) reads only its own groups'
	clerk := a.signedIn(roleAccount(t, a, "demo-town2", portal.RoleClerk))
	if n, _ := rows(clerk); n != 0 {
		t.Fatal("a town clerk outside the reviewer role reads another town's application")
	}

	// the district no longer names 统景镇: it reads only its own and scores none
	district := a.signedIn("demo-district")
	form := district.get("/district/funding/rounds/" + round).doc(t)
	version, _ := form.Find(`#round-reviewers-form input[name="version"]`).Attr("value")
	res := district.post("/district/funding/rounds/"+round+"/reviewers", url.Values{"version": {version}, "reviewers": {"双龙湖街道"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("naming the reviewers: %d", res.StatusCode)
	}
	n, d = rows(town2)
	if n != 0 || d.Find(".score-form").Length() != 0 || d.Find("#applications tbody tr").Length() != 1 {
		t.Fatalf("a town that is not a reviewer sees %d of 双龙湖街道's rows, %d score forms and %d rows", n,
			d.Find(".score-form").Length(), d.Find("#applications tbody tr").Length())
	}
	before := a.count(`SELECT count(*) FROM venture_scores`)
	if res := town2.post(page+"/applications/"+shuanglong+"/scores", url.Values{"score_1": {"1"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a town that is not a reviewer scoring: %d, want 404", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM venture_scores`) != before {
		t.Fatal("a refused score was written")
	}

	// bad input on the reviewers' form: a division that is not a town of the district is 422 at the field, the
	// choice kept, nothing written; a stale version is 409
	form = district.get("/district/funding/rounds/" + round).doc(t)
	version, _ = form.Find(`#round-reviewers-form input[name="version"]`).Attr("value")
	res = district.post("/district/funding/rounds/"+round+"/reviewers", url.Values{"version": {version}, "reviewers": {"统景镇", "不存在镇"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("an unknown town: %d, want 422", res.StatusCode)
	}
	d = res.doc(t)
	if msg := d.Find(`[data-field="reviewers"] .msg`).Text(); !strings.Contains(msg, "镇街") {
		t.Errorf("message at the field: %q", msg)
	}
	if _, kept := d.Find(`input[name="reviewers"][value="统景镇"]`).Attr("checked"); !kept {
		t.Error("the choice is not kept")
	}
	if n := a.count(`SELECT count(*) FROM venture_reviewers WHERE round_id = $1`, round); n != 1 {
		t.Errorf("%d reviewers after a refused change, want 1", n)
	}
	if res := district.post("/district/funding/rounds/"+round+"/reviewers", url.Values{"version": {"1"}, "reviewers": {"统景镇"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("a stale version: %d, want 409", res.StatusCode)
	}
	// a town cannot name reviewers (the district keeps the round)
	if res := a.signedIn("demo-town").post(page+"/reviewers", url.Values{"version": {version}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("a town naming reviewers: %d", res.StatusCode)
	}
}
