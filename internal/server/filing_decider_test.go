package server

import (
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

// The proof's two-officer town: the officer who filed cannot approve (the page says why and nothing changes); the
// other officer approves, and the history names both. A town with a single officer decides its own filing, and
// the history says so.
func TestBrowserTwoOfficerTownFiling(t *testing.T) {
	a := flowApp(t)
	addTownOfficer(t, a, "demo-town-b", "审核员乙")
	path := fileFiling(t, a.signedIn("demo-town"), "舞悦")
	id := path[strings.LastIndex(path, "/")+1:]
	b := newBrowser(t, a)

	clerk := flowSignIn(t, b, "demo-town", "town")
	clerk.open(path)
	if res := clerk.click(`form[action$="/approve"] button[type=submit]`); res.Status != 422 {
		t.Fatalf("the submitter's 准予备案: status %d, want 422", res.Status)
	}
	if msg := clerk.text("main"); !strings.Contains(msg, "须由其他工作人员审核") {
		t.Errorf("the refusal does not say why: %q", msg)
	}
	if n := a.count(`SELECT count(*) FROM filings WHERE id::text = $1 AND status = 'submitted'`, id); n != 1 {
		t.Fatal("the submitter's approval changed the filing")
	}
	clerk.open(path)
	clerk.write("#reason", "材料不全")
	if res := clerk.click(`form[action$="/return"] button[type=submit]`); res.Status != 422 {
		t.Errorf("the submitter's 退回: status %d, want 422", res.Status)
	}

	reviewer := flowSignIn(t, b, "demo-town-b", "town")
	reviewer.open(path)
	if res := reviewer.click(`form[action$="/approve"] button[type=submit]`); res.Status != 200 {
		t.Fatalf("the other officer's 准予备案: status %d", res.Status)
	}
	if st := reviewer.text("#filing-status"); st != "已备案" {
		t.Fatalf("status %q after the other officer's approval", st)
	}
	tl := reviewer.text("main")
	if !strings.Contains(tl, "审核员乙") || strings.Contains(tl, "由提交人本人审核") {
		t.Errorf("the history does not name the reviewer, or calls it self-decided: %q", tl)
	}

	// 统景镇 has one officer: it decides its own filing, and the history says so.
	single := a.signedIn("demo-town2")
	form := filingForm("独舞")
	form.Set("community", "500112133206")
	res := single.postMultipart("/town/filings", form, []upload{{"doc_charter", "章程.pdf", testPDF()}})
	if res.StatusCode != 303 {
		t.Fatalf("统景镇 files: %d %s", res.StatusCode, res.Body)
	}
	p2 := res.Header.Get("Location")
	if res := approve(t, single, p2); res.StatusCode != 303 {
		t.Fatalf("the single officer's approval: %d", res.StatusCode)
	}
	if body := single.get(p2).Body; !strings.Contains(body, "本镇街仅一名在岗工作人员，由提交人本人审核") {
		t.Error("the single officer's decision does not say it was self-decided")
	}
}
