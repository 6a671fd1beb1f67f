// Caching of the public pages: they show the same bytes to everyone (no session is read, no cookie set), so
// browsers and proxies may keep them for a minute and revalidate them by ETag.
package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
)

// publicCSP is the policy of a public page. Its one script is the site's own file, allowed as 'self' rather
// than by a nonce: a nonce differs per response, which would make every copy of the page different and no
// ETag ever match. Inline script stays forbidden.
const publicCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// publicPage makes a page cacheable: rendered without a nonce, sent with Cache-Control public for a minute and
// a strong ETag of its bytes, and answered 304 when the client holds those bytes already. Only a 200 is
// cacheable; any other answer (400, 404, 422, 429, 5xx) is no-store.
func publicPage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", publicCSP)
		buf := &bufferedResponse{header: w.Header(), body: templ.GetBuffer()}
		defer templ.ReleaseBuffer(buf.body)
		next.ServeHTTP(buf, r.WithContext(templ.WithNonce(r.Context(), "")))
		h := w.Header()
		if buf.status == 0 {
			buf.status = http.StatusOK
		}
		if buf.status != http.StatusOK {
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(buf.status)
			_, _ = w.Write(buf.body.Bytes())
			return
		}
		sum := sha256.Sum256(buf.body.Bytes())
		etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
		h.Set("Cache-Control", "public, max-age=60")
		h.Set("ETag", etag)
		if match := r.Header.Get("If-None-Match"); match != "" && (match == etag || match == "W/"+etag) {
			h.Del("Content-Length")
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Length", strconv.Itoa(buf.body.Len()))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf.body.Bytes())
	})
}

// publicDownload marks a streamed public file cacheable for an hour; it is not buffered, so it has no ETag.
func publicDownload(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// bufferedResponse holds a response until the handler is done, so that its ETag can be computed. Its body is a
// buffer of templ's pool, as the page's own rendering uses: a directory page grew a fresh one to 16 KB in five
// steps on every request.
type bufferedResponse struct {
	header http.Header
	status int
	body   *bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
