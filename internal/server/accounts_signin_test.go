package server

import (
	"net/http"
	"net/url"
	"testing"
)

// createAccountByForm makes an account through by's 账号管理 form (the tier's own path), failing unless the form
// accepts it.
func createAccountByForm(t *testing.T, a *app, by string, form url.Values) {
	t.Helper()
	tier := map[string]string{"demo-district": "/district", "demo-town": "/town", "demo-town2": "/town"}[by]
	if res := a.signedIn(by).post(tier+"/accounts", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s creating %s: %d\n%s", by, form.Get("username"), res.StatusCode, res.Body)
	}
}

// The noticed fault "an account made through the accounts form failed to sign in (401)": an account made by the
// district (a town officer with a role) and one made by a town (a committee account) sign in with the password
// they were given and land on their tier's 工作台, and a wrong password is still 401. (The fault did not
// reproduce on the current sign-in code; the earlier test that saw it signed in a form-made account with a
// password other than the one it was made with. This pins the behaviour.)
func TestAccountMadeByFormSignsIn(t *testing.T) {
	a := newApp(t, nil)
	for _, tc := range []struct{ by, username, division, role, home string }{
		{"demo-district", "slh-approver", "500112002", "approver", "/town"},
		{"demo-town", "jinhua-2", "500112002001", "", "/community"},
	} {
		password := "Qiye@" + tc.username + "9"
		createAccountByForm(t, a, tc.by, url.Values{"username": {tc.username}, "display_name": {"新同事"},
			"division": {tc.division}, "password": {password}, "role": {tc.role}})
		res := a.client().post("/login", url.Values{"username": {tc.username}, "password": {password}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tc.home {
			t.Errorf("%s signing in: %d to %q, want 303 to %s", tc.username, res.StatusCode, res.Header.Get("Location"), tc.home)
		}
		c := a.client()
		c.post("/login", url.Values{"username": {tc.username}, "password": {password}})
		if res := c.get(tc.home); res.StatusCode != http.StatusOK {
			t.Errorf("%s's 工作台: %d", tc.username, res.StatusCode)
		}
		if res := a.client().post("/login", url.Values{"username": {tc.username}, "password": {password + "x"}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s with a wrong password: %d, want 401", tc.username, res.StatusCode)
		}
	}
}
