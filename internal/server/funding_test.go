package server

import (
	"encoding/csv"
	"net/http"
	"regexp"

	"github.com/PuerkitoBio/goquery"
	"net/url"
	"strings"
	"testing"
)

// moneyWrites counts every row the money pages write.
func (a *app) moneyWrites() int {
	return a.count(`SELECT (SELECT count(*) FROM contracts) + (SELECT count(*) FROM contract_payments)
		+ (SELECT count(*) FROM fund_movements) + (SELECT count(*) FROM venture_scores)
		+ (SELECT count(*) FROM venture_applications WHERE awarded_amount IS NOT NULL) + (SELECT count(*) FROM cultivation_events)`)
}

// firstLink is the href of the first link in sel on the page at path.
func firstLink(t *testing.T, c *client, path, sel string) string {
	t.Helper()
	href, ok := c.get(path).doc(t).Find(sel).First().Attr("href")
	if !ok {
		t.Fatalf("no link %s on %s", sel, path)
	}
	return href
}

func TestContractFormsBadInput(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	form := town.get("/town/funding/contracts/new").doc(t)
	org, _ := form.Find("#org_id option[value!='']").First().Attr("value")
	before := a.moneyWrites()
	res := town.post("/town/funding/contracts", url.Values{"org_id": {org}, "project": {"困境儿童关爱"}, "amount": {"-500"},
		"starts_on": {"2026-06-01"}, "ends_on": {"2026-01-01"}, "signed_on": {"2026-01-01"}, "beneficiaries": {"困境儿童"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad contract: %d", res.StatusCode)
	}
	d := res.doc(t)
	if msg := d.Find(`[data-field="amount"] .msg`).Text(); !strings.Contains(msg, "负数") {
		t.Errorf("negative amount: %q", msg)
	}
	if msg := d.Find(`[data-field="ends_on"] .msg`).Text(); !strings.Contains(msg, "不能早于") {
		t.Errorf("end before start: %q", msg)
	}
	if v, _ := d.Find("#amount").Attr("value"); v != "-500" {
		t.Errorf("amount not kept: %q", v)
	}
	if v, _ := d.Find("#project").Attr("value"); v != "困境儿童关爱" {
		t.Errorf("project not kept: %q", v)
	}
	if a.moneyWrites() != before {
		t.Error("a refused contract wrote something")
	}
	res = town.post("/town/funding/contracts", url.Values{"seen": {town.seen("/town/funding/contracts/new", "contract-form")}, "org_id": {org}, "project": {"困境儿童关爱"}, "amount": {"1000.50"},
		"starts_on": {"2026-01-01"}, "ends_on": {"2026-12-31"}, "signed_on": {"2025-12-20"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("contract: %d", res.StatusCode)
	}
	page := res.Header.Get("Location")
	first := url.Values{"amount": {"600"}, "paid_on": {"2026-02-01"}, "payments": {"0"}}
	if res := town.post(page+"/payments", first); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("payment: %d", res.StatusCode)
	}
	// the same payment posted twice (a double click, a resent form) or with no token is written once
	before = a.moneyWrites()
	for _, token := range []string{"0", ""} {
		first.Set("payments", token)
		if res := town.post(page+"/payments", first); res.StatusCode != http.StatusConflict {
			t.Fatalf("payment posted again with token %q: %d, want 409", token, res.StatusCode)
		}
	}
	if a.moneyWrites() != before {
		t.Error("a payment posted twice was written twice")
	}
	if tok, _ := town.get(page).doc(t).Find(`#payment-form input[name="payments"]`).Attr("value"); tok != "1" {
		t.Errorf("payment form token %q, want 1", tok)
	}
	res = town.post(page+"/payments", url.Values{"amount": {"400.51"}, "paid_on": {"2026-03-01"}, "note": {"尾款"}, "payments": {"1"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("payment beyond the contract: %d", res.StatusCode)
	}
	d = res.doc(t)
	if msg := d.Find(`[data-field="amount"] .msg`).Text(); !strings.Contains(msg, "400.50") {
		t.Errorf("payment beyond the contract: message %q", msg)
	}
	if v, _ := d.Find("#note").Attr("value"); v != "尾款" {
		t.Errorf("note not kept: %q", v)
	}
	if a.moneyWrites() != before {
		t.Error("a refused payment wrote something")
	}
	// another town: 404 on the contract and its forms
	town2 := a.signedIn("demo-town2")
	for _, res := range []response{town2.get(page), town2.post(page+"/payments", url.Values{"amount": {"1"}, "paid_on": {"2026-03-01"}, "payments": {"1"}}),
		town2.post(page+"/acceptance", url.Values{"status": {"accepted"}, "accepted_on": {"2026-03-01"}})} {
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("another town: %d, want 404", res.StatusCode)
		}
	}
	if res := town.get("/town/funding"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "困境儿童关爱") {
		t.Errorf("overview: %d", res.StatusCode)
	}
}

func TestFundAndRoundFormsBadInput(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	fund := firstLink(t, town, "/town/funding", "#funds a")
	balance := town.get(fund).doc(t).Find("#fund-balance").Text()
	org, _ := town.get(fund).doc(t).Find("#org_id option[value!='']").First().Attr("value")
	token, _ := town.get(fund).doc(t).Find(`#movement-form input[name="movements"]`).Attr("value")
	before := a.moneyWrites()
	res := town.post(fund+"/movements", url.Values{"movements": {token}, "kind": {"grant"}, "amount": {"9999999"}, "on_date": {"2026-03-01"}, "org_id": {org}, "purpose": {"购置器材"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="amount"] .msg`).Text(), balance) {
		t.Errorf("grant beyond the balance: %d", res.StatusCode)
	}
	if a.moneyWrites() != before {
		t.Error("a refused grant wrote something")
	}
	// The form's token: without it, or posted a second time, a donation is a 409 and is written once.
	donation := url.Values{"kind": {"donation"}, "amount": {"100"}, "on_date": {"2026-03-01"}, "donor": {"某物业公司"}, "purpose": {"支持社区文体团队"}}
	if res := town.post(fund+"/movements", donation); res.StatusCode != http.StatusConflict {
		t.Errorf("a movement without its token: %d, want 409", res.StatusCode)
	}
	if a.moneyWrites() != before {
		t.Error("a movement without its token wrote something")
	}
	donation.Set("movements", token)
	if res := town.post(fund+"/movements", donation); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a donation with its token: %d, want 303", res.StatusCode)
	}
	once := a.moneyWrites()
	if once == before {
		t.Error("a donation with its token wrote nothing")
	}
	if res := town.post(fund+"/movements", donation); res.StatusCode != http.StatusConflict {
		t.Errorf("the same donation posted again: %d, want 409", res.StatusCode)
	}
	if a.moneyWrites() != once {
		t.Errorf("the same donation posted again wrote %d more rows", a.moneyWrites()-once)
	}
	before = once
	if res := a.signedIn("demo-town2").get(fund); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town's fund: %d", res.StatusCode)
	}

	// the district's open round: a reviewer's score out of range is refused at the field
	district := a.signedIn("demo-district")
	round := roundLink(t, district, "申报中")
	d := district.get(round).doc(t)
	form := d.Find(".score-form").First()
	action, _ := form.Attr("action")
	values := url.Values{}
	form.Find("input[type=number]").Each(func(i int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		values.Set(name, "5")
		if i == 0 {
			values.Set(name, "21")
		}
	})
	before = a.moneyWrites()
	res = district.post(action, values)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("score out of range: %d", res.StatusCode)
	}
	d = res.doc(t)
	if d.Find(".score-form .field.bad .msg").Length() != 1 || !strings.Contains(d.Find(".score-form .field.bad .msg").Text(), "0 到 20") {
		t.Errorf("score message: %q", d.Find(".score-form .field.bad").Text())
	}
	if v, _ := d.Find(".score-form .field.bad input").Attr("value"); v != "21" {
		t.Errorf("score not kept: %q", v)
	}
	if a.moneyWrites() != before {
		t.Error("a refused score wrote something")
	}
	for name := range values {
		values.Set(name, "10")
	}
	if res := district.post(action, values); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("score: %d", res.StatusCode)
	}
	if res := district.post(action, values); res.StatusCode != http.StatusConflict {
		t.Errorf("scoring twice: %d", res.StatusCode)
	}
	// an award beyond the budget is refused at the field
	award := strings.TrimSuffix(action, "/scores") + "/award"
	res = district.post(award, url.Values{"amount": {"999999999"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(".award-form .msg").Text(), "尚余") {
		t.Errorf("award beyond the budget: %d", res.StatusCode)
	}
	if res := a.signedIn("demo-town2").post(award, url.Values{"amount": {"1"}}); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Errorf("a town awarding in the district's round: %d", res.StatusCode)
	}
}

// roundLink is the href of the district's round in the given status.
func roundLink(t *testing.T, c *client, status string) string {
	t.Helper()
	var href string
	c.get("/district/funding").doc(t).Find("#rounds tbody tr").Each(func(_ int, tr *goquery.Selection) {
		if strings.Contains(tr.Text(), status) && href == "" {
			href, _ = tr.Find("a").Attr("href")
		}
	})
	if href == "" {
		t.Fatalf("no round %s", status)
	}
	return href
}

// TestGrantsExport360Giving: the grants export has every column 360Giving requires, one row per amount that
// reached a group inside the caller's scope, amounts in yuan with fen and currency CNY; it is audited.
func TestGrantsExport360Giving(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	res := town.get("/town/funding/grants-360giving.csv")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", res.StatusCode)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("csv: %d records, %v", len(recs), err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, required := range []string{"Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date",
		"Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier", "Funding Org:Name",
		"Planned Dates:Start Date", "Planned Dates:End Date", "Beneficiary Location:Name"} {
		if _, ok := col[required]; !ok {
			t.Errorf("no column %q", required)
		}
	}
	want := a.count(`SELECT (SELECT count(*) FROM contracts c JOIN organizations o ON o.id = c.org_id WHERE o.town_code = '500112002')
		+ (SELECT count(*) FROM venture_applications v JOIN organizations o ON o.id = v.org_id WHERE o.town_code = '500112002' AND v.awarded_amount IS NOT NULL)
		+ (SELECT count(*) FROM fund_movements g JOIN organizations o ON o.id = g.org_id WHERE o.town_code = '500112002' AND g.kind = 'grant')`)
	if len(recs)-1 != want {
		t.Errorf("%d grants exported, the town's groups received %d", len(recs)-1, want)
	}
	for _, r := range recs[1:] {
		if r[col["Currency"]] != "CNY" || !regexp.MustCompile(`^\d+\.\d\d$`).MatchString(r[col["Amount Awarded"]]) {
			t.Fatalf("row %q", r)
		}
	}
	if a.count(`SELECT count(*) FROM audit_log WHERE action = 'funding.export'`) != 1 {
		t.Error("the export was not audited")
	}
	// the clerks' sheet has title rows above the page's columns; the 360Giving sheet starts at its header
	money := xlsxRows(t, town.get("/town/funding/money.xlsx"), "grants")
	titled(t, money, "双龙湖街道培育资金去向", "双龙湖街道辖区内", "", "元（精确到分）")
	if rows := titleRows(t, money, "培育资金去向"); len(rows)-1 != want || rows[0][0] != "来源" {
		t.Errorf("money.xlsx: %d rows under %q, want %d", len(rows)-1, rows[0], want)
	}
	if rows := xlsxRows(t, town.get("/town/funding/grants-360giving.xlsx"), "grants"); rows[0][0] != "Identifier" {
		t.Errorf("the 360Giving sheet starts %q, want its header", rows[0])
	}
}

// TestRoundOpenAndApply: the district opens a round (bad dates refused at the field), a committee applies for a
// group through the round's page (a negative amount refused at the field), and another town's committee cannot
// see a town's round.
func TestRoundOpenAndApply(t *testing.T) {
	a := newApp(t, nil)
	district := a.signedIn("demo-district")
	form := url.Values{"title": {"2027 年渝北区社区公益创投"}, "themes": {"邻里守望", "文化铸魂"}, "budget": {"50000"},
		"opens_on": {"2027-03-01"}, "closes_on": {"2027-02-01"}, "criteria": {"需求分析 30\n项目设计 70"}, "exclude_own": {"yes"}}
	before := a.moneyWrites()
	res := district.post("/district/funding/rounds", form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="closes_on"] .msg`).Text(), "不能早于") {
		t.Fatalf("round ending before it opens: %d", res.StatusCode)
	}
	if v, _ := res.doc(t).Find("#title").Attr("value"); v != "2027 年渝北区社区公益创投" {
		t.Errorf("title not kept: %q", v)
	}
	if a.moneyWrites() != before {
		t.Error("a refused round wrote something")
	}
	form.Set("closes_on", "2027-04-30")
	form.Set("seen", district.seen("/district/funding/rounds/new", "round-form"))
	res = district.post("/district/funding/rounds", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("round: %d", res.StatusCode)
	}
	round := strings.TrimPrefix(res.Header.Get("Location"), "/district")

	community := a.signedIn("demo-community")
	page := community.get("/community" + round).doc(t)
	org, ok := page.Find("#apply_org option[value!='']").First().Attr("value")
	if !ok {
		t.Fatal("the committee has no application form")
	}
	apply := url.Values{"apply_org": {org}, "theme": {"邻里守望"}, "project": {"楼栋互助"}, "requested": {"-3000"},
		"beneficiaries": {"空巢老人"}}
	before = a.count(`SELECT count(*) FROM venture_applications`)
	res = community.post("/community"+round+"/applications", apply)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="requested"] .msg`).Text(), "负数") {
		t.Fatalf("negative request: %d", res.StatusCode)
	}
	if v, _ := res.doc(t).Find("#project").Attr("value"); v != "楼栋互助" {
		t.Errorf("project not kept: %q", v)
	}
	if a.count(`SELECT count(*) FROM venture_applications`) != before {
		t.Error("a refused application wrote something")
	}
	apply.Set("requested", "3000")
	if res := community.post("/community"+round+"/applications", apply); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d", res.StatusCode)
	}
	d := district.get("/district" + round).doc(t)
	if d.Find("#applications tbody tr").Length() != 1 {
		t.Error("the district does not see the application")
	}
	// the district awards it, the committee reports progress, the district closes it (结项)
	award, _ := d.Find(".award-form").Attr("action")
	if res := district.post(award, url.Values{"amount": {"3000"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("award: %d", res.StatusCode)
	}
	progressForm := community.get("/community" + round).doc(t).Find(".progress-form")
	progress, _ := progressForm.Attr("action")
	seen := progressForm.Find("input[name=version]").AttrOr("value", "")
	if res := community.post(progress, url.Values{"progress": {" "}, "version": {seen}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("empty progress: %d", res.StatusCode)
	}
	// The form carries the version it was shown with: a stale one writes nothing.
	if res := community.post(progress, url.Values{"progress": {"已开展探访 12 次"}, "version": {seen + "9"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("stale progress: %d, want 409", res.StatusCode)
	}
	if res := community.post(progress, url.Values{"progress": {"已开展探访 12 次"}, "version": {seen}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("progress: %d", res.StatusCode)
	}
	closeForm := district.get("/district" + round).doc(t).Find(".close-form")
	closeAt, _ := closeForm.Attr("action")
	seen = closeForm.Find("input[name=version]").AttrOr("value", "")
	if res := district.post(closeAt, url.Values{"final_report": {"服务 150 人次"}, "evaluation": {""}, "version": {seen}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("close without an evaluation: %d", res.StatusCode)
	}
	if res := district.post(closeAt, url.Values{"final_report": {"服务 150 人次"}, "evaluation": {"良好"}, "version": {seen}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", res.StatusCode)
	}
	if row := district.get("/district" + round).doc(t).Find("#follow-up tbody tr").Text(); !strings.Contains(row, "已开展探访 12 次") || !strings.Contains(row, "良好") {
		t.Errorf("follow-up row %q", row)
	}
	// a town's round is not another town's committee's
	town := a.signedIn("demo-town")
	form.Set("title", "双龙湖街道公益微创投")
	form.Set("seen", town.seen("/town/funding/rounds/new", "round-form"))
	res = town.post("/town/funding/rounds", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("town round: %d", res.StatusCode)
	}
	townRound := strings.TrimPrefix(res.Header.Get("Location"), "/town")
	if res := a.signedIn("demo-community2").get("/community" + townRound); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town's committee sees the town's round: %d", res.StatusCode)
	}
	if res := a.signedIn("demo-town2").get("/town" + townRound); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town sees the town's round: %d", res.StatusCode)
	}
}
