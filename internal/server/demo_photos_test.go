package server

import (
	"bytes"
	"image"
	"image/jpeg"
	"net/http"
	"strconv"
	"testing"

	"github.com/yubei-cso/portal/internal/photos"
	"github.com/yubei-cso/portal/internal/seed"
)

// The demo photos: after LoadDemoPhotos every published demo case and a few profiles show real pictures, served
// as JPEGs that decode and carry no metadata segment (no Exif, no XMP); a second load adds nothing.
func TestDemoPhotosShowOnPublicPages(t *testing.T) {
	a := newApp(t, caseUploads(t))
	ph := photos.New(a.cfg.UploadDir)
	if loaded, err := seed.LoadDemoPhotos(t.Context(), a.db, ph); err != nil || !loaded {
		t.Fatalf("load: %v %v", loaded, err)
	}
	if loaded, err := seed.LoadDemoPhotos(t.Context(), a.db, ph); err != nil || loaded {
		t.Fatalf("second load: %v %v", loaded, err)
	}
	if n := a.count(`SELECT count(*) FROM typical_cases c WHERE status = 'published'
		AND NOT EXISTS (SELECT FROM typical_case_photos p WHERE p.case_id = c.id)`); n != 0 {
		t.Fatalf("%d published cases without photos", n)
	}
	anon := a.client()
	check := func(src string) {
		t.Helper()
		res := anon.get(src)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("%s: %d %s", src, res.StatusCode, res.Header.Get("Content-Type"))
		}
		b := []byte(res.Body)
		if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
			t.Fatalf("%s does not decode: %v", src, err)
		}
		if cfg, _, _ := image.DecodeConfig(bytes.NewReader(b)); cfg.Width < 100 {
			t.Fatalf("%s is %d wide", src, cfg.Width)
		}
		if bytes.Contains(b, []byte{0xFF, 0xE1}) || bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte("GPS")) {
			t.Fatalf("%s carries a metadata segment", src)
		}
	}
	var caseID int64
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT min(id) FROM typical_cases WHERE status = 'published'`).Scan(&caseID); err != nil {
		t.Fatal(err)
	}
	imgs := anon.get("/cases/" + strconv.FormatInt(caseID, 10)).doc(t).Find("#photos img")
	if imgs.Length() == 0 {
		t.Fatal("the public case page shows no photo")
	}
	check(imgs.First().AttrOr("src", ""))
	check(imgs.First().Parent().AttrOr("href", ""))

	var orgID int64
	if err := a.db.Pool.QueryRow(t.Context(), `SELECT min(r.org_id) FROM report_photos p
		JOIN activity_reports r ON r.id = p.report_id WHERE p.public`).Scan(&orgID); err != nil {
		t.Fatal(err)
	}
	imgs = anon.get("/orgs/" + strconv.FormatInt(orgID, 10)).doc(t).Find("#public-photos img")
	if imgs.Length() == 0 {
		t.Fatal("the profile shows no public photo")
	}
	check(imgs.First().AttrOr("src", ""))
	check(imgs.First().Parent().AttrOr("href", ""))
}
