package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
)

// guidedOrgOf is a live guided group of demo-community with no case open (filing, 登记申请, 重大活动报告): its
// id and version.
func guidedOrgOf(t *testing.T, a *app) (int64, int) {
	t.Helper()
	var id int64
	var version int
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT id, version FROM organizations o WHERE tier = 'guided'
		AND status = 'normal' AND community_code = $1
		AND NOT EXISTS (SELECT 1 FROM filings f WHERE f.status = 'submitted' AND (f.org_id = o.id OR f.guided_org_id = o.id))
		AND NOT EXISTS (SELECT 1 FROM applications p WHERE p.org_id = o.id AND p.status IN ('submitted', 'accepted', 'correction'))
		AND NOT EXISTS (SELECT 1 FROM major_activities m WHERE m.org_id = o.id AND m.status IN ('submitted', 'changes_requested'))
		ORDER BY id LIMIT 1`, seed.CommunityDemo).Scan(&id, &version); err != nil {
		t.Fatal(err)
	}
	return id, version
}

// otherCommunity is another community of 双龙湖街道 than demo-community's.
func otherCommunity(t *testing.T, a *app) string {
	t.Helper()
	return queryString(t, a, `SELECT code FROM divisions WHERE parent_code = $1 AND code <> $2 ORDER BY code LIMIT 1`,
		seed.TownShuanglonghu, seed.CommunityDemo)
}

// A town files a guided group from its record: the form starts from the record and carries its id and version;
// bad input is 422 with the message at the field and the input kept; a stale version is 409; approval moves
// the record up to 镇街备案 and inserts no second organization.
func TestFilingGuidedGroupFromItsRecord(t *testing.T) {
	a, dir := filingApp(t)
	soleTownOfficer(t, a) // demo-town decides the filings it submits
	id, version := guidedOrgOf(t, a)
	town := a.signedIn("demo-town")
	record := town.get("/town/orgs/" + itoa64(id))
	href, ok := record.doc(t).Find("#guided-filing-link").Attr("href")
	if !ok || href != "/town/filings/new?org="+itoa64(id) {
		t.Fatalf("the guided record offers no 成立备案 on it: %q", href)
	}
	if res := a.signedIn("demo-district").get("/district/orgs/" + itoa64(id)); strings.Contains(res.Body, "guided-filing-link") {
		t.Error("the district is offered a 成立备案")
	}
	page := town.get(href)
	doc := page.doc(t)
	if v, _ := doc.Find(`input[name=guided_org]`).Attr("value"); v != itoa64(id) {
		t.Fatalf("the form does not carry the record: %q", v)
	}
	if v, _ := doc.Find(`input[name=guided_version]`).Attr("value"); v != strconv.Itoa(version) {
		t.Fatalf("the form does not carry the record's version: %q", v)
	}
	if n := doc.Find("#community option[value]").Not(`[value=""]`).Length(); n != 1 {
		t.Errorf("the community is the record's: %d choices", n)
	}
	zihao, _ := doc.Find("#zihao").Attr("value")
	field, _ := doc.Find("#field").Attr("value")
	form := filingForm(zihao)
	form.Set("field", field)
	form.Set("form", doc.Find("#form option[selected]").AttrOr("value", "队"))
	form.Set("guided_org", itoa64(id))
	form.Set("guided_version", strconv.Itoa(version))
	files := []upload{{"doc_charter", "章程.pdf", testPDF()}}
	filings := `SELECT count(*) FROM filings WHERE guided_org_id = $1`

	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("leader_phone", "12")
	res := town.postMultipart("/town/filings", bad, files)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad phone: %d", res.StatusCode)
	}
	bd := res.doc(t)
	if bd.Find(`[data-field="leader_phone"] .msg`).Length() != 1 {
		t.Error("no message at the phone")
	}
	if v, _ := bd.Find(`input[name=guided_org]`).Attr("value"); v != itoa64(id) {
		t.Error("the refused form forgot the record it files")
	}
	if v, _ := bd.Find("#venue").Attr("value"); v != form.Get("venue") {
		t.Errorf("the venue typed is not kept: %q", v)
	}
	stale := url.Values{}
	for k, v := range form {
		stale[k] = v
	}
	stale.Set("guided_version", "99")
	if res := town.postMultipart("/town/filings", stale, files); res.StatusCode != http.StatusConflict {
		t.Fatalf("stale record version: %d", res.StatusCode)
	}
	stale.Del("guided_version")
	if res := town.postMultipart("/town/filings", stale, files); res.StatusCode != http.StatusConflict {
		t.Fatalf("missing record version: %d", res.StatusCode)
	}
	if n := a.count(filings, id); n != 0 || filesIn(t, dir) != 0 {
		t.Fatalf("refused forms wrote %d filings, %d files", n, filesIn(t, dir))
	}

	orgs := a.count(`SELECT count(*) FROM organizations`)
	res = town.postMultipart("/town/filings", form, files)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("file: %d\n%s", res.StatusCode, res.Body)
	}
	path := res.Header.Get("Location")
	if body := town.get(path).Body; !strings.Contains(body, "原村居指导档案") {
		t.Error("the filing does not say which record it files")
	}
	if res := approve(t, town, path); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", res.StatusCode, res.Body)
	}
	if n := a.count(`SELECT count(*) FROM organizations`); n != orgs {
		t.Fatalf("approval inserted %d organizations", n-orgs)
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND tier = 'filed' AND filing_no IS NOT NULL`, id); n != 1 {
		t.Fatal("the record did not move up to 镇街备案")
	}
	if n := a.count(`SELECT count(*) FROM filings WHERE guided_org_id = $1 AND org_id = $1 AND status = 'approved'`, id); n != 1 {
		t.Fatal("the filing is not the record's")
	}
	if body := town.get("/town/orgs/" + itoa64(id)).Body; strings.Contains(body, "guided-filing-link") {
		t.Error("a filed group is still offered a 成立备案 on its record")
	}
}

// The transfer form: the record offers it to the town and the district, never to a committee; bad input is 422
// with the message at the field and the input kept, a stale or missing version 409, and nothing is written;
// a good transfer lands on the timeline with its reason.
func TestOrgTransferForm(t *testing.T) {
	a := newApp(t, nil)
	id, version := guidedOrgOf(t, a)
	other := otherCommunity(t, a)
	town := a.signedIn("demo-town")
	path := "/town/orgs/" + itoa64(id) + "/transfer"
	if href, _ := town.get("/town/orgs/" + itoa64(id)).doc(t).Find("#transfer-link").Attr("href"); href != path {
		t.Fatalf("the record offers the town no transfer: %q", href)
	}
	committee := a.signedIn("demo-community")
	if body := committee.get("/community/orgs/" + itoa64(id)).Body; strings.Contains(body, "transfer-link") {
		t.Error("a committee is offered a transfer")
	}
	if res := committee.post("/community/orgs/"+itoa64(id)+"/transfer", url.Values{"version": {strconv.Itoa(version)},
		"to": {other}, "reason": {"调整"}}); res.StatusCode < 400 {
		t.Errorf("a committee transfers: %d", res.StatusCode)
	}
	page := town.get(path).doc(t)
	if page.Find(`#to option[value="`+seed.CommunityDemo+`"]`).Length() != 0 || page.Find(`#to option[value="`+other+`"]`).Length() != 1 {
		t.Error("the choices are not the town's other communities")
	}
	if page.Find(`#to option[value="`+seed.CommunityDemoRural+`"]`).Length() != 0 {
		t.Error("a town is offered another town's community")
	}
	events := `SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = 'transferred'`
	v := strconv.Itoa(version)
	for name, tc := range map[string]struct {
		form  url.Values
		field string
	}{
		"no community":          {url.Values{"version": {v}, "reason": {"社区调整"}}, "to"},
		"another town's":        {url.Values{"version": {v}, "to": {seed.CommunityDemoRural}, "reason": {"社区调整"}}, "to"},
		"its own community":     {url.Values{"version": {v}, "to": {seed.CommunityDemo}, "reason": {"社区调整"}}, "to"},
		"no reason":             {url.Values{"version": {v}, "to": {other}, "reason": {"  "}}, "reason"},
		"a reason far too long": {url.Values{"version": {v}, "to": {other}, "reason": {strings.Repeat("因", 501)}}, "reason"},
	} {
		res := town.post(path, tc.form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", name, res.StatusCode)
			continue
		}
		doc := res.doc(t)
		if doc.Find(`[data-field="`+tc.field+`"] .msg`).Length() != 1 {
			t.Errorf("%s: no message at %s", name, tc.field)
		}
		if got := doc.Find("#reason").Text(); got != strings.TrimSpace(tc.form.Get("reason")) {
			t.Errorf("%s: the reason typed is not kept: %q", name, got)
		}
		if doc.Find(`input[name=version]`).AttrOr("value", "") != v {
			t.Errorf("%s: the version is not kept", name)
		}
	}
	for name, ver := range map[string][]string{"stale": {"99"}, "missing": nil, "garbled": {"x"}} {
		if res := town.post(path, url.Values{"version": ver, "to": {other}, "reason": {"社区调整"}}); res.StatusCode != http.StatusConflict {
			t.Errorf("%s version: %d, want 409", name, res.StatusCode)
		}
	}
	if n := a.count(events, id); n != 0 {
		t.Fatalf("refused transfers wrote %d events", n)
	}
	res := town.post(path, url.Values{"version": {v}, "to": {other}, "reason": {"锦华社区拆分"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/town/orgs/"+itoa64(id) {
		t.Fatalf("transfer: %d to %s", res.StatusCode, res.Header.Get("Location"))
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE id = $1 AND community_code = $2`, id, other); n != 1 {
		t.Fatal("the group did not move")
	}
	if body := town.get("/town/orgs/" + itoa64(id)).Body; !strings.Contains(body, "锦华社区拆分") || !strings.Contains(body, "迁移") {
		t.Error("the timeline does not show the transfer and its reason")
	}
	// The committee it left no longer sees it.
	if res := committee.get("/community/orgs/" + itoa64(id)); res.StatusCode != http.StatusNotFound {
		t.Errorf("the old committee reads the moved group: %d", res.StatusCode)
	}
}

// The whole-community move lists a community's groups with a token; bad input is 422 with the choices kept;
// a stale token is 409 and moves nothing; a good move moves the chosen groups.
func TestCommunityMoveForm(t *testing.T) {
	a := newApp(t, nil)
	other := otherCommunity(t, a)
	town := a.signedIn("demo-town")
	page := town.get("/town/orgs/move-community?from=" + seed.CommunityDemo)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("page: %d", page.StatusCode)
	}
	doc := page.doc(t)
	token, _ := doc.Find(`input[name=token]`).Attr("value")
	groups := doc.Find(`input[name=orgs]`).Length()
	inCommunity := a.count(`SELECT count(*) FROM organizations WHERE community_code = $1`, seed.CommunityDemo)
	if token == "" || groups != inCommunity || groups < 2 {
		t.Fatalf("token %q, %d groups listed of %d", token, groups, inCommunity)
	}
	if res := town.get("/town/orgs/move-community?from=" + seed.CommunityDemoRural); strings.Contains(res.Body, `name="token"`) {
		t.Error("a town lists another town's community")
	}
	first, _ := doc.Find(`input[name=orgs]`).First().Attr("value")
	res := town.post("/town/orgs/move-community", url.Values{"from": {seed.CommunityDemo}, "token": {token},
		"orgs": {first}, "to": {other}, "reason": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no reason: %d", res.StatusCode)
	}
	bd := res.doc(t)
	if bd.Find(`[data-field="reason"] .msg`).Length() != 1 {
		t.Error("no message at the reason")
	}
	if _, ok := bd.Find(`#move-org-` + first).Attr("checked"); !ok || bd.Find(`input[name=orgs][checked]`).Length() != 1 {
		t.Error("the groups chosen are not kept")
	}
	if bd.Find(`#to option[selected]`).AttrOr("value", "") != other {
		t.Error("the community chosen is not kept")
	}
	if res := town.post("/town/orgs/move-community", url.Values{"from": {seed.CommunityDemo}, "token": {token},
		"to": {other}, "reason": {"合并"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		res.doc(t).Find(`[data-field="orgs"] .msg`).Length() != 1 {
		t.Errorf("no group chosen: %d", res.StatusCode)
	}
	moved := `SELECT count(*) FROM organizations WHERE community_code = $1`
	for name, tok := range map[string][]string{"stale": {"0123"}, "missing": nil} {
		if res := town.post("/town/orgs/move-community", url.Values{"from": {seed.CommunityDemo}, "token": tok,
			"all": {"1"}, "to": {other}, "reason": {"合并"}}); res.StatusCode != http.StatusConflict {
			t.Errorf("%s token: %d, want 409", name, res.StatusCode)
		}
	}
	if n := a.count(moved, seed.CommunityDemo); n != inCommunity {
		t.Fatalf("refused moves moved %d groups", inCommunity-n)
	}
	// The demo's groups have cases open: refused, the case named at the field, nothing moved, until decided.
	whole := url.Values{"from": {seed.CommunityDemo}, "token": {token}, "all": {"1"}, "to": {other},
		"reason": {"锦华社区并入相邻社区"}}
	res = town.post("/town/orgs/move-community", whole)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="to"] .msg`).Text(), "未办结") {
		t.Fatalf("a community with open cases: %d", res.StatusCode)
	}
	if n := a.count(moved, seed.CommunityDemo); n != inCommunity {
		t.Fatalf("a refused move moved %d groups", inCommunity-n)
	}
	closeOpenCasesIn(t, a, seed.CommunityDemo)
	res = town.post("/town/orgs/move-community", whole)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d\n%s", res.StatusCode, res.Body)
	}
	if n := a.count(moved, seed.CommunityDemo); n != 0 {
		t.Fatalf("%d groups left behind", n)
	}
	if !strings.Contains(town.get(res.Header.Get("Location")).Body, "已迁移 "+strconv.Itoa(inCommunity)+" 个组织") {
		t.Error("the flash does not say how many moved")
	}
}
