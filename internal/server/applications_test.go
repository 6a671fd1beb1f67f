package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/internal/seed"
)

// appFormValues is what a browser would send for the form matched by sel, as the page renders it: text inputs with
// their values, ticked checkboxes, the selected options and textareas. A test that posts it back has retyped
// nothing.
func appFormValues(doc *goquery.Document, sel string) url.Values {
	vals := url.Values{}
	form := doc.Find(sel)
	form.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		switch s.AttrOr("type", "text") {
		case "checkbox", "radio":
			if _, ok := s.Attr("checked"); ok {
				vals.Add(name, s.AttrOr("value", "on"))
			}
		case "submit", "button":
		default:
			vals.Add(name, s.AttrOr("value", ""))
		}
	})
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		vals.Set(s.AttrOr("name", ""), s.Find("option[selected]").AttrOr("value", ""))
	})
	form.Find("textarea[name]").Each(func(_ int, s *goquery.Selection) {
		vals.Set(s.AttrOr("name", ""), s.Text())
	})
	return vals
}

// appIDFromLocation is the application id at the end of a redirect to its page.
func appIDFromLocation(t *testing.T, res response) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("want 303, got %d: %s", res.StatusCode, appProblems(res))
	}
	loc := res.Header.Get("Location")
	id := loc[strings.LastIndex(loc, "/")+1:]
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		t.Fatalf("redirect to %q", loc)
	}
	return id
}

// appProblems is a failed form's messages, for test failures.
func appProblems(res response) string {
	d, err := goquery.NewDocumentFromReader(strings.NewReader(res.Body))
	if err != nil {
		return ""
	}
	return strings.Join(d.Find(".errors li").Map(func(_ int, s *goquery.Selection) string { return s.Text() }), "; ")
}

// appFieldMsg is the message beside the input keyed key on a page.
func appFieldMsg(t *testing.T, res response, key string) string {
	t.Helper()
	return strings.TrimSpace(res.doc(t).Find(`[data-field="` + key + `"] .msg`).Text())
}

// appGuidedGroup records a guided group in demo-community's community with plain SQL and returns its id.
func appGuidedGroup(t *testing.T, a *app, zihao, field string) int64 {
	t.Helper()
	var id int64
	err := a.db.Pool.QueryRow(context.Background(), `
		INSERT INTO organizations (district_code, town_code, community_code, tier, legal_form, name, name_prefix,
			name_community, name_zihao, name_field, name_form, fields, nature, leader_name, leader_phone_mask,
			venue, members, guide_unit)
		SELECT left(c.code, 6), left(c.code, 9), c.code, 'guided', '未登记团体',
			'渝北区' || t.name || c.name || $2 || $3 || '队', '渝北区' || t.name, c.name, $2, $3, '队',
			'{文体娱乐}', '互助性', '王秀英', '138****5678', '社区文化广场', 24, '社区党委'
		FROM divisions c JOIN divisions t ON t.code = c.parent_code WHERE c.code = $1
		RETURNING id`, seed.CommunityDemo, zihao, field).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// appValidForm is a complete form for a new 社会团体 in community (a town's form names it; a committee's
// ignores it).
func appValidForm(community, zihao string) url.Values {
	return url.Values{"community": {community}, "legal_form": {"社会团体"}, "zihao": {zihao}, "field": {"书画"},
		"form": {"协会"}, "fields": {"文体娱乐", "志愿服务"}, "nature": {"互助性"}, "leader_name": {"李德明"},
		"phone": {"13812345678"}, "id_number": {rules.MakeIDNumber("50011219800101123")}, "venue": {"社区活动室"},
		"members": {"60"}, "supervisor": {"双龙湖街道办事处"}, "statement": {"申请登记为社会团体。"}}
}

// appVersion is the version a page's form carries.
func appVersion(t *testing.T, c *client, path, form string) string {
	t.Helper()
	res := c.get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	v := res.doc(t).Find(form+` input[name=version]`).AttrOr("value", "")
	if v == "" {
		t.Fatalf("GET %s: no version in %s", path, form)
	}
	return v
}

// appAccepted is a new application by demo-town, accepted by the district; it returns its id.
func appAccepted(t *testing.T, a *app, d *client, zihao string) string {
	t.Helper()
	id := appIDFromLocation(t, a.signedIn("demo-town").post("/town/applications", appValidForm(seed.CommunityDemo, zihao)))
	path := "/district/applications/" + id
	if res := d.post(path+"/accept", url.Values{"version": {appVersion(t, d, path, "#accept")}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	return id
}

// The whole of DESIGN.md workflow 3: a committee applies for one of its guided groups; the district accepts it
// and returns it for a named correction; the committee corrects one field without retyping the rest and
// resubmits; the district approves with a valid code, and the group is registered with its timeline.
func TestApplicationStory(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	d := a.signedIn("demo-district")
	orgID := appGuidedGroup(t, a, "明德", "书画")
	audits := a.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'application.%'`)

	// The form starts from the chosen group's data.
	page := c.get("/community/applications/new?org=" + itoa64(orgID))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("new: %d", page.StatusCode)
	}
	doc := page.doc(t)
	if got := doc.Find(`#application-form input[name=leader_name]`).AttrOr("value", ""); got != "王秀英" {
		t.Errorf("leader name prefilled %q", got)
	}
	if got := doc.Find(`#application-form input[name=org_id]`).AttrOr("value", ""); got != itoa64(orgID) {
		t.Errorf("org_id %q", got)
	}
	form := appFormValues(doc, "#application-form")
	form.Set("legal_form", "社会团体")
	form.Set("form", "协会")
	form.Set("phone", "13812345678")
	form.Set("id_number", rules.MakeIDNumber("50011219800101123"))
	form.Set("supervisor", "双龙湖街道办事处")
	id := appIDFromLocation(t, c.post("/community/applications", form))
	cpath, dpath := "/community/applications/"+id, "/district/applications/"+id

	// The district's queue shows it as 待受理; 受理.
	queue := d.get("/district/applications?status=submitted").doc(t)
	if !strings.Contains(queue.Find("#applications").Text(), "明德书画协会") {
		t.Fatal("the application is not in the district's queue")
	}
	if res := d.post(dpath+"/accept", url.Values{"version": {appVersion(t, d, dpath, "#accept")}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	// 退回补正, naming the fix.
	res := d.post(dpath+"/return", url.Values{"version": {appVersion(t, d, dpath, "#return")},
		"correction": {"活动场所请写明门牌号"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d %s", res.StatusCode, appProblems(res))
	}
	show := c.get(cpath).doc(t)
	if s := show.Find("#application-status").Text(); s != "待补正" {
		t.Fatalf("status %q", s)
	}
	if !strings.Contains(show.Find("#correction").Text(), "活动场所请写明门牌号") {
		t.Error("the committee does not see what to correct")
	}

	// The correction form comes prefilled with everything but the 身份证号.
	edit := c.get(cpath + "/edit")
	if edit.StatusCode != http.StatusOK {
		t.Fatalf("edit: %d", edit.StatusCode)
	}
	ed := edit.doc(t)
	for name, want := range map[string]string{"zihao": "明德", "field": "书画", "form": "协会",
		"leader_name": "王秀英", "venue": "社区文化广场", "members": "24", "supervisor": "双龙湖街道办事处",
		"phone": "138****5678", "id_number": ""} {
		if got := ed.Find(`#application-form input[name=`+name+`]`).AttrOr("value", "?"); got != want {
			t.Errorf("edit form %s = %q, want %q", name, got, want)
		}
	}
	if got := ed.Find(`#legal_form option[selected]`).AttrOr("value", ""); got != "社会团体" {
		t.Errorf("legal form selected %q", got)
	}
	if got := ed.Find(`#nature option[selected]`).AttrOr("value", ""); got != "互助性" {
		t.Errorf("nature selected %q", got)
	}
	if ed.Find(`input[name=fields][value=文体娱乐][checked]`).Length() != 1 {
		t.Error("服务领域 not ticked")
	}
	corrected := appFormValues(ed, "#application-form")
	corrected.Set("venue", "社区文化广场（龙湖路 8 号）")
	res = c.post(cpath+"/edit", corrected)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit: %d %s", res.StatusCode, appProblems(res))
	}
	// Resubmitted goes straight to 已受理; the history names what changed; the sealed data is kept.
	detail := d.get(dpath).doc(t)
	if s := detail.Find("#application-status").Text(); s != "已受理" {
		t.Fatalf("after resubmission: %q", s)
	}
	if tl := detail.Find("#timeline").Text(); !strings.Contains(tl, "补正后重新提交") || !strings.Contains(tl, "活动场所") ||
		strings.Contains(tl, "负责人电话") {
		t.Errorf("timeline after resubmission: %s", tl)
	}
	if got := detail.Find("#fact-leader-phone").Text(); got != "138****5678" {
		t.Errorf("phone mask %q", got)
	}
	if got := detail.Find("#fact-leader-id").Text(); !strings.HasPrefix(got, "500") || !strings.Contains(got, "*") {
		t.Errorf("ID mask %q", got)
	}

	// 准予登记 with a valid code.
	uscc := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH12345")
	res = d.post(dpath+"/approve", url.Values{"version": {appVersion(t, d, dpath, "#approve")}, "uscc": {uscc}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, appProblems(res))
	}
	var tier, legal, gotUSCC, name, venue string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT tier, legal_form, uscc, name, venue FROM organizations
		WHERE id = $1`, orgID).Scan(&tier, &legal, &gotUSCC, &name, &venue); err != nil {
		t.Fatal(err)
	}
	if tier != "registered" || legal != "社会团体" || gotUSCC != uscc || !strings.HasSuffix(name, "明德书画协会") ||
		venue != "社区文化广场（龙湖路 8 号）" {
		t.Errorf("organization after approval: %s %s %s %s %s", tier, legal, gotUSCC, name, venue)
	}
	if n := a.count(`SELECT count(*) FROM org_events WHERE org_id = $1 AND kind IN ('tier_changed', 'registered')`, orgID); n != 2 {
		t.Errorf("%d tier_changed/registered timeline rows, want 2", n)
	}
	orgPage := d.get("/district/orgs/" + itoa64(orgID))
	if orgPage.StatusCode != http.StatusOK {
		t.Fatalf("organization page: %d", orgPage.StatusCode)
	}
	if tl := orgPage.doc(t).Find("#timeline").Text(); !strings.Contains(tl, "管理层级变更") ||
		!strings.Contains(tl, "准予登记") || !strings.Contains(tl, uscc) {
		t.Errorf("organization timeline: %s", tl)
	}
	final := c.get(cpath).doc(t)
	if s := final.Find("#application-status").Text(); s != "已准予" {
		t.Errorf("final status %q", s)
	}
	if final.Find("#org-link").Length() != 1 {
		t.Error("no link to the registered organization")
	}
	steps := final.Find("#timeline tbody tr").Length()
	if steps != 5 {
		t.Errorf("%d history rows, want 5 (submitted, accepted, correction, resubmitted, approved)", steps)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'application.%'`) - audits; n != 5 {
		t.Errorf("%d audit rows, want 5", n)
	}
	// The history names each actor by the account's display name, with the username in small print and a title.
	checkActors(t, final.Find("#timeline tbody tr td:nth-child(2)"), []string{"社区演示账号", "区民政局演示账号",
		"区民政局演示账号", "社区演示账号", "区民政局演示账号"}, []string{"demo-community", "demo-district",
		"demo-district", "demo-community", "demo-district"})
	checkActors(t, final.Find("#fact-submitted, #fact-decided"), []string{"社区演示账号", "区民政局演示账号"},
		[]string{"demo-community", "demo-district"})
}

// checkActors fails unless the cells name the accounts by display name, each with its username beside it (in
// small print and in the title).
func checkActors(t *testing.T, cells *goquery.Selection, names, usernames []string) {
	t.Helper()
	if cells.Length() != len(names) {
		t.Fatalf("%d actor cells, want %d: %q", cells.Length(), len(names), cells.Text())
	}
	cells.Each(func(i int, td *goquery.Selection) {
		who, small := td.Find(".who"), td.Find("small.username")
		if who.Text() != names[i] || small.Text() != usernames[i] || who.AttrOr("title", "") != "用户名："+usernames[i] {
			t.Errorf("actor %d: %q (%q, title %q), want %s (%s)", i, who.Text(), small.Text(), who.AttrOr("title", ""),
				names[i], usernames[i])
		}
	})
}

// A new group's approval creates a registered organization with the code.
func TestApplicationApproveNewGroup(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	id := appAccepted(t, a, d, "启航")
	path := "/district/applications/" + id
	uscc := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH22222")
	if res := d.post(path+"/approve", url.Values{"version": {appVersion(t, d, path, "#approve")}, "uscc": {uscc}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", res.StatusCode, appProblems(res))
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE uscc = $1 AND tier = 'registered'
		AND legal_form = '社会团体' AND leader_phone_mask = '138****5678' AND leader_id_enc IS NOT NULL`, uscc); n != 1 {
		t.Fatalf("%d registered organizations with the code", n)
	}
	if n := a.count(`SELECT count(*) FROM org_events e JOIN organizations o ON o.id = e.org_id
		WHERE o.uscc = $1 AND e.kind IN ('created', 'registered')`, uscc); n != 2 {
		t.Errorf("%d timeline rows, want created and registered", n)
	}
}

// A bad code is a message at the code's input, and nothing is written; so is a code already in use.
func TestApplicationApproveChecksUSCC(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	id := appAccepted(t, a, d, "启航")
	path := "/district/applications/" + id
	valid := rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH12345")
	badCheck := valid[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(strings.IndexByte("0123456789ABCDEFGHJKLMNPQRTUWXY", valid[17])+1)%31])
	wrongForm := rules.MakeUSCC(rules.FormPrivateNonEnterprise, "500112", "MJH12345")
	before := a.count(`SELECT count(*) FROM org_events`) + a.count(`SELECT count(*) FROM application_events`) +
		a.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'application.%'`) + a.count(`SELECT count(*) FROM organizations`)
	v := appVersion(t, d, path, "#approve")
	for code, want := range map[string]string{badCheck: "第18位校验码错误", wrongForm: "第2位应为1", "": "请填写",
		"91512081MA62K0260E": "第1位应为5"} {
		res := d.post(path+"/approve", url.Values{"version": {v}, "uscc": {code}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%q: %d, want 422", code, res.StatusCode)
			continue
		}
		if msg := appFieldMsg(t, res, "uscc"); !strings.Contains(msg, want) {
			t.Errorf("%q: message %q, want %q", code, msg, want)
		}
		if got := res.doc(t).Find("#uscc").AttrOr("value", ""); got != code {
			t.Errorf("input not kept: %q", got)
		}
	}
	written := func() int {
		return a.count(`SELECT count(*) FROM org_events`) + a.count(`SELECT count(*) FROM application_events`) +
			a.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'application.%'`) +
			a.count(`SELECT count(*) FROM organizations`)
	}
	if after := written(); after != before {
		t.Errorf("refused approvals wrote rows (%d → %d)", before, after)
	}
	// A code another organization holds.
	holder := appGuidedGroup(t, a, "守望", "巡逻")
	if _, err := a.db.Pool.Exec(context.Background(), `UPDATE organizations SET tier = 'registered',
		legal_form = '社会团体', name_form = '协会', uscc = $1 WHERE id = $2`, valid, holder); err != nil {
		t.Fatal(err)
	}
	before = written()
	res := d.post(path+"/approve", url.Values{"version": {v}, "uscc": {valid}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(appFieldMsg(t, res, "uscc"), "已被其他组织使用") {
		t.Errorf("code in use: %d %q", res.StatusCode, appFieldMsg(t, res, "uscc"))
	}
	if after := written(); after != before {
		t.Errorf("a refused approval wrote rows (%d → %d)", before, after)
	}
	if s := d.get(path).doc(t).Find("#application-status").Text(); s != "已受理" {
		t.Errorf("status after refused approvals %q", s)
	}
}

// 不予登记 needs a written reason; 退回补正 needs the correction named.
func TestApplicationRejectNeedsReason(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	id := appAccepted(t, a, d, "启航")
	path := "/district/applications/" + id
	v := appVersion(t, d, path, "#reject")
	events := a.count(`SELECT count(*) FROM application_events`)
	for action, key := range map[string]string{"reject": "reason", "return": "correction"} {
		res := d.post(path+"/"+action, url.Values{"version": {v}, key: {"  "}})
		if res.StatusCode != http.StatusUnprocessableEntity || appFieldMsg(t, res, key) == "" {
			t.Errorf("%s with no words: %d %q", action, res.StatusCode, appFieldMsg(t, res, key))
		}
	}
	if n := a.count(`SELECT count(*) FROM application_events`); n != events {
		t.Error("a refused step wrote history")
	}
	res := d.post(path+"/reject", url.Values{"version": {v}, "reason": {"业务范围与社区社会组织定位不符"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reject: %d", res.StatusCode)
	}
	show := a.signedIn("demo-town").get("/town/applications/" + id).doc(t)
	if s := show.Find("#application-status").Text(); s != "不予登记" ||
		!strings.Contains(show.Find("#reject-reason").Text(), "业务范围与社区社会组织定位不符") {
		t.Errorf("after rejection: %q %q", s, show.Find("#reject-reason").Text())
	}
	// Nothing more can happen to a decided application.
	if res := d.post(path+"/approve", url.Values{"version": {v}, "uscc": {rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH40001")}}); res.StatusCode != http.StatusConflict {
		t.Errorf("approve after rejection: %d", res.StatusCode)
	}
}

// Two reviewers approving at once: exactly one wins, the other gets 409, and one organization exists.
func TestApplicationConcurrentApproval(t *testing.T) {
	a := newApp(t, nil)
	d1, d2 := a.signedIn("demo-district"), a.signedIn("demo-district")
	id := appAccepted(t, a, d1, "启航")
	path := "/district/applications/" + id
	v := appVersion(t, d1, path, "#approve")
	codes := make([]int, 2)
	usccs := []string{rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH30001"),
		rules.MakeUSCC(rules.FormSocialGroup, "500112", "MJH30002")}
	var wg sync.WaitGroup
	for i, c := range []*client{d1, d2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = c.post(path+"/approve", url.Values{"version": {v}, "uscc": {usccs[i]}}).StatusCode
		}()
	}
	wg.Wait()
	won, lost := 0, 0
	for _, code := range codes {
		switch code {
		case http.StatusSeeOther:
			won++
		case http.StatusConflict:
			lost++
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("codes %v: want one 303 and one 409", codes)
	}
	if n := a.count(`SELECT count(*) FROM organizations WHERE uscc = ANY($1)`, usccs); n != 1 {
		t.Errorf("%d organizations registered, want 1", n)
	}
	if n := a.count(`SELECT count(*) FROM application_events WHERE application_id = $1 AND to_status = 'approved'`, id); n != 1 {
		t.Errorf("%d approval rows, want 1", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'application.approved' AND object_id = $1`, id); n != 1 {
		t.Errorf("%d approval audit rows, want 1", n)
	}
	// The loser's page says someone else acted first.
	res := d2.post(path+"/approve", url.Values{"version": {v}, "uscc": {usccs[1]}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "已被其他人修改") {
		t.Errorf("stale approval: %d", res.StatusCode)
	}
}

// Jurisdiction (SECURITY.md 7): another town, another committee get 404 on view, edit and resubmit, and
// their lists do not show the application; only the district reviews.
func TestApplicationStaysInScope(t *testing.T) {
	a := newApp(t, nil)
	d := a.signedIn("demo-district")
	townID := appAccepted(t, a, d, "启航")
	path := "/district/applications/" + townID
	if res := d.post(path+"/return", url.Values{"version": {appVersion(t, d, path, "#return")}, "correction": {"补充材料"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", res.StatusCode)
	}
	c := a.signedIn("demo-community")
	commID := appIDFromLocation(t, c.post("/community/applications", appValidForm("", "远航")))

	t2 := a.signedIn("demo-town2")
	for _, id := range []string{townID, commID} {
		for _, p := range []string{"/town/applications/" + id, "/town/applications/" + id + "/edit"} {
			if res := t2.get(p); res.StatusCode != http.StatusNotFound {
				t.Errorf("demo-town2 GET %s: %d", p, res.StatusCode)
			}
		}
		if res := t2.post("/town/applications/"+id+"/edit", appValidForm(seed.CommunityDemo, "启航")); res.StatusCode != http.StatusNotFound {
			t.Errorf("demo-town2 resubmit %s: %d", id, res.StatusCode)
		}
	}
	if body := t2.get("/town/applications").Body; strings.Contains(body, "启航书画协会") || strings.Contains(body, "远航书画协会") {
		t.Error("demo-town2's list shows demo-town's applications")
	}
	c2 := a.signedIn("demo-community2")
	if res := c2.get("/community/applications/" + commID); res.StatusCode != http.StatusNotFound {
		t.Errorf("demo-community2: %d", res.StatusCode)
	}
	// demo-town sees its committee's application; the committee sees its own.
	if res := a.signedIn("demo-town").get("/town/applications/" + commID); res.StatusCode != http.StatusOK {
		t.Errorf("demo-town on its committee's application: %d", res.StatusCode)
	}
	if res := c.get("/community/applications/" + commID); res.StatusCode != http.StatusOK {
		t.Errorf("demo-community on its own: %d", res.StatusCode)
	}
	// Reviewing exists only under /district.
	if res := a.signedIn("demo-town").post("/town/applications/"+commID+"/accept", url.Values{"version": {"1"}}); res.StatusCode != http.StatusNotFound &&
		res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("a town accepted: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM application_events WHERE application_id = $1`, commID); n != 1 {
		t.Errorf("%d history rows on the committee's application, want 1", n)
	}
}

// A bad form is 422 with a message at each input and a summary, the input kept (but the 身份证号), nothing
// written; a community of another town is refused like any bad choice.
func TestApplicationBadSubmission(t *testing.T) {
	a := newApp(t, nil)
	tw := a.signedIn("demo-town")
	before := a.count(`SELECT count(*) FROM applications`) + a.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'application.%'`)
	bad := url.Values{"community": {seed.CommunityDemoRural}, "legal_form": {"股份公司"}, "zihao": {"A1"},
		"field": {""}, "form": {"总公司"}, "nature": {"营利性"}, "leader_name": {""}, "phone": {"12345"},
		"id_number": {"500112198013011234"}, "venue": {""}, "members": {"-3"}, "supervisor": {""},
		"statement": {"<script>alert(1)</script>"}}
	res := tw.post("/town/applications", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, key := range []string{"community", "legal_form", "zihao", "field", "fields", "nature", "leader_name",
		"phone", "id_number", "venue", "members", "supervisor"} {
		if appFieldMsg(t, res, key) == "" {
			t.Errorf("no message at %s", key)
		}
	}
	doc := res.doc(t)
	if doc.Find(".errors li").Length() < 12 {
		t.Errorf("summary has %d messages", doc.Find(".errors li").Length())
	}
	for name, want := range map[string]string{"zihao": "A1", "phone": "12345", "members": "-3", "id_number": ""} {
		if got := doc.Find(`#application-form input[name=`+name+`]`).AttrOr("value", "?"); got != want {
			t.Errorf("%s kept as %q, want %q", name, got, want)
		}
	}
	if strings.Contains(res.Body, "<script>alert(1)</script>") {
		t.Error("the statement is not escaped")
	}
	if after := a.count(`SELECT count(*) FROM applications`) + a.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'application.%'`); after != before {
		t.Errorf("a bad form wrote rows (%d → %d)", before, after)
	}
	// The same form, valid, goes through.
	appIDFromLocation(t, tw.post("/town/applications", appValidForm(seed.CommunityDemo, "启航")))
}
