package server

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// ventureApply fills the round page's application form for the group at option n of the committee's list and
// returns the group's id and name.
func ventureApply(t *testing.T, tb *tab, n, project, requested string) (string, string) {
	t.Helper()
	opt := `#apply_org option:nth-child(` + n + `)`
	org := js[string](tb, `document.querySelector("`+opt+`").value`)
	name := js[string](tb, `document.querySelector("`+opt+`").textContent`)
	tb.setValue("#apply_org", org)
	tb.setValue("#theme", js[string](tb, `document.querySelector("#theme option:nth-child(2)").value`))
	tb.fill("#project", project)
	tb.fill("#requested", requested)
	tb.do(chromedp.SendKeys("#budget_lines", "活动物料 8000 元；志愿者补贴 4000 元"))
	tb.do(chromedp.Click(`#apply-form input[name=beneficiaries]`))
	tb.do(chromedp.SendKeys("#expected", "每月开展两次活动，服务 200 人次"))
	if res := tb.click(`#apply-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("applying for %s: status %d; the page says %q", name, res.Status, tb.text("main"))
	}
	return org, name
}

// ventureScore types every criterion's score on the application's form and submits it.
func ventureScore(t *testing.T, tb *tab, app string, score string) int64 {
	t.Helper()
	form := `#review-` + app + ` .score-form`
	n := tb.count(form + ` input[type=number]`)
	if n == 0 {
		t.Fatalf("no score form for application %s; the page says %q", app, tb.text("main"))
	}
	for i := 1; i <= n; i++ {
		tb.fill(form+` .field:nth-of-type(`+strconv.Itoa(i)+`) input`, score)
	}
	return tb.click(form + ` button[type=submit]`).Status
}

// TestBrowserVentureRoundFromOpeningToClosing: the district opens a 公益创投 round; a committee applies for two
// of its groups; the town the groups belong to may not score them (the round asks reviewers to stand aside) and
// is told so at the field; another town and the district score; the district awards within the budget (an award
// beyond what is left is refused at the field); the committee reports progress and the district closes the
// project.
func TestBrowserVentureRoundFromOpeningToClosing(t *testing.T) {
	a := flowApp(t)
	b := newBrowser(t, a)
	district := flowSignIn(t, b, "demo-district", "district")
	const title = "浏览器测试公益创投"

	if res := district.click(`nav a[href="/district/funding"]`); res.Status != 200 {
		t.Fatalf("the 培育资金 link: status %d", res.Status)
	}
	if res := district.click("#new-round"); res.Status != 200 {
		t.Fatalf("发布公益创投: status %d", res.Status)
	}
	today := time.Now().In(beijing)
	district.fill("#title", title)
	district.fill("#budget", "100000")
	district.setValue("#opens_on", today.Format("2006-01-02"))
	district.setValue("#closes_on", today.AddDate(0, 1, 0).Format("2006-01-02"))
	if res := district.click(`#round-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("opening the round: status %d; the page says %q", res.Status, district.text("main"))
	}
	round := district.idOf("/district/funding/rounds/")

	committee := flowSignIn(t, b, "demo-community", "community")
	committee.click(`nav a[href="/community/funding"]`)
	if res := committee.click(`#rounds a[href="/community/funding/rounds/` + round + `"]`); res.Status != 200 {
		t.Fatalf("the round from the committee's list: status %d", res.Status)
	}
	orgA, nameA := ventureApply(t, committee, "2", "邻里守望互助计划", "60000")
	orgB, _ := ventureApply(t, committee, "3", "社区书香角", "50000")
	if n := committee.count("#applications tbody tr"); n != 2 {
		t.Fatalf("the round lists %d applications, want 2", n)
	}
	appOf := func(org string) string {
		return itoa64(int64(a.count(`SELECT id FROM venture_applications WHERE round_id = $1 AND org_id = $2`, round, org)))
	}
	appA, appB := appOf(orgA), appOf(orgB)

	// 统景镇 is not yet a reviewer of the round: it reads none of 双龙湖街道's applications and has no score form.
	town2 := flowSignIn(t, b, "demo-town2", "town")
	town2.open("/town/funding/rounds/" + round)
	if n := town2.count("#applications tbody tr") + town2.count(".score-form"); n != 0 {
		t.Fatalf("a town that does not review the round sees %d applications and score forms", n)
	}
	// The district names 双龙湖街道 and 统景镇 as the round's reviewers.
	district.open("/district/funding/rounds/" + round)
	district.do(chromedp.Click(chromedp.CSS(`input[name=reviewers][value="双龙湖街道"]`)),
		chromedp.Click(chromedp.CSS(`input[name=reviewers][value="统景镇"]`)))
	if res := district.click(`#round-reviewers-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("naming the reviewers: status %d; the page says %q", res.Status, district.text("main"))
	}
	if facts := district.text("#round-facts"); !strings.Contains(facts, "双龙湖街道、统景镇") {
		t.Fatalf("the round's facts show %q", facts)
	}

	// 双龙湖街道 keeps the committee's groups: it stands aside, and is told so at the field.
	town := flowSignIn(t, b, "demo-town", "town")
	town.open("/town/funding/rounds/" + round)
	if st := ventureScore(t, town, appA, "15"); st != 422 {
		t.Fatalf("the own town's score: status %d, want 422", st)
	}
	if msg := town.text(`#review-` + appA + ` .field.bad .msg`); !strings.Contains(msg, "回避") {
		t.Fatalf("the own town's score shows %q at the field", msg)
	}
	if n := a.count(`SELECT count(*) FROM venture_scores WHERE application_id = $1`, appA); n != 0 {
		t.Fatalf("the refused score wrote %d rows", n)
	}

	town2.open("/town/funding/rounds/" + round)
	if got := town2.text(`#review-` + appA + ` .budget-lines`); got == "" || got == "—" {
		t.Fatalf("the reviewer reads no budget lines: %q", got)
	}
	for _, app := range []string{appA, appB} {
		if st := ventureScore(t, town2, app, "16"); st != 200 {
			t.Fatalf("统景镇 scoring %s: status %d; the page says %q", app, st, town2.text("main"))
		}
	}
	district.open("/district/funding/rounds/" + round)
	for _, app := range []string{appA, appB} {
		if st := ventureScore(t, district, app, "18"); st != 200 {
			t.Fatalf("the district scoring %s: status %d; the page says %q", app, st, district.text("main"))
		}
	}
	row := district.text(`#applications tr[data-id="` + appA + `"]`)
	if !strings.Contains(row, "68") || !strings.Contains(row, "2") { // (64 + 72) / 2 by two reviewers
		t.Fatalf("application A's row shows %q", row)
	}

	district.fill("#award-"+appA, "60000")
	if res := district.click(`#review-` + appA + ` .award-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("awarding A: status %d; the page says %q", res.Status, district.text("main"))
	}
	district.fill("#award-"+appB, "50000")
	if res := district.click(`#review-` + appB + ` .award-form button[type=submit]`); res.Status != 422 {
		t.Fatalf("awarding B beyond the budget: status %d, want 422", res.Status)
	}
	if msg := district.text(`#review-` + appB + ` .field.bad .msg`); !strings.Contains(msg, "40,000.00") {
		t.Fatalf("the award beyond the budget shows %q", msg)
	}
	if got := district.value("#award-" + appB); got != "50000" {
		t.Fatalf("the refused award keeps %q", got)
	}
	district.fill("#award-"+appB, "40000")
	if res := district.click(`#review-` + appB + ` .award-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("awarding B within the budget: status %d; the page says %q", res.Status, district.text("main"))
	}
	if n := a.count(`SELECT count(*) FROM venture_rounds WHERE id = $1 AND awarded = budget AND budget = 100000`, round); n != 1 {
		t.Fatal("the round's awarded total is not its budget")
	}

	committee.open("/community/funding/rounds/" + round)
	committee.fill(`#follow-up tr[data-id="`+appA+`"] input[name=progress]`, "已开展 4 次守望走访")
	if res := committee.click(`#follow-up tr[data-id="` + appA + `"] .progress-form button`); res.Status != 200 {
		t.Fatalf("reporting progress: status %d; the page says %q", res.Status, committee.text("main"))
	}
	district.open("/district/funding/rounds/" + round)
	district.fill(`#follow-up tr[data-id="`+appA+`"] input[name=final_report]`, "全年走访 48 次，服务独居老人 30 名")
	district.fill(`#follow-up tr[data-id="`+appA+`"] input[name=evaluation]`, "优秀")
	if res := district.click(`#follow-up tr[data-id="` + appA + `"] .close-form button`); res.Status != 200 {
		t.Fatalf("closing: status %d; the page says %q", res.Status, district.text("main"))
	}
	follow := district.text(`#follow-up tr[data-id="` + appA + `"]`)
	if !strings.Contains(follow, "已开展 4 次守望走访") || !strings.Contains(follow, "优秀") || !strings.Contains(follow, nameA) {
		t.Fatalf("the follow-up row shows %q", follow)
	}
	if n := a.count(`SELECT count(*) FROM venture_applications WHERE id = $1 AND status = 'closed'`, appA); n != 1 {
		t.Fatal("the project is not closed")
	}
	district.screenshot("venture-round")
}

// TestBrowserTownRecordsAContractPaysTwiceAndAccepts: a town records a 购买服务 contract, pays it in two
// installments (a third beyond the amount is refused at the field) and records its 验收.
func TestBrowserTownRecordsAContractPaysTwiceAndAccepts(t *testing.T) {
	a := flowApp(t)
	b := newBrowser(t, a)
	town := flowSignIn(t, b, "demo-town", "town")
	const project = "浏览器测试为老服务项目"

	town.click(`nav a[href="/town/funding"]`)
	if res := town.click("#new-contract"); res.Status != 200 {
		t.Fatalf("登记购买服务合同: status %d", res.Status)
	}
	org := js[string](town, `document.querySelector("#org_id option:nth-child(2)").value`)
	town.setValue("#org_id", org)
	town.fill("#project", project)
	town.do(chromedp.Click(`#contract-form input[name=beneficiaries]`))
	town.fill("#amount", "48000")
	town.setValue("#starts_on", "2026-01-01")
	town.setValue("#ends_on", "2026-12-31")
	town.setValue("#signed_on", "2025-12-20")
	town.do(chromedp.SendKeys("#deliverables", "全年开展助老服务 24 次"))
	if res := town.click(`#contract-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("recording the contract: status %d; the page says %q", res.Status, town.text("main"))
	}
	id := town.idOf("/town/funding/contracts/")

	pay := func(amount, on, note string) int64 {
		town.fill("#amount", amount)
		town.setValue("#paid_on", on)
		town.fill("#note", note)
		return town.click(`#payment-form button[type=submit]`).Status
	}
	if st := pay("28800", "2026-01-10", "首期款"); st != 200 {
		t.Fatalf("first payment: status %d; the page says %q", st, town.text("main"))
	}
	if st := pay("20000", "2026-07-01", "二期款"); st != 422 {
		t.Fatalf("a payment beyond the contract: status %d, want 422", st)
	}
	if msg := town.text(`#payment-form .field.bad .msg`); msg == "" || town.value("#amount") != "20000" {
		t.Fatalf("the refused payment shows %q and keeps %q", msg, town.value("#amount"))
	}
	if st := pay("19200", "2026-07-01", "二期款"); st != 200 {
		t.Fatalf("second payment: status %d; the page says %q", st, town.text("main"))
	}
	if n := town.count("#payments tbody tr"); n != 2 {
		t.Fatalf("%d payments listed, want 2", n)
	}
	if n := a.count(`SELECT count(*) FROM contracts WHERE id = $1 AND paid = amount AND amount = 48000`, id); n != 1 {
		t.Fatal("the contract is not paid in full after two payments")
	}

	town.setValue("#status", "accepted")
	town.setValue("#accepted_on", "2027-01-05")
	town.do(chromedp.SendKeys("#accept_note", "服务记录齐全，满意度 96%"))
	if res := town.click(`#acceptance-form button[type=submit]`); res.Status != 200 {
		t.Fatalf("验收: status %d; the page says %q", res.Status, town.text("main"))
	}
	if got := town.text("#contract-status"); got != "验收合格" {
		t.Fatalf("the contract's status shows %q", got)
	}
	if msgs := town.dialogMessages(); len(msgs) == 0 || !strings.Contains(msgs[len(msgs)-1], "验收") {
		t.Fatalf("no confirmation before 验收: %q", msgs)
	}
	town.screenshot("contract-accepted")
}
