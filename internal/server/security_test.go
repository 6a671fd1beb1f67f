package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/testdb"
)

func sessionCookie(c *client) string {
	u, _ := url.Parse(c.app.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "yubei_session" {
			return ck.Value
		}
	}
	return ""
}

// SECURITY.md 3: the session token is renewed at sign-in, and the cookie is HttpOnly and SameSite=Lax.
func TestLoginRenewsTokenAndSetsCookieFlags(t *testing.T) {
	a := newApp(t, nil)
	c := a.client()
	c.get("/login") // an anonymous session may exist before sign-in
	c.http.Jar.SetCookies(mustURL(a.srv.URL), []*http.Cookie{{Name: "yubei_session", Value: "attacker-chosen-token"}})
	res := c.post("/login", url.Values{"username": {"demo-town"}, "password": {testdb.DemoPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/town" {
		t.Fatalf("sign in: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	set := res.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(set, want) {
			t.Errorf("session cookie lacks %s: %s", want, set)
		}
	}
	if tok := sessionCookie(c); tok == "" || tok == "attacker-chosen-token" {
		t.Fatalf("token not renewed at sign-in: %q", tok)
	}
	if got := a.count(`SELECT count(*) FROM audit_log WHERE action = 'login' AND actor_username = 'demo-town' AND result = 'ok'`); got != 1 {
		t.Fatalf("audit rows for the sign-in: %d, want 1", got)
	}
}

// SECURITY.md 1, 2, 19: five failures lock the account for the configured time, the message never says whether
// the user exists, and every event leaves one audit row.
func TestLockoutAfterFiveFailures(t *testing.T) {
	a := newApp(t, nil)
	c := a.client()
	var unknownMsg string
	{
		res := c.post("/login", url.Values{"username": {"no-such-user"}, "password": {"Wrong@Pass1"}})
		unknownMsg = res.doc(t).Find("#login-error").Text()
		if res.StatusCode != http.StatusUnauthorized || unknownMsg == "" {
			t.Fatalf("unknown user: %d %q", res.StatusCode, unknownMsg)
		}
	}
	for i := 1; i <= 5; i++ {
		res := c.post("/login", url.Values{"username": {"demo-town"}, "password": {"Wrong@Pass" + strconv.Itoa(i)}})
		msg := res.doc(t).Find("#login-error").Text()
		if res.StatusCode != http.StatusUnauthorized || msg != unknownMsg {
			t.Fatalf("attempt %d: %d %q (the message must equal the unknown-user one %q)", i, res.StatusCode, msg, unknownMsg)
		}
		if got := res.doc(t).Find("#username").AttrOr("value", ""); got != "demo-town" {
			t.Fatalf("username not kept after a failure: %q", got)
		}
	}
	res := c.post("/login", url.Values{"username": {"demo-town"}, "password": {testdb.DemoPassword}})
	if res.StatusCode != http.StatusUnauthorized || res.doc(t).Find("#login-error").Text() != unknownMsg {
		t.Fatalf("locked account signed in with the right password: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM accounts WHERE username = 'demo-town'
		AND locked_until BETWEEN now() + interval '14 minutes' AND now() + interval '16 minutes'`); n != 1 {
		t.Fatal("demo-town is not locked for 15 minutes")
	}
	for action, want := range map[string]int{"login.failed": 5, "account.lockout": 1, "login.locked": 1, "login": 0} {
		if got := a.count(`SELECT count(*) FROM audit_log WHERE actor_username = 'demo-town' AND action = $1`, action); got != want {
			t.Errorf("audit %s rows: %d, want %d", action, got, want)
		}
	}
	// The unknown username is audited once, as a bounded digest: what was typed is not kept.
	if got := a.count(`SELECT count(*) FROM audit_log WHERE actor_username LIKE '未知用户#%' AND action = 'login.failed'`); got != 1 {
		t.Errorf("unknown-user failure audited %d times, want 1", got)
	}
	if got := a.count(`SELECT count(*) FROM audit_log WHERE actor_username LIKE '%no-such-user%'`); got != 0 {
		t.Errorf("the unknown username is kept in clear in %d audit rows", got)
	}
	// Another account is unaffected, and an administrator can lift the lock.
	a.signedIn("demo-town2")
	d := a.signedIn("demo-district")
	id := a.accountID("demo-town")
	page := d.get("/district/accounts/" + strconv.FormatInt(id, 10))
	version := page.doc(t).Find(`form[action$="/unlock"] input[name=version]`).AttrOr("value", "")
	if version == "" {
		t.Fatal("the account page offers no unlock for a locked account")
	}
	if res := d.post("/district/accounts/"+strconv.FormatInt(id, 10)+"/unlock", url.Values{"version": {version}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlock: %d", res.StatusCode)
	}
	a.signedIn("demo-town")
}

// A lockout that has run out lets the right password in again (short lockout through configuration).
func TestLockoutExpires(t *testing.T) {
	a := newApp(t, func(c *config.Config) { c.LockoutThreshold = 2; c.LockoutDuration = time.Second })
	c := a.client()
	for i := 0; i < 2; i++ {
		c.post("/login", url.Values{"username": {"demo-community"}, "password": {"Wrong@Pass1"}})
	}
	if res := c.post("/login", url.Values{"username": {"demo-community"}, "password": {testdb.DemoPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("locked account: %d", res.StatusCode)
	}
	time.Sleep(1200 * time.Millisecond)
	a.signedIn("demo-community")
}

// SECURITY.md 4: signing out ends every session of the account, not just this browser's.
func TestLogoutEndsEverySession(t *testing.T) {
	a := newApp(t, nil)
	first, second := a.signedIn("demo-district"), a.signedIn("demo-district")
	if res := second.get("/district/"); res.StatusCode != http.StatusOK {
		t.Fatalf("second session: %d", res.StatusCode)
	}
	if res := first.post("/logout", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?out=1" {
		t.Fatalf("logout: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	for name, c := range map[string]*client{"first": first, "second": second} {
		if res := c.get("/district/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s session still works after logout: %d", name, res.StatusCode)
		}
	}
	if got := a.count(`SELECT count(*) FROM audit_log WHERE action = 'logout' AND actor_username = 'demo-district'`); got != 1 {
		t.Errorf("logout audit rows: %d", got)
	}
}

// SECURITY.md 4: disabling an account or moving it to another division ends its sessions; a password change
// ends the other sessions but keeps the one that made it.
func TestAdministrativeChangesEndSessions(t *testing.T) {
	a := newApp(t, nil)
	district := a.signedIn("demo-district")
	town := a.signedIn("demo-town")
	id := strconv.FormatInt(a.accountID("demo-town"), 10)
	version := func() string {
		return district.get("/district/accounts/"+id).doc(t).Find(`input[name=version]`).First().AttrOr("value", "")
	}
	// Re-scope demo-town to 统景镇.
	res := district.post("/district/accounts/"+id+"/division", url.Values{"version": {version()}, "division": {"500112133"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("re-scope: %d", res.StatusCode)
	}
	if res := town.get("/town/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("session survived a jurisdiction change: %d", res.StatusCode)
	}
	town = a.signedIn("demo-town")
	if !strings.Contains(town.get("/town/").Body, "统景镇") {
		t.Fatal("after re-scope the dashboard is not 统景镇's")
	}
	// Disable.
	if res := district.post("/district/accounts/"+id+"/disable", url.Values{"version": {version()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res := town.get("/town/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("session survived disabling: %d", res.StatusCode)
	}
	if res := a.client().post("/login", url.Values{"username": {"demo-town"}, "password": {testdb.DemoPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("disabled account signed in: %d", res.StatusCode)
	}
	// Own password change: the other session ends, this one continues.
	one, other := a.signedIn("demo-town2"), a.signedIn("demo-town2")
	res = one.post("/account/password", url.Values{"current": {testdb.DemoPassword}, "password": {"Another@Pass9"}, "confirm": {"Another@Pass9"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("password change: %d", res.StatusCode)
	}
	if res := one.get("/town/"); res.StatusCode != http.StatusOK {
		t.Fatalf("the session that changed the password ended: %d", res.StatusCode)
	}
	if res := other.get("/town/"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another session survived the password change: %d", res.StatusCode)
	}
}

// SECURITY.md 3: the idle timeout ends a session (a short setting stands in for 30 minutes).
func TestIdleTimeout(t *testing.T) {
	a := newApp(t, func(c *config.Config) { c.IdleTimeout = time.Second })
	c := a.signedIn("demo-community")
	if res := c.get("/community/"); res.StatusCode != http.StatusOK {
		t.Fatalf("fresh session: %d", res.StatusCode)
	}
	time.Sleep(1500 * time.Millisecond)
	res := c.get("/community/")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Fatalf("idle session still works: %d", res.StatusCode)
	}
}

// SECURITY.md 9: an unsafe request from another origin is refused and changes nothing.
func TestCrossOriginPostRefused(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	id := strconv.FormatInt(a.accountID("demo-town"), 10)
	version := d.get("/district/accounts/"+id).doc(t).Find(`input[name=version]`).First().AttrOr("value", "")
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/district/accounts/"+id+"/disable",
		strings.NewReader(url.Values{"version": {version}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := d.do(req); res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d, want 403", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM accounts WHERE username = 'demo-town' AND disabled`); n != 0 {
		t.Fatal("a cross-origin POST disabled the account")
	}
}

// SECURITY.md 10: next= only ever leads to a path on this site.
func TestNextRedirectStaysOnSite(t *testing.T) {
	a := newApp(t, nil)
	for next, want := range map[string]string{
		"/district/audit":         "/district/audit",
		"//evil.example":          "/district",
		"/\\evil.example":         "/district",
		"https://evil.example/x":  "/district",
		"javascript:alert(1)":     "/district",
		"/%2F%2Fevil.example":     "/%2F%2Fevil.example",
		"":                        "/district",
		"/\t/evil.example":        "/district",
		"http:/evil.example/path": "/district",
	} {
		c := a.client()
		res := c.post("/login", url.Values{"username": {"demo-district"}, "password": {testdb.DemoPassword}, "next": {next}})
		if got := res.Header.Get("Location"); got != want {
			t.Errorf("next=%q: redirected to %q, want %q", next, got, want)
		}
	}
	// The login page does not carry a hostile next into its form either.
	page := a.client().get("/login?next=" + url.QueryEscape("//evil.example"))
	if v := page.doc(t).Find(`input[name=next]`).AttrOr("value", "x"); v != "" {
		t.Errorf("login form carries next=%q", v)
	}
}

// SECURITY.md 11: headers on pages, errors and assets; no-store on signed-in pages.
func TestSecurityHeaders(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	for _, res := range []response{a.client().get("/"), a.client().get("/login"), a.client().get("/no-such-page"),
		a.client().get("/static/app.css"), d.get("/district/"), d.get("/district/accounts/999999")} {
		csp := res.Header.Get("Content-Security-Policy")
		for _, want := range []string{"object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "script-src 'nonce-"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP lacks %s", res.Request.URL.Path, want)
			}
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: nosniff or Referrer-Policy missing", res.Request.URL.Path)
		}
	}
	res := d.get("/district/")
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("dashboard Cache-Control = %q", res.Header.Get("Cache-Control"))
	}
	nonce := strings.TrimSuffix(strings.SplitN(strings.SplitN(res.Header.Get("Content-Security-Policy"), "'nonce-", 2)[1], "'", 2)[0], "")
	if got := res.doc(t).Find("script").AttrOr("nonce", ""); got != nonce {
		t.Errorf("script nonce %q does not match the CSP's %q", got, nonce)
	}
	if d.get("/district/accounts/999999").StatusCode != http.StatusNotFound {
		t.Error("unknown account is not 404")
	}
}

// SECURITY.md 7, 8: an account outside the administrator's jurisdiction answers 404 on view and on every
// action, and nothing is written; form fields cannot move an account out of scope or raise its tier.
func TestAccountAdministrationStaysInScope(t *testing.T) {
	a := newApp(t, nil)
	town2 := a.signedIn("demo-town2")
	victim := strconv.FormatInt(a.accountID("demo-community"), 10) // in 双龙湖街道, not 统景镇
	before := a.count(`SELECT count(*) FROM audit_log`)
	if res := town2.get("/town/accounts/" + victim); res.StatusCode != http.StatusNotFound {
		t.Errorf("view: %d", res.StatusCode)
	}
	for _, action := range []string{"disable", "enable", "unlock", "division", "password"} {
		res := town2.post("/town/accounts/"+victim+"/"+action, url.Values{"version": {"1"}, "division": {"500112133200"}, "password": {"Another@Pass9"}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", action, res.StatusCode)
		}
	}
	if strings.Contains(town2.get("/town/accounts").Body, "demo-community<") {
		t.Error("demo-town2's list shows demo-town's community account")
	}
	if got := a.count(`SELECT count(*) FROM audit_log`); got != before {
		t.Errorf("out-of-scope attempts wrote %d audit rows", got-before)
	}
	if n := a.count(`SELECT count(*) FROM accounts WHERE username = 'demo-community' AND version = 1 AND NOT disabled`); n != 1 {
		t.Error("demo-community was changed")
	}
	// Creating: a town cannot create a district account, a town account, or a community in another town.
	accounts := a.count(`SELECT count(*) FROM accounts`)
	for _, division := range []string{"500112", "500112133", "500112002001"} {
		res := town2.post("/town/accounts", url.Values{"username": {"sneaky"}, "display_name": {"越权"},
			"division": {division}, "password": {"Strong@Pass123"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("create in %s: %d, want 422", division, res.StatusCode)
		}
		if msg := res.doc(t).Find(".field.bad .msg").Text(); !strings.Contains(msg, "管辖范围") {
			t.Errorf("create in %s: no message at the division field (%q)", division, msg)
		}
	}
	// Re-scoping a community of its own town into another town is refused as well.
	own := strconv.FormatInt(a.accountID("demo-community2"), 10)
	page := town2.get("/town/accounts/" + own)
	version := page.doc(t).Find(`input[name=version]`).First().AttrOr("value", "")
	if res := town2.post("/town/accounts/"+own+"/division", url.Values{"version": {version}, "division": {"500112002001"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("re-scope into another town: %d, want 422", res.StatusCode)
	}
	if got := a.count(`SELECT count(*) FROM accounts`); got != accounts {
		t.Error("an out-of-scope account was created")
	}
}

// SECURITY.md 13: a bad new-account form answers 422 with a message at each field and the input kept.
func TestCreateAccountValidation(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	before := a.count(`SELECT count(*) FROM accounts`)
	res := d.post("/district/accounts", url.Values{"username": {"Bad Name!"}, "display_name": {""},
		"division": {""}, "phone": {"12345"}, "password": {"short"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", res.StatusCode)
	}
	doc := res.doc(t)
	for _, field := range []string{"username", "display_name", "division", "phone", "password"} {
		if doc.Find(`.field.bad #`+field).Length() != 1 {
			t.Errorf("no message at %s", field)
		}
	}
	if v := doc.Find("#phone").AttrOr("value", ""); v != "12345" {
		t.Errorf("phone not kept: %q", v)
	}
	if doc.Find(".errors li").Length() != 5 {
		t.Errorf("summary lists %d problems, want 5", doc.Find(".errors li").Length())
	}
	// A taken username is a message at that field too.
	res = d.post("/district/accounts", url.Values{"username": {"demo-town"}, "display_name": {"重复"},
		"division": {"500112004"}, "password": {"Strong@Pass123"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(".field.bad .msg").Text(), "已被使用") {
		t.Errorf("duplicate username: %d", res.StatusCode)
	}
	if got := a.count(`SELECT count(*) FROM accounts`); got != before {
		t.Errorf("bad forms created %d accounts", got-before)
	}
	// And a good one creates exactly one, audited, and the new officer can sign in to the right area.
	res = d.post("/district/accounts", url.Values{"username": {"huixing-officer"}, "display_name": {"回兴街道经办人"},
		"division": {"500112004"}, "phone": {"023-67891234"}, "password": {"Strong@Pass123"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good form: %d", res.StatusCode)
	}
	if got := a.count(`SELECT count(*) FROM audit_log WHERE action = 'account.create' AND actor_username = 'demo-district'`); got != 1 {
		t.Errorf("account.create audit rows: %d", got)
	}
	c := a.client()
	res = c.post("/login", url.Values{"username": {"huixing-officer"}, "password": {"Strong@Pass123"}})
	if res.Header.Get("Location") != "/town" || !strings.Contains(c.get("/town/").Body, "回兴街道") {
		t.Fatalf("new officer: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

// SECURITY.md 21: two administrators acting on one account at once: exactly one wins, the other gets 409.
func TestConcurrentAccountChangesOneWins(t *testing.T) {
	a := newApp(t, nil)
	d1, d2 := a.signedIn("demo-district"), a.signedIn("demo-district")
	id := strconv.FormatInt(a.accountID("demo-town"), 10)
	version := d1.get("/district/accounts/"+id).doc(t).Find(`input[name=version]`).First().AttrOr("value", "")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, c := range []*client{d1, d2} {
		wg.Add(1)
		go func(i int, c *client) {
			defer wg.Done()
			path := "/district/accounts/" + id + "/disable"
			if i == 1 {
				path = "/district/accounts/" + id + "/division"
			}
			codes[i] = c.post(path, url.Values{"version": {version}, "division": {"500112133"}}).StatusCode
		}(i, c)
	}
	wg.Wait()
	won, lost := 0, 0
	for _, code := range codes {
		switch code {
		case http.StatusSeeOther:
			won++
		case http.StatusConflict:
			lost++
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("codes %v: want one 303 and one 409", codes)
	}
	if n := a.count(`SELECT version FROM accounts WHERE username = 'demo-town'`); n != 2 {
		t.Fatalf("version %d after one change, want 2", n)
	}
}

// SECURITY.md 12: a stored script in a name renders as text.
func TestStoredXSSRendersInert(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	payload := `<script>alert(1)</script>`
	res := d.post("/district/accounts", url.Values{"username": {"xss-test"}, "display_name": {payload},
		"division": {"500112004"}, "password": {"Strong@Pass123"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	list := d.get("/district/accounts")
	if strings.Contains(list.Body, payload) || !strings.Contains(list.Body, "&lt;script&gt;") {
		t.Fatal("the payload is not escaped in the list")
	}
}

// SECURITY.md 19: the application cannot change or remove audit rows.
func TestAuditRowsAreAppendOnly(t *testing.T) {
	a := newApp(t, nil)
	a.signedIn("demo-town")
	ctx := context.Background()
	if _, err := a.db.Pool.Exec(ctx, `UPDATE audit_log SET result = 'failed'`); err == nil {
		t.Error("UPDATE of audit rows succeeded")
	}
	if _, err := a.db.Pool.Exec(ctx, `DELETE FROM audit_log`); err == nil {
		t.Error("DELETE of recent audit rows succeeded")
	}
	if _, err := a.db.Pool.Exec(ctx, `TRUNCATE audit_log`); err == nil {
		t.Error("TRUNCATE of audit rows succeeded")
	}
	if n, err := a.db.PurgeAudit(ctx, time.Hour); err != nil || n != 0 {
		t.Errorf("purge with a 1-hour retention removed %d rows (%v); the 180-day minimum must hold", n, err)
	}
	if a.count(`SELECT count(*) FROM audit_log`) == 0 {
		t.Fatal("no audit rows at all")
	}
}

// SECURITY.md 20: the district searches the audit log; filters narrow it; towns cannot open it.
func TestAuditSearch(t *testing.T) {
	a := newApp(t, nil)
	a.client().post("/login", url.Values{"username": {"demo-town2"}, "password": {"Wrong@Pass1"}})
	d := a.signedIn("demo-district")
	res := d.get("/district/audit?action=login.failed")
	rows := res.doc(t).Find("#audit tbody tr")
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "demo-town2") {
		t.Fatalf("login.failed rows: %d %q", rows.Length(), rows.Text())
	}
	if got := d.get("/district/audit?actor=demo-district&action=login").doc(t).Find("#audit tbody tr").Length(); got != 1 {
		t.Errorf("own sign-in rows: %d", got)
	}
	if res := d.get("/district/audit?from=2021-13-40"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad date: %d", res.StatusCode)
	}
	if res := a.signedIn("demo-town").get("/district/audit"); res.StatusCode != http.StatusForbidden {
		t.Errorf("town opened the audit log: %d", res.StatusCode)
	}
}

// GET never changes state: walking every page as an administrator writes only sign-in rows.
func TestGetRequestsWriteNothing(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	before := a.count(`SELECT count(*) FROM audit_log`) + a.count(`SELECT sum(version) FROM accounts`)
	for _, p := range []string{"/", "/district/", "/district/accounts", "/district/accounts/new", "/district/audit",
		"/district/accounts/" + strconv.FormatInt(a.accountID("demo-town"), 10)} {
		if res := d.get(p); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", p, res.StatusCode)
		}
	}
	if after := a.count(`SELECT count(*) FROM audit_log`) + a.count(`SELECT sum(version) FROM accounts`); after != before {
		t.Errorf("GET requests changed state (%d → %d)", before, after)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// An active session is written again only when its last-seen time grows stale, not on every page view: the
// idle timeout must not cost one database write per request.
func TestPageViewsDoNotRewriteTheSession(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-district")
	c.get("/district/")
	xmin := func() string {
		var x string
		if err := a.db.Pool.QueryRow(context.Background(), `SELECT xmin::text FROM sessions WHERE token = $1`, postgres.SessionKey(sessionCookie(c))).Scan(&x); err != nil {
			t.Fatal(err)
		}
		return x
	}
	before := xmin()
	for i := 0; i < 5; i++ {
		if res := c.get("/district/"); res.StatusCode != http.StatusOK {
			t.Fatalf("page view %d: %d", i, res.StatusCode)
		}
	}
	if after := xmin(); after != before {
		t.Fatalf("five page views rewrote the session row (xmin %s → %s)", before, after)
	}
}

// A session row names its account, so that a request reads both in one statement; the account read that way is
// as fresh as a separate read (disabling shows on the next request, as TestAdministrativeChangesEndSessions
// checks), and a row written before sessions named their account still signs its user in.
func TestSessionRowsNameTheirAccount(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-town")
	token := sessionCookie(c)
	accountOf := func() *int64 {
		var id *int64
		if err := a.db.Pool.QueryRow(context.Background(), `SELECT account_id FROM sessions WHERE token = $1`, postgres.SessionKey(token)).
			Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	if id := accountOf(); id == nil || *id != a.accountID("demo-town") {
		t.Fatalf("the session row names account %v, want demo-town's %d", id, a.accountID("demo-town"))
	}
	data, account, found, err := a.db.SessionWithAccount(context.Background(), token)
	if err != nil || !found || len(data) == 0 || account == nil || account.Username != "demo-town" ||
		account.Tier != portal.TierTown || account.DivisionName == "" || account.CreatedAt.IsZero() {
		t.Fatalf("session read with its account: found %v, account %+v, err %v", found, account, err)
	}
	// An anonymous session (the sign-in page's) names none.
	anon := a.client()
	anon.get("/login")
	if tok := sessionCookie(anon); tok != "" {
		if _, account, found, err := a.db.SessionWithAccount(context.Background(), tok); err != nil || account != nil {
			t.Fatalf("anonymous session: found %v, account %+v, err %v", found, account, err)
		}
	}
	if _, _, found, err := a.db.SessionWithAccount(context.Background(), "no-such-token"); found || err != nil {
		t.Fatalf("unknown token: found %v, err %v", found, err)
	}

	// A row from before the column: the account is read by its id instead.
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE sessions SET account_id = NULL WHERE token = $1`, postgres.SessionKey(token)); err != nil {
		t.Fatal(err)
	}
	if res := c.get("/town/orgs"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "双龙湖街道") {
		t.Fatalf("a session row without its account: %d", res.StatusCode)
	}
	// Another account's id in the column cannot stand in for the session's own: the values decide.
	other := a.accountID("demo-district")
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE sessions SET account_id = $2 WHERE token = $1`, postgres.SessionKey(token), other); err != nil {
		t.Fatal(err)
	}
	if res := c.get("/town/orgs"); res.StatusCode != http.StatusOK {
		t.Fatalf("a session row naming another account: %d", res.StatusCode)
	}
	if res := c.get("/district/orgs"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a session row naming the district's account opened the district's list: %d", res.StatusCode)
	}
}
