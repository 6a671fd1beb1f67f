package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/yubei-cso/portal/internal/seed"
)

// The add form: every bad value is 422 with its message at the field, the input kept and nothing written; a
// taken code and a taken name come back at their fields; a good one is added and audited.
func TestCommunityAddRefusesBadInput(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	if res := d.get("/district/divisions"); res.StatusCode != http.StatusOK || res.doc(t).Find(`#community-new`).Length() != 1 {
		t.Fatalf("the list: %d", res.StatusCode)
	}
	count := func() int {
		return a.count(`SELECT count(*) FROM divisions`) + a.count(`SELECT count(*) FROM audit_log WHERE object_type = 'division'`)
	}
	before := count()
	good := url.Values{"town": {seed.TownShuanglonghu}, "code": {seed.TownShuanglonghu + "150"}, "name": {"新湖社区"},
		"kind": {"社区"}, "pilot": {"yes"}}
	for field, bad := range map[string]string{"town": "abc", "code": "500112004150", "name": "新湖",
		"kind": "乡"} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(field, bad)
		res := d.post("/district/divisions", form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad %s: %d, want 422", field, res.StatusCode)
		}
		doc := res.doc(t)
		if doc.Find(".field.bad #"+field).Length() != 1 {
			t.Errorf("bad %s: no message at the field", field)
		}
		if doc.Find("#name").AttrOr("value", "") != form.Get("name") || doc.Find("#pilot[checked]").Length() != 1 {
			t.Errorf("bad %s: the input is not kept", field)
		}
	}
	// A taken code (an existing community's) and a taken name (the first community's of the town).
	taken := url.Values{"town": {seed.TownShuanglonghu}, "code": {seed.CommunityDemo}, "name": {"新湖社区"}, "kind": {"社区"}}
	if res := d.post("/district/divisions", taken); res.StatusCode != 422 || res.doc(t).Find(".field.bad #code").Length() != 1 {
		t.Errorf("a taken code: %d", res.StatusCode)
	}
	var firstName string
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT name FROM divisions WHERE code = $1`, seed.CommunityDemo).Scan(&firstName); err != nil {
		t.Fatal(err)
	}
	taken = url.Values{"town": {seed.TownShuanglonghu}, "code": {seed.TownShuanglonghu + "150"}, "name": {firstName}, "kind": {"社区"}}
	if res := d.post("/district/divisions", taken); res.StatusCode != 422 || res.doc(t).Find(".field.bad #name").Length() != 1 {
		t.Errorf("a taken name: %d", res.StatusCode)
	}
	if count() != before {
		t.Fatal("a refused form wrote something")
	}
	res := d.post("/district/divisions", good)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/district/divisions/"+seed.TownShuanglonghu+"150" {
		t.Fatalf("add: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if a.count(`SELECT count(*) FROM divisions d JOIN stat_pilots p ON p.community_code = d.code
		WHERE d.code = $1 AND NOT d.rural`, seed.TownShuanglonghu+"150") != 1 {
		t.Fatal("the community was not added as a 试点 社区")
	}
	// A town does not keep the list.
	if res := a.signedIn("demo-town").post("/town/divisions", good); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Errorf("a town adding: %d", res.StatusCode)
	}
}

// The edit form: a missing or stale version is 409 and writes nothing; a bad name is 422 at the field with the
// input kept; retiring a community with live groups is 422 with the reason and writes nothing.
func TestCommunityEditAndRetireRefusals(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	path := "/district/divisions/" + seed.CommunityDemo
	page := d.get(path).doc(t)
	version := page.Find(`#community-edit input[name=version]`).AttrOr("value", "")
	if version != "1" {
		t.Fatalf("version %q", version)
	}
	audits := func() int { return a.count(`SELECT count(*) FROM audit_log WHERE object_type = 'division'`) }
	before := audits()
	for _, v := range []string{"", "7"} {
		if res := d.post(path, url.Values{"version": {v}, "name": {"改名社区"}, "kind": {"社区"}}); res.StatusCode != http.StatusConflict {
			t.Errorf("version %q: %d, want 409", v, res.StatusCode)
		}
	}
	res := d.post(path, url.Values{"version": {"1"}, "name": {"改名"}, "kind": {"村"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a bad name: %d", res.StatusCode)
	}
	doc := res.doc(t)
	if doc.Find(".field.bad #name").Length() != 1 || doc.Find("#name").AttrOr("value", "") != "改名" ||
		doc.Find(`#kind option[value="村"][selected]`).Length() != 1 {
		t.Error("a bad name: no message at the field, or the input not kept")
	}
	// demo-community's 社区 has groups and an account: no retire button, and a forced retire is refused.
	if page.Find(`form[action$="/retire"]`).Length() != 0 {
		t.Error("a community with groups offers retiring")
	}
	res = d.post(path+"/retire", url.Values{"version": {"1"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find("#retire-problem").Text(), "账号") {
		t.Errorf("retiring a community with an account: %d", res.StatusCode)
	}
	if _, err := a.db.Pool.Exec(t.Context(), `UPDATE accounts SET disabled = true WHERE division_code = $1`, seed.CommunityDemo); err != nil {
		t.Fatal(err)
	}
	res = d.post(path+"/retire", url.Values{"version": {"1"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find("#retire-problem").Text(), "社会组织") {
		t.Errorf("retiring a community with groups: %d", res.StatusCode)
	}
	if res := d.post(path+"/retire", url.Values{}); res.StatusCode != http.StatusConflict {
		t.Errorf("retiring without a version: %d", res.StatusCode)
	}
	if audits() != before || a.count(`SELECT count(*) FROM divisions WHERE retired_at IS NOT NULL`) != 0 {
		t.Fatal("a refused change wrote something")
	}
}

// The district keeps a community in the browser: from the 工作台 to 区划管理, adds one, renames it and makes it
// a 村 and a 试点, retires it, and sees every change in its history with who made it.
func TestBrowserDistrictKeepsACommunity(t *testing.T) {
	a := flowApp(t)
	b := newBrowser(t, a)
	tb := flowSignIn(t, b, "demo-district", "district")
	if res := tb.click(`nav a[href="/district/divisions"]`); res.Status != 200 {
		t.Fatalf("区划管理: %d", res.Status)
	}
	tb.setValue("#town", seed.TownShuanglonghu)
	tb.click(`#division-town button[type=submit]`)
	if res := tb.click(`#community-new`); res.Status != 200 {
		t.Fatalf("the add form: %d", res.Status)
	}
	if tb.value("#town") != seed.TownShuanglonghu {
		t.Errorf("the add form's town is %q", tb.value("#town"))
	}
	code := seed.TownShuanglonghu + "150"
	tb.fill("#code", code)
	tb.fill("#name", "新湖社区")
	tb.screenshot("17-division-new")
	if res := tb.click(`#community-form button[type=submit]`); res.Status != 200 || tb.url().Path != "/district/divisions/"+code {
		t.Fatalf("add: %d at %s: %q", res.Status, tb.url(), tb.text("main"))
	}
	tb.fill("#name", "新湖村")
	tb.setValue("#kind", "村")
	tb.do(chromedp.Click(chromedp.CSS("#pilot")))
	if res := tb.click(`#community-edit button[type=submit]`); res.Status != 200 {
		t.Fatalf("save: %d", res.Status)
	}
	if tb.text("h1") != "新湖村" || tb.text("#community-kind") != "村" {
		t.Fatalf("after the edit: %q %q", tb.text("h1"), tb.text("#community-kind"))
	}
	if res := tb.click(`#community-retire button[type=submit]`); res.Status != 200 {
		t.Fatalf("retire: %d", res.Status)
	}
	if msgs := tb.dialogMessages(); len(msgs) == 0 || !strings.Contains(msgs[len(msgs)-1], "撤销") {
		t.Errorf("no confirmation before retiring: %v", msgs)
	}
	if !strings.Contains(tb.text("#community-status"), "已撤销") {
		t.Fatalf("status %q", tb.text("#community-status"))
	}
	history := tb.text("#community-history")
	for _, want := range []string{"撤销", "名称 新湖社区 → 新湖村", "类型 社区 → 村", "试点 否 → 是", "新增", "区民政局演示账号"} {
		if !strings.Contains(history, want) {
			t.Errorf("the history lacks %q: %q", want, history)
		}
	}
	tb.screenshot("17-division-retired")
	if a.count(`SELECT count(*) FROM divisions d JOIN stat_pilots p ON p.community_code = d.code
		WHERE d.code = $1 AND d.rural AND d.retired_at IS NOT NULL`, code) != 1 {
		t.Fatal("the database does not hold the change")
	}
}
