package server

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/testdb"
)

// loadResult is one request of the restart load: what it asked, what came back and how long it took.
type loadResult struct {
	what     string
	status   int
	location string
	body     string
	took     time.Duration
	err      error
}

// timedRequest sends one request on c's cookie jar with a hard client-side limit, safe to call from any
// goroutine (it never calls t.Fatal): a hang shows as an error after the limit instead of a stuck test.
func timedRequest(c *client, method, path string, form url.Values, limit time.Duration) loadResult {
	hc := *c.http
	hc.Timeout = limit
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.app.srv.URL+path, body)
	if err != nil {
		return loadResult{what: method + " " + path, err: err}
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", c.app.srv.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	start := time.Now()
	res, err := hc.Do(req)
	r := loadResult{what: method + " " + path, err: err}
	if err == nil {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		r.status, r.location, r.body = res.StatusCode, res.Header.Get("Location"), string(b)
	}
	r.took = time.Since(start)
	return r
}

// hanziNumber writes n in the hanzi digits a 字号 may hold (no ASCII digits are allowed there).
func hanziNumber(n int) string {
	const digits = "零一二三四五六七八九"
	d := []rune(digits)
	var out []rune
	for _, ch := range strconv.Itoa(n) {
		out = append(out, d[ch-'0'])
	}
	return string(out)
}

// SECURITY.md 22 with PostgreSQL itself restarted (pg_ctl stop -m fast, then start) on a cluster of the test's
// own, under a mixed load of page reads and organization creations. Every request answers within
// PORTAL_DB_TIMEOUT + 1 s with a page (200 or 303), or a Chinese 503 page while the server is away: never a
// hang, a 500 or a redirect to the sign-in page. /readyz goes red while it is down and green again without
// the portal being restarted, and every creation the client saw succeed (its 303 to the new record) has its row
// and its org.create audit row afterwards.
func TestPostgresRestartUnderMixedLoad(t *testing.T) {
	const timeout = 500 * time.Millisecond
	limit := timeout + time.Second
	cluster, dbURL := testdb.NewCluster(t)
	a := newServingApp(t, dbURL, timeout)
	readers := []*client{a.signedIn("demo-community"), a.signedIn("demo-town"), a.signedIn("demo-district")}
	writers := []*client{a.signedIn("demo-community"), a.signedIn("demo-community")}
	readPaths := [][]string{{"/community/", "/community/orgs"}, {"/town/orgs", "/town/"}, {"/district/orgs", "/district/audit"}}

	var (
		mu      sync.Mutex
		results []loadResult
		created []int64
		seq     atomic.Int64
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	keep := func(r loadResult) {
		mu.Lock()
		results = append(results, r)
		mu.Unlock()
	}
	for i, c := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				keep(timedRequest(c, http.MethodGet, readPaths[i][n%2], nil, 10*time.Second))
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	for _, c := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				form := guidedForm(url.Values{"zihao": {"馨" + hanziNumber(int(seq.Add(1))) + "号"}})
				r := timedRequest(c, http.MethodPost, "/community/orgs", form, 10*time.Second)
				keep(r)
				if r.status == http.StatusSeeOther {
					if id, err := strconv.ParseInt(strings.TrimPrefix(r.location, "/community/orgs/"), 10, 64); err == nil {
						mu.Lock()
						created = append(created, id)
						mu.Unlock()
					}
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	readyz := func() int { return timedRequest(a.client(), http.MethodGet, "/readyz", nil, 10*time.Second).status }
	createdSoFar := func() int { mu.Lock(); defer mu.Unlock(); return len(created) }

	// Until the load has written (at least a second, at most ten on a busy machine), then the restart.
	waitFor := func(what string, n int) {
		for deadline := time.Now().Add(10 * time.Second); createdSoFar() <= n; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				close(stop)
				wg.Wait()
				t.Fatalf("no creation answered 303 %s within 10 s", what)
			}
		}
	}
	time.Sleep(time.Second)
	waitFor("before the restart", 0)
	before := createdSoFar()
	ctx := context.Background()
	if err := cluster.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if s := readyz(); s != http.StatusServiceUnavailable {
		t.Errorf("/readyz with PostgreSQL stopped: %d, want 503", s)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cluster.Start(ctx, true); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for readyz() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/readyz not green 10 s after PostgreSQL came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	after := createdSoFar()
	time.Sleep(time.Second)
	waitFor("after the restart", after)
	close(stop)
	wg.Wait()

	var unavailable int
	for _, r := range results {
		switch {
		case r.err != nil:
			t.Errorf("%s: no answer: %v", r.what, r.err)
		case r.took > limit:
			t.Errorf("%s: %d after %v, want ≤ %v", r.what, r.status, r.took, limit)
		case r.status == http.StatusServiceUnavailable:
			unavailable++
			if !strings.Contains(r.body, "服务暂时不可用") {
				t.Errorf("%s: a 503 that is not the Chinese page:\n%.300s", r.what, r.body)
			}
		case r.status == http.StatusSeeOther && strings.HasPrefix(r.what, "POST"):
			if !strings.HasPrefix(r.location, "/community/orgs/") {
				t.Errorf("%s: 303 to %q, not to the new record", r.what, r.location)
			}
		case r.status != http.StatusOK:
			t.Errorf("%s: %d\n%.300s", r.what, r.status, r.body)
		}
	}
	if unavailable == 0 {
		t.Error("no request met the stopped server: the restart was not under load")
	}
	t.Logf("creations answered 303: %d before the restart, %d after it", before, createdSoFar()-after)
	for _, id := range created {
		if n := a.count(`SELECT count(*) FROM organizations WHERE id = $1`, id); n != 1 {
			t.Errorf("organization %d answered 303 but is not stored", id)
		}
		if n := a.count(`SELECT count(*) FROM audit_log WHERE action = 'org.create' AND object_id = $1`,
			strconv.FormatInt(id, 10)); n != 1 {
			t.Errorf("organization %d answered 303 but has %d org.create audit rows", id, n)
		}
	}
	t.Logf("%d requests, %d answered 503, %d organizations created", len(results), unavailable, len(created))
}
