package server

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/seed"
)

// gpsJPEG is a real JPEG whose Exif block holds a GPS IFD (latitude 29°43′N), as a phone camera writes it.
func gpsJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	tiff := []byte{'I', 'I', 0x2A, 0, 8, 0, 0, 0}
	tiff = le.AppendUint16(tiff, 1) // IFD0: one entry, the GPS IFD pointer
	tiff = le.AppendUint16(tiff, 0x8825)
	tiff = le.AppendUint16(tiff, 4)
	tiff = le.AppendUint32(tiff, 1)
	tiff = le.AppendUint32(tiff, 26)
	tiff = le.AppendUint32(tiff, 0)
	tiff = le.AppendUint16(tiff, 2) // GPS IFD at 26: GPSLatitudeRef "N", GPSLatitude at 56
	tiff = append(le.AppendUint16(le.AppendUint16(tiff, 1), 2), 2, 0, 0, 0, 'N', 0, 0, 0)
	tiff = le.AppendUint32(le.AppendUint32(le.AppendUint16(le.AppendUint16(tiff, 2), 5), 3), 56)
	tiff = le.AppendUint32(tiff, 0)
	for _, v := range []uint32{29, 1, 43, 1, 0, 1} {
		tiff = le.AppendUint32(tiff, v)
	}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	app1 := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE1}, uint16(len(payload)+2))
	app1 = append(app1, payload...)
	b := buf.Bytes()
	out := append(append(append([]byte{}, b[:2]...), app1...), b[2:]...)
	if !hasGPSExif(out) {
		t.Fatal("the test photo's GPS tag is not found: the walk's check would prove nothing")
	}
	return out
}

// hasGPSExif reports whether a JPEG's or PNG's Exif block holds a GPS IFD (tag 0x8825 in IFD0).
func hasGPSExif(b []byte) bool {
	if len(b) > 8 && string(b[1:4]) == "PNG" {
		for i := 8; i+8 <= len(b); {
			n := int(binary.BigEndian.Uint32(b[i:]))
			if i+12+n > len(b) {
				return false
			}
			if string(b[i+4:i+8]) == "eXIf" && tiffHasGPS(b[i+8:i+8+n]) {
				return true
			}
			i += 12 + n
		}
		return false
	}
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return false
	}
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		marker, n := b[i+1], int(binary.BigEndian.Uint16(b[i+2:]))
		if marker == 0xDA || marker == 0xD9 || i+2+n > len(b) {
			return false
		}
		if seg := b[i+4 : i+2+n]; marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) && tiffHasGPS(seg[6:]) {
			return true
		}
		i += 2 + n
	}
	return false
}

// tiffHasGPS reports whether the first IFD of a TIFF structure has the GPS IFD pointer.
func tiffHasGPS(t []byte) bool {
	if len(t) < 8 {
		return false
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if t[0] == 'M' {
		bo = binary.BigEndian
	}
	off := int(bo.Uint32(t[4:]))
	if off+2 > len(t) {
		return false
	}
	n := int(bo.Uint16(t[off:]))
	for e := 0; e < n; e++ {
		at := off + 2 + 12*e
		if at+12 > len(t) {
			return false
		}
		if bo.Uint16(t[at:]) == 0x8825 {
			return true
		}
	}
	return false
}

// publishGPSPhoto files a report with a GPS-tagged photo for a guided group of the demo community and marks
// the photo public, as the committee does; it returns the group's id and the photo's.
func publishGPSPhoto(t *testing.T, a *app) (int64, int64) {
	t.Helper()
	c := a.signedIn("demo-community")
	org := a.reportGroup(seed.CommunityDemo)
	res := c.postReportForm("/community/reports", reportForm(org, "邻里节合影"), []reportFile{{"photos", "IMG_0001.jpg", gpsJPEG(t)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report with a photo: %d", res.StatusCode)
	}
	report := res.Header.Get("Location")
	var photo int64
	var version int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT p.id, r.version FROM report_photos p
		JOIN activity_reports r ON r.id = p.report_id WHERE r.id = $1`, report[strings.LastIndex(report, "/")+1:]).Scan(&photo, &version); err != nil {
		t.Fatal(err)
	}
	page := c.get(report)
	if page.doc(t).Find(`#photos-public-form input[name=public]`).Length() != 1 {
		t.Fatal("the report page offers no public mark for its photo")
	}
	res = c.post(report+"/photos/public", url.Values{"version": {strconv.Itoa(version)}, "public": {strconv.FormatInt(photo, 10)}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("mark public: %d", res.StatusCode)
	}
	return org, photo
}

// A photo is on the profile only once the committee marks it public, and the file served has no GPS tag; a
// stale mark is 409 and changes nothing.
func TestPublicPhotosOnlyMarkedAndStripped(t *testing.T) {
	a := newApp(t, func(c *config.Config) { c.UploadDir = t.TempDir() })
	anon := a.client()
	org, photo := publishGPSPhoto(t, a)
	path := "/orgs/" + strconv.FormatInt(org, 10) + "/photos/" + strconv.FormatInt(photo, 10)
	profile := anon.get("/orgs/" + strconv.FormatInt(org, 10))
	if src, _ := profile.doc(t).Find("#public-photos img").Attr("src"); src != path+"/thumb" {
		t.Fatalf("the profile does not show the marked photo: %q", src)
	}
	for _, p := range []string{path, path + "/thumb"} {
		res := anon.get(p)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "image/") {
			t.Fatalf("%s: %d %s", p, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if hasGPSExif([]byte(res.Body)) {
			t.Errorf("%s holds a GPS tag", p)
		}
	}
	// A stale version changes nothing; unmarking takes the photo off the profile and its address.
	c := a.signedIn("demo-community")
	var report int64
	var version int
	_ = a.db.Pool.QueryRow(context.Background(), `SELECT report_id, r.version FROM report_photos p JOIN activity_reports r ON r.id = p.report_id
		WHERE p.id = $1`, photo).Scan(&report, &version)
	mark := "/community/reports/" + strconv.FormatInt(report, 10) + "/photos/public"
	if res := c.post(mark, url.Values{"version": {strconv.Itoa(version - 1)}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("stale mark: %d", res.StatusCode)
	}
	if a.count(`SELECT count(*) FROM report_photos WHERE public`) != 1 {
		t.Fatal("a stale mark changed the photos")
	}
	if res := c.post(mark, url.Values{"version": {strconv.Itoa(version)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unmark: %d", res.StatusCode)
	}
	if res := anon.get(path); res.StatusCode != http.StatusNotFound {
		t.Fatalf("an unmarked photo is served: %d", res.StatusCode)
	}
	if anon.get("/orgs/"+strconv.FormatInt(org, 10)).doc(t).Find("#public-photos").Length() != 0 {
		t.Fatal("an unmarked photo is on the profile")
	}
}
