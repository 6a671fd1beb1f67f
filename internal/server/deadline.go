package server

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/auth"
)

// longRequestLimit bounds the requests that rightly take long (an export streaming a whole registry, an upload
// read from a slow line and checked): the write timeout of the HTTP server.
const longRequestLimit = 10 * time.Minute

// dbDeadline gives every request a deadline of PORTAL_DB_TIMEOUT, so that a database that stops answering (a
// held lock, a network that swallows packets) ends in a 503 page within that time rather than a request that
// hangs (SECURITY.md 22). A request waits on nothing else for long: pages are rendered from memory after
// their reads. Exports and uploads are the exceptions and get longRequestLimit; their statements are bounded by
// the server-side limits of the pool's connections all the same.
func (s *Server) dbDeadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.cfg.DBTimeout
		switch {
		case isLongRequest(r):
			limit = longRequestLimit
		case r.Method == http.MethodPost && (r.URL.Path == "/login" || r.URL.Path == "/account/password"):
			// A password is checked first, in a queue of its own with its own deadline (auth.QueueWait).
			limit += auth.QueueWait
		}
		ctx, cancel := context.WithTimeout(r.Context(), limit)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// isLongRequest: a download (any path ending in a file's extension: the registry's exports, the open data, the
// money exports) or an upload. Naming the downloads by their extension rather than by a list keeps a new
// export from being cut off at PORTAL_DB_TIMEOUT halfway through 2 million rows, which the open-data CSV was.
func isLongRequest(r *http.Request) bool {
	p := r.URL.Path
	for _, ext := range []string{".xlsx", ".csv", ".json"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}
