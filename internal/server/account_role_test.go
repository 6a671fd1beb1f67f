package server

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
)

// The district's 管理 role changes an account's 岗位角色 on the account's page: a role of another tier is 422 with
// the message at the field and nothing written; a stale or missing version is 409; a good change is audited and
// takes effect on the account's next request; a 查阅 account may not change roles.
func TestAccountRoleChange(t *testing.T) {
	a := newApp(t, nil)
	id := a.accountID("demo-town2")
	path := "/district/accounts/" + strconv.FormatInt(id, 10)
	version := func() string {
		return strconv.Itoa(a.count(`SELECT version FROM accounts WHERE id = $1`, id))
	}
	admin := a.signedIn(roleAccount(t, a, "demo-district", portal.RoleAdmin))
	if res := admin.get(path); res.doc(t).Find(`#role-form select#role option[value="approver"]`).Length() != 1 {
		t.Fatal("the account page offers no town roles")
	}
	audits := `SELECT count(*) FROM audit_log WHERE action = 'account.role'`
	res := admin.post(path+"/role", url.Values{"version": {version()}, "role": {"review"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a district role for a town account: %d, want 422", res.StatusCode)
	}
	if res.doc(t).Find(`.field.bad #role`).Length() != 1 {
		t.Error("no message at the role")
	}
	if a.count(`SELECT count(*) FROM accounts WHERE id = $1 AND role = ''`, id) != 1 || a.count(audits) != 0 {
		t.Fatal("a refused role change wrote")
	}
	for _, v := range []string{"", "0"} {
		if res := admin.post(path+"/role", url.Values{"version": {v}, "role": {"approver"}}); res.StatusCode != http.StatusConflict {
			t.Errorf("version %q: %d, want 409", v, res.StatusCode)
		}
	}
	reader := a.signedIn(roleAccount(t, a, "demo-district", portal.RoleRead))
	if res := reader.post(path+"/role", url.Values{"version": {version()}, "role": {"approver"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a 查阅 account changing a role: %d, want 403", res.StatusCode)
	}
	town2 := a.signedIn("demo-town2")
	if res := admin.post(path+"/role", url.Values{"version": {version()}, "role": {"approver"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good role change: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM accounts WHERE id = $1 AND role = 'approver'`, id) != 1 || a.count(audits) != 1 {
		t.Fatal("the role was not changed and audited")
	}
	if got := admin.get(path).doc(t).Find("#account-role").Text(); got != "审核" {
		t.Errorf("the account page shows role %q", got)
	}
	// The signed-in 统景镇 officer is now a 审核: it no longer files (经办's work).
	if res := town2.get("/town/filings/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("an approver opening the filing form: %d, want 403", res.StatusCode)
	}
}
