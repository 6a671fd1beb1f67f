package server

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/uploads"
)

// TestCharityRecognition: the district records that a registered group is a 慈善组织 with the date, the deciding
// body and the document (bad input is 422 at the field, input kept, no row and no file; a missing or stale token
// 409), then revokes it; the record shows the standing and the document to the town (another town's clerk gets
// 404 for it); the register lists it; another tier cannot record.
func TestCharityRecognition(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "uploads")
	a := newApp(t, func(c *config.Config) { c.UploadDir = dir })
	org := strconv.Itoa(a.count(`SELECT id FROM organizations WHERE tier = 'registered' AND status = 'normal'
		AND town_code = '500112002' ORDER BY id LIMIT 1`))
	record := "/district/orgs/" + org
	district := a.signedIn("demo-district")
	d := district.get(record).doc(t)
	if got := d.Find("#charity-standing").Text(); got != "未认定为慈善组织" {
		t.Fatalf("standing %q", got)
	}
	if v, _ := d.Find(`#charity-form input[name="decisions"]`).Attr("value"); v != "0" {
		t.Fatalf("the form's token is %q", v)
	}
	writes := func() int {
		return a.count(`SELECT (SELECT count(*) FROM charity_recognitions) + (SELECT count(*) FROM org_events WHERE org_id = $1)`, org)
	}
	files := func() int {
		entries, _ := os.ReadDir(dir)
		return len(entries)
	}
	before, beforeFiles := writes(), files()
	bad := url.Values{"decisions": {"0"}, "charity_status": {"revoked"}, "charity_on": {"2015-01-01"}, "charity_body": {"区"}, "charity_note": {"渝北民发〔2024〕1号"}}
	res := district.postMultipart(record+"/charity", bad, []upload{{"document", "认定决定书.pdf", testPDF()}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", res.StatusCode)
	}
	d = res.doc(t)
	for field, want := range map[string]string{"charity_status": "只能认定", "charity_on": "2016", "charity_body": "认定机关"} {
		if msg := d.Find(`[data-field="` + field + `"] .msg`).Text(); !strings.Contains(msg, want) {
			t.Errorf("%s: message %q, want %q", field, msg, want)
		}
	}
	if v, _ := d.Find("#charity_note").Attr("value"); v != "渝北民发〔2024〕1号" {
		t.Errorf("note not kept: %q", v)
	}
	res = district.postMultipart(record+"/charity", url.Values{"decisions": {"0"}, "charity_status": {"recognized"},
		"charity_on": {"2024-05-06"}, "charity_body": {"重庆市渝北区民政局"}}, nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.doc(t).Find(`[data-field="charity_file"] .msg`).Text(), "请选择") {
		t.Fatalf("no document: %d", res.StatusCode)
	}
	if writes() != before || files() != beforeFiles {
		t.Fatal("a refused decision wrote something")
	}

	good := url.Values{"charity_status": {"recognized"}, "charity_on": {"2024-05-06"}, "charity_body": {"重庆市渝北区民政局"}}
	doc := []upload{{"document", "认定决定书.pdf", testPDF()}}
	if res := district.postMultipart(record+"/charity", good, doc); res.StatusCode != http.StatusConflict {
		t.Fatalf("no token: %d, want 409", res.StatusCode)
	}
	good.Set("decisions", "0")
	if res := district.postMultipart(record+"/charity", good, doc); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("recognizing: %d", res.StatusCode)
	}
	if res := district.postMultipart(record+"/charity", good, doc); res.StatusCode != http.StatusConflict {
		t.Fatalf("posted twice: %d, want 409", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM charity_recognitions WHERE org_id = $1`, org); n != 1 {
		t.Fatalf("%d decisions after a double post", n)
	}
	d = district.get(record).doc(t)
	if got := d.Find("#charity-standing").Text(); !strings.Contains(got, "已认定为慈善组织") || !strings.Contains(got, "2024年5月6日") {
		t.Fatalf("standing %q", got)
	}
	href, ok := d.Find("#charity-decisions a").Attr("href")
	if !ok {
		t.Fatal("no document link for the district")
	}
	if res := district.get(href); res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("the document: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	if !strings.Contains(district.get("/district/charities").Body, `href="`+record+`"`) {
		t.Error("the register does not list the group")
	}

	// the town reads the standing and downloads the document, but has no form and cannot record; another town's
	// clerk gets 404 for the same document
	town := a.signedIn("demo-town")
	td := town.get("/town/orgs/" + org).doc(t)
	if !strings.Contains(td.Find("#charity-standing").Text(), "已认定为慈善组织") || td.Find("#charity-form").Length() != 0 {
		t.Fatalf("the town's record shows %q", td.Find("#org-charity").Text())
	}
	townHref, ok := td.Find("#charity-decisions a").Attr("href")
	if !ok || !strings.HasPrefix(townHref, "/town/orgs/"+org+"/charity/documents/") {
		t.Fatalf("the town's document link %q", townHref)
	}
	if res := town.get(townHref); res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("the town's download: %d", res.StatusCode)
	}
	if res := a.signedIn("demo-town2").get(townHref); res.StatusCode != http.StatusNotFound {
		t.Errorf("another town downloaded the document: %d, want 404", res.StatusCode)
	}
	if res := town.postMultipart("/town/orgs/"+org+"/charity", good, doc); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("a town recording: %d", res.StatusCode)
	}

	// revocation follows recognition
	d = district.get(record).doc(t)
	if v, _ := d.Find(`#charity_status option[selected]`).Attr("value"); v != "revoked" {
		t.Fatalf("the next step offered is %q", v)
	}
	revoke := url.Values{"decisions": {"1"}, "charity_status": {"revoked"}, "charity_on": {"2025-01-10"}, "charity_body": {"重庆市渝北区民政局"}}
	if res := district.postMultipart(record+"/charity", revoke, doc); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoking: %d", res.StatusCode)
	}
	if got := district.get(record).doc(t).Find("#charity-standing").Text(); !strings.Contains(got, "已撤销") {
		t.Fatalf("standing after revocation %q", got)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.charity' AND object_id = $1`, org); n != 2 {
		t.Errorf("%d audit rows, want 2", n)
	}
}

// TestDemoCharityDocumentForEveryTierThatSeesTheGroup: the demo's 慈善组织认定 (loaded once, however often the
// demo starts) is on the registers of the district, its town and its committee, and its document downloads from
// the group's record for each of them, while another town's and another committee's clerks see no row and get
// 404.
func TestDemoCharityDocumentForEveryTierThatSeesTheGroup(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "uploads")
	a := newApp(t, func(c *config.Config) { c.UploadDir = dir })
	up := uploads.New(dir)
	for range 2 {
		if err := seed.LoadDemoCharity(context.Background(), a.db, up); err != nil {
			t.Fatal(err)
		}
	}
	if n := a.count(`SELECT count(*) FROM charity_recognitions`); n != 1 {
		t.Fatalf("%d demo decisions, want 1", n)
	}
	var org int64
	var community string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT o.id, o.community_code FROM charity_recognitions c
		JOIN organizations o ON o.id = c.org_id`).Scan(&org, &community); err != nil {
		t.Fatal(err)
	}
	if community != seed.CommunityDemo {
		t.Fatalf("the demo group is in %s, not the demo committee's community", community)
	}
	rows := a.signedIn("demo-district").get("/district/charities").doc(t).Find("tbody tr")
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "认定为慈善组织") {
		t.Fatalf("the register shows %q", rows.Text())
	}
	id := strconv.FormatInt(org, 10)
	for _, c := range []struct{ user, tier string }{{"demo-district", "district"}, {"demo-town", "town"}, {"demo-community", "community"}} {
		client := a.signedIn(c.user)
		register := client.get("/" + c.tier + "/charities").doc(t)
		if n := register.Find("#charities tbody tr").Length(); n != 1 {
			t.Errorf("%s: the register lists %d groups, want 1", c.user, n)
		}
		xlsx, _ := register.Find("#export-xlsx").Attr("href")
		if rows := titleRows(t, xlsxRows(t, client.get(xlsx), "慈善组织认定"), "慈善组织认定名册"); len(rows) != 2 ||
			rows[1][0] != register.Find("#charities tbody td").First().Text() {
			t.Errorf("%s: the register's spreadsheet %q", c.user, rows)
		}
		href, ok := client.get("/" + c.tier + "/orgs/" + id).doc(t).Find("#charity-decisions a").Attr("href")
		if !ok {
			t.Fatalf("%s: no document link on the record", c.user)
		}
		res := client.get(href)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "%PDF") {
			t.Fatalf("%s: the document: %d", c.user, res.StatusCode)
		}
		other := map[string]string{"district": "", "town": "demo-town2", "community": "demo-community2"}[c.tier]
		if other != "" {
			if n := a.signedIn(other).get("/" + c.tier + "/charities").doc(t).Find("#charities tbody tr").Length(); n != 0 {
				t.Errorf("%s: the register lists another jurisdiction's group", other)
			}
			if rows := titleRows(t, xlsxRows(t, a.signedIn(other).get("/"+c.tier+"/charities.xlsx"), "慈善组织认定"), "慈善组织认定名册"); len(rows) != 1 {
				t.Errorf("%s: the spreadsheet lists another jurisdiction's group: %q", other, rows)
			}
			if res := a.signedIn(other).get(href); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s downloaded another jurisdiction's document: %d, want 404", other, res.StatusCode)
			}
		}
	}
}
