// End-to-end tests of the program itself: run() with its arguments, environment, standard streams and signals.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/auth"
	"github.com/yubei-cso/portal/internal/testdb"
)

// syncBuffer is an output stream that the program writes while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is a getenv over a fixed map: the tests never read or change the process environment.
// env is the environment a test gives run. Where a test names no upload folder, the demo start (photos, 培训资料)
// stores into one folder for the package's tests, removed after them, never into the source tree.
func env(vars map[string]string) func(string) string {
	return func(k string) string {
		if k == "PORTAL_UPLOAD_DIR" && vars[k] == "" {
			return testUploads
		}
		return vars[k]
	}
}

var testUploads string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "portal-cmd-uploads-")
	if err != nil {
		panic(err)
	}
	testUploads = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var listening = regexp.MustCompile(`portal listening on (http://[^\s]+)\n`)

func TestRunServesAndShutsDown(t *testing.T) {
	_, dbURL := testdb.NewWithURL(t)
	getenv := env(map[string]string{"DATABASE_URL": dbURL, "PORTAL_ADDR": "127.0.0.1:0", "PORTAL_DEMO": "true"})
	stdout, stderr := &syncBuffer{}, &syncBuffer{}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, getenv, strings.NewReader(""), stdout, stderr) }()
	// Should the test stop half-way, the portal still stops before the database is dropped.
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("run did not return after its context ended")
		}
	})

	var base string
	for deadline := time.Now().Add(30 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run returned before listening: %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no listening line within 30s\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
		}
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(b)
	}

	if res, body := get("/healthz"); res.StatusCode != 200 {
		t.Errorf("/healthz: %d %s", res.StatusCode, body)
	}
	if res, body := get("/readyz"); res.StatusCode != 200 {
		t.Errorf("/readyz: %d %s", res.StatusCode, body)
	}
	res, body := get("/")
	if res.StatusCode != 200 || !strings.Contains(body, "渝北区社区社会组织服务管理平台") {
		t.Errorf("/: status %d, body without the portal's name", res.StatusCode)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "object-src 'none'") {
		t.Errorf("/: Content-Security-Policy = %q", csp)
	}
	res, _ = get("/district/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fdistrict%2F" {
		t.Errorf("anonymous /district/: %d to %q, want 303 to /login?next=%%2Fdistrict%%2F",
			res.StatusCode, res.Header.Get("Location"))
	}

	// In demo mode the sign-in page lists the demo accounts with their divisions, and their password.
	if res, body := get("/login"); res.StatusCode != 200 || !strings.Contains(body, "demo-town2") ||
		!strings.Contains(body, "统景镇") || !strings.Contains(body, testdb.DemoPassword) {
		t.Errorf("/login in demo mode: status %d, demo accounts or password missing", res.StatusCode)
	}

	form := url.Values{"username": {"demo-district"}, "password": {testdb.DemoPassword}}
	req, err := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as demo-district: status %d", res.StatusCode)
	}
	res, body = get("/district/")
	if res.StatusCode != 200 || !strings.Contains(body, "渝北区") {
		t.Errorf("signed-in /district/: status %d", res.StatusCode)
	}

	// Stop it the way an operator does. run's signal.NotifyContext takes the signal, so it ends run, not the
	// test process; the check just before keeps the signal from reaching a process no longer listening for it.
	select {
	case err := <-done:
		t.Fatalf("run returned early: %v", err)
	default:
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		done <- err // for the cleanup
		if err != nil {
			t.Fatalf("run after SIGTERM: %v\nstderr:\n%s", err, stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return within 30s of SIGTERM")
	}
	if !strings.Contains(stdout.String(), "shutting down") {
		t.Errorf("stdout does not say it is shutting down:\n%s", stdout)
	}
	if _, err := c.Get(base + "/healthz"); err == nil {
		t.Errorf("the portal still answers after run returned")
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	// The database is never reached: the settings are checked first, all at once.
	getenv := env(map[string]string{"DATABASE_URL": "postgres://portal@127.0.0.1:1/none?connect_timeout=1",
		"PORTAL_ADDR": "127.0.0.1:0", "PORTAL_IDLE_TIMEOUT": "2h"})
	err := run(ctx, []string{"serve"}, getenv, strings.NewReader(""), stdout, stderr)
	if err == nil || !strings.Contains(err.Error(), "PORTAL_IDLE_TIMEOUT") {
		t.Fatalf("run serve with PORTAL_IDLE_TIMEOUT=2h: err = %v, want one naming PORTAL_IDLE_TIMEOUT", err)
	}
	if strings.Contains(stdout.String(), "listening") {
		t.Errorf("it listened anyway:\n%s", stdout)
	}
}

func TestUserAddCreatesFirstDistrictAdministrator(t *testing.T) {
	db, dbURL := testdb.NewWithURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// A real deployment, not demo mode: it has its own key for personal data.
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	getenv := env(map[string]string{"DATABASE_URL": dbURL, "PORTAL_DATA_KEY": base64.StdEncoding.EncodeToString(key)})
	count := func(sql string, args ...any) int {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	err := run(ctx, []string{"user", "add", "-username", "admin1", "-name", "管理员", "-division", "500112"},
		getenv, strings.NewReader("Strong@Pass123\n"), stdout, stderr)
	if err != nil {
		t.Fatalf("user add: %v\nstderr:\n%s", err, stderr)
	}
	if !strings.Contains(stdout.String(), "admin1") {
		t.Errorf("user add says %q, want it to name admin1", stdout)
	}
	var id, tier, division, name, hash string
	if err := db.Pool.QueryRow(ctx, `SELECT id::text, tier, division_code, display_name, password_hash FROM accounts
		WHERE username = 'admin1' AND NOT disabled`).Scan(&id, &tier, &division, &name, &hash); err != nil {
		t.Fatalf("admin1 is not in the database: %v", err)
	}
	if tier != "district" || division != "500112" || name != "管理员" {
		t.Errorf("admin1 is %s of %s named %q, want district of 500112 named 管理员", tier, division, name)
	}
	if strings.Contains(hash, "Strong@Pass123") {
		t.Fatal("the password is stored in clear")
	}
	ok, err := auth.NewHasher(1).Verify(ctx, "Strong@Pass123", hash)
	if err != nil || !ok {
		t.Errorf("the stored hash does not verify the password read from stdin (ok=%v, err=%v)", ok, err)
	}
	if n := count(`SELECT count(*) FROM audit_log WHERE action = 'account.create' AND object_type = 'account'
		AND object_id = $1`, id); n != 1 {
		t.Errorf("creating admin1 left %d audit rows, want 1", n)
	}

	before := count(`SELECT count(*) FROM accounts`)
	err = run(ctx, []string{"user", "add", "-username", "admin2", "-name", "管理员二", "-division", "500112"},
		getenv, strings.NewReader("weak\n"), &syncBuffer{}, &syncBuffer{})
	if err == nil {
		t.Fatal("user add with the password weak succeeded")
	}
	if n := count(`SELECT count(*) FROM accounts`); n != before {
		t.Errorf("the refused user add created %d accounts", n-before)
	}
	if n := count(`SELECT count(*) FROM accounts WHERE username = 'admin2'`); n != 0 {
		t.Errorf("admin2 exists after a refused user add")
	}
}
