package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/seed"
)

// caseGroup is a live group of the town a case may be written about.
func (a *app) caseGroup(town string) int64 {
	a.t.Helper()
	orgs, err := a.db.CaseOrgs(context.Background(), portal.Scope{Tier: portal.TierTown, Division: town})
	if err != nil || len(orgs) == 0 {
		a.t.Fatalf("groups of %s: %v", town, err)
	}
	return orgs[0].ID
}

func caseForm(org int64, title string) url.Values {
	return url.Values{"org": {strconv.FormatInt(org, 10)}, "title": {title}, "series": {"邻里守望"},
		"story": {"志愿者按楼栋结对，每周上门问候独居老人，帮忙买菜、取药。\n两年来服务覆盖了社区的大部分高龄老人。"}}
}

// caseUploads keeps a test's photos in a folder of its own.
func caseUploads(t *testing.T) func(*config.Config) {
	dir := t.TempDir()
	return func(c *config.Config) { c.UploadDir = dir; c.PublicRate = 0 }
}

// caseVersion is the version a case's decision forms carry.
func caseVersion(t *testing.T, res response) string {
	t.Helper()
	v, ok := res.doc(t).Find(`input[name=version]`).First().Attr("value")
	if !ok {
		t.Fatalf("no version on the page: %s", res.Body)
	}
	return v
}

// A bad case form answers 422 with every message at its field and the input kept, and writes nothing.
func TestCaseFormBadInput(t *testing.T) {
	a := newApp(t, caseUploads(t))
	c := a.signedIn("demo-town")
	before := a.count(`SELECT count(*) FROM typical_cases`)
	form := url.Values{"org": {"abc"}, "title": {strings.Repeat("长", 61)}, "series": {"不存在"}, "story": {"太短了"}}
	res := c.postReportForm("/town/cases", form, []reportFile{{"photos", "x.jpg", []byte("not a picture")}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := res.doc(t)
	for _, f := range []string{"org", "title", "series", "story", "photos"} {
		if doc.Find(`[data-field="`+f+`"] .msg`).Length() != 1 {
			t.Errorf("no message at %s", f)
		}
	}
	if v, _ := doc.Find("#title").Attr("value"); v != strings.Repeat("长", 61) {
		t.Errorf("title not kept: %q", v)
	}
	if doc.Find("#story").Text() != "太短了" {
		t.Errorf("story not kept")
	}
	// a group of another town is refused at the field too
	res = c.postReportForm("/town/cases", caseForm(a.caseGroup(seed.TownTongjing), "别的镇的组织"), nil)
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-field="org"] .msg`).Length() != 1 {
		t.Fatalf("a group of another town: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM typical_cases`); n != before {
		t.Fatalf("%d cases written", n-before)
	}
}

// The whole workflow over HTTP: a town writes a case with a photo, the district's bad and stale decisions are
// refused and write nothing, it returns the case, the town resubmits, the district publishes it, and the public
// list, page, photo and the group's profile show it — cacheable, with no cookie — until it is taken down.
func TestCaseWorkflowPages(t *testing.T) {
	a := newApp(t, caseUploads(t))
	town, district, anon := a.signedIn("demo-town"), a.signedIn("demo-district"), a.client()
	org := a.caseGroup(seed.TownShuanglonghu)
	res := town.postReportForm("/town/cases", caseForm(org, "楼栋里的守望人"), []reportFile{{"photos", "a.png", reportPNG(t, 64, 48)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", res.StatusCode, res.Body)
	}
	href := res.Header.Get("Location")
	id := strings.TrimPrefix(href, "/town/cases/")
	dHref := "/district/cases/" + id
	if res := anon.get("/cases/" + id); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a submitted case is public: %d", res.StatusCode)
	}
	if res := a.signedIn("demo-town2").get(href); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another town reads the case: %d", res.StatusCode)
	}
	page := district.get(dHref)
	if page.StatusCode != 200 || page.doc(t).Find("#publish form, #return form").Length() != 2 {
		t.Fatalf("the district's page lacks its decisions: %d", page.StatusCode)
	}
	v := caseVersion(t, page)
	events := `SELECT count(*) FROM typical_case_events WHERE case_id = ` + id
	// no reason: 422 at the field, nothing written
	res = district.post(dHref+"/return", url.Values{"version": {v}, "reason": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-field="reason"] .msg`).Length() != 1 {
		t.Fatalf("return without a reason: %d", res.StatusCode)
	}
	// stale or missing version: 409, nothing written
	for _, bad := range []string{"", "99"} {
		if res := district.post(dHref+"/publish", url.Values{"version": {bad}}); res.StatusCode != http.StatusConflict {
			t.Fatalf("version %q: %d", bad, res.StatusCode)
		}
	}
	if n := a.count(events); n != 1 {
		t.Fatalf("refused decisions wrote %d events", n-1)
	}
	// the town may not decide
	if res := town.post(href+"/publish", url.Values{"version": {v}}); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("the town publishes: %d", res.StatusCode)
	}
	if res := district.post(dHref+"/return", url.Values{"version": {v}, "reason": {"请补充服务成效"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("return: %d", res.StatusCode)
	}
	page = town.get(href)
	if !strings.Contains(page.doc(t).Find("#returned").Text(), "请补充服务成效") || page.doc(t).Find("#edit-link").Length() != 1 {
		t.Fatal("the town does not see the reason or the edit link")
	}
	edit := town.get(href + "/edit")
	v = caseVersion(t, edit)
	form := caseForm(org, "楼栋里的守望人（补充成效）")
	form.Set("version", v)
	if res := town.postReportForm(href+"/edit", form, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit: %d %s", res.StatusCode, res.Body)
	}
	if res := town.postReportForm(href+"/edit", form, nil); res.StatusCode != http.StatusConflict {
		t.Fatalf("resubmit twice: %d", res.StatusCode)
	}
	v = caseVersion(t, district.get(dHref))
	if res := district.post(dHref+"/publish", url.Values{"version": {v}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}

	list := anon.get("/cases")
	if list.StatusCode != 200 || !strings.Contains(list.doc(t).Find("#case-list").Text(), "补充成效") {
		t.Fatalf("the public list lacks the case: %d", list.StatusCode)
	}
	pub := anon.get("/cases/" + id)
	if pub.StatusCode != 200 || pub.doc(t).Find("#case-title").Text() != "楼栋里的守望人（补充成效）" {
		t.Fatalf("the public page: %d", pub.StatusCode)
	}
	if pub.Header.Get("Cache-Control") != "public, max-age=60" || pub.Header.Get("ETag") == "" || len(pub.Header.Values("Set-Cookie")) != 0 {
		t.Errorf("public headers: %v", pub.Header)
	}
	img, ok := pub.doc(t).Find("#photos img").Attr("src")
	if !ok {
		t.Fatal("no photo on the public page")
	}
	if ph := anon.get(img); ph.StatusCode != 200 || ph.Header.Get("Content-Type") != "image/jpeg" && ph.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("public thumbnail: %d %s", ph.StatusCode, ph.Header.Get("Content-Type"))
	}
	profile := anon.get("/orgs/" + strconv.FormatInt(org, 10))
	if !strings.Contains(profile.doc(t).Find("#org-cases").Text(), "补充成效") {
		t.Fatal("the profile lacks the case")
	}

	v = caseVersion(t, district.get(dHref))
	res = district.post(dHref+"/withdraw", url.Values{"version": {v}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("withdraw without reason: %d", res.StatusCode)
	}
	if res := district.post(dHref+"/withdraw", url.Values{"version": {v}, "withdraw_reason": {"内容需更新"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}
	if res := anon.get("/cases/" + id); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a withdrawn case is public: %d", res.StatusCode)
	}
	if res := anon.get(img); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a withdrawn case's photo is public: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE object_type = 'typical_case' AND object_id = $1`, id); n != 5 {
		t.Errorf("%d audit rows", n)
	}
}

// The public list pages by a cursor; a garbled one is a 400 page, not a 500.
func TestPublicCasesCursor(t *testing.T) {
	a := newApp(t, nil)
	c := a.client()
	for _, bad := range []string{"x", "1.x", "-5.3", "5.", ".5"} {
		if res := c.get("/cases?after=" + url.QueryEscape(bad)); res.StatusCode != http.StatusBadRequest {
			t.Errorf("after=%q: %d", bad, res.StatusCode)
		}
	}
	res := c.get("/cases")
	if res.StatusCode != 200 || res.doc(t).Find("#case-list li").Length() < 3 {
		t.Fatalf("the demo's published cases: %d", res.StatusCode)
	}
}
