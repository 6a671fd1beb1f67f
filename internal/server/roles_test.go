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

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/web"
)

// roleAccount adds an account of role in the division of demo account like, with the demo password, and
// returns its username.
func roleAccount(t *testing.T, a *app, like string, role portal.Role) string {
	t.Helper()
	username := like + "-" + string(role)
	if _, err := a.db.Pool.Exec(context.Background(), `INSERT INTO accounts (username, display_name, tier,
		division_code, password_hash, role) SELECT $1, $2, tier, division_code, password_hash, $3 FROM accounts
		WHERE username = $4`, username, role.Label()+"人员", string(role), like); err != nil {
		t.Fatal(err)
	}
	return username
}

// tierRoleAccounts are an account of every role of the district and the towns (the committees have one role).
func tierRoleAccounts(t *testing.T, a *app) map[string]portal.Account {
	t.Helper()
	out := map[string]portal.Account{}
	for tier, like := range map[portal.Tier]string{portal.TierDistrict: "demo-district", portal.TierTown: "demo-town"} {
		for _, role := range portal.TierRoles[tier] {
			if role == portal.RoleAll {
				continue
			}
			out[roleAccount(t, a, like, role)] = portal.Account{Tier: tier, Role: role}
		}
	}
	return out
}

// TestPermissionMatrixByRole walks every route of a tier's area as an account of each of its roles: a route
// whose action the role does not take answers 403, every other route anything but 403.
func TestPermissionMatrixByRole(t *testing.T) {
	a := newApp(t, nil)
	accounts := tierRoleAccounts(t, a)
	s := New(a.cfg, a.db, slog.New(slog.NewTextHandler(io.Discard, nil)), web.DemoLogin{})
	defer s.Close()
	type route struct {
		method, pattern string
		action          portal.Action
	}
	var routes []route
	if err := chi.Walk(s.routes().(chi.Routes), func(method, pattern string, h http.Handler, _ ...func(http.Handler) http.Handler) error {
		if g, ok := h.(guarded); ok {
			routes = append(routes, route{method, pattern, g.action})
		} else if strings.HasPrefix(pattern, "/district/") || strings.HasPrefix(pattern, "/town/") {
			t.Errorf("%s %s has no action: the walk by role would not see it", method, pattern)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].pattern+routes[i].method < routes[j].pattern+routes[j].method })
	id := strconv.FormatInt(a.accountID("demo-community2"), 10)
	names := make([]string, 0, len(accounts))
	for u := range accounts {
		names = append(names, u)
	}
	sort.Strings(names)
	checked, readRefused := 0, 0
	for _, username := range names {
		acct := accounts[username]
		c := a.signedIn(username)
		for _, rt := range routes {
			if !strings.HasPrefix(rt.pattern, "/"+string(acct.Tier)+"/") {
				continue
			}
			path := strings.NewReplacer("{id}", id, "{docID}", "1", "{photoID}", "1").Replace(rt.pattern)
			var res response
			if rt.method == http.MethodGet {
				res = c.get(path)
			} else {
				res = c.post(path, url.Values{"version": {"-1"}})
			}
			allowed := portal.Allowed(acct, rt.action)
			// SECURITY.md 8 for the district, which has no other jurisdiction to move a record to: its 查阅 account
			// writes nothing. Every district POST refuses it, but marking its own message read.
			if acct.Role == portal.RoleRead && rt.method == http.MethodPost {
				if allowed && rt.pattern != "/district/messages/{id}/read" {
					t.Errorf("查阅 may POST %s (%s): a read-only role that writes", rt.pattern, rt.action)
				}
				if !allowed {
					readRefused++
				}
			}
			switch {
			case res.StatusCode >= 500:
				t.Errorf("%s %s as %s: %d", rt.method, path, username, res.StatusCode)
			case allowed && res.StatusCode == http.StatusForbidden:
				t.Errorf("%s %s as %s (%s): 403, but the role takes %s", rt.method, path, username, acct.Role.Label(), rt.action)
			case !allowed && res.StatusCode != http.StatusForbidden:
				t.Errorf("%s %s as %s (%s): %d, want 403 (%s)", rt.method, path, username, acct.Role.Label(), res.StatusCode, rt.action)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Fatalf("only %d route × role checks", checked)
	}
	if readRefused < 50 {
		t.Errorf("查阅 was refused only %d district POST routes", readRefused)
	}
	t.Logf("%d route × role checks; 查阅 refused (403) on %d district POST routes", checked, readRefused)
}

// Every role reaches every page its role allows by links from its 工作台, and no link leads it to a 403.
func TestBrowserEveryRoleReachesItsPagesByLinks(t *testing.T) {
	a := flowApp(t)
	accounts := tierRoleAccounts(t, a)
	s := New(a.cfg, a.db, slog.New(slog.NewTextHandler(io.Discard, nil)), web.DemoLogin{})
	defer s.Close()
	actions := map[string]portal.Action{}
	if err := chi.Walk(s.routes().(chi.Routes), func(method, pattern string, h http.Handler, _ ...func(http.Handler) http.Handler) error {
		if g, ok := h.(guarded); ok && method == http.MethodGet {
			actions[pattern] = g.action
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for username, acct := range accounts {
		t.Run(username, func(t *testing.T) {
			want, rt := tierGetRoutes(t, a, string(acct.Tier))
			for p := range want {
				if act, ok := actions[p]; ok && !portal.Allowed(acct, act) {
					delete(want, p)
				}
			}
			// pages of uploaded files need uploads, which the tier tests cover
			for p := range want {
				if isDownload(p) || strings.Contains(p, "/import/jobs/") || strings.Contains(p, "/documents/") {
					delete(want, p)
				}
			}
			b := newBrowserWithin(t, a, crawlLimit(want))
			tb := flowSignIn(t, b, username, string(acct.Tier))
			reached := crawl(tb, rt, want)
			for p := range want {
				if !reached[p] {
					t.Errorf("%s (%s): no link leads to GET %s", username, acct.Role.Label(), p)
				}
			}
		})
	}
}
