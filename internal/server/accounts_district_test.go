package server

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
)

// The district makes accounts of its own tier (its 科室: 审批, 管理, 查阅) from its account page (issue 17):
// a town's role for a district account is 422 at the field with the input kept and nothing written; a good one
// is made with its role, audited, listed, and signs in; a town still cannot make an account of its own tier;
// an administrator's own account is shown but only another administrator changes it.
func TestDistrictMakesDistrictTierAccounts(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	if d.get("/district/accounts/new").doc(t).Find(`#division option[value="`+seed.DistrictCode+`"]`).Length() != 1 {
		t.Fatal("the new-account form does not offer 渝北区 itself")
	}
	form := url.Values{"username": {"yb-approval"}, "display_name": {"李审批"}, "division": {seed.DistrictCode},
		"password": {"Shenpi@2021x"}, "role": {"clerk"}}
	before := a.count(`SELECT count(*) FROM accounts`)
	audits := a.count(`SELECT count(*) FROM audit_log WHERE action = 'account.create'`)
	res := d.post("/district/accounts", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a town's role for a district account: %d, want 422", res.StatusCode)
	}
	doc := res.doc(t)
	if doc.Find(".field.bad #role").Length() != 1 {
		t.Error("no message at the role")
	}
	if doc.Find(`#username`).AttrOr("value", "") != "yb-approval" || doc.Find(`#division option[value="`+seed.DistrictCode+`"][selected]`).Length() != 1 {
		t.Error("the input is not kept")
	}
	if a.count(`SELECT count(*) FROM accounts`) != before || a.count(`SELECT count(*) FROM audit_log WHERE action = 'account.create'`) != audits {
		t.Fatal("something was written")
	}

	form.Set("role", "review")
	res = d.post("/district/accounts", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	if n := a.count(`SELECT count(*) FROM accounts WHERE username = 'yb-approval' AND tier = 'district'
		AND division_code = $1 AND role = 'review'`, seed.DistrictCode); n != 1 {
		t.Fatal("the district account was not made with its role")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'account.create' AND detail LIKE 'yb-approval district%'`); n != 1 {
		t.Fatalf("%d audit rows for the creation", n)
	}
	if got := d.get(res.Header.Get("Location")).doc(t).Find("#account-role").Text(); got != "审批" {
		t.Errorf("the account page shows role %q", got)
	}
	if d.get("/district/accounts?tier=district").doc(t).Find(`#accounts a:contains("yb-approval")`).Length() != 1 {
		t.Error("the district's list does not show its own tier's account")
	}
	// The new 审批 account signs in and reviews, but does not administer accounts.
	c := a.client()
	if res := c.post("/login", url.Values{"username": {"yb-approval"}, "password": {"Shenpi@2021x"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the new district account signs in: %d", res.StatusCode)
	}
	if res := c.get("/district/applications"); res.StatusCode != http.StatusOK {
		t.Errorf("the 审批 account's applications: %d", res.StatusCode)
	}
	if res := c.get("/district/accounts"); res.StatusCode != http.StatusForbidden {
		t.Errorf("the 审批 account's account page: %d, want 403", res.StatusCode)
	}

	// A town does not make accounts of its own tier.
	town := a.signedIn("demo-town")
	before = a.count(`SELECT count(*) FROM accounts`)
	res = town.post("/town/accounts", url.Values{"username": {"slh-second"}, "display_name": {"张经办"},
		"division": {seed.TownShuanglonghu}, "password": {"Jingban@2021x"}, "role": {"clerk"}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(".field.bad #division").Length() != 1 {
		t.Errorf("a town making a town account: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM accounts`) != before {
		t.Fatal("a town made an account of its own tier")
	}

	// The administrator's own account: shown without its actions, and a change of it is refused.
	var own int64
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT id FROM accounts WHERE username = 'demo-district'`).Scan(&own); err != nil {
		t.Fatal(err)
	}
	path := "/district/accounts/" + strconv.FormatInt(own, 10)
	page := d.get(path).doc(t)
	if page.Find("#account-self").Length() != 1 || page.Find(`form[action$="/disable"]`).Length() != 0 {
		t.Error("the own account's page offers changing it")
	}
	if res := d.post(path+"/disable", url.Values{"version": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("disabling the own account: %d, want 403", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM accounts WHERE username = 'demo-district' AND disabled`) != 0 {
		t.Fatal("the administrator disabled their own account")
	}
}
