package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/testdb"
)

// addTownOfficer gives demo-town's 双龙湖街道 a second active officer, username, with the demo password, made
// the way the district makes one: through its accounts form.
func addTownOfficer(t *testing.T, a *app, username, display string) {
	t.Helper()
	createAccountByForm(t, a, "demo-district", url.Values{"username": {username}, "display_name": {display},
		"division": {seed.TownShuanglonghu}, "password": {testdb.DemoPassword}, "role": {string(portal.RoleApprover)}})
}

// soleTownOfficer makes demo-town 双龙湖街道's single active officer who may decide filings: the demo's
// 经办 and 审核 accounts (demo-town-file, demo-town-approve) are disabled, as a town with one officer has it. A
// test in which demo-town decides a filing it submitted sets this up first; without it demo-town-approve is
// another officer and the decision is refused (TestBrowserTownRolesFileAndApprove).
func soleTownOfficer(t *testing.T, a *app) {
	t.Helper()
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE accounts SET disabled = true
		WHERE username IN ('demo-town-file', 'demo-town-approve')`); err != nil {
		t.Fatal(err)
	}
}

// The demo's two-officer town, with its role accounts: the 经办 (demo-town-file) files, and on its own filing
// finds no 准予备案 button and gets 403 when it posts one anyway; the 审核 (demo-town-approve) approves, and the
// history names both. demo-town (全部), the submitter of another filing, is refused while 审核 is on duty; once
// the 经办 and 审核 accounts are disabled it is the single active officer, decides its own filing, and the
// history says so.
func TestBrowserTownRolesFileAndApprove(t *testing.T) {
	a := flowApp(t)
	path := fileFiling(t, a.signedIn("demo-town-file"), "舞悦")
	id := path[strings.LastIndex(path, "/")+1:]
	b := newBrowser(t, a)

	clerk := flowSignIn(t, b, "demo-town-file", "town")
	clerk.open(path)
	if st := clerk.text("#filing-status"); st != "待审核" {
		t.Fatalf("the 经办's filing is %q", st)
	}
	clerk.screenshot("17-filing-as-clerk")
	if n := clerk.count(`form[action$="/approve"], form[action$="/return"]`); n != 0 {
		t.Errorf("the 经办 sees %d decision forms on its own filing", n)
	}
	if res := a.signedIn("demo-town-file").post(path+"/approve", url.Values{"version": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("the 经办's POST 准予备案: %d, want 403", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM filings WHERE id::text = $1 AND status = 'submitted'`, id); n != 1 {
		t.Fatal("the 经办's approval changed the filing")
	}

	reviewer := flowSignIn(t, b, "demo-town-approve", "town")
	reviewer.open(path)
	if res := reviewer.click(`form[action$="/approve"] button[type=submit]`); res.Status != 200 {
		t.Fatalf("the 审核's 准予备案: status %d", res.Status)
	}
	if st := reviewer.text("#filing-status"); st != "已备案" {
		t.Fatalf("status %q after the 审核's approval", st)
	}
	tl := reviewer.text("main")
	if !strings.Contains(tl, "双龙湖街道审核演示账号") || !strings.Contains(tl, "双龙湖街道经办演示账号") ||
		strings.Contains(tl, "由提交人本人审核") {
		t.Errorf("the history does not name the 经办 and the 审核, or calls it self-decided: %q", tl)
	}

	// demo-town (全部) files too; while 审核 is on duty its own approval is refused and changes nothing.
	own := fileFiling(t, a.signedIn("demo-town"), "独舞")
	town := flowSignIn(t, b, "demo-town", "town")
	town.open(own)
	if res := town.click(`form[action$="/approve"] button[type=submit]`); res.Status != 422 {
		t.Fatalf("the submitter's 准予备案 with a 审核 on duty: status %d, want 422", res.Status)
	}
	if msg := town.text("main"); !strings.Contains(msg, "须由其他工作人员审核") {
		t.Errorf("the refusal does not say why: %q", msg)
	}
	town.open(own)
	town.write("#reason", "材料不全")
	if res := town.click(`form[action$="/return"] button[type=submit]`); res.Status != 422 {
		t.Errorf("the submitter's 退回: status %d, want 422", res.Status)
	}
	if n := a.count(`SELECT count(*) FROM filings WHERE id::text = $1 AND status = 'submitted'`, own[strings.LastIndex(own, "/")+1:]); n != 1 {
		t.Fatal("the submitter's decision changed its filing")
	}

	// The 经办 and 审核 leave: demo-town is the single active officer and decides its own filing.
	soleTownOfficer(t, a)
	town.open(own)
	if res := town.click(`form[action$="/approve"] button[type=submit]`); res.Status != 200 {
		t.Fatalf("the single officer's 准予备案: status %d", res.Status)
	}
	if st := town.text("#filing-status"); st != "已备案" {
		t.Fatalf("status %q after the single officer's approval", st)
	}
	if tl := town.text("main"); !strings.Contains(tl, "本镇街仅一名在岗工作人员，由提交人本人审核") {
		t.Errorf("the single officer's decision does not say it was self-decided: %q", tl)
	}
}

// A 经办 colleague cannot decide, so it does not take the decision away from the town's single officer who may:
// with only demo-town-file beside it, demo-town decides its own filing.
func TestClerkColleagueLeavesTheDecisionToTheSoleDecider(t *testing.T) {
	a, _ := filingApp(t)
	if _, err := a.db.Pool.Exec(context.Background(),
		`UPDATE accounts SET disabled = true WHERE username = 'demo-town-approve'`); err != nil {
		t.Fatal(err)
	}
	town := a.signedIn("demo-town")
	path := fileFiling(t, town, "舞悦")
	if res := approve(t, town, path); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approval with only a 经办 beside: %d\n%s", res.StatusCode, res.Body)
	}
	if n := a.count(`SELECT count(*) FROM filings WHERE id::text = $1 AND status = 'approved' AND self_decided`, path[strings.LastIndex(path, "/")+1:]); n != 1 {
		t.Error("the decision is not marked self-decided")
	}
}
