package server

import (
	"bytes"
	"errors"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/web"
)

// sessionToken is the session cookie the client holds for the portal.
func (c *client) sessionToken() string {
	u, _ := url.Parse(c.app.srv.URL)
	for _, k := range c.http.Jar.Cookies(u) {
		if k.Name == "yubei_session" {
			return k.Value
		}
	}
	return ""
}

// withToken is a fresh client that presents token as its session cookie, as a stolen or fixed cookie would.
func (a *app) withToken(token string) *client {
	c := a.client()
	u, _ := url.Parse(a.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "yubei_session", Value: token, Path: "/"}})
	return c
}

// SECURITY.md 3: a role change renews the token. The town's administrator (demo-town, who manages its
// committees' accounts) has its own 岗位角色 changed by the district: its next request gets a new token, the token
// it held before answers as signed out, and it goes on with the new role without signing in again. No
// administrator can change its own role or jurisdiction (administration goes one way, downward), and the renewed
// token does not stretch the absolute lifetime, which still counts from the sign-in.
func TestRoleChangeRenewsTheChangedAccountsToken(t *testing.T) {
	lifetime := 6 * time.Second
	a := newApp(t, func(c *config.Config) { c.SessionLifetime = lifetime })
	admin := a.signedIn(roleAccount(t, a, "demo-district", portal.RoleAdmin))
	town := a.signedIn("demo-town")
	signedInAt := time.Now() // no earlier than the sign-in the portal recorded
	id := a.accountID("demo-town")
	path := "/district/accounts/" + strconv.FormatInt(id, 10)
	before := town.sessionToken()
	if before == "" {
		t.Fatal("no session cookie after sign-in")
	}
	// The town's administrator cannot reach its own account to change it, nor can the district's.
	for who, ownID := range map[*client]int64{town: id, admin: a.accountID("demo-district-admin")} {
		own := "/town/accounts/" + strconv.FormatInt(ownID, 10)
		if who == admin {
			own = "/district/accounts/" + strconv.FormatInt(ownID, 10)
		}
		version := strconv.Itoa(a.count(`SELECT version FROM accounts WHERE id = $1`, ownID))
		for _, change := range []url.Values{{"role": {"clerk"}}, {"division": {"500112133"}}} {
			change.Set("version", version)
			route := "/role"
			if change.Has("division") {
				route = "/division"
			}
			// 404 where the tier keeps no accounts of its own kind, 403 where it does (the district's own
			// account): refused either way, and nothing written.
			if res := who.post(own+route, change); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
				t.Errorf("%s%s on one's own account: %d, want 403 or 404", own, route, res.StatusCode)
			}
			if v := strconv.Itoa(a.count(`SELECT version FROM accounts WHERE id = $1`, ownID)); v != version {
				t.Errorf("%s%s on one's own account changed it (version %s → %s)", own, route, version, v)
			}
		}
	}
	if res := town.get("/town/"); res.StatusCode != http.StatusOK || town.sessionToken() != before {
		t.Fatalf("a request without a role change: %d, token renewed %v", res.StatusCode, town.sessionToken() != before)
	}

	version := strconv.Itoa(a.count(`SELECT version FROM accounts WHERE id = $1`, id))
	if res := admin.post(path+"/role", url.Values{"version": {version}, "role": {"clerk"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("role change: %d", res.StatusCode)
	}
	// The next request carries the new role under a new token.
	res := town.get("/town/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the first request after the role change: %d", res.StatusCode)
	}
	after := town.sessionToken()
	if after == before || after == "" {
		t.Fatal("the token was not renewed after the account's role changed")
	}
	if res := town.get("/town/accounts"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a 经办 reading account administration: %d, want 403 (the new role applies)", res.StatusCode)
	}
	if res := a.withToken(before).get("/town/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the token held before the role change still works: %d", res.StatusCode)
	}
	if town.sessionToken() != after {
		t.Error("the token was renewed again without another change")
	}
	if a.count(`SELECT count(*) FROM sessions`) < 2 {
		t.Fatal("the sessions table lost the renewed session")
	}
	// The renewal came with a fresh scs deadline; the sign-in time still ends the session at its lifetime.
	time.Sleep(time.Until(signedInAt.Add(lifetime + 300*time.Millisecond)))
	if res := town.get("/town/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a renewed session outlived its absolute lifetime: %d", res.StatusCode)
	}
}

// A handler that fails after its response started (a download whose client went away) leaves the status it sent:
// the error page is not written over it, so net/http logs no "superfluous response.WriteHeader".
func TestErrorAfterTheResponseStartedWritesNoSecondStatus(t *testing.T) {
	a := newApp(t, nil)
	var serverLog, portalLog bytes.Buffer
	s := New(a.cfg, a.serving, slog.New(slog.NewTextHandler(&portalLog, nil)), web.DemoLogin{})
	defer s.Close()
	h := s.logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		_, _ = w.Write([]byte("名称\n"))
		s.resp.serverError(w, r, errors.New("write tcp: broken pipe"))
	}))
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(&serverLog, "", 0)
	srv.Start()
	defer srv.Close()
	res, err := http.Get(srv.URL + "/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(body) != "名称\n" {
		t.Errorf("the started response became %d %q", res.StatusCode, body)
	}
	srv.Close()
	if strings.Contains(serverLog.String(), "superfluous") {
		t.Errorf("net/http logged: %s", serverLog.String())
	}
	if !strings.Contains(portalLog.String(), "status=200") {
		t.Errorf("the request line does not log the status sent: %s", portalLog.String())
	}
}

// An account with a role keeps the token it signed in with on its next request: sign-in records the role the token
// was issued for. (It recorded none, so every 经办, 审核, 审批, 管理 or 查阅 account's first request renewed its token,
// and a client that kept the sign-in's cookie was signed out.)
func TestSignInRecordsTheRoleItsTokenIsFor(t *testing.T) {
	a := newApp(t, nil)
	for _, c := range []struct{ user, home string }{{"demo-town-file", "/town/"}, {"demo-town-approve", "/town/"},
		{"demo-review", "/district/"}, {"demo-read", "/district/"}} {
		cl := a.signedIn(c.user)
		before := cl.sessionToken()
		if res := cl.get(c.home); res.StatusCode != http.StatusOK || cl.sessionToken() != before {
			t.Errorf("%s: first request %d, token renewed %v", c.user, res.StatusCode, cl.sessionToken() != before)
		}
	}
}
