package server

import (
	"net/http"
	"time"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/photos"
)

// sendPhoto sends one stored photo file (a photo or its thumbnail) of an activity report, a 典型案例 or a public
// profile, with the content type stored at upload and never sniffed. A download name (without extension) adds
// the file name and a sandboxing CSP for a photo opened on its own; the public profile's photos go without.
// A row whose file is gone (a restore without the upload folder) is a missing photo, not a crash.
func sendPhoto(w http.ResponseWriter, r *http.Request, rs *responder, ph *photos.Store, photoID int64, key, contentType, name string) {
	f, err := ph.Open(key)
	if err != nil {
		rs.log.Warn("photo file missing", "request_id", requestIDFrom(r.Context()), "photo", photoID)
		rs.notFound(w, r)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if name != "" {
		if contentType == "image/png" {
			name += ".png"
		} else {
			name += ".jpg"
		}
		h.Set("Content-Disposition", export.ContentDisposition(name, name))
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	}
	http.ServeContent(w, r, "", time.Time{}, f)
}
