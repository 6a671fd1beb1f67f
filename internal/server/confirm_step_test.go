package server

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/web"
)

// stepPattern is a route's pattern inside its tier's area: what confirmSteps is keyed by.
func stepPattern(pattern string) string {
	for _, tier := range []string{"/district", "/town", "/community"} {
		if rest, ok := strings.CutPrefix(pattern, tier+"/"); ok {
			return "/" + rest
		}
	}
	return pattern
}

// Every irreversible step of confirmSteps asks again without JavaScript. The walk finds the pages that show a
// form leading to each such route; the form posted as a browser without script sends it (confirm_step=0, the
// rest as the page filled it) gets the confirmation page, which says what will happen and repeats the form to
// the same address, confirmed; nothing is written. Posting that page's form goes on to the step itself (it no
// longer answers with a confirmation). Every step of the table has a route, and every form that leads to one
// carries the field.
func TestIrreversibleStepsConfirmWithoutScript(t *testing.T) {
	a := newApp(t, nil)
	clients := map[string]*client{"": a.client()}
	for _, u := range []string{"demo-district", "demo-town", "demo-town2", "demo-community"} {
		clients[u] = a.signedIn(u)
	}
	routed := map[string]bool{}
	confirmed := map[string]bool{}
	for _, rt := range routeWalk(t, a, clients) {
		step, ok := confirmSteps[stepPattern(rt.pattern)]
		if rt.method != http.MethodPost || !ok {
			continue
		}
		routed[stepPattern(rt.pattern)] = true
		for _, f := range rt.forms {
			c := clients[f.who]
			doc := c.get(f.page).doc(t)
			sel := `form[action="` + f.action + `"]`
			if doc.Find(sel).Length() == 0 {
				continue // the page's state moved on (an earlier step of this walk)
			}
			if doc.Find(sel+` input[name="`+web.ConfirmStepName+`"][value="0"]`).Length() != 1 {
				t.Errorf("%s: the form on %s does not carry %s=0", rt.pattern, f.page, web.ConfirmStepName)
				continue
			}
			form := appFormValues(doc, sel)
			before := registryDigest(t, a)
			res := c.post(f.action, form)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s without script: %d, want the confirmation page", f.action, res.StatusCode)
				continue
			}
			page := res.doc(t)
			if page.Find("#confirm-step-form").AttrOr("action", "") != f.action ||
				!strings.Contains(page.Find("#confirm-step-message").Text(), step.message) ||
				page.Find(`#confirm-step-form input[name="`+web.ConfirmStepName+`"][value="1"]`).Length() != 1 {
				t.Errorf("%s: the confirmation page does not say what happens or does not post back confirmed", f.action)
			}
			again := appFormValues(page, "#confirm-step-form")
			for k, v := range form {
				if k != web.ConfirmStepName && strings.Join(again[k], "|") != strings.Join(v, "|") {
					t.Errorf("%s: the confirmation page changed %s from %q to %q", f.action, k, v, again[k])
				}
			}
			if diff := digestDiff(before, registryDigest(t, a)); diff != "" {
				t.Errorf("%s: asking for the confirmation wrote %s", f.action, diff)
			}
			res = c.post(f.action, again)
			if res.StatusCode == http.StatusOK && strings.Contains(res.Body, `id="confirm-step-form"`) {
				t.Errorf("%s: the confirmed form is asked again", f.action)
			}
			confirmed[stepPattern(rt.pattern)] = true
			break
		}
	}
	var missing, covered []string
	for p := range confirmSteps {
		if !routed[p] {
			missing = append(missing, p)
		}
		if confirmed[p] {
			covered = append(covered, p)
		}
	}
	sort.Strings(missing)
	sort.Strings(covered)
	if len(missing) > 0 {
		t.Errorf("confirmSteps names steps no route has: %v", missing)
	}
	t.Logf("confirmed through their pages: %v", covered)
	for _, p := range mustConfirmOnDemoPages {
		if !confirmed[p] {
			t.Errorf("%s: no demo page showed its form, or it was not confirmed", p)
		}
	}
}

// digestDiff names the tables whose digest changed.
func digestDiff(before, after map[string]string) string {
	var changed []string
	for k, v := range after {
		if before[k] != v {
			changed = append(changed, k)
		}
	}
	sort.Strings(changed)
	return strings.Join(changed, ", ")
}

// The district retires a 社区 in Chromium with JavaScript switched off: 撤销 shows the confirmation page (no
// dialog, nothing retired); 返回 leaves it as it was; 确定撤销 retires it.
func TestBrowserRetireConfirmsWithoutScript(t *testing.T) {
	a := flowApp(t)
	d := a.signedIn("demo-district")
	if res := d.post("/district/divisions", url.Values{"town": {seed.TownShuanglonghu}, "code": {retiredCode},
		"name": {"新湖社区"}, "kind": {"社区"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", res.StatusCode)
	}
	b := newBrowser(t, a)
	tb := flowSignIn(t, b, "demo-district", "district")
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	path := "/district/divisions/" + retiredCode
	retired := `SELECT count(*) FROM divisions WHERE code = $1 AND retired_at IS NOT NULL`
	tb.open(path)
	if res := tb.click(`#community-retire button[type=submit]`); res.Status != 200 {
		t.Fatalf("撤销: %d", res.Status)
	}
	if len(tb.dialogMessages()) != 0 {
		t.Fatalf("a dialog opened with script off: %v", tb.dialogMessages())
	}
	if msg := tb.text("#confirm-step-message"); !strings.Contains(msg, "不可恢复") {
		t.Fatalf("no confirmation page: %q", tb.text("main"))
	}
	tb.screenshot("17-confirm-without-script")
	if a.count(retired, retiredCode) != 0 {
		t.Fatal("the community was retired before the confirmation")
	}
	tb.click(`#confirm-step-back`)
	if tb.url().Path != path || a.count(retired, retiredCode) != 0 {
		t.Fatalf("返回 went to %s or retired the community", tb.url().Path)
	}
	tb.click(`#community-retire button[type=submit]`)
	if res := tb.click(`#confirm-step-form button[type=submit]`); res.Status != 200 || tb.url().Path != path {
		t.Fatalf("确定撤销: %d at %s", res.Status, tb.url().Path)
	}
	if a.count(retired, retiredCode) != 1 {
		t.Fatal("the confirmed retirement did not retire the community")
	}
}

// mustConfirmOnDemoPages are the steps whose forms the demo's pages show to the walk's accounts, so that the
// walk above proves their confirmation; the others are proven by their own tests.
var mustConfirmOnDemoPages = []string{"/applications/{id}/accept", "/applications/{id}/reject",
	"/applications/{id}/return", "/cases/{id}/publish", "/cases/{id}/withdraw", "/divisions/{code}/retire",
	"/filings/{id}/approve", "/notices/{id}/acknowledge", "/notices/{id}/request-changes", "/notices/{id}/withdraw",
	"/orgs/{id}/end", "/orgs/{id}/status"}

// confirmThroughPage posts the form sel of page as a browser without script sends it, with over set: it must get
// the confirmation page and write nothing; the confirmation page's form, posted, must reach the step (status
// want).
func confirmThroughPage(t *testing.T, a *app, c *client, page, sel string, over url.Values, want int) {
	t.Helper()
	doc := c.get(page).doc(t)
	action := doc.Find(sel).AttrOr("action", "")
	form := appFormValues(doc, sel)
	if form.Get(web.ConfirmStepName) != "0" {
		t.Fatalf("%s on %s carries no %s=0", sel, page, web.ConfirmStepName)
	}
	for k, v := range over {
		form[k] = v
	}
	before := registryDigest(t, a)
	res := c.post(action, form)
	if res.StatusCode != http.StatusOK || res.doc(t).Find("#confirm-step-form").AttrOr("action", "") != action {
		t.Fatalf("%s without script: %d, no confirmation page", action, res.StatusCode)
	}
	if diff := digestDiff(before, registryDigest(t, a)); diff != "" {
		t.Fatalf("%s: asking for the confirmation wrote %s", action, diff)
	}
	if res := c.post(action, appFormValues(res.doc(t), "#confirm-step-form")); res.StatusCode != want {
		t.Fatalf("%s confirmed: %d, want %d", action, res.StatusCode, want)
	}
}

// The steps the demo's pages do not show to the walk: 退回 of a filing (the walk approves it first), 确认导入 of a
// checked 台账, and 标记活动异常 of a group that missed its reports. Each asks first without script and then acts.
func TestStepsBeyondTheDemoConfirmWithoutScript(t *testing.T) {
	a, _ := filingApp(t)
	path := fileFiling(t, a.signedIn("demo-town-file"), "舞悦")
	approver := a.signedIn("demo-town-approve")
	confirmThroughPage(t, a, approver, path, `form[action$="/return"]`, url.Values{"reason": {"材料不全"}}, http.StatusSeeOther)
	if a.count(`SELECT count(*) FROM filings WHERE id::text = $1 AND status = 'returned'`, path[strings.LastIndex(path, "/")+1:]) != 1 {
		t.Error("the confirmed 退回 did not return the filing")
	}

	town := a.signedIn("demo-town")
	job, _ := town.checkLedger("/town/orgs/import", ledgerFile(t, ledger.Columns(true), [][]string{ledgerRow("确认甲", nil)}, nil))
	orgs := a.count(`SELECT count(*) FROM organizations`)
	confirmThroughPage(t, a, town, job, `form[action$="/confirm"]`, nil, http.StatusSeeOther)
	town.waitJob(job)
	if a.count(`SELECT count(*) FROM organizations`) != orgs+1 {
		t.Error("the confirmed import imported nothing")
	}

	_, org2 := a.liveOrgs(seed.CommunityDemo)
	if _, err := a.db.Pool.Exec(t.Context(), `UPDATE organizations SET created_at = '2020-01-01' WHERE id = $1`, org2); err != nil {
		t.Fatal(err)
	}
	sel := `#lapsed tr[data-id="` + strconv.FormatInt(org2, 10) + `"] form`
	confirmThroughPage(t, a, town, "/town/work-reports", sel, url.Values{"reason": {"连续两期未报送工作报告"}}, http.StatusSeeOther)
	if a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND status = 'abnormal'`, org2) != 1 {
		t.Error("the confirmed mark did not mark the group 活动异常")
	}
}
