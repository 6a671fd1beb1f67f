package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// announcementPDF is a small file the upload store accepts as a PDF.
var announcementPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func announcementForm(kind, title string) url.Values {
	return url.Values{"kind": {kind}, "title": {title}, "doc_no": {""}, "body": {"各社区：\n请于本月底前报送材料。"}}
}

// A bad publish form answers 422 with the messages at their fields and the input kept, and keeps nothing.
func TestAnnouncementFormBadInput(t *testing.T) {
	a := newApp(t, caseUploads(t))
	c := a.signedIn("demo-district")
	before := a.count(`SELECT count(*) FROM announcements`)
	form := url.Values{"kind": {"x"}, "title": {strings.Repeat("长", 101)}, "doc_no": {"号"}, "body": {""}}
	res := c.postReportForm("/district/announcements", form, []reportFile{{"files", "a.pdf", []byte("not a pdf")}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := res.doc(t)
	for _, f := range []string{"kind", "title", "body", "files"} {
		if doc.Find(`[data-field="`+f+`"] .msg`).Length() != 1 {
			t.Errorf("no message at %s", f)
		}
	}
	if v, _ := doc.Find("#doc_no").Attr("value"); v != "号" {
		t.Errorf("doc_no not kept: %q", v)
	}
	if n := a.count(`SELECT count(*) FROM announcements`); n != before {
		t.Fatalf("%d written", n-before)
	}
}

// The district publishes a notice with an attachment; everyone reads it and downloads the attachment from the
// public side; a town's notice is withdrawn by the town only, with a reason and the version it saw.
func TestAnnouncementPublishReadWithdraw(t *testing.T) {
	a := newApp(t, caseUploads(t))
	district, town, town2, anon := a.signedIn("demo-district"), a.signedIn("demo-town"), a.signedIn("demo-town2"), a.client()
	res := district.postReportForm("/district/announcements", announcementForm("notice", "关于开展骨干培训的通知"),
		[]reportFile{{"files", "报名表.pdf", announcementPDF}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.StatusCode, res.Body)
	}
	id := strings.TrimPrefix(res.Header.Get("Location"), "/district/announcements/")
	list := anon.get("/announcements")
	if !strings.Contains(list.doc(t).Find("#announcement-list").Text(), "关于开展骨干培训的通知") {
		t.Fatal("not on the public list")
	}
	page := anon.get("/announcements/" + id)
	if page.StatusCode != 200 || page.Header.Get("Cache-Control") != "public, max-age=60" || len(page.Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("public page: %d %v", page.StatusCode, page.Header)
	}
	href, ok := page.doc(t).Find("#files a").Attr("href")
	if !ok {
		t.Fatal("no attachment link")
	}
	file := anon.get(href)
	if file.StatusCode != 200 || file.Body != string(announcementPDF) || !strings.Contains(file.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %q", file.StatusCode, file.Header.Get("Content-Disposition"))
	}
	if res := anon.get("/policies/" + id); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a notice under /policies: %d", res.StatusCode)
	}

	res = town.postReportForm("/town/announcements", announcementForm("policy", "镇街扶持办法"), nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("town publishes: %d", res.StatusCode)
	}
	tHref := res.Header.Get("Location")
	tid := strings.TrimPrefix(tHref, "/town/announcements/")
	if res := town2.get("/town/announcements/" + tid); res.StatusCode != http.StatusNotFound {
		t.Fatalf("another town reads it: %d", res.StatusCode)
	}
	if res := district.post("/district/announcements/"+tid+"/withdraw", url.Values{"version": {"1"}, "reason": {"错发"}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the district withdraws a town's: %d", res.StatusCode)
	}
	for _, bad := range []string{"", "7"} {
		if res := town.post(tHref+"/withdraw", url.Values{"version": {bad}, "reason": {"错发"}}); res.StatusCode != http.StatusConflict {
			t.Fatalf("version %q: %d", bad, res.StatusCode)
		}
	}
	res = town.post(tHref+"/withdraw", url.Values{"version": {"1"}, "reason": {" "}})
	if res.StatusCode != http.StatusUnprocessableEntity || res.doc(t).Find(`[data-field="reason"] .msg`).Length() != 1 {
		t.Fatalf("no reason: %d", res.StatusCode)
	}
	if res := anon.get("/policies/" + tid); res.StatusCode != 200 {
		t.Fatalf("refused withdrawals took it down: %d", res.StatusCode)
	}
	// The first post only asks: a page naming what is withdrawn and why, whose button posts the confirmation.
	res = town.post(tHref+"/withdraw", url.Values{"version": {"1"}, "reason": {"错发"}})
	confirm := res.doc(t).Find("#withdraw-confirm")
	if res.StatusCode != 200 || !strings.Contains(confirm.Text(), "镇街扶持办法") || !strings.Contains(confirm.Text(), "错发") ||
		confirm.Find(`input[name="confirmed"][value="1"]`).Length() != 1 || confirm.Find(`input[name="version"][value="1"]`).Length() != 1 {
		t.Fatalf("no confirmation page: %d", res.StatusCode)
	}
	if res := anon.get("/policies/" + tid); res.StatusCode != 200 {
		t.Fatalf("asking for the confirmation took it down: %d", res.StatusCode)
	}
	if res := town.post(tHref+"/withdraw", url.Values{"version": {"1"}, "reason": {"错发"}, "confirmed": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}
	if res := anon.get("/policies/" + tid); res.StatusCode != http.StatusNotFound {
		t.Fatalf("a withdrawn policy is public: %d", res.StatusCode)
	}
}

// The home page is the front door: the search box, the counts by town, and the latest notices and cases, each
// linking to its public page.
func TestHomeShowsLatestNoticesAndCases(t *testing.T) {
	a := newApp(t, nil)
	doc := a.client().get("/").doc(t)
	if doc.Find("#home-search #q").Length() != 1 || doc.Find("#home-towns li").Length() == 0 {
		t.Fatal("the search box or the town counts are gone")
	}
	notices := doc.Find("#home-notices li a")
	if notices.Length() == 0 || !strings.HasPrefix(notices.First().AttrOr("href", ""), "/announcements/") {
		t.Fatalf("no latest notices: %d", notices.Length())
	}
	if notices.First().Text() != "双龙湖街道社区社会组织公益服务月活动安排" {
		t.Errorf("the newest notice is not first: %q", notices.First().Text())
	}
	cases := doc.Find("#home-cases li a")
	if cases.Length() == 0 || !strings.HasPrefix(cases.First().AttrOr("href", ""), "/cases/") {
		t.Fatalf("no latest cases: %d", cases.Length())
	}
}
