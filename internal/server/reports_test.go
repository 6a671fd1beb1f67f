package server

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/seed"
)

// reportFile is one file part of a multipart form.
type reportFile struct {
	field, name string
	body        []byte
}

// reportMultipart encodes fields and files as a browser would.
func reportMultipart(t testing.TB, fields url.Values, files []reportFile) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(f.body)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), buf.Bytes()
}

func (c *client) postReportForm(path string, fields url.Values, files []reportFile) response {
	c.t.Helper()
	ct, body := reportMultipart(c.t, fields, files)
	req, err := http.NewRequest(http.MethodPost, c.app.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", c.app.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// reportPNG is a real PNG of w × h pixels, half transparent, made with image/png.
func reportPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 200, A: uint8(128 + x%128)})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// reportGroup is the first group a community may file reports for.
func (a *app) reportGroup(community string) int64 {
	a.t.Helper()
	gs, err := a.db.ReportGroups(context.Background(), portal.Scope{Tier: portal.TierCommunity, Division: community})
	if err != nil || len(gs) == 0 {
		a.t.Fatalf("groups of %s: %v", community, err)
	}
	return gs[0].ID
}

func reportToday() string { return time.Now().In(beijing).Format("2006-01-02") }

// reportForm is a good report form for group org.
func reportForm(org int64, title string) url.Values {
	return url.Values{"org": {strconv.FormatInt(org, 10)}, "activity_date": {reportToday()}, "title": {title},
		"place": {"党群服务中心活动室"}, "series": {"邻里守望"}, "category": {"走访慰问"}, "participants": {"30"},
		"volunteers": {"6"}, "volunteer_hours": {"12.5"}, "beneficiary_2": {"9"}, "beneficiary_4": {"3"},
		"description": {"入户走访空巢老人，送去慰问品。"}}
}

func reportUploadFiles(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// reportIDFrom is the id at the end of a redirect to a report's page.
func reportIDFrom(t *testing.T, res response) int64 {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("want 303, got %d: %s", res.StatusCode, res.Body)
	}
	loc := res.Header.Get("Location")
	id, err := strconv.ParseInt(loc[strings.LastIndex(loc, "/")+1:], 10, 64)
	if err != nil {
		t.Fatalf("redirect to %q", loc)
	}
	return id
}

func reportListed(t *testing.T, res response, id int64) bool {
	t.Helper()
	return res.doc(t).Find(`#reports tr[data-id="`+strconv.FormatInt(id, 10)+`"]`).Length() > 0
}

// A committee files a report with a real photo; the photo and its thumbnail are stored; the town and the
// district see the report and its thumbnail, another town and another community get 404 and find nothing.
func TestReportFiledWithPhotoIsSeenUpwardOnly(t *testing.T) {
	dir := t.TempDir()
	a := newApp(t, func(c *config.Config) { c.UploadDir = dir })
	community := a.signedIn("demo-community")
	org := a.reportGroup(seed.CommunityDemo)

	res := community.get("/community/reports/new")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("new form: %d", res.StatusCode)
	}
	if res.doc(t).Find(`select#org option[value="`+strconv.FormatInt(org, 10)+`"]`).Length() != 1 {
		t.Fatal("the form does not offer the community's group")
	}
	title := "邻里守望入户走访" + strconv.FormatInt(time.Now().UnixNano()%100000, 10)
	res = community.postReportForm("/community/reports", reportForm(org, title),
		[]reportFile{{"photos", "现场.png", reportPNG(t, 800, 500)}})
	id := reportIDFrom(t, res)

	var tenths, total int
	var townCode string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT (volunteer_hours * 10)::int, beneficiaries_total, town_code
		FROM activity_reports WHERE id = $1`, id).Scan(&tenths, &total, &townCode); err != nil {
		t.Fatal(err)
	}
	if tenths != 125 || total != 12 || townCode != seed.TownShuanglonghu {
		t.Errorf("stored: hours×10 %d, total %d, town %s", tenths, total, townCode)
	}
	var photoID int64
	var key, thumb, ct string
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT id, storage_key, thumb_key, content_type
		FROM report_photos WHERE report_id = $1`, id).Scan(&photoID, &key, &thumb, &ct); err != nil {
		t.Fatal(err)
	}
	if ct != "image/png" {
		t.Errorf("content type %s", ct)
	}
	for _, k := range []string{key, thumb} {
		if _, err := os.Stat(filepath.Join(dir, k)); err != nil {
			t.Errorf("stored file %s: %v", k, err)
		}
	}
	tb, _ := os.ReadFile(filepath.Join(dir, thumb))
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(tb)); err != nil || cfg.Width != 320 || cfg.Height != 200 {
		t.Errorf("thumbnail: %+v %v", cfg, err)
	}

	res = community.get("/community/reports/" + itoa64(id))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("detail: %d", res.StatusCode)
	}
	thumbPath := "/reports/" + itoa64(id) + "/photos/" + itoa64(photoID) + "/thumb"
	if src, _ := res.doc(t).Find("#photos img").Attr("src"); src != "/community"+thumbPath {
		t.Errorf("thumbnail src %q", src)
	}
	for _, who := range []struct{ user, tier, ct string }{{"demo-community", "community", "image/jpeg"},
		{"demo-town", "town", "image/jpeg"}, {"demo-district", "district", "image/jpeg"}} {
		c := community
		if who.user != "demo-community" {
			c = a.signedIn(who.user)
		}
		res := c.get("/" + who.tier + thumbPath)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != who.ct ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s thumbnail: %d %s", who.user, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	res = community.get("/community" + strings.TrimSuffix(thumbPath, "/thumb"))
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" || len(res.Body) < 100 {
		t.Errorf("original: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}

	town, town2 := a.signedIn("demo-town"), a.signedIn("demo-town2")
	community2, district := a.signedIn("demo-community2"), a.signedIn("demo-district")
	for _, c := range []struct {
		c    *client
		path string
	}{{town2, "/town" + thumbPath}, {community2, "/community" + thumbPath}, {town2, "/town/reports/" + itoa64(id)},
		{community2, "/community/reports/" + itoa64(id)}, {town2, "/town/orgs/" + itoa64(org) + "/reports"},
		{community2, "/community/reports/" + itoa64(id) + "/correct"}} {
		if res := c.c.get(c.path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: want 404, got %d", c.path, res.StatusCode)
		}
	}
	if res := town.get("/town/reports"); !reportListed(t, res, id) {
		t.Error("demo-town does not see the report in its list")
	}
	if res := town.get("/town/reports/" + itoa64(id)); res.StatusCode != http.StatusOK ||
		res.doc(t).Find("#correct").Length() != 0 {
		t.Errorf("town detail: %d, and a town may not correct", res.StatusCode)
	}
	if res := town2.get("/town/reports"); reportListed(t, res, id) {
		t.Error("demo-town2 sees another town's report")
	}
	if res := town2.get("/town/reports/export.csv"); res.StatusCode != http.StatusOK || strings.Contains(res.Body, title) {
		t.Errorf("demo-town2's export: %d, holds the report: %v", res.StatusCode, strings.Contains(res.Body, title))
	}
	if res := town2.get("/town/reports?community=" + seed.CommunityDemo); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a foreign community filter: want 422, got %d", res.StatusCode)
	}
	if res := district.get("/district/reports?town=" + seed.TownShuanglonghu); !reportListed(t, res, id) {
		t.Error("demo-district does not see the report")
	}
	if res := community2.get("/community/reports"); reportListed(t, res, id) {
		t.Error("demo-community2 sees another community's report")
	}
	// The group's history, from each tier that sees the group.
	for _, c := range []struct {
		c    *client
		path string
	}{{community, "/community"}, {town, "/town"}, {district, "/district"}} {
		res := c.c.get(c.path + "/orgs/" + itoa64(org) + "/reports")
		if res.StatusCode != http.StatusOK || !reportListed(t, res, id) {
			t.Errorf("%s group history: %d", c.path, res.StatusCode)
		}
	}
}

// Exports hold the town's reports with formula-like cells neutralised, in CSV and xlsx, and are audited.
func TestReportExportNeutralisesFormulas(t *testing.T) {
	a := newApp(t, func(c *config.Config) { c.UploadDir = t.TempDir() })
	community := a.signedIn("demo-community")
	f := reportForm(a.reportGroup(seed.CommunityDemo), "=HYPERLINK(\"http://x\")活动")
	f.Set("place", "+1 会议室")
	f.Set("description", "@SUM(A1) 与 -2")
	reportIDFrom(t, community.postReportForm("/community/reports", f, nil))

	town := a.signedIn("demo-town")
	res := town.get("/town/reports/export.csv?series=" + url.QueryEscape("邻里守望"))
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "\ufeff") {
		t.Fatalf("csv: %d", res.StatusCode)
	}
	for _, want := range []string{`"'=HYPERLINK(""http://x"")活动"`, "'+1 会议室", "'@SUM(A1) 与 -2"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("csv lacks %s", want)
		}
	}
	res = town.get("/town/reports/export.xlsx")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("xlsx: %d", res.StatusCode)
	}
	x, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("活动报告")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 3 && r[3] == `'=HYPERLINK("http://x")活动` {
			found = true
		}
	}
	if !found || len(rows) < 2 {
		t.Errorf("xlsx: neutralised title not found in %d rows", len(rows))
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'report.export' AND actor_username = 'demo-town'`); n != 2 {
		t.Errorf("export audit rows: %d", n)
	}
}

// A correction is a new revision: the old one stays readable as history, the list shows the new one once, and
// two corrections made from the same form get one 303 and one 409.
func TestReportCorrectionKeepsHistory(t *testing.T) {
	dir := t.TempDir()
	a := newApp(t, func(c *config.Config) { c.UploadDir = dir })
	community := a.signedIn("demo-community")
	org := a.reportGroup(seed.CommunityDemo)
	id := reportIDFrom(t, community.postReportForm("/community/reports", reportForm(org, "首次提交的活动"),
		[]reportFile{{"photos", "a.png", reportPNG(t, 40, 30)}}))

	res := community.get("/community/reports/" + itoa64(id) + "/correct")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("correct form: %d", res.StatusCode)
	}
	doc := res.doc(t)
	if v, _ := doc.Find("#title").Attr("value"); v != "首次提交的活动" {
		t.Errorf("form not prefilled: title %q", v)
	}
	version, _ := doc.Find(`input[name="version"]`).Attr("value")
	keep, _ := doc.Find(`input[name="keep_photo"]`).Attr("value")
	f := reportForm(org, "更正后的活动")
	f.Set("version", version)
	f.Set("correction_reason", "活动名称写错")
	f.Set("keep_photo", keep)
	newID := reportIDFrom(t, community.postReportForm("/community/reports/"+itoa64(id)+"/correct", f, nil))

	res = community.get("/community/reports/" + itoa64(newID))
	doc = res.doc(t)
	if doc.Find("#history tbody tr").Length() != 2 || doc.Find("#photos img").Length() != 1 {
		t.Errorf("new revision: %d history rows, %d photos", doc.Find("#history tbody tr").Length(), doc.Find("#photos img").Length())
	}
	res = community.get("/community/reports/" + itoa64(id))
	if res.StatusCode != http.StatusOK || res.doc(t).Find("#superseded").Length() != 1 ||
		!strings.Contains(res.doc(t).Find("h1").Text(), "首次提交的活动") {
		t.Errorf("old revision: %d", res.StatusCode)
	}
	for _, path := range []string{"/community/reports", "/community/orgs/" + itoa64(org) + "/reports"} {
		res = community.get(path)
		if reportListed(t, res, id) || !reportListed(t, res, newID) || strings.Count(res.Body, "更正后的活动") != 1 {
			t.Errorf("%s should list the new revision once and not the old", path)
		}
	}
	// The stale form again: 409, nothing written.
	before := a.count(`SELECT count(*) FROM activity_reports`)
	if res := community.postReportForm("/community/reports/"+itoa64(id)+"/correct", f, nil); res.StatusCode != http.StatusConflict {
		t.Errorf("stale correction: want 409, got %d", res.StatusCode)
	}

	// Two corrections of the current revision at once.
	res = community.get("/community/reports/" + itoa64(newID) + "/correct")
	version, _ = res.doc(t).Find(`input[name="version"]`).Attr("value")
	f = reportForm(org, "并发更正")
	f.Set("version", version)
	f.Set("correction_reason", "并发")
	ct, body := reportMultipart(t, f, nil)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/community/reports/"+itoa64(newID)+"/correct", bytes.NewReader(body))
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Origin", a.srv.URL)
			res, err := community.http.Do(req)
			if err != nil {
				return
			}
			res.Body.Close()
			codes[i] = res.StatusCode
		})
	}
	wg.Wait()
	if !(codes[0] == 303 && codes[1] == 409 || codes[0] == 409 && codes[1] == 303) {
		t.Errorf("concurrent corrections: %v, want one 303 and one 409", codes)
	}
	if n := a.count(`SELECT count(*) FROM activity_reports`); n != before+1 {
		t.Errorf("concurrent corrections wrote %d rows, want 1", n-before)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'report.correct'`); n != 2 {
		t.Errorf("correction audit rows: %d", n)
	}
}

// Bad input: 422 with a message at the field, the input kept, a note that files must be chosen again, and
// nothing written — no row, no file.
func TestReportBadInputWritesNothing(t *testing.T) {
	dir := t.TempDir()
	a := newApp(t, func(c *config.Config) { c.UploadDir = dir })
	community := a.signedIn("demo-community")
	org := a.reportGroup(seed.CommunityDemo)
	foreign := a.reportGroup(seed.CommunityDemoRural)
	before := a.count(`SELECT count(*) FROM activity_reports`)
	photosBefore := a.count(`SELECT count(*) FROM report_photos`)

	tomorrow := time.Now().In(beijing).AddDate(0, 0, 1).Format("2006-01-02")
	cases := []struct {
		name, field string
		change      func(url.Values)
		files       []reportFile
	}{
		{"text file renamed .png", "photos", func(url.Values) {},
			[]reportFile{{"photos", "ok.png", reportPNG(t, 10, 10)}, {"photos", "notes.png", []byte("这不是图片，只是文字。\n")}}},
		{"truncated png", "photos", func(url.Values) {},
			[]reportFile{{"photos", "half.png", reportPNG(t, 200, 200)[:300]}}},
		{"seven photos", "photos", func(url.Values) {}, func() []reportFile {
			var fs []reportFile
			for range 7 {
				fs = append(fs, reportFile{"photos", "p.png", reportPNG(t, 4, 4)})
			}
			return fs
		}()},
		{"future date", "activity_date", func(f url.Values) { f.Set("activity_date", tomorrow) }, nil},
		{"bad date", "activity_date", func(f url.Values) { f.Set("activity_date", "2024-13-40") }, nil},
		{"negative participants", "participants", func(f url.Values) { f.Set("participants", "-3") }, nil},
		{"negative volunteers", "volunteers", func(f url.Values) { f.Set("volunteers", "-1") }, nil},
		{"negative hours", "volunteer_hours", func(f url.Values) { f.Set("volunteer_hours", "-2") }, nil},
		{"two decimals", "volunteer_hours", func(f url.Values) { f.Set("volunteer_hours", "1.25") }, nil},
		{"negative beneficiaries", "beneficiary_0", func(f url.Values) { f.Set("beneficiary_0", "-5") }, nil},
		{"missing group", "org", func(f url.Values) { f.Del("org") }, nil},
		{"group of another community", "org", func(f url.Values) { f.Set("org", itoa64(foreign)) }, nil},
		{"unknown series", "series", func(f url.Values) { f.Set("series", "随便") }, nil},
		{"missing title", "title", func(f url.Values) { f.Set("title", " ") }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := reportForm(org, "不应保存的活动")
			f.Set("place", "保留的地点<script>")
			tc.change(f)
			res := community.postReportForm("/community/reports", f, tc.files)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("want 422, got %d", res.StatusCode)
			}
			doc := res.doc(t)
			if doc.Find("div.errors li").Length() == 0 {
				t.Error("no summary of problems")
			}
			if doc.Find("#"+tc.field).Closest(".field").Find(".msg").Length() == 0 {
				t.Errorf("no message at %s", tc.field)
			}
			if v, _ := doc.Find("#place").Attr("value"); v != "保留的地点<script>" {
				t.Errorf("input not kept: %q", v)
			}
			if doc.Find("#rechoose").Length() != 1 {
				t.Error("the page does not say photos must be chosen again")
			}
		})
	}
	if n := a.count(`SELECT count(*) FROM activity_reports`); n != before {
		t.Errorf("refused forms wrote %d reports", n-before)
	}
	if n := a.count(`SELECT count(*) FROM report_photos`); n != photosBefore {
		t.Errorf("refused forms wrote %d photo rows", n-photosBefore)
	}
	if fs := reportUploadFiles(t, dir); len(fs) != 0 {
		t.Errorf("refused forms left files: %v", fs)
	}
	if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'report.create'`); n != 0 {
		t.Errorf("refused forms wrote %d audit rows", n)
	}
}
