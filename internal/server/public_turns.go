package server

import (
	"context"
	"errors"
	"net/http"
)

// publicTurns lets at most a fixed number of public pages (PORTAL_PUBLIC_CONCURRENCY, by default one more than
// the cores) be served at once; the others wait their turn in the order they came, until their deadline
// (PORTAL_DB_TIMEOUT), and then get a 503 page that says the portal is busy.
//
// The public side is where traffic can surge, and each public page is mostly one statement's CPU in PostgreSQL.
// Let every open connection run its statement at once and the cores are shared among all of them: on two cores,
// eight backends at once made the directory's p99 29–36 ms at a p50 of 2.5 ms, each statement waiting for the
// others' time slices. Three at once, the rest waiting here, made it 7–8 ms at the same throughput. The bound
// also keeps a public surge from taking every backend the civil servants' pages need: signed-in pages do not
// wait here.
type publicTurns struct {
	slots chan struct{}
	rs    *responder
}

func newPublicTurns(n int, rs *responder) *publicTurns {
	return &publicTurns{slots: make(chan struct{}, max(n, 1)), rs: rs}
}

// hold serves the request once a turn is free, and gives the turn back as soon as the handler has made the page:
// publicPage, around it, writes the buffered page to the visitor after that.
func (t *publicTurns) hold(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case t.slots <- struct{}{}:
		case <-r.Context().Done():
			if errors.Is(r.Context().Err(), context.DeadlineExceeded) {
				t.rs.log.Warn("public page refused: every turn stayed taken until the deadline", "request_id",
					requestIDFrom(r.Context()), "path", r.URL.Path, "turns", cap(t.slots))
				w.Header().Set("Retry-After", "5")
				t.rs.errorPage(w, r, http.StatusServiceUnavailable, "系统繁忙", "当前访问人数较多，请稍后再试。")
			}
			return // or the visitor went away
		}
		defer func() { <-t.slots }()
		next.ServeHTTP(w, r)
	})
}
