package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/testdb"
	"github.com/yubei-cso/portal/web"
)

// app is a real portal on a fresh database, served by httptest.
type app struct {
	t       testing.TB
	srv     *httptest.Server
	db      *postgres.DB // the test's own connection, as the owner
	serving *postgres.DB // the portal's, as the serving role (nil where a test builds its own portal)
	cfg     config.Config
	server  *Server // the portal itself (nil where a test builds its own portal)
}

// demoConfig is the configuration of demo mode with every other setting at its default.
func demoConfig(t testing.TB) config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		if k == "PORTAL_DEMO" {
			return "true"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// newApp starts the portal on a fresh demo database; tweak adjusts the configuration first.
func newApp(t testing.TB, tweak func(*config.Config)) *app {
	t.Helper()
	cfg := demoConfig(t)
	if tweak != nil {
		tweak(&cfg)
	}
	// The portal serves as the serving role, as deployed (it owns nothing and may only add to the audit log);
	// the test's own queries run as the owner.
	db, serving := testdb.NewServing(t)
	s := New(cfg, serving, slog.New(slog.NewTextHandler(io.Discard, nil)), web.DemoLogin{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close() })
	return &app{t: t, srv: srv, db: db, serving: serving, cfg: cfg, server: s}
}

// client is one browser-like user agent: its own cookie jar, no automatic redirects.
type client struct {
	t    testing.TB
	app  *app
	http *http.Client
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: a.t, app: a, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signedIn is a client signed in as username with the demo password.
func (a *app) signedIn(username string) *client {
	c := a.client()
	res := c.post("/login", url.Values{"username": {username}, "password": {testdb.DemoPassword}})
	if res.StatusCode != http.StatusSeeOther {
		a.t.Fatalf("sign in as %s: status %d", username, res.StatusCode)
	}
	return c
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	Body string
}

func (r response) doc(t testing.TB) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{Response: res, Body: string(b)}
}

func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.srv.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post submits a form the way a browser on the portal's own page does (same-origin).
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.app.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.app.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// accountID is the id of a demo account.
func (a *app) accountID(username string) int64 {
	a.t.Helper()
	var id int64
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT id FROM accounts WHERE username = $1`, username).
		Scan(&id); err != nil {
		a.t.Fatal(err)
	}
	return id
}

// count runs a count query with args.
func (a *app) count(sql string, args ...any) int {
	a.t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		a.t.Fatal(err)
	}
	return n
}
