package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/uploads"
)

// A town uploads a session's 培训资料: a file that is not a PDF, JPG or PNG (by its content) or a missing title
// is refused at the field with nothing kept; a good one is listed and downloads as an attachment, for the district
// too, and another town gets 404.
func TestSessionMaterialsUploadAndDownload(t *testing.T) {
	a := flowApp(t)
	var session int64
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT min(id) FROM training_sessions WHERE town_code = $1`,
		seed.TownShuanglonghu).Scan(&session); err != nil || session == 0 {
		t.Fatalf("demo session: %v", err)
	}
	page := "/town/training/sessions/" + strconv.FormatInt(session, 10)
	c := a.signedIn("demo-town")
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	before := a.count(`SELECT count(*) FROM training_materials`)

	res := c.postMultipart(page+"/materials", url.Values{"material_title": {"课件：财务管理"}, "seen": {seenOf(t, c, page, "#material-form")}},
		[]upload{{"material", "课件.pdf", []byte("这不是 PDF，只是改了扩展名的文本。")}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldMsg(t, res, "material"), "PDF") {
		t.Fatalf("a text file: %d %q", res.StatusCode, fieldMsg(t, res, "material"))
	}
	if v, _ := res.doc(t).Find("#material_title").Attr("value"); v != "课件：财务管理" {
		t.Fatalf("title not kept: %q", v)
	}
	res = c.postMultipart(page+"/materials", url.Values{"material_title": {""}, "seen": {seenOf(t, c, page, "#material-form")}}, []upload{{"material", "课件.pdf", pdf}})
	if res.StatusCode != http.StatusUnprocessableEntity || fieldMsg(t, res, "material_title") == "" {
		t.Fatalf("no title: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM training_materials`) != before {
		t.Fatal("a refused material was written")
	}

	res = c.postMultipart(page+"/materials", url.Values{"material_title": {"课件：财务管理"}, "seen": {seenOf(t, c, page, "#material-form")}}, []upload{{"material", "课件.pdf", pdf}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("good material: %d %s", res.StatusCode, res.Body)
	}
	link, ok := c.get(page).doc(t).Find(`#materials a`).Attr("href")
	if !ok || !strings.HasPrefix(link, page+"/materials/") {
		t.Fatalf("material link %q", link)
	}
	dl := c.get(link)
	if dl.StatusCode != http.StatusOK || dl.Body != string(pdf) || !strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %q", dl.StatusCode, dl.Header.Get("Content-Disposition"))
	}
	if got := a.signedIn("demo-district").get("/district" + strings.TrimPrefix(link, "/town")); got.StatusCode != http.StatusOK {
		t.Fatalf("district download: %d", got.StatusCode)
	}
	if got := a.signedIn("demo-town2").get(link); got.StatusCode != http.StatusNotFound {
		t.Fatalf("another town's download: %d", got.StatusCode)
	}
}

// uploadSessionMaterial gives every session of the two demo towns a 培训资料 file, whichever a crawl opens.
func uploadSessionMaterial(t *testing.T, a *app, town *client) {
	t.Helper()
	for _, tc := range []struct {
		c    *client
		code string
	}{{town, seed.TownShuanglonghu}, {a.signedIn("demo-town2"), seed.TownTongjing}} {
		rows, err := a.db.Pool.Query(context.Background(), `SELECT id FROM training_sessions WHERE town_code = $1`, tc.code)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			_ = rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			page := "/town/training/sessions/" + strconv.FormatInt(id, 10)
			res := tc.c.postMultipart(page+"/materials",
				url.Values{"material_title": {"课件"}, "seen": {seenOf(t, tc.c, page, "#material-form")}}, []upload{{"material", "课件.pdf", []byte("%PDF-1.4\n%%EOF\n")}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("material upload: %d", res.StatusCode)
			}
		}
	}
}

// The demo 培训资料 (make run): the loader stores a real PDF through the uploads store once, however often it runs,
// and the session's page offers it for download.
func TestDemoTrainingMaterial(t *testing.T) {
	a := flowApp(t)
	up := uploads.New(a.cfg.UploadDir)
	for range 2 {
		if err := seed.LoadDemoMaterials(context.Background(), a.db, up); err != nil {
			t.Fatal(err)
		}
	}
	var session int64
	if n := a.count(`SELECT count(*) FROM training_materials`); n != 1 {
		t.Fatalf("%d demo materials", n)
	}
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT session_id FROM training_materials`).Scan(&session)
	page := "/town/training/sessions/" + strconv.FormatInt(session, 10)
	link, ok := a.signedIn("demo-town").get(page).doc(t).Find(`#materials a`).Attr("href")
	if !ok {
		t.Fatal("the session's page does not list the demo material")
	}
	res := a.signedIn("demo-town").get(link)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "%PDF-") || !strings.Contains(res.Body, "STSong-Light") {
		t.Fatalf("demo material download: %d", res.StatusCode)
	}
}
