// Browser tests: Debian's Chromium drives the real portal the way a clerk does, through the login form, the
// header's sign-out button and the account form, with the portal's own JavaScript and CSP in force.
package server

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/testdb"
)

// divisionNameOf is the name of the division the account belongs to, as the database has it.
func divisionNameOf(t *testing.T, a *app, username string) string {
	t.Helper()
	var name string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT d.name FROM accounts a
		JOIN divisions d ON d.code = a.division_code WHERE a.username = $1`, username).Scan(&name); err != nil {
		t.Fatalf("division of %s: %v", username, err)
	}
	return name
}

func TestBrowserEachDemoAccountLandsOnItsDashboard(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	tiers := []string{"district", "town", "community"}
	for _, tc := range []struct {
		username   string
		tier       string
		knownName  string // the division DESIGN.md names, where it names one
		screenshot string
	}{
		{"demo-district", "district", "渝北区", "dashboard-district"},
		{"demo-town", "town", "双龙湖街道", "dashboard-town"},
		{"demo-town2", "town", "统景镇", ""},
		{"demo-community", "community", "", "dashboard-community"},
		{"demo-community2", "community", "", ""},
	} {
		t.Run(tc.username, func(t *testing.T) {
			name := divisionNameOf(t, a, tc.username)
			if tc.knownName != "" && name != tc.knownName {
				t.Fatalf("%s belongs to %q in the database, want %q", tc.username, name, tc.knownName)
			}
			tb := b.newTab(t) // a browser context of its own: the previous account's cookie is not here
			res := tb.signIn(tc.username, testdb.DemoPassword)
			if res.Status != 200 {
				t.Fatalf("sign in as %s: ended on status %d at %s", tc.username, res.Status, res.URL)
			}
			if got, want := tb.url().Path, "/"+tc.tier; got != want {
				t.Fatalf("sign in as %s: landed on %s, want %s", tc.username, got, want)
			}
			if h1 := tb.text("h1"); !strings.Contains(h1, name) {
				t.Errorf("%s's dashboard h1 = %q, want it to name %s", tc.username, h1, name)
			}
			if n := tb.count("#login-error"); n != 0 {
				t.Errorf("dashboard shows a login error")
			}
			if tc.screenshot != "" {
				tb.screenshot(tc.screenshot)
			}
			for _, other := range tiers {
				if other == tc.tier {
					continue
				}
				res := tb.open("/" + other)
				if res.Status != 403 {
					t.Errorf("%s opening /%s: status %d, want 403", tc.username, other, res.Status)
				}
				if got := tb.url().Path; got != "/"+other {
					t.Errorf("%s opening /%s: ended on %s, want to stay there with a 403 page", tc.username, other, got)
				}
				if h1 := tb.text("h1"); h1 != "无权访问" {
					t.Errorf("%s opening /%s: h1 = %q, want 无权访问", tc.username, other, h1)
				}
				if body := tb.text("main"); strings.Contains(body, name+" ·") {
					t.Errorf("%s opening /%s: the 403 page shows a dashboard: %q", tc.username, other, body)
				}
			}
			// The account's own dashboard still answers after the refusals: they did not end the session.
			if res := tb.open("/" + tc.tier); res.Status != 200 {
				t.Errorf("%s back on /%s: status %d", tc.username, tc.tier, res.Status)
			}
		})
	}
}

func TestBrowserFiveWrongPasswordsLockTheAccount(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	tb := b.newTab(t)
	id := a.accountID("demo-town")

	for i := 1; i <= 5; i++ {
		res := tb.signIn("demo-town", "Wrong@Pass"+strconv.Itoa(i))
		if res.Status != 401 {
			t.Fatalf("wrong password %d: status %d, want 401", i, res.Status)
		}
		if msg := tb.text("#login-error"); !strings.Contains(msg, "用户名或密码错误") {
			t.Fatalf("wrong password %d: #login-error = %q", i, msg)
		}
		if got := tb.url().Path; got != "/login" {
			t.Fatalf("wrong password %d: ended on %s, want /login", i, got)
		}
	}

	// The right password no longer opens the account, and the page says no more than for a wrong one.
	res := tb.signIn("demo-town", testdb.DemoPassword)
	if res.Status != 401 {
		t.Errorf("right password on a locked account: status %d, want 401", res.Status)
	}
	if msg := tb.text("#login-error"); !strings.Contains(msg, "用户名或密码错误") {
		t.Errorf("right password on a locked account: #login-error = %q", msg)
	}
	if got := tb.url().Path; got != "/login" {
		t.Errorf("right password on a locked account: ended on %s, want /login", got)
	}
	if res := tb.open("/town"); res.Status != 200 || tb.url().Path != "/login" {
		t.Errorf("after the refused sign-in, /town answered %d at %s, want the login page", res.Status, tb.url())
	}

	if n := a.count(`SELECT count(*) FROM accounts WHERE id = $1 AND locked_until > now() + interval '14 minutes'`, id); n != 1 {
		t.Errorf("demo-town is not locked for the configured 15 minutes")
	}
	oid := strconv.FormatInt(id, 10)
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'login.failed' AND object_type = 'account'
		AND object_id = $1`, oid); n != 5 {
		t.Errorf("audit_log has %d login.failed rows for demo-town, want 5", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'account.lockout' AND object_type = 'account'
		AND object_id = $1`, oid); n != 1 {
		t.Errorf("audit_log has %d account.lockout rows for demo-town, want 1", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'login' AND object_id = $1`, oid); n != 0 {
		t.Errorf("audit_log records %d successful sign-ins of the locked account", n)
	}
}

func TestBrowserSignOutEndsTheSession(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	tb := b.newTab(t)
	if res := tb.signIn("demo-district", testdb.DemoPassword); res.Status != 200 || tb.url().Path != "/district" {
		t.Fatalf("sign in: status %d at %s", res.Status, tb.url())
	}

	res := tb.click(`form[action="/logout"] button[type=submit]`)
	if res.Status != 200 {
		t.Errorf("sign out: status %d", res.Status)
	}
	if got := tb.url().Path; got != "/login" {
		t.Fatalf("sign out: landed on %s, want /login", got)
	}
	if body := tb.text("main"); !strings.Contains(body, "已安全退出") {
		t.Errorf("the page after signing out does not say 已安全退出: %q", body)
	}
	if n := tb.count(`form[action="/logout"]`); n != 0 {
		t.Errorf("the page after signing out still offers 退出登录")
	}

	res = tb.open("/district")
	u := tb.url()
	if u.Path != "/login" || u.Query().Get("next") != "/district" {
		t.Errorf("/district after signing out ended on %s, want /login?next=%%2Fdistrict", u)
	}
	if res.Status != 200 || tb.count("#username") != 1 {
		t.Errorf("/district after signing out: status %d, want the login form", res.Status)
	}
	// Signing out ended the account's sessions on the server (a copied cookie is worthless), and was audited.
	if n := a.count(`SELECT count(*) FROM accounts WHERE username = 'demo-district' AND session_version > 1`); n != 1 {
		t.Errorf("signing out did not move demo-district's session version on")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'logout' AND actor_username = 'demo-district'`); n != 1 {
		t.Errorf("audit_log has %d logout rows for demo-district, want 1", n)
	}
}

func TestBrowserDistrictCreatesTownAccount(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	tb := b.newTab(t)
	if res := tb.signIn("demo-district", testdb.DemoPassword); res.Status != 200 {
		t.Fatalf("sign in: status %d", res.Status)
	}
	before := a.count(`SELECT count(*) FROM accounts`)

	if res := tb.open("/district/accounts/new"); res.Status != 200 {
		t.Fatalf("GET /district/accounts/new: status %d", res.Status)
	}
	if label := tb.text(`#division option[value="500112133"]`); !strings.Contains(label, "统景镇") {
		t.Fatalf("division option 500112133 reads %q, want 统景镇", label)
	}
	const submit = `form[action="/district/accounts"] button[type=submit]`

	// Bad input: every field says what is wrong, and what was typed stays.
	tb.fill("#username", "A!")
	tb.fill("#password", "abc")
	res := tb.click(submit)
	if res.Status != 422 {
		t.Fatalf("bad account form: status %d, want 422", res.Status)
	}
	if n := tb.count(".field.bad .msg"); n < 4 {
		t.Errorf("bad account form shows %d field messages, want at least 4", n)
	}
	for _, field := range []string{"username", "display_name", "division", "password"} {
		if msg := tb.text(".field.bad:has(#" + field + ") .msg"); msg == "" {
			t.Errorf("field %s shows no message", field)
		}
	}
	if got := tb.value("#username"); !strings.EqualFold(got, "A!") {
		t.Errorf("username field holds %q after the failed submit, want the typed A!", got)
	}
	if summary := tb.text(`main [role=alert]`); !strings.Contains(summary, "4 处") {
		t.Errorf("summary at the top = %q, want it to count 4 problems", summary)
	}
	if n := a.count(`SELECT count(*) FROM accounts`); n != before {
		t.Fatalf("the refused form wrote %d accounts", n-before)
	}

	// Good input.
	tb.fill("#username", "town-officer-1")
	tb.fill("#display_name", "测试镇街账号")
	if got := tb.value("#display_name"); got != "测试镇街账号" {
		t.Fatalf("typed 测试镇街账号, the field holds %q", got)
	}
	if err := chromedp.Do(tb.ctx, chromedp.SetValue(chromedp.CSS("#division"), "500112133")); err != nil {
		t.Fatal(err)
	}
	tb.fill("#password", "Strong@Pass123")
	res = tb.click(submit)
	if res.Status != 200 {
		t.Fatalf("good account form: ended on status %d", res.Status)
	}
	page := tb.url().Path
	m := regexp.MustCompile(`^/district/accounts/(\d+)$`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("good account form: landed on %s, want the new account's page", page)
	}
	if st := tb.text("#account-status"); st != "正常" {
		t.Errorf("new account's status = %q, want 正常", st)
	}
	if flash := tb.text(".flash"); !strings.Contains(flash, "town-officer-1") {
		t.Errorf("flash = %q, want it to name town-officer-1", flash)
	}
	if h1 := tb.text("h1"); !strings.Contains(h1, "测试镇街账号") {
		t.Errorf("account page h1 = %q", h1)
	}
	if n := a.count(`SELECT count(*) FROM accounts WHERE id = $1 AND username = 'town-officer-1'
		AND display_name = '测试镇街账号' AND tier = 'town' AND division_code = '500112133' AND NOT disabled`, m[1]); n != 1 {
		t.Fatalf("account %s is not the town account of 统景镇 that was asked for", m[1])
	}

	// 停用账号 asks first (app.js under the CSP): 取消 changes nothing, 确定 disables it.
	const disable = `form[action$="/disable"] button[type=submit]`
	tb.dismiss.Store(true)
	js[bool](tb, `window.stillThisPage = true`)
	if err := chromedp.Do(tb.ctx, chromedp.Click(chromedp.CSS(disable))); err != nil {
		t.Fatal(err)
	}
	if msgs := tb.dialogMessages(); len(msgs) != 1 || !strings.Contains(msgs[0], "停用") {
		t.Fatalf("停用账号 asked %q, want one confirmation about 停用", msgs)
	}
	// A form sent in spite of 取消 would have reached this local server and replaced the page by now.
	time.Sleep(500 * time.Millisecond)
	if !js[bool](tb, `window.stillThisPage === true`) {
		t.Fatal("after 取消 the browser left the account page: the form was sent")
	}
	if n := a.count(`SELECT count(*) FROM accounts WHERE id = $1 AND disabled`, m[1]); n != 0 {
		t.Fatalf("取消 still disabled account %s", m[1])
	}
	if st := tb.text("#account-status"); st != "正常" {
		t.Errorf("after 取消 the status reads %q, want 正常", st)
	}
	tb.dismiss.Store(false)
	if res := tb.click(disable); res.Status != 200 {
		t.Fatalf("confirmed 停用账号: status %d", res.Status)
	}
	if msgs := tb.dialogMessages(); len(msgs) != 2 {
		t.Errorf("confirmed 停用账号 opened %d dialogs in all, want 2", len(msgs))
	}
	if st := tb.text("#account-status"); st != "已停用" {
		t.Errorf("after 确定 the status reads %q, want 已停用", st)
	}
	if n := a.count(`SELECT count(*) FROM accounts WHERE id = $1 AND disabled`, m[1]); n != 1 {
		t.Errorf("account %s is not disabled in the database", m[1])
	}

	if res := tb.open("/district/accounts"); res.Status != 200 {
		t.Fatalf("GET /district/accounts: status %d", res.Status)
	}
	if rows := tb.text("#accounts tbody"); !strings.Contains(rows, "town-officer-1") || !strings.Contains(rows, "demo-town2") {
		t.Errorf("accounts list lacks the new or a demo account: %q", rows)
	}
	tb.screenshot("accounts-district")
}

// Issue 3's committee story in a real browser: the name is composed as the parts are typed (the portal's own
// script under its CSP), and the guided group is saved and shown with its timeline.
func TestBrowserCommitteeRecordsAGuidedGroup(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	tb := b.newTab(t)
	tb.signIn("demo-community", testdb.DemoPassword)
	community := divisionNameOf(t, a, "demo-community")
	tb.open("/community/orgs/new")
	tb.fill("#zihao", "夕照红")
	tb.fill("#field", "舞蹈")
	tb.fill("#form", "队")
	want := "渝北区双龙湖街道" + community + "夕照红舞蹈队"
	if got := tb.text("#composed-name"); got != want {
		t.Fatalf("composed name while typing = %q, want %q", got, want)
	}
	if err := chromedp.Do(tb.ctx, chromedp.Click(chromedp.CSS(`input[name=fields][value="文体娱乐"]`)),
		chromedp.SetValue(chromedp.CSS("#nature"), "互助性")); err != nil {
		t.Fatal(err)
	}
	tb.fill("#leader_name", "李秀英")
	tb.fill("#phone", "13812345678")
	tb.fill("#venue", community+"文化活动室")
	tb.fill("#members", "18")
	before := a.count(`SELECT count(*) FROM organizations`)
	tb.click(`#org-form button[value=save]`)
	if !regexp.MustCompile(`^/community/orgs/\d+$`).MatchString(tb.url().Path) {
		t.Fatalf("after saving: at %s, page says %q", tb.url().Path, tb.text("main"))
	}
	if h1 := tb.text("h1"); !strings.Contains(h1, want) {
		t.Errorf("detail h1 = %q", h1)
	}
	if body := tb.text("main"); !strings.Contains(body, "138****5678") || strings.Contains(body, "13812345678") {
		t.Error("the detail page does not show the phone masked")
	}
	if a.count(`SELECT count(*) FROM organizations`) != before+1 ||
		a.count(`SELECT count(*) FROM organizations WHERE name = $1 AND tier = 'guided' AND community_code = '500112002001'`, want) != 1 {
		t.Fatal("the guided group was not saved in its own community")
	}
}
