package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/testdb"
	"github.com/yubei-cso/portal/web"
)

// faultMode is what faultProxy does with the bytes between the portal and PostgreSQL.
type faultMode int

const (
	passBytes  faultMode = iota // forward them
	pauseBytes                  // hold them until the mode changes (a stalled network)
	dropBytes                   // swallow them, and hold new connections open without an answer (a black hole)
)

// faultProxy is a TCP proxy between the portal and PostgreSQL that a test can pause, black-hole and reset.
type faultProxy struct {
	ln     net.Listener
	target func() (net.Conn, error)
	mu     sync.Mutex
	cond   *sync.Cond
	mode   faultMode
	conns  []net.Conn
}

// newFaultProxy proxies the database of dbURL and gives the URL that reaches it through the proxy.
func newFaultProxy(t *testing.T, dbURL string) (*faultProxy, string) {
	t.Helper()
	target, listen := proxyTo(t, dbURL)
	p := &faultProxy{target: target}
	p.cond = sync.NewCond(&p.mu)
	var proxied string
	p.ln, proxied = listen()
	go p.serve()
	t.Cleanup(func() { p.ln.Close(); p.reset(passBytes) })
	return p, proxied
}

func (p *faultProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := p.target()
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go p.pipe(c, s)
		go p.pipe(s, c)
	}
}

// pipe copies from → to, obeying the mode for every chunk.
func (p *faultProxy) pipe(from, to net.Conn) {
	defer to.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := from.Read(buf)
		if n > 0 {
			p.mu.Lock()
			for p.mode == pauseBytes {
				p.cond.Wait()
			}
			drop := p.mode == dropBytes
			p.mu.Unlock()
			if !drop {
				if _, werr := to.Write(buf[:n]); werr != nil {
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}

// set changes the mode; connections stay open.
func (p *faultProxy) set(m faultMode) {
	p.mu.Lock()
	p.mode = m
	p.cond.Broadcast()
	p.mu.Unlock()
}

// reset cuts every connection (as a network coming back after a black hole does) and then takes mode m.
func (p *faultProxy) reset(m faultMode) {
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
	p.mode = m
	p.cond.Broadcast()
	p.mu.Unlock()
}

// newServingApp is newApp on the pools a serving portal uses (postgres.ServingURL with PORTAL_DB_TIMEOUT),
// reaching the database at dbURL.
func newServingApp(t *testing.T, dbURL string, timeout time.Duration) *app {
	t.Helper()
	cfg := demoConfig(t)
	cfg.DBTimeout = timeout
	db, err := postgres.Open(context.Background(), postgres.ServingURL(dbURL, timeout), testdb.DemoKey())
	if err != nil {
		t.Fatal(err)
	}
	s := New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), web.DemoLogin{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close(); db.Close() })
	return &app{t: t, srv: srv, db: db, cfg: cfg}
}

// check503 asserts a plain Chinese 503 page that came within limit.
func check503(t *testing.T, what string, res response, took, limit time.Duration) {
	t.Helper()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("%s: %d, want 503", what, res.StatusCode)
	} else if !strings.HasSuffix(what, "/readyz") && !strings.Contains(res.Body, "服务暂时不可用") {
		t.Errorf("%s: the 503 page is not the Chinese one:\n%.300s", what, res.Body)
	}
	if took > limit {
		t.Errorf("%s took %v, want ≤ %v", what, took, limit)
	}
}

// SECURITY.md 22: a row lock held by someone else makes a write wait at most PORTAL_DB_TIMEOUT, then answer a
// 503 page in Chinese; nothing is written, and the write succeeds once the lock is gone.
func TestHeldRowLockAnswers503WithinTheTimeout(t *testing.T) {
	const timeout = 500 * time.Millisecond
	_, dbURL := testdb.NewWithURL(t)
	a := newServingApp(t, dbURL, timeout)
	d := a.signedIn("demo-district")
	id := strconv.FormatInt(a.accountID("demo-town"), 10)
	version := d.get("/district/accounts/"+id).doc(t).Find(`form[action$="/disable"] input[name=version]`).AttrOr("value", "")
	if version == "" {
		t.Fatal("no disable form on demo-town's account page")
	}

	ctx := context.Background()
	holder, err := a.db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The holder's own connection carries the serving limits too; it idles inside its transaction on purpose.
	if _, err := holder.Exec(ctx, `SET LOCAL idle_in_transaction_session_timeout = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := holder.Exec(ctx, `SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE`, id); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res := d.post("/district/accounts/"+id+"/disable", url.Values{"version": {version}})
	check503(t, "POST disable under a held lock", res, time.Since(start), timeout+time.Second)
	// Pages that only read are not held up by the lock.
	if res := d.get("/district/accounts/" + id); res.StatusCode != http.StatusOK {
		t.Errorf("reading the locked account's page: %d", res.StatusCode)
	}
	if err := holder.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := a.count(`SELECT count(*) FROM accounts WHERE id = $1 AND disabled`, id); n != 0 {
		t.Fatal("the refused write was written")
	}
	if res := d.post("/district/accounts/"+id+"/disable", url.Values{"version": {version}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the write after the lock was released: %d", res.StatusCode)
	}
}

// SECURITY.md 22 with the network failing instead of the server: paused, then black-holed, then reset. Every
// request answers within PORTAL_DB_TIMEOUT + 1 s (a Chinese 503 page, never a hang or a 500); /readyz goes red
// and back to green by itself.
func TestStalledDatabaseAnswersWithinTheTimeout(t *testing.T) {
	const timeout = 500 * time.Millisecond
	limit := timeout + time.Second
	_, dbURL := testdb.NewWithURL(t)
	proxy, proxied := newFaultProxy(t, dbURL)
	a := newServingApp(t, proxied, timeout)
	d := a.signedIn("demo-district")
	tw := a.signedIn("demo-town")
	if res := d.get("/district/orgs"); res.StatusCode != http.StatusOK {
		t.Fatalf("before the fault: %d", res.StatusCode)
	}
	type probe struct {
		c    *client
		path string
	}
	probes := []probe{{d, "/district/"}, {d, "/district/orgs"}, {tw, "/town/orgs"}, {tw, "/town/"},
		{d, "/district/audit"}, {a.client(), "/"}, {a.client(), "/readyz"}}
	burst := func(phase string) {
		var wg sync.WaitGroup
		for _, p := range probes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				res := p.c.get(p.path)
				check503(t, phase+": GET "+p.path, res, time.Since(start), limit)
			}()
		}
		// The sign-in page needs no database for a visitor without a session: it still answers.
		start := time.Now()
		if res := a.client().get("/login"); res.StatusCode != http.StatusOK || time.Since(start) > limit {
			t.Errorf("%s: GET /login: %d after %v", phase, res.StatusCode, time.Since(start))
		}
		wg.Wait()
	}
	recovered := func(phase string) {
		deadline := time.Now().Add(10 * time.Second)
		for {
			ready := a.client().get("/readyz").StatusCode == http.StatusOK
			if ready && d.get("/district/orgs").StatusCode == http.StatusOK {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: no recovery within 10 s", phase)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	proxy.set(pauseBytes)
	burst("paused")
	proxy.set(passBytes)
	recovered("after the pause")

	proxy.set(dropBytes)
	burst("black-holed")
	proxy.reset(passBytes)
	recovered("after the black hole")

	proxy.reset(passBytes)
	recovered("after a reset")
}
