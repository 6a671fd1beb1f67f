package server

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/seed"
)

// The district gives a new account its role: a role of another tier is 422 with the message at the field, the
// input kept and no account made; a town's 经办 is made with its role, shown on the account's page.
func TestAccountFormTakesARole(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	form := url.Values{"username": {"tj-clerk"}, "display_name": {"王经办"}, "division": {seed.TownTongjing},
		"password": {"Tongjing@2021x"}, "role": {"review"}}
	before := a.count(`SELECT count(*) FROM accounts`)
	res := d.post("/district/accounts", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a district role for a town account: %d, want 422", res.StatusCode)
	}
	doc := res.doc(t)
	if doc.Find(".field.bad #role").Length() != 1 {
		t.Error("no message at the role")
	}
	if doc.Find(`#role option[value="review"][selected]`).Length() != 1 {
		t.Error("the role typed is not kept")
	}
	if a.count(`SELECT count(*) FROM accounts`) != before {
		t.Fatal("an account was made")
	}
	form.Set("role", "clerk")
	res = d.post("/district/accounts", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	if n := a.count(`SELECT count(*) FROM accounts WHERE username = 'tj-clerk' AND role = 'clerk'`); n != 1 {
		t.Fatal("the account was not made with its role")
	}
	if got := d.get(res.Header.Get("Location")).doc(t).Find("#account-role").Text(); got != "经办" {
		t.Errorf("the account page shows role %q", got)
	}
	// A clerk files but cannot decide.
	c := a.signedIn(roleAccount(t, a, "demo-town", portal.RoleClerk))
	if res := c.get("/town/filings/new"); res.StatusCode != http.StatusOK {
		t.Errorf("the clerk's filing form: %d", res.StatusCode)
	}
	if res := c.post("/town/filings/1/approve", url.Values{"version": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("the clerk approving: %d, want 403", res.StatusCode)
	}
}
