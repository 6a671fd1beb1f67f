package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/testdb"
	"github.com/yubei-cso/portal/web"
)

// dbProxy stands between the portal and PostgreSQL so a test can take the database away and bring it back.
type dbProxy struct {
	ln     net.Listener
	target func() (net.Conn, error)
	mu     sync.Mutex
	up     bool
	conns  []net.Conn
}

func newDBProxy(t *testing.T, dbURL string) (*dbProxy, string) {
	t.Helper()
	target, listen := proxyTo(t, dbURL)
	p := &dbProxy{target: target, up: true}
	var proxied string
	p.ln, proxied = listen()
	go p.serve()
	t.Cleanup(func() { p.ln.Close(); p.setUp(false) })
	return p, proxied
}

// proxyTo resolves the server of dbURL (a TCP address or a unix socket) for a test proxy: target dials it, and
// listen opens the proxy's own loopback listener and gives the URL that reaches the database through it.
func proxyTo(t *testing.T, dbURL string) (target func() (net.Conn, error), listen func() (net.Listener, string)) {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if host := q.Get("host"); filepath.IsAbs(host) {
		port := q.Get("port")
		if port == "" {
			port = "5432"
		}
		sock := filepath.Join(host, ".s.PGSQL."+port)
		target = func() (net.Conn, error) { return net.Dial("unix", sock) }
	} else {
		addr := u.Host
		target = func() (net.Conn, error) { return net.Dial("tcp", addr) }
	}
	return target, func() (net.Listener, string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		q.Del("host")
		q.Del("port")
		u.Host = ln.Addr().String()
		u.RawQuery = q.Encode()
		return ln, u.String()
	}
}

func (p *dbProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		up := p.up
		p.mu.Unlock()
		if !up {
			c.Close() // the database is "down": refuse at once, as a stopped server's socket does
			continue
		}
		s, err := p.target()
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		go func() { _, _ = io.Copy(s, c); s.Close() }()
		go func() { _, _ = io.Copy(c, s); c.Close() }()
	}
}

// setUp brings the database back or takes it away, cutting every open connection.
func (p *dbProxy) setUp(up bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up = up
	if !up {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}

// SECURITY.md 22: with the database gone, pages answer a plain 503 within 5 s and /readyz says 503; when it
// returns, the portal recovers without a restart and nothing committed is lost.
func TestDatabaseOutageAnswers503AndRecovers(t *testing.T) {
	_, dbURL := testdb.NewWithURL(t)
	proxy, proxied := newDBProxy(t, dbURL)
	cfg, err := config.Load(func(k string) string {
		if k == "PORTAL_DEMO" {
			return "true"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(context.Background(), proxied, testdb.DemoKey())
	if err != nil {
		t.Fatal(err)
	}
	s := New(cfg, db, slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelError})), web.DemoLogin{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close(); db.Close() })
	a := &app{t: t, srv: srv, db: db, cfg: cfg}
	d := a.signedIn("demo-district")
	id := strconv.FormatInt(a.accountID("demo-town"), 10)
	version := d.get("/district/accounts/"+id).doc(t).Find(`input[name=version]`).First().AttrOr("value", "")
	if res := d.post("/district/accounts/"+id+"/disable", url.Values{"version": {version}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable before the outage: %d", res.StatusCode)
	}

	proxy.setUp(false)
	for _, path := range []string{"/district/", "/", "/readyz"} {
		start := time.Now()
		res := d.get(path)
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("GET %s with the database down: %d, want 503", path, res.StatusCode)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("GET %s took %v with the database down, want ≤ 5s", path, took)
		}
	}
	if res := d.get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz with the database down: %d, want 200 (the process lives)", res.StatusCode)
	}

	proxy.setUp(true)
	deadline := time.Now().Add(10 * time.Second)
	for {
		res := d.get("/district/")
		if res.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery 10 s after the database returned: %d", res.StatusCode)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if res := d.get("/readyz"); res.StatusCode != http.StatusOK {
		t.Errorf("/readyz after recovery: %d", res.StatusCode)
	}
	if n := a.count(`SELECT count(*) FROM accounts WHERE username = 'demo-town' AND disabled`); n != 1 {
		t.Error("the change committed before the outage is lost")
	}
}

type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(b []byte) (int, error) { w.t.Log(string(b)); return len(b), nil }
