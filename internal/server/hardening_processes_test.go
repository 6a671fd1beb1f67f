package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/yubei-cso/portal/internal/ledger"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/testdb"
	"github.com/yubei-cso/portal/web"
)

// processOn is a portal process of its own on the database at dbURL: its own server (session manager, 台账
// workers) and its own connection pool, as a second instance behind a load balancer has.
func processOn(t *testing.T, owner *postgres.DB, dbURL string) *app {
	t.Helper()
	cfg := demoConfig(t)
	cfg.UploadDir = t.TempDir()
	serving, err := postgres.Open(context.Background(), testdb.ServingURL(dbURL), testdb.DemoKey())
	if err != nil {
		t.Fatal(err)
	}
	s := New(cfg, serving, slog.New(slog.NewTextHandler(io.Discard, nil)), web.DemoLogin{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close(); serving.Close() })
	return &app{t: t, srv: srv, db: owner, serving: serving, cfg: cfg}
}

// on is the same browser (the same cookies: a cookie jar keeps cookies per host, not per port) talking to the
// portal process p.
func (c *client) on(p *app) *client { return &client{t: c.t, app: p, http: c.http} }

// SECURITY.md 5 with two processes that share nothing but the database: a session made on one works on the
// other, a 台账 job started on one is followed to its end on the other, and a sign-out on the second ends the
// session on the first.
func TestTwoProcessesShareSessionsJobsAndSignOut(t *testing.T) {
	owner, dbURL := testdb.NewWithURL(t)
	first, second := processOn(t, owner, dbURL), processOn(t, owner, dbURL)
	on1 := first.signedIn("demo-town")
	on2 := on1.on(second)
	if res := on2.get("/town/"); res.StatusCode != http.StatusOK {
		t.Fatalf("the session made on the first process, on the second: %d", res.StatusCode)
	}

	data := ledgerFile(t, ledger.Columns(true), [][]string{ledgerRow("双进程甲", nil), ledgerRow("双进程乙", nil)}, nil)
	res := on1.uploadLedger("/town/orgs/import", data)
	job := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(job, "/town/orgs/import/jobs/") {
		t.Fatalf("upload on the first process: %d %q", res.StatusCode, job)
	}
	if res := on2.get(job); res.StatusCode != http.StatusOK || jobState(t, res) == "" {
		t.Fatalf("the job started on the first process, on the second: %d %q", res.StatusCode, jobState(t, res))
	}
	if done := on2.waitJob(job); jobState(t, done) != "ready" {
		t.Fatalf("the second process shows the finished check as %q, want ready", jobState(t, done))
	}

	// The jar drops its cookie at sign-out: the old cookie, kept apart, is what a stolen or cached copy would be.
	old := on1.http.Jar.Cookies(mustURL(first.srv.URL))
	if len(old) == 0 {
		t.Fatal("no session cookie")
	}
	withOld := func(p *app) int {
		req, _ := http.NewRequest(http.MethodGet, p.srv.URL+"/town/", nil)
		for _, ck := range old {
			req.AddCookie(ck)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if st := withOld(first); st != http.StatusOK {
		t.Fatalf("the kept cookie before sign-out: %d", st)
	}
	if res := on2.post("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out on the second process: %d", res.StatusCode)
	}
	for i, p := range []*app{first, second} {
		if st := withOld(p); st != http.StatusSeeOther {
			t.Errorf("after signing out on the second process, process %d still serves the session: %d", i+1, st)
		}
	}
}
