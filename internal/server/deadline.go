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

func isLongRequest(r *http.Request) bool {
	p := r.URL.Path
	return strings.HasSuffix(p, "/export.xlsx") || strings.HasSuffix(p, "/export.csv") ||
		strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}
