package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/config"
)

// However many visitors come at once, no more than the bound are served at the same time, and every one of them
// is served once a turn is free.
func TestPublicTurnsBoundPagesServedAtOnce(t *testing.T) {
	const bound, visitors = 3, 24
	var now, most atomic.Int32
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := now.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(5 * time.Millisecond)
		now.Add(-1)
		w.WriteHeader(http.StatusOK)
	})
	turns := newPublicTurns(bound, &responder{log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	h := turns.hold(page)
	var wg sync.WaitGroup
	var served atomic.Int32
	for range visitors {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/orgs", nil))
			if rec.Code == http.StatusOK {
				served.Add(1)
			}
		})
	}
	wg.Wait()
	if most.Load() != bound {
		t.Errorf("%d pages were served at once, want %d", most.Load(), bound)
	}
	if served.Load() != visitors {
		t.Errorf("%d of %d visitors were served", served.Load(), visitors)
	}
	if len(turns.slots) != 0 {
		t.Errorf("%d turns were not given back", len(turns.slots))
	}
}

// A visitor who waits past PORTAL_DB_TIMEOUT for a turn gets a 503 page saying the portal is busy, which no
// cache keeps; signed-in pages do not wait for public turns; a turn given back serves the next visitor.
func TestPublicPagesWaitTheirTurn(t *testing.T) {
	a := newApp(t, func(c *config.Config) { c.PublicConcurrency, c.DBTimeout = 2, 300*time.Millisecond })
	turns := a.server.publicTurns
	turns.slots <- struct{}{}
	turns.slots <- struct{}{} // every turn taken, as by two slow visitors
	anon := a.client()
	search := "/orgs?q=" + url.QueryEscape("舞蹈")
	start := time.Now()
	res := anon.get(search)
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(res.Body, "系统繁忙") ||
		!strings.Contains(res.Body, "当前访问人数较多") {
		t.Fatalf("with every turn taken: %d, want 503 with 系统繁忙", res.StatusCode)
	}
	if waited := time.Since(start); waited < a.cfg.DBTimeout {
		t.Errorf("refused after %s, before the deadline of %s", waited, a.cfg.DBTimeout)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the busy page's Cache-Control is %q", cc)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("the busy page says nothing of when to come back")
	}
	if res := a.signedIn("demo-district").get("/district/charities"); res.StatusCode != http.StatusOK {
		t.Errorf("a signed-in page waited for a public turn: %d", res.StatusCode)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		<-turns.slots // one slow visitor is done
	}()
	if res := anon.get(search); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "舞蹈") {
		t.Fatalf("with a turn given back: %d", res.StatusCode)
	}
	if len(turns.slots) != 1 {
		t.Errorf("%d turns held after the page, want the one still taken", len(turns.slots))
	}
}
