package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// A published notice is corrected by its publisher: a missing or stale version is 409 and a bad form 422 with
// the messages at their fields and the input kept, and neither writes anything; a good one replaces the public
// text, says 更新于 there, keeps the old text on the staff page and writes one audit row.
func TestAnnouncementCorrectionKeepsTheEarlierVersion(t *testing.T) {
	a := newApp(t, caseUploads(t))
	district, town, anon := a.signedIn("demo-district"), a.signedIn("demo-town"), a.client()
	res := district.postReportForm("/district/announcements", announcementForm("notice", "关于开展骨干培训的通知"), nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", res.StatusCode)
	}
	href := res.Header.Get("Location")
	id := strings.TrimPrefix(href, "/district/announcements/")
	if l, ok := district.get(href).doc(t).Find("#correct-link").Attr("href"); !ok || l != href+"/edit" {
		t.Fatalf("no 更正 link on the publisher's page: %q", l)
	}
	form := district.get(href + "/edit").doc(t)
	if form.Find(`#correction-form input[name="version"][value="1"]`).Length() != 1 ||
		form.Find("#title").AttrOr("value", "") != "关于开展骨干培训的通知" {
		t.Fatal("the 更正 form is not filled from the notice")
	}
	if res := town.get("/town/announcements/" + id + "/edit"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a town corrects the district's notice: %d", res.StatusCode)
	}
	unchanged := func(step string) {
		t.Helper()
		if n := a.count(`SELECT count(*) FROM announcement_revisions`); n != 0 {
			t.Fatalf("%s: %d revisions written", step, n)
		}
		if n := a.count(`SELECT count(*) FROM announcements WHERE id = $1 AND title = '关于开展骨干培训的通知' AND version = 1`, id); n != 1 {
			t.Fatalf("%s: the notice changed", step)
		}
	}
	good := url.Values{"title": {"关于开展骨干培训的通知（更正）"}, "doc_no": {""}, "body": {"各社区：\n请于下月 5 日前报送材料。"},
		"note": {"更正了报送期限"}}
	for _, v := range []string{"", "7"} {
		f := url.Values{"version": {v}}
		for k, x := range good {
			f[k] = x
		}
		if res := district.post(href+"/edit", f); res.StatusCode != http.StatusConflict {
			t.Fatalf("version %q: %d", v, res.StatusCode)
		}
	}
	unchanged("stale versions")
	res = district.post(href+"/edit", url.Values{"version": {"1"}, "title": {""}, "body": {"保留的正文"}, "note": {""}})
	doc := res.doc(t)
	if res.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-field="title"] .msg`).Length() != 1 ||
		doc.Find(`[data-field="note"] .msg`).Length() != 1 || doc.Find("#body").Text() != "保留的正文" {
		t.Fatalf("bad form: %d", res.StatusCode)
	}
	unchanged("bad form")

	good.Set("version", "1")
	if res := district.post(href+"/edit", good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correct: %d %s", res.StatusCode, res.Body)
	}
	if res := district.post(href+"/edit", good); res.StatusCode != http.StatusConflict {
		t.Fatalf("the same post twice: %d", res.StatusCode)
	}
	pub := anon.get("/announcements/" + id).doc(t)
	if pub.Find("#announcement-title").Text() != "关于开展骨干培训的通知（更正）" || !strings.Contains(pub.Find("#updated-on").Text(), "更新于") ||
		!strings.Contains(pub.Find("#announcement-body").Text(), "下月 5 日") || pub.Find("#revisions").Length() != 0 {
		t.Fatalf("the public page: %q %q", pub.Find("#announcement-title").Text(), pub.Find("#updated-on").Text())
	}
	staff := district.get(href).doc(t).Find("#revisions")
	if staff.Find("details").Length() != 1 || !strings.Contains(staff.Text(), "关于开展骨干培训的通知") ||
		!strings.Contains(staff.Text(), "本月底前") || !strings.Contains(staff.Text(), "更正了报送期限") {
		t.Fatalf("the earlier version is not on the staff page: %q", staff.Text())
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'announcement.correct' AND object_id = $1`, id); n != 1 {
		t.Fatalf("audit rows: %d", n)
	}
	if _, err := a.db.Pool.Exec(t.Context(), `DELETE FROM announcement_revisions`); err == nil {
		t.Fatal("an earlier version was deleted")
	}
}

// The district corrects a published case: 409 on a stale version, 422 on a bad form (nothing written), then
// the public page shows the new text with 更新于 and the staff page the old text and a 更正 step.
func TestCaseCorrectionKeepsTheEarlierVersion(t *testing.T) {
	a := newApp(t, nil)
	district, town, anon := a.signedIn("demo-district"), a.signedIn("demo-town"), a.client()
	var id, title, series string
	var version int
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT id::text, title, series, version FROM typical_cases
		WHERE status = 'published' AND town_code = (SELECT division_code FROM accounts WHERE username = 'demo-town')
		ORDER BY id LIMIT 1`).Scan(&id, &title, &series, &version); err != nil {
		t.Fatal(err)
	}
	href := "/district/cases/" + id
	if l, ok := district.get(href).doc(t).Find("#correct-link").Attr("href"); !ok || l != href+"/correct" {
		t.Fatalf("no 更正 link: %q", l)
	}
	if res := town.get("/town/cases/" + id + "/correct"); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
		t.Fatalf("a town corrects a published case: %d", res.StatusCode)
	}
	story := "这是更正后的案例正文，补充了服务成效：全年开展邻里互助活动二十四次，服务居民一千余人次。"
	good := url.Values{"version": {"x"}, "title": {title + "（更正）"}, "series": {series}, "story": {story}, "note": {"补充了服务成效"}}
	if res := district.post(href+"/correct", good); res.StatusCode != http.StatusConflict {
		t.Fatalf("bad version: %d", res.StatusCode)
	}
	v := strconv.Itoa(version)
	res := district.post(href+"/correct", url.Values{"version": {v}, "title": {title}, "series": {"无此系列"}, "story": {"太短"}, "note": {""}})
	doc := res.doc(t)
	if res.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-field="series"] .msg`).Length() != 1 ||
		doc.Find(`[data-field="story"] .msg`).Length() != 1 || doc.Find(`[data-field="note"] .msg`).Length() != 1 ||
		doc.Find("#story").Text() != "太短" {
		t.Fatalf("bad form: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM typical_case_revisions`); n != 0 {
		t.Fatalf("a refused correction wrote %d revisions", n)
	}
	good.Set("version", v)
	if res := district.post(href+"/correct", good); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("correct: %d %s", res.StatusCode, res.Body)
	}
	pub := anon.get("/cases/" + id).doc(t)
	if pub.Find("#case-title").Text() != title+"（更正）" || !strings.Contains(pub.Find("#updated-on").Text(), "更新于") ||
		!strings.Contains(pub.Find("#story").Text(), "一千余人次") {
		t.Fatalf("the public page: %q", pub.Find("#case-title").Text())
	}
	staff := district.get(href).doc(t)
	if staff.Find("#revisions details").Length() != 1 || !strings.Contains(staff.Find("#revisions").Text(), title) ||
		!strings.Contains(staff.Find("#timeline").Text(), "更正：补充了服务成效") {
		t.Fatal("the earlier version or the 更正 step is missing on the staff page")
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'case.correct' AND object_id = $1`, id); n != 1 {
		t.Fatalf("audit rows: %d", n)
	}
}
