package server

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A committee posts a need, offers its group's project, and the town holds a 洽谈会 where the two are matched
// into a 政府购买服务 contract; the board then shows the match and neither stays open.
func TestBrowserNeedMatchedIntoContract(t *testing.T) {
	a := newApp(t, nil)
	b := newBrowser(t, a)
	until := time.Now().In(beijing).AddDate(0, 3, 0).Format("2006-01-02")

	cb := flowSignIn(t, b, "demo-community", "community")
	cb.click(`nav a[href="/community/matching"]`)
	cb.screenshot("matching-board-community")
	cb.click("#new-need")
	cb.fill("#title", "社区残疾人康复陪护")
	cb.fill("#place", "社区康复站")
	cb.fill("#frequency", "每周三次")
	cb.fill("#budget", "36000")
	cb.setValue("#until", until)
	cb.setValue("#series", "邻里守望")
	// no 服务对象: refused at the field, the input kept
	if res := cb.click(`#need-form button[type=submit]`); res.Status != 422 || !strings.Contains(cb.text(`[data-field="beneficiaries"] .msg`), "服务对象") {
		t.Fatalf("need without 服务对象: status %d, %q", res.Status, cb.text("main"))
	}
	if cb.value("#title") != "社区残疾人康复陪护" || cb.value("#budget") != "36000" {
		t.Fatal("need input not kept")
	}
	cb.screenshot("matching-need-refused")
	cb.do(chromedp.Click(chromedp.CSS(`input[name="beneficiaries"][value="残疾人"]`)))
	if res := cb.click(`#need-form button[type=submit]`); res.Status != 200 || !strings.Contains(cb.text("#open-needs"), "社区残疾人康复陪护") {
		t.Fatalf("need: status %d, %q", res.Status, cb.text("main"))
	}

	cb.click("#new-project")
	group := js[string](cb, `document.querySelector('#org option:nth-child(2)').textContent`)
	cb.setValue("#org", js[string](cb, `document.querySelector('#org option:nth-child(2)').value`))
	cb.fill("#title", "康复陪伴计划")
	cb.write("#aims", "让居家残疾人每周得到康复陪护")
	cb.write("#activities", "上门康复训练、陪同就医")
	cb.do(chromedp.Click(chromedp.CSS(`input[name="beneficiaries"][value="残疾人"]`)))
	cb.setValue("#series", "邻里守望")
	cb.fill("#cost", "-5")
	if res := cb.click(`#project-form button[type=submit]`); res.Status != 422 || !strings.Contains(cb.text(`[data-field="cost"] .msg`), "项目经费") {
		t.Fatalf("negative cost: status %d, %q", res.Status, cb.text("main"))
	}
	cb.screenshot("matching-project-refused")
	cb.fill("#cost", "34000")
	if res := cb.click(`#project-form button[type=submit]`); res.Status != 200 || !strings.Contains(cb.text("#open-projects"), "康复陪伴计划") {
		t.Fatalf("project: status %d, %q", res.Status, cb.text("main"))
	}

	tb := flowSignIn(t, b, "demo-town", "town")
	tb.click(`nav a[href="/town/matching"]`)
	if !strings.Contains(tb.text("#open-needs"), "社区残疾人康复陪护") || !strings.Contains(tb.text("#open-projects"), "康复陪伴计划") {
		t.Fatal("the town does not see its committee's need and project")
	}
	tb.screenshot("matching-board-town")
	tb.click("#new-fair")
	tb.fill("#title", "双龙湖街道社区服务项目洽谈会")
	tb.setValue("#held_on", time.Now().In(beijing).Format("2006-01-02"))
	if tb.count("#room option") < 2 {
		t.Fatal("the fair form offers no support platform room")
	}
	room := js[string](tb, `document.querySelector('#room option:nth-child(2)').textContent`)
	tb.setValue("#room", js[string](tb, `document.querySelector('#room option:nth-child(2)').value`))
	tb.screenshot("matching-fair-new")
	if res := tb.click(`#fair-form button[type=submit]`); res.Status != 200 || tb.count("#match-form") != 1 {
		t.Fatalf("fair: status %d, %q", res.Status, tb.text("main"))
	}
	fairPath := tb.url().Path
	pick := func(sel, label string) {
		v := js[string](tb, `[...document.querySelectorAll(`+quoteJS(sel+" option")+`)].find(o => o.textContent.includes(`+quoteJS(label)+`)).value`)
		tb.setValue(sel, v)
	}
	pick("#need", "社区残疾人康复陪护")
	pick("#project", "康复陪伴计划")
	tb.setValue("#outcome", "none")
	if res := tb.click(`#match-form button[type=submit]`); res.Status != 422 || !strings.Contains(tb.text(`[data-field="reason"] .msg`), "原因") {
		t.Fatalf("no deal without a reason: status %d, %q", res.Status, tb.text("main"))
	}
	tb.setValue("#outcome", "contract")
	if res := tb.click(`#match-form button[type=submit]`); res.Status != 422 || !strings.Contains(tb.text(`[data-field="contract"] .msg`), "合同") {
		t.Fatalf("a contract match without its contract: status %d, %q", res.Status, tb.text("main"))
	}
	// The contract is not yet recorded: the town signs it in 培育资金, then names it at the fair.
	tb.click("#new-contract")
	tb.setValue("#org_id", js[string](tb, `[...document.querySelectorAll('#org_id option')].find(o => o.textContent.includes(`+quoteJS(group)+`)).value`))
	tb.fill("#project", "康复陪伴计划")
	tb.do(chromedp.Click(chromedp.CSS(`input[name="beneficiaries"][value="残疾人"]`)))
	tb.fill("#amount", "34000")
	today := time.Now().In(beijing).Format("2006-01-02")
	tb.setValue("#starts_on", today)
	tb.setValue("#ends_on", until)
	tb.setValue("#signed_on", today)
	if res := tb.click(`#contract-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("contract: status %d, %q", res.Status, tb.text("main"))
	}
	tb.open(fairPath)
	pick("#need", "社区残疾人康复陪护")
	pick("#project", "康复陪伴计划")
	tb.setValue("#outcome", "contract")
	pick("#contract", "康复陪伴计划（"+group)
	if res := tb.click(`#match-form button[type=submit]`); res.Status != 200 || !strings.Contains(tb.text("#fair-matches"), "政府购买服务") {
		t.Fatalf("match: status %d, %q", res.Status, tb.text("main"))
	}
	if got := tb.text("#fair-matches"); !strings.Contains(got, "康复陪伴计划") || !strings.Contains(got, group) {
		t.Fatalf("fair matches: %q", got)
	}
	tb.screenshot("matching-fair")
	// The match links to its contract, and the contract back to the fair.
	tb.click(`#fair-matches a[href*="/funding/contracts/"]`)
	if !strings.Contains(tb.text("#contract-matches"), "社区残疾人康复陪护") {
		t.Fatalf("the contract does not show its match: %q", tb.text("main"))
	}
	tb.screenshot("matching-contract")
	tb.click(`#contract-matches a`)
	if tb.url().Path != fairPath {
		t.Fatalf("the contract's match links to %s", tb.url().Path)
	}
	// The fair links to its room, and the room lists the fair.
	tb.click(`#fair-facts a`)
	if !strings.Contains(tb.text("#room-fairs"), "双龙湖街道社区服务项目洽谈会") || !strings.Contains(room, tb.text("h1")[:3]) {
		t.Fatalf("the room does not list the fair: %q", tb.text("main"))
	}
	tb.screenshot("matching-room")
	tb.open(fairPath)

	tb.click(".crumbs a")
	if strings.Contains(tb.text("#open-needs"), "社区残疾人康复陪护") || strings.Contains(tb.text("#open-projects"), "康复陪伴计划") {
		t.Fatal("a matched need or project is still open")
	}
	if !strings.Contains(tb.text("#matches"), "康复陪伴计划") {
		t.Fatal("the board does not show the match")
	}
	// The committee follows its match to the town's fair, sees it there, and records nothing.
	cb.open("/community/matching")
	cb.click(`#fairs a`)
	if !strings.Contains(cb.text("#fair-matches"), "康复陪伴计划") || cb.count("#match-form") != 0 {
		t.Fatalf("the committee's view of the fair: %q", cb.text("main"))
	}
	cb.screenshot("matching-fair-community")
	tb.click("#brands-link")
	tb.screenshot("matching-brands-town")

	db := flowSignIn(t, b, "demo-district", "district")
	db.click(`nav a[href="/district/matching"]`)
	db.screenshot("matching-board-district")
	db.click("#brands-link")
	db.screenshot("matching-brands-district")
	db.click(`#brands tbody a`)
	if !strings.Contains(db.text("#org-projects"), "品牌项目") {
		t.Fatalf("the brand's group record: %q", db.text("main"))
	}
	db.screenshot("matching-org-record")
}
