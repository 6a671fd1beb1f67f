package server

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
)

// guidedForm is a valid new guided group for demo-community, with overrides.
func guidedForm(over url.Values) url.Values {
	f := url.Values{
		"zihao": {"馨雅"}, "field": {"舞蹈"}, "form": {"队"},
		"fields": {"文体娱乐", "邻里互助"}, "nature": {"互助性"}, "beneficiaries": {"空巢老人"},
		"founded_on": {"2021-07-21"}, "leader_name": {"王秀英"}, "phone": {"13812345678"},
		"id_number": {"500112196503120028"}, "venue": {"社区党群服务中心活动室"}, "members": {"24"},
		"volunteers": {"5"}, "charter": {"一、宗旨\n二、活动"}, "party_status": {"党建指导员"},
		"party_members": {"3"}, "action": {"save"},
	}
	for k, v := range over {
		f[k] = v
	}
	return f
}

// orgIn is the id of the first demo organization of a community (of a tier, when tier is not "").
func (a *app) orgIn(community, tier string) int64 {
	a.t.Helper()
	var id int64
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT id FROM organizations
		WHERE community_code = $1 AND ($2 = '' OR tier = $2) AND status = 'normal' ORDER BY id LIMIT 1`,
		community, tier).Scan(&id); err != nil {
		a.t.Fatal(err)
	}
	return id
}

// orgState is what a refused request must leave unchanged.
func (a *app) orgState(id int64) (version, events, audits int) {
	a.t.Helper()
	ctx := context.Background()
	if err := a.db.Pool.QueryRow(ctx, `SELECT version FROM organizations WHERE id = $1`, id).Scan(&version); err != nil {
		a.t.Fatal(err)
	}
	events = a.count(`SELECT count(*) FROM org_events WHERE org_id = $1`, id)
	audits = a.count(`SELECT count(*) FROM audit_log WHERE object_type = 'organization' AND object_id = $1`,
		strconv.FormatInt(id, 10))
	return
}

func TestOrgRecordCommunityCreatesGuidedGroup(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")

	page := c.get("/community/orgs/new")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("new form: %d", page.StatusCode)
	}
	doc := page.doc(t)
	if got, _ := doc.Find("#name_prefix").Attr("value"); got != "渝北区双龙湖街道" {
		t.Errorf("read-only prefix %q", got)
	}
	community, _ := doc.Find("#name_community").Attr("value")

	res := c.post("/community/orgs", guidedForm(nil))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d\n%s", res.StatusCode, res.Body)
	}
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/community/orgs/"), 10, 64)
	if err != nil {
		t.Fatalf("redirect to %q", loc)
	}
	var name, mask, idMask, tier, legal, comm string
	var phoneEnc, idEnc []byte
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT name, leader_phone_mask, leader_phone_enc,
		leader_id_mask, leader_id_enc, tier, legal_form, community_code FROM organizations WHERE id = $1`, id).
		Scan(&name, &mask, &phoneEnc, &idMask, &idEnc, &tier, &legal, &comm); err != nil {
		t.Fatal(err)
	}
	if name != "渝北区双龙湖街道"+community+"馨雅舞蹈队" || tier != "guided" || legal != "未登记团体" || comm != seed.CommunityDemo {
		t.Errorf("stored %s %s %s %s", name, tier, legal, comm)
	}
	if mask != "138****5678" || idMask != "500***********0028" {
		t.Errorf("masks %q %q", mask, idMask)
	}
	if len(phoneEnc) == 0 || bytes.Contains(phoneEnc, []byte("13812345678")) || bytes.Contains(phoneEnc, []byte("5678")) ||
		bytes.Contains(idEnc, []byte("19650312")) {
		t.Error("phone or ID stored in the clear")
	}
	if n := a.count(`SELECT count(*) FROM org_events WHERE org_id = $1 AND kind = 'created'`, id); n != 1 {
		t.Errorf("%d created timeline rows", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.create' AND object_id = $1
		AND actor_username = 'demo-community'`, strconv.FormatInt(id, 10)); n != 1 {
		t.Errorf("%d org.create audit rows", n)
	}

	// The detail page: flash, masked values, timeline, and no reveal or status form for a community.
	detail := c.get(loc)
	if detail.StatusCode != http.StatusOK {
		t.Fatalf("detail: %d", detail.StatusCode)
	}
	d := detail.doc(t)
	if !strings.Contains(d.Find(".flash").Text(), "已建档") {
		t.Error("no flash after create")
	}
	if got := strings.TrimSpace(d.Find("#fact-leader-phone").Text()); got != "138****5678" {
		t.Errorf("phone shown as %q", got)
	}
	if strings.Contains(detail.Body, "13812345678") || strings.Contains(detail.Body, "500112196503120028") {
		t.Error("detail page shows full personal data")
	}
	if d.Find("#timeline tbody tr").Length() != 1 || !strings.Contains(d.Find("#timeline").Text(), "建档") {
		t.Errorf("timeline: %q", d.Find("#timeline").Text())
	}
	if d.Find("#reveal").Length() != 0 || d.Find("#status-change").Length() != 0 {
		t.Error("community is offered reveal or status change")
	}
	if d.Find("#edit-link").Length() != 1 || d.Find("[data-print]").Length() == 0 {
		t.Error("no edit link or print button")
	}
	if detail.Header.Get("Cache-Control") != "no-store" {
		t.Error("detail page may be cached")
	}

	// The town above sees it; the community edits it.
	if res := a.signedIn("demo-town").get("/town/orgs/" + strconv.FormatInt(id, 10)); res.StatusCode != http.StatusOK {
		t.Errorf("town detail: %d", res.StatusCode)
	}
	edit := c.get(loc + "/edit")
	ed := edit.doc(t)
	if v, _ := ed.Find("#venue").Attr("value"); v != "社区党群服务中心活动室" {
		t.Errorf("edit form venue %q", v)
	}
	if v, _ := ed.Find("#id_number").Attr("value"); v != "" {
		t.Error("edit form echoes the ID number")
	}
	version, _ := ed.Find(`input[name=version]`).Attr("value")
	res = c.post(loc+"/edit", guidedForm(url.Values{"version": {version}, "venue": {"社区文化广场"}, "phone": {""},
		"id_number": {""}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", res.StatusCode, res.Body)
	}
	var venue string
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT venue, leader_phone_mask FROM organizations WHERE id = $1`, id).
		Scan(&venue, &mask)
	if venue != "社区文化广场" || mask != "138****5678" {
		t.Errorf("after edit: %q %q", venue, mask)
	}
	// The same stale version again is a conflict.
	if res := c.post(loc+"/edit", guidedForm(url.Values{"version": {version}, "venue": {"又一处"}})); res.StatusCode != http.StatusConflict {
		t.Errorf("stale edit: %d, want 409", res.StatusCode)
	}
}

func TestOrgRecordFormProblems(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	before := a.count(`SELECT count(*) FROM organizations`)
	audits := a.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'org.%'`)

	bad := guidedForm(url.Values{"zihao": {"中华"}, "form": {"基金会"}, "phone": {"12345"},
		"id_number": {"500112196503120029"}, "members": {"-3"}, "nature": {""}, "fields": nil,
		"founded_on": {"2099-01-01"}, "leader_name": {""}, "venue": {"社区 西楼"}})
	delete(bad, "fields")
	res := c.post("/community/orgs", bad)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", res.StatusCode)
	}
	d := res.doc(t)
	for _, key := range []string{"zihao", "form", "phone", "id_number", "members", "nature", "fields", "founded_on",
		"leader_name"} {
		f := d.Find(`[data-field="` + key + `"]`)
		if !f.HasClass("bad") || strings.TrimSpace(f.Find(".msg").Text()) == "" {
			t.Errorf("field %s has no message", key)
		}
	}
	if d.Find(".errors li").Length() < 9 {
		t.Errorf("summary lists %d problems", d.Find(".errors li").Length())
	}
	// Typed values are kept, the ID number is not echoed, the composed name is shown.
	for sel, want := range map[string]string{"#zihao": "中华", "#phone": "12345", "#venue": "社区 西楼",
		"#members": "-3", "#founded_on": "2099-01-01", "#id_number": ""} {
		if got, _ := d.Find(sel).Attr("value"); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	if strings.Contains(res.Body, "500112196503120029") {
		t.Error("the ID number is echoed back")
	}
	if _, ok := d.Find(`input[name=beneficiaries][value="空巢老人"]`).Attr("checked"); !ok {
		t.Error("ticked 服务对象 not kept")
	}
	if !strings.Contains(d.Find("#composed-name").Text(), "中华舞蹈基金会") {
		t.Errorf("composed name %q", d.Find("#composed-name").Text())
	}
	if got := a.count(`SELECT count(*) FROM organizations`); got != before {
		t.Errorf("organizations %d → %d", before, got)
	}
	if got := a.count(`SELECT count(*) FROM audit_log WHERE action LIKE 'org.%'`); got != audits {
		t.Error("a refused form was audited as a write")
	}

	// 预览名称 saves nothing and shows the composed name.
	res = c.post("/community/orgs", guidedForm(url.Values{"action": {"preview"}}))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.doc(t).Find("#preview-ok").Text(), "馨雅舞蹈队") {
		t.Errorf("preview: %d", res.StatusCode)
	}
	if got := a.count(`SELECT count(*) FROM organizations`); got != before {
		t.Error("preview saved")
	}

	// A duplicate live name: 422 with the message at the name.
	if res := c.post("/community/orgs", guidedForm(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first create: %d", res.StatusCode)
	}
	res = c.post("/community/orgs", guidedForm(nil))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("duplicate: %d", res.StatusCode)
	}
	if msg := res.doc(t).Find(`[data-field="name"] .msg`).Text(); !strings.Contains(msg, "同名") {
		t.Errorf("duplicate message %q", msg)
	}
	if got := a.count(`SELECT count(*) FROM organizations`); got != before+1 {
		t.Errorf("organizations %d, want %d", got, before+1)
	}
}

// SECURITY.md 7: an organization outside the caller's jurisdiction is a 404 on view, edit and transitions,
// and nothing is written.
func TestOrgRecordJurisdiction(t *testing.T) {
	a := newApp(t, nil)
	id := a.orgIn(seed.CommunityDemo, "guided")
	sid := strconv.FormatInt(id, 10)
	version, events, audits := a.orgState(id)
	v := strconv.Itoa(version)

	c2 := a.signedIn("demo-community2")
	for _, res := range []response{
		c2.get("/community/orgs/" + sid),
		c2.get("/community/orgs/" + sid + "/edit"),
		c2.post("/community/orgs/"+sid+"/edit", guidedForm(url.Values{"version": {v}})),
		c2.post("/community/orgs/"+sid+"/status", url.Values{"version": {v}, "status": {"dissolved"},
			"status_on": {"2025-01-01"}, "reason": {"x"}}),
		c2.post("/community/orgs/"+sid+"/reveal", url.Values{"reason": {"x"}}),
	} {
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("demo-community2 %s %s: %d, want 404", res.Request.Method, res.Request.URL.Path, res.StatusCode)
		}
	}
	t2 := a.signedIn("demo-town2")
	for _, res := range []response{
		t2.get("/town/orgs/" + sid),
		t2.get("/town/orgs/" + sid + "/edit"),
		t2.post("/town/orgs/"+sid+"/edit", guidedForm(url.Values{"version": {v}})),
		t2.post("/town/orgs/"+sid+"/status", url.Values{"version": {v}, "status": {"dissolved"},
			"status_on": {"2025-01-01"}, "reason": {"x"}}),
		t2.post("/town/orgs/"+sid+"/reveal", url.Values{"reason": {"核实"}}),
	} {
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("demo-town2 %s %s: %d, want 404", res.Request.Method, res.Request.URL.Path, res.StatusCode)
		}
	}
	// The community's own account may not change status or reveal: those routes are not offered to it.
	own := a.signedIn("demo-community")
	for _, res := range []response{
		own.post("/community/orgs/"+sid+"/status", url.Values{"version": {v}, "status": {"dissolved"},
			"status_on": {"2025-01-01"}, "reason": {"x"}}),
		own.post("/community/orgs/"+sid+"/reveal", url.Values{"reason": {"核实"}}),
	} {
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("demo-community %s: %d, want 404", res.Request.URL.Path, res.StatusCode)
		}
	}
	// The district does not edit.
	if res := a.signedIn("demo-district").get("/district/orgs/" + sid + "/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("district edit form: %d", res.StatusCode)
	}
	if nv, ne, na := a.orgState(id); nv != version || ne != events || na != audits {
		t.Errorf("refused requests wrote: version %d→%d, events %d→%d, audit %d→%d", version, nv, events, ne, audits, na)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.reveal'`); n != 0 {
		t.Errorf("%d reveal audit rows", n)
	}
	for _, who := range []string{"demo-town", "demo-district"} {
		res := a.signedIn(who).get("/" + strings.TrimPrefix(who, "demo-") + "/orgs/" + sid)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s detail: %d", who, res.StatusCode)
		}
	}
	// A community sees a filed group of its own community but may not edit it.
	filed := strconv.FormatInt(a.orgIn(seed.CommunityDemo, "filed"), 10)
	if res := own.get("/community/orgs/" + filed); res.StatusCode != http.StatusOK || res.doc(t).Find("#edit-link").Length() != 0 {
		t.Errorf("own filed group: %d, edit link offered", res.StatusCode)
	}
	if res := own.get("/community/orgs/" + filed + "/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("editing own filed group: %d, want 404 (not offered)", res.StatusCode)
	}
}

func TestOrgRecordRevealLeader(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	if res := c.post("/community/orgs", guidedForm(nil)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	id := a.count(`SELECT max(id) FROM organizations`)
	path := "/town/orgs/" + strconv.Itoa(id)
	town := a.signedIn("demo-town")

	d := town.get(path).doc(t)
	if confirm, _ := d.Find("#reveal form").Attr("data-confirm"); !strings.Contains(confirm, "审计日志") {
		t.Errorf("reveal form confirmation %q", confirm)
	}
	res := town.post(path+"/reveal", url.Values{"reason": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !res.doc(t).Find(`[data-field="reveal_reason"]`).HasClass("bad") {
		t.Errorf("reveal without reason: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.reveal'`); n != 0 {
		t.Fatalf("reveal without reason audited %d times", n)
	}

	res = town.post(path+"/reveal", url.Values{"reason": {"核实负责人身份，办理备案"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("reveal: %d", res.StatusCode)
	}
	rd := res.doc(t)
	if got := strings.TrimSpace(rd.Find("#revealed-phone").Text()); got != "13812345678" {
		t.Errorf("revealed phone %q", got)
	}
	if got := strings.TrimSpace(rd.Find("#revealed-id").Text()); got != "500112196503120028" {
		t.Errorf("revealed ID %q", got)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Error("revealed page may be cached")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.reveal' AND object_id = $1
		AND actor_username = 'demo-town' AND detail LIKE '%核实负责人身份，办理备案%'`, strconv.Itoa(id)); n != 1 {
		t.Errorf("%d reveal audit rows with the reason, want exactly 1", n)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.reveal'`); n != 1 {
		t.Errorf("%d reveal audit rows in all, want 1", n)
	}
	// The next view is masked again.
	if strings.Contains(town.get(path).Body, "13812345678") {
		t.Error("full phone shown again without a reveal")
	}
}

// SECURITY.md 21: two clerks changing one group's status from the same version: exactly one wins.
func TestOrgRecordConcurrentStatusChanges(t *testing.T) {
	a := newApp(t, nil)
	id := a.orgIn(seed.CommunityDemo, "guided")
	version, events, _ := a.orgState(id)
	clients := []*client{a.signedIn("demo-town"), a.signedIn("demo-district")}
	paths := []string{"/town/orgs/", "/district/orgs/"}
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"version": {strconv.Itoa(version)}, "status": {[]string{"abnormal", "dissolved"}[i]},
				"status_on": {"2025-05-01"}, "reason": {"并发测试 " + strconv.Itoa(i)}}
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+paths[i]+strconv.FormatInt(id, 10)+"/status",
				strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", a.srv.URL)
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			res, err := clients[i].http.Do(req)
			if err != nil {
				return
			}
			res.Body.Close()
			statuses[i] = res.StatusCode
		}()
	}
	wg.Wait()
	won, lost := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusSeeOther:
			won++
		case http.StatusConflict:
			lost++
		}
	}
	if won != 1 || lost != 1 {
		t.Fatalf("statuses %v: want one 303 and one 409", statuses)
	}
	nv, ne, _ := a.orgState(id)
	if nv != version+1 || ne != events+1 {
		t.Errorf("version %d→%d, events %d→%d: want exactly one change", version, nv, events, ne)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.status' AND object_id = $1`,
		strconv.FormatInt(id, 10)); n != 1 {
		t.Errorf("%d status audit rows", n)
	}
}

func TestOrgRecordStatusChangeShows(t *testing.T) {
	a := newApp(t, nil)
	id := a.orgIn(seed.CommunityDemoRural, "guided")
	path := "/town/orgs/" + strconv.FormatInt(id, 10)
	town := a.signedIn("demo-town2")
	d := town.get(path).doc(t)
	version, _ := d.Find(`#status-change input[name=version]`).Attr("value")
	if confirm, _ := d.Find("#status-change form").Attr("data-confirm"); !strings.Contains(confirm, "已注销") {
		t.Errorf("status confirmation %q", confirm)
	}
	// No reason for 已注销: 422, nothing written.
	_, events, _ := a.orgState(id)
	res := town.post(path+"/status", url.Values{"version": {version}, "status": {"dissolved"}, "status_on": {"2025-05-01"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !res.doc(t).Find(`[data-field="status_reason"]`).HasClass("bad") {
		t.Fatalf("no reason: %d", res.StatusCode)
	}
	if _, ne, _ := a.orgState(id); ne != events {
		t.Error("refused status change wrote a timeline row")
	}
	res = town.post(path+"/status", url.Values{"version": {version}, "status": {"dissolved"},
		"status_on": {"2025-05-01"}, "reason": {"成员协商一致自行解散"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("dissolve: %d", res.StatusCode)
	}
	d = town.get(path).doc(t)
	ended := d.Find("#ended").Text()
	if !strings.Contains(ended, "已注销") || !strings.Contains(ended, "2025年5月1日") || !strings.Contains(ended, "成员协商一致自行解散") {
		t.Errorf("ended banner %q", ended)
	}
	if !strings.Contains(d.Find("#timeline").Text(), "正常 → 已注销") {
		t.Errorf("timeline %q", d.Find("#timeline").Text())
	}
	// The community above it sees the same, and a dissolved record is no longer offered for editing.
	cd := a.signedIn("demo-community2").get("/community/orgs/" + strconv.FormatInt(id, 10)).doc(t)
	if !strings.Contains(cd.Find("#ended").Text(), "已注销") || cd.Find("#edit-link").Length() != 0 {
		t.Error("community does not see the dissolution, or may still edit the record")
	}
}

// SECURITY.md 12: a stored script renders as text.
func TestOrgRecordStoredXSSRendersInert(t *testing.T) {
	a := newApp(t, nil)
	c := a.signedIn("demo-community")
	payload := `<script>alert(1)</script>`
	res := c.post("/community/orgs", guidedForm(url.Values{"venue": {payload}, "charter": {payload + "\n\"><img src=x onerror=alert(2)>"}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	for _, who := range []struct{ user, base string }{{"demo-community", "/community"}, {"demo-town", "/town"}} {
		page := a.signedIn(who.user).get(who.base + strings.TrimPrefix(res.Header.Get("Location"), "/community"))
		if page.StatusCode != http.StatusOK {
			t.Fatalf("%s detail: %d", who.user, page.StatusCode)
		}
		if strings.Contains(page.Body, payload) || strings.Contains(page.Body, "<img src=x") {
			t.Errorf("%s: payload rendered unescaped", who.user)
		}
		if !strings.Contains(page.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("%s: escaped payload not shown", who.user)
		}
		if got := page.doc(t).Find("#fact-venue").Text(); got != payload {
			t.Errorf("%s: venue reads %q", who.user, got)
		}
	}
}
