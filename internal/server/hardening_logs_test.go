package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/yubei-cso/portal/internal/testdb"
	"github.com/yubei-cso/portal/web"
)

// lockedBuffer is a log destination safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// SECURITY.md 17: with the log at its most verbose, signing in (wrongly, with a password typed into the username
// box, and rightly), creating a group with its leader's phone and 身份证号, revealing them, and sending bad input
// leaves no password, phone number, ID number or session token in the log.
func TestLogsHoldNoSecretsOrPersonalData(t *testing.T) {
	cfg := demoConfig(t)
	var log lockedBuffer
	db, serving := testdb.NewServing(t)
	s := New(cfg, serving, slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})), web.DemoLogin{})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() { srv.Close(); s.Close() })
	a := &app{t: t, srv: srv, db: db, serving: serving, cfg: cfg}

	const wrongPassword, typedAsName = "Wrong@Pass2021x", "Secret@Typed2021"
	anon := a.client()
	anon.post("/login", url.Values{"username": {"demo-town"}, "password": {wrongPassword}})
	anon.post("/login", url.Values{"username": {typedAsName}, "password": {typedAsName}})
	community := a.signedIn("demo-community")
	res := community.post("/community/orgs", guidedForm(nil))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", res.StatusCode)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/community/orgs/"), 10, 64)
	town := a.signedIn("demo-town")
	if res := town.post("/town/orgs/"+strconv.FormatInt(id, 10)+"/reveal", url.Values{"reason": {"核实"}}); res.StatusCode != http.StatusOK ||
		!strings.Contains(res.Body, "13812345678") {
		t.Fatalf("reveal: %d", res.StatusCode)
	}
	community.post("/community/orgs", guidedForm(url.Values{"phone": {"13812345678\x00"}, "id_number": {"500112196503120028\xff"}}))
	town.get("/town/orgs?q=13812345678")

	out := log.String()
	if !strings.Contains(out, "/community/orgs") {
		t.Fatalf("the log shows no requests at all:\n%.500s", out)
	}
	secrets := []string{testdb.DemoPassword, wrongPassword, typedAsName, "13812345678", "500112196503120028",
		"19650312"}
	for _, u := range []string{srv.URL} {
		pu, _ := url.Parse(u)
		for _, c := range append(community.http.Jar.Cookies(pu), town.http.Jar.Cookies(pu)...) {
			secrets = append(secrets, c.Value)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("the log holds %q", s)
		}
	}
}
