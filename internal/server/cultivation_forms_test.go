package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/registry"
)

// TestPlatformEditBadInputStaleAndJurisdiction: the edit form shows the platform as it is; bad input is 422
// with the messages at the fields and the input kept, writing nothing; a missing or stale version is 409; a good
// edit is saved with a timeline row; another town's platform is 404.
func TestPlatformEditBadInputStaleAndJurisdiction(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	id, _ := a.townIncubator(town, "双龙湖编辑测试孵化基地")
	edit := "/town/platforms/" + id + "/edit"
	if href, _ := town.get("/town/platforms/" + id).doc(t).Find("#edit-platform").Attr("href"); href != edit {
		t.Fatalf("the platform's page links to %q", href)
	}
	page := town.get(edit).doc(t)
	if v, _ := page.Find("#name").Attr("value"); v != "双龙湖编辑测试孵化基地" {
		t.Fatalf("the edit form shows name %q", v)
	}
	version, _ := page.Find(`input[name=version]`).Attr("value")

	bad := url.Values{"version": {version}, "kind": {registry.PlatformIncubator}, "name": {"X"}, "staff_count": {"-2"},
		"run_by": {registry.RunByEntrusted}, "operator_name": {"渝北区益友社会工作服务中心"}, "operator_kind": {registry.OperatorKinds[0]},
		"contract_from": {"2026-06-01"}, "contract_to": {"2026-01-01"}}
	before := a.cultivationWrites()
	res := town.post(edit, bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad edit: %d", res.StatusCode)
	}
	d := res.doc(t)
	for field, want := range map[string]string{"name": "平台名称", "staff_count": "工作人员数", "contract_to": "不能早于"} {
		if msg := d.Find(`[data-field="` + field + `"] .msg`).Text(); !strings.Contains(msg, want) {
			t.Errorf("%s: message %q, want %q", field, msg, want)
		}
	}
	if v, _ := d.Find("#operator_name").Attr("value"); v != "渝北区益友社会工作服务中心" {
		t.Errorf("operator not kept: %q", v)
	}
	if v, _ := d.Find(`input[name=version]`).Attr("value"); v != version {
		t.Errorf("the version the clerk saw is not kept: %q", v)
	}
	if a.cultivationWrites() != before || a.count(`SELECT count(*) FROM platforms WHERE id = $1 AND name = 'X'`, id) != 0 {
		t.Error("a refused edit wrote something")
	}

	good := url.Values{"kind": {registry.PlatformIncubator}, "name": {"双龙湖街道社区社会组织孵化基地（新址）"},
		"address": {"双龙湖街道新南路 9 号"}, "services": {"培育孵化"}, "staff_count": {"5"},
		"run_by": {registry.RunByEntrusted}, "operator_name": {"渝北区益友社会工作服务中心"}, "operator_kind": {registry.OperatorKinds[0]},
		"contract_from": {"2026-01-01"}, "contract_to": {"2027-12-31"}, "contract_no": {"渝北委〔2026〕3号"}}
	if res := town.post(edit, good); res.StatusCode != http.StatusConflict {
		t.Errorf("an edit without a version: %d, want 409", res.StatusCode)
	}
	good.Set("version", version+"7")
	if res := town.post(edit, good); res.StatusCode != http.StatusConflict {
		t.Errorf("an edit with a stale version: %d, want 409", res.StatusCode)
	}
	if a.cultivationWrites() != before {
		t.Error("a refused edit wrote something")
	}
	if res := a.signedIn("demo-town2").get(edit); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town's edit form: %d, want 404", res.StatusCode)
	}
	if res := a.signedIn("demo-town2").post("/town/platforms/"+id+"/edit", good); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town saving the edit: %d, want 404", res.StatusCode)
	}

	good.Set("version", version)
	if res := town.post(edit, good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good edit: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM platforms WHERE id = $1 AND name = '双龙湖街道社区社会组织孵化基地（新址）'
		AND run_by = 'entrusted' AND contract_no = '渝北委〔2026〕3号' AND version = $2 + 1`, id, version); n != 1 {
		t.Error("the edit is not stored")
	}
	if n := a.count(`SELECT count(*) FROM cultivation_events WHERE object_type = 'platform' AND object_id = $1 AND kind = '修改平台信息'`, id); n != 1 {
		t.Error("the edit has no timeline row")
	}
	if res := town.post(edit, good); res.StatusCode != http.StatusConflict {
		t.Errorf("the same form posted twice: %d, want 409", res.StatusCode)
	}
}

// TestFundCreateBadInput: a town sets up a 工作基金 from the money page; a short or taken name is 422 at the
// field with the input kept and nothing written; a committee has no such form.
func TestFundCreateBadInput(t *testing.T) {
	a := newApp(t, nil)
	town := a.signedIn("demo-town")
	if href, _ := town.get("/town/funding").doc(t).Find("#new-fund").Attr("href"); href != "/town/funding/funds/new" {
		t.Fatalf("the money page links to %q", href)
	}
	seen, ok := town.get("/town/funding/funds/new").doc(t).Find("#fund-form input[name=funds]").Attr("value")
	if !ok {
		t.Fatal("the fund form carries no token")
	}
	before := a.moneyWrites()
	res := town.post("/town/funding/funds", url.Values{"funds": {seen}, "name": {"基"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a one-letter name: %d", res.StatusCode)
	}
	d := res.doc(t)
	if msg := d.Find(`[data-field="name"] .msg`).Text(); msg == "" {
		t.Error("no message at the name")
	}
	if v, _ := d.Find("#name").Attr("value"); v != "基" {
		t.Errorf("name not kept: %q", v)
	}
	if a.moneyWrites() != before {
		t.Error("a refused fund wrote something")
	}
	const name = "双龙湖街道邻里互助工作基金"
	if res := town.post("/town/funding/funds", url.Values{"name": {name}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("no token: %d, want 409", res.StatusCode)
	}
	if res := town.post("/town/funding/funds", url.Values{"funds": {seen + "1"}, "name": {name}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("a stale token: %d, want 409", res.StatusCode)
	}
	if a.moneyWrites() != before {
		t.Fatal("a refused fund wrote something")
	}
	res = town.post("/town/funding/funds", url.Values{"funds": {seen}, "name": {name}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/town/funding/funds/") {
		t.Fatalf("a good fund: %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	if n := a.count(`SELECT count(*) FROM funds WHERE name = $1 AND division_code = '500112002' AND balance = 0`, name); n != 1 {
		t.Fatal("the fund is not stored for the town")
	}
	before = a.moneyWrites()
	if res := town.post("/town/funding/funds", url.Values{"funds": {seen}, "name": {"另一个工作基金"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("the first form posted again: %d, want 409", res.StatusCode)
	}
	seen, _ = town.get("/town/funding/funds/new").doc(t).Find("#fund-form input[name=funds]").Attr("value")
	res = town.post("/town/funding/funds", url.Values{"funds": {seen}, "name": {name}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="name"] .msg`).Text(), "同名") {
		t.Fatalf("a taken name: %d", res.StatusCode)
	}
	if a.moneyWrites() != before {
		t.Error("a refused fund wrote something")
	}
	if res := a.signedIn("demo-community").post("/community/funding/funds", url.Values{"name": {"社区基金"}}); res.StatusCode == http.StatusSeeOther {
		t.Error("a committee set up a fund")
	}
}

// TestRoundStatusClosesApplicationsAndDeclinesTheRest: the district closes the applications (评审中), then ends
// the round: the application never awarded is 未立项 on the round's page and on its group's timeline. A step the
// round cannot take is 422 at the field; a missing or stale version 409; a town cannot move the district's round.
func TestRoundStatusClosesApplicationsAndDeclinesTheRest(t *testing.T) {
	a := newApp(t, nil)
	district := a.signedIn("demo-district")
	res := district.post("/district/funding/rounds", url.Values{"seen": {district.seen("/district/funding/rounds/new", "round-form")}, "title": {"状态测试公益创投"}, "themes": {"邻里守望"},
		"budget": {"50000"}, "opens_on": {"2027-03-01"}, "closes_on": {"2027-04-30"}, "criteria": {"项目设计 100"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("round: %d", res.StatusCode)
	}
	round := res.Header.Get("Location")
	id := round[strings.LastIndex(round, "/")+1:]
	community := a.signedIn("demo-community")
	org, _ := community.get("/community/funding/rounds/" + id).doc(t).Find("#apply_org option[value!='']").First().Attr("value")
	if res := community.post("/community/funding/rounds/"+id+"/applications", url.Values{"apply_org": {org}, "theme": {"邻里守望"},
		"project": {"楼栋互助"}, "requested": {"3000"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("apply: %d", res.StatusCode)
	}

	page := district.get(round).doc(t)
	version, ok := page.Find("#round-status-form input[name=version]").Attr("value")
	if !ok || page.Find("#round-status-form #status option[value=reviewing]").Length() != 1 {
		t.Fatal("no status form on the open round")
	}
	status := round + "/status"
	before := a.moneyWrites()
	res = district.post(status, url.Values{"version": {version}, "status": {"open"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="status"] .msg`).Text(), "下一步") {
		t.Fatalf("a step back to 申报中: %d", res.StatusCode)
	}
	if res := district.post(status, url.Values{"status": {"reviewing"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("no version: %d, want 409", res.StatusCode)
	}
	if res := district.post(status, url.Values{"version": {version + "1"}, "status": {"reviewing"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("a stale version: %d, want 409", res.StatusCode)
	}
	if res := a.signedIn("demo-town").post("/town/funding/rounds/"+id+"/status", url.Values{"version": {version}, "status": {"closed"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("a town moving the district's round: %d, want 404", res.StatusCode)
	}
	if a.moneyWrites() != before || a.count(`SELECT count(*) FROM venture_rounds WHERE id = $1 AND status = 'open'`, id) != 1 {
		t.Fatal("a refused step wrote something")
	}

	if res := district.post(status, url.Values{"version": {version}, "status": {"reviewing"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("to 评审中: %d", res.StatusCode)
	}
	if community.get("/community/funding/rounds/"+id).doc(t).Find("#apply-form").Length() != 0 {
		t.Error("the round under review still takes applications")
	}
	page = district.get(round).doc(t)
	version, _ = page.Find("#round-status-form input[name=version]").Attr("value")
	if res := district.post(status, url.Values{"version": {version}, "status": {"closed"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("to 已结束: %d", res.StatusCode)
	}
	page = district.get(round).doc(t)
	if tally := page.Find("#tally").Text(); !strings.Contains(strings.Join(strings.Fields(tally), ""), "未立项1个") {
		t.Errorf("the tally says %q", tally)
	}
	if !strings.Contains(page.Find("#applications tbody").Text(), "未立项") {
		t.Error("the declined application is not shown as 未立项")
	}
	if page.Find("#round-status-form").Length() != 0 {
		t.Error("an ended round still offers a step")
	}
	if n := a.count(`SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = '公益创投未立项' AND reason = '楼栋互助'`, org); n != 1 {
		t.Error("the group's timeline does not say 未立项")
	}
	if res := district.post(status, url.Values{"version": {version}, "status": {"closed"}}); res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusConflict {
		t.Errorf("ending an ended round: %d", res.StatusCode)
	}
}
