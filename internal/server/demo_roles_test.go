package server

import (
	"net/http"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/seed"
)

// The demo's role accounts (issue 17) exist with their roles and show the district's split: 管理 keeps accounts
// and 区划 but reviews no registration; 审批 reviews but keeps no accounts; 查阅 only reads.
func TestDemoRoleAccountsShowTheSplit(t *testing.T) {
	a := newApp(t, nil)
	for _, d := range seed.DemoAccounts() {
		if n := a.count(`SELECT count(*) FROM accounts WHERE username = $1 AND role = $2 AND tier = $3`,
			d.Username, string(d.Role), string(d.Tier)); n != 1 {
			t.Errorf("demo account %s with role %q: %d rows", d.Username, d.Role, n)
		}
	}
	cases := []struct {
		username string
		path     string
		want     int
	}{
		{"demo-admin", "/district/accounts", http.StatusOK},
		{"demo-admin", "/district/divisions", http.StatusOK},
		{"demo-review", "/district/accounts", http.StatusForbidden},
		{"demo-review", "/district/divisions", http.StatusForbidden},
		{"demo-read", "/district/accounts", http.StatusForbidden},
		{"demo-read", "/district/orgs", http.StatusOK},
	}
	for _, c := range cases {
		if res := a.signedIn(c.username).get(c.path); res.StatusCode != c.want {
			t.Errorf("%s GET %s: %d, want %d", c.username, c.path, res.StatusCode, c.want)
		}
	}
	// The roles as the capability table has them: the split is there, not only in these pages.
	if !portal.Allowed(portal.Account{Tier: portal.TierDistrict, Role: portal.RoleReview}, portal.ReviewApplications) ||
		portal.Allowed(portal.Account{Tier: portal.TierDistrict, Role: portal.RoleAdmin}, portal.ReviewApplications) ||
		portal.Allowed(portal.Account{Tier: portal.TierDistrict, Role: portal.RoleRead}, portal.ChangeOrgStatus) {
		t.Error("the district's roles do not split its work")
	}
}
