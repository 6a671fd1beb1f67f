package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/seed"
)

// retiredCode is the 社区 of 双龙湖街道 the district adds and retires in these tests.
const retiredCode = seed.TownShuanglonghu + "150"

// retireNewCommunity has the district add 新湖社区 to 双龙湖街道 and retire it, through its 区划管理 forms.
func retireNewCommunity(t *testing.T, a *app) {
	t.Helper()
	d := a.signedIn("demo-district")
	res := d.post("/district/divisions", url.Values{"town": {seed.TownShuanglonghu}, "code": {retiredCode},
		"name": {"新湖社区"}, "kind": {"社区"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", res.StatusCode)
	}
	version := d.get("/district/divisions/"+retiredCode).doc(t).Find(`form[action$="/retire"] input[name=version]`).AttrOr("value", "")
	if res := d.post("/district/divisions/"+retiredCode+"/retire", url.Values{"version": {version}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("retire: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM divisions WHERE code = $1 AND retired_at IS NOT NULL`, retiredCode) != 1 {
		t.Fatal("the community is not retired")
	}
}

// A retired 社区 is counted in no 工作台's figures and listed in no 工作台's or coverage page's list of divisions:
// adding one raises the district's and the town's 城市社区 (and the town's divisions without an account) by one
// and lists it on the town's 工作台 and its 定期工作报告 coverage; retiring it takes all of that back.
func TestRetiredCommunityLeavesTheDashboards(t *testing.T) {
	a := newApp(t, nil)
	district, town := a.signedIn("demo-district"), a.signedIn("demo-town")
	type seen struct {
		district, town, noAccount int
		listed, covered           bool
	}
	look := func() seen {
		doc := town.get("/town").doc(t)
		var s seen
		s.district, s.town = figure(t, district.get("/district").doc(t), "城市社区"), figure(t, doc, "城市社区")
		if m := regexp.MustCompile(`(\d+) 个下级区划尚无可用账号`).FindStringSubmatch(doc.Find("#waiting").Text()); m != nil {
			s.noAccount, _ = strconv.Atoi(m[1])
		}
		s.listed = strings.Contains(doc.Find("#children").Text(), retiredCode)
		cov := town.get("/town/work-reports")
		if cov.StatusCode != http.StatusOK {
			t.Fatalf("coverage: %d", cov.StatusCode)
		}
		s.covered = strings.Contains(cov.doc(t).Find("main").Text(), "新湖社区")
		return s
	}
	before := look()
	if res := district.post("/district/divisions", url.Values{"town": {seed.TownShuanglonghu}, "code": {retiredCode},
		"name": {"新湖社区"}, "kind": {"社区"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", res.StatusCode)
	}
	added := look()
	if want := (seen{before.district + 1, before.town + 1, before.noAccount + 1, true, true}); added != want {
		t.Fatalf("with the community added: %+v, want %+v", added, want)
	}
	version := district.get("/district/divisions/"+retiredCode).doc(t).Find(`form[action$="/retire"] input[name=version]`).AttrOr("value", "")
	if res := district.post("/district/divisions/"+retiredCode+"/retire", url.Values{"version": {version}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("retire: %d", res.StatusCode)
	}
	if after := look(); after != before {
		t.Errorf("with the community retired: %+v, want %+v as before it was added", after, before)
	}
}

// Every form that names a community refuses a retired one at the server (422, the message at the field, the
// input kept, nothing written), whatever a stale page or a hand-made request sends: 登记申请, 成立备案, 迁移,
// 整体迁移, a town's 需求, and a 台账 import's row.
func TestRetiredCommunityRefusedByEveryForm(t *testing.T) {
	a, _ := filingApp(t)
	retireNewCommunity(t, a)
	town := a.signedIn("demo-town")

	// 登记申请
	before := a.count(`SELECT count(*) FROM applications`)
	res := town.post("/town/applications", appValidForm(retiredCode, "启航"))
	if res.StatusCode != http.StatusUnprocessableEntity || appFieldMsg(t, res, "community") == "" {
		t.Errorf("an application in the retired community: %d", res.StatusCode)
	} else if res.doc(t).Find(`#application-form input[name=zihao]`).AttrOr("value", "") != "启航" {
		t.Error("an application in the retired community: the input is not kept")
	}
	if a.count(`SELECT count(*) FROM applications`) != before {
		t.Error("an application in the retired community was written")
	}

	// 成立备案
	before = a.count(`SELECT count(*) FROM filings`)
	form := filingForm("舞悦")
	form.Set("community", retiredCode)
	res = town.postMultipart("/town/filings", form, []upload{{"doc_charter", "章程.pdf", testPDF()}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMsg(t, res, "community") == "" {
		t.Errorf("a filing in the retired community: %d", res.StatusCode)
	} else if res.doc(t).Find(`input[name=zihao]`).AttrOr("value", "") != "舞悦" {
		t.Error("a filing in the retired community: the input is not kept")
	}
	if a.count(`SELECT count(*) FROM filings`) != before {
		t.Error("a filing in the retired community was written")
	}

	// 迁移 of one group, and 整体迁移 of a community's groups.
	id, version := guidedOrgOf(t, a)
	events := `SELECT count(*) FROM org_events WHERE kind = 'transferred'`
	before = a.count(events)
	res = town.post("/town/orgs/"+itoa64(id)+"/transfer", url.Values{"version": {strconv.Itoa(version)},
		"to": {retiredCode}, "reason": {"社区调整"}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-field="to"] .msg`).Length() != 1 {
		t.Errorf("a transfer into the retired community: %d", res.StatusCode)
	} else if !strings.Contains(res.doc(t).Find(`#reason`).Text(), "社区调整") {
		t.Error("a transfer into the retired community: the reason is not kept")
	}
	page := town.get("/town/orgs/move-community?from=" + seed.CommunityDemo).doc(t)
	if page.Find(`option[value="`+retiredCode+`"]`).Length() != 0 {
		t.Error("the move form offers the retired community")
	}
	token := page.Find(`input[name=token]`).AttrOr("value", "")
	first := page.Find(`input[name=orgs]`).First().AttrOr("value", "")
	res = town.post("/town/orgs/move-community", url.Values{"from": {seed.CommunityDemo}, "token": {token},
		"orgs": {first}, "to": {retiredCode}, "reason": {"社区调整"}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-field="to"] .msg`).Length() != 1 {
		t.Errorf("a move into the retired community: %d", res.StatusCode)
	}
	if a.count(events) != before || a.count(`SELECT count(*) FROM organizations WHERE community_code = $1`, retiredCode) != 0 {
		t.Error("a group moved into the retired community")
	}

	// A town's 需求 for one of its communities.
	until := time.Now().In(beijing).AddDate(0, 2, 0).Format("2006-01-02")
	need := url.Values{"community": {retiredCode}, "title": {"老年人助餐"}, "series": {"邻里守望"},
		"beneficiaries": {"空巢老人"}, "place": {"社区食堂"}, "frequency": {"每周三次"}, "budget": {"20000"}, "until": {until}}
	need.Set("seen", seenOf(t, town, "/town/matching/needs/new", "#need-form"))
	before = a.count(`SELECT count(*) FROM community_needs`)
	res = town.post("/town/matching/needs", need)
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMsg(t, res, "community") == "" {
		t.Errorf("a need in the retired community: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM community_needs`) != before {
		t.Error("a need in the retired community was written")
	}

	// A 台账 row naming the retired community is a row problem; nothing is imported.
	before = a.count(`SELECT count(*) FROM organizations`)
	_, res = town.checkLedger("/town/orgs/import", ledgerFile(t, ledger.Columns(true),
		[][]string{ledgerRow("新湖甲", map[string]string{ledger.ColCommunity: "新湖社区"})}, nil))
	if jobState(t, res) != "rejected" || !strings.Contains(res.doc(t).Find("#row-problems").Text(), "新湖社区") {
		t.Errorf("a ledger row in the retired community: state %q", jobState(t, res))
	}
	if a.count(`SELECT count(*) FROM organizations`) != before {
		t.Error("a ledger row in the retired community was imported")
	}
}
