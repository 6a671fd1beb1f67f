package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yubei-cso/portal/internal/testdb"
)

// startPortal runs `portal serve` with vars until the test ends and gives its base URL and the channel run's
// result arrives on.
func startPortal(t *testing.T, vars map[string]string) (string, chan error, *syncBuffer) {
	t.Helper()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, env(vars), strings.NewReader(""), stdout, stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			done <- err
		case <-time.After(30 * time.Second):
			t.Error("run did not return after its context ended")
		}
	})
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], done, stderr
		}
		select {
		case err := <-done:
			t.Fatalf("run returned before listening: %v\nstderr:\n%s", err, stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no listening line within 30s\nstderr:\n%s", stderr)
		}
	}
}

// SECURITY.md 22 and 23 together: a request waiting on a row lock answers 503 within PORTAL_DB_TIMEOUT, and a
// SIGTERM that arrives during the wait lets it answer, then the program exits with status 0 (run returns nil).
func TestSIGTERMDuringALockWaitAnswersAndExitsZero(t *testing.T) {
	db, dbURL := testdb.NewWithURL(t)
	base, done, stderr := startPortal(t, map[string]string{"DATABASE_URL": dbURL, "PORTAL_ADDR": "127.0.0.1:0",
		"PORTAL_DEMO": "true", "PORTAL_DB_TIMEOUT": "1s"})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) (*http.Response, string, error) {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := c.Do(req)
		if err != nil {
			return nil, "", err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b), nil
	}
	if res, _, err := post("/login", url.Values{"username": {"demo-district"}, "password": {testdb.DemoPassword}}); err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", res, err)
	}
	ctx := context.Background()
	var id, version int64
	if err := db.Pool.QueryRow(ctx, `SELECT id, version FROM accounts WHERE username = 'demo-town'`).Scan(&id, &version); err != nil {
		t.Fatal(err)
	}
	holder, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback(ctx) //nolint:errcheck
	if _, err := holder.Exec(ctx, `SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE`, id); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		status int
		body   string
		took   time.Duration
		err    error
	}
	answered := make(chan answer, 1)
	start := time.Now()
	go func() {
		res, body, err := post("/district/accounts/"+strconv.FormatInt(id, 10)+"/disable",
			url.Values{"version": {strconv.FormatInt(version, 10)}})
		a := answer{body: body, took: time.Since(start), err: err}
		if res != nil {
			a.status = res.StatusCode
		}
		answered <- a
	}()
	time.Sleep(300 * time.Millisecond) // the request is waiting for the lock now
	select {
	case err := <-done:
		t.Fatalf("run returned early: %v", err)
	default:
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	a := <-answered
	if a.err != nil || a.status != http.StatusServiceUnavailable || !strings.Contains(a.body, "服务暂时不可用") {
		t.Errorf("the request waiting on the lock: status %d, err %v, want a 503 page", a.status, a.err)
	}
	if a.took > 2*time.Second {
		t.Errorf("the request waiting on the lock answered after %v, want ≤ 2 s (PORTAL_DB_TIMEOUT + 1 s)", a.took)
	}
	select {
	case err := <-done:
		done <- err
		if err != nil {
			t.Fatalf("run after SIGTERM: %v (exit status 1)\nstderr:\n%s", err, stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return within 20 s of SIGTERM")
	}
}

// Demo mode refuses a database it did not make (one with accounts and no demo data), unless told to adopt it;
// the published demo key is refused outside demo mode.
func TestDemoModeRefusesARealDatabase(t *testing.T) {
	db, dbURL := testdb.NewWithURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := db.Pool.Exec(ctx, `DELETE FROM portal_facts WHERE key = 'demo_loaded'`); err != nil {
		t.Fatal(err)
	}
	before := 0
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM accounts`).Scan(&before)
	stdout := &syncBuffer{}
	err := run(ctx, []string{"serve"}, env(map[string]string{"DATABASE_URL": dbURL, "PORTAL_ADDR": "127.0.0.1:0",
		"PORTAL_DEMO": "true"}), strings.NewReader(""), stdout, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "PORTAL_DEMO_ADOPT") {
		t.Fatalf("demo mode on a database it did not make: %v", err)
	}
	if strings.Contains(stdout.String(), "listening") {
		t.Error("it served anyway")
	}
	after := 0
	_ = db.Pool.QueryRow(ctx, `SELECT count(*) FROM accounts`).Scan(&after)
	if after != before {
		t.Errorf("it made %d accounts", after-before)
	}

	err = run(ctx, []string{"serve"}, env(map[string]string{"DATABASE_URL": dbURL, "PORTAL_ADDR": "127.0.0.1:0",
		"PORTAL_DATA_KEY": base64.StdEncoding.EncodeToString([]byte("yubei-demo-key-not-for-real-data"))}),
		strings.NewReader(""), &syncBuffer{}, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "published demo key") {
		t.Fatalf("the published key outside demo mode: %v", err)
	}
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Operations: Prometheus metrics on an address of their own (never on the public one), and JSON logs whose
// request lines carry the request id.
func TestMetricsOnTheirOwnAddressAndJSONLogs(t *testing.T) {
	_, dbURL := testdb.NewWithURL(t)
	metricsAddr := freeAddr(t)
	base, _, stderr := startPortal(t, map[string]string{"DATABASE_URL": dbURL, "PORTAL_ADDR": "127.0.0.1:0",
		"PORTAL_DEMO": "true", "PORTAL_METRICS_ADDR": metricsAddr, "PORTAL_LOG_FORMAT": "json"})
	get := func(u string) (int, string) {
		t.Helper()
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for range 3 {
		get(base + "/healthz")
	}
	get(base + "/no-such-page")
	if st, _ := get(base + "/metrics"); st != http.StatusNotFound {
		t.Errorf("/metrics on the public address: %d, want 404", st)
	}
	st, body := get("http://" + metricsAddr + "/metrics")
	if st != http.StatusOK {
		t.Fatalf("/metrics: %d", st)
	}
	for _, want := range []string{
		`portal_http_requests_total{route="/healthz",method="GET",status="200"} 3`,
		`portal_http_request_duration_seconds_count{route="/healthz"} 3`,
		`status="404"`,
		`portal_db_pool_max_connections{pool="main"}`,
		`portal_import_jobs_running 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, body)
		}
	}
	var lines int
	for _, line := range strings.Split(stderr.String(), "\n") {
		if !strings.Contains(line, `"msg":"request"`) {
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("a log line is not JSON: %q", line)
		}
		if id, _ := v["request_id"].(string); id == "" {
			t.Errorf("a request's log line has no request_id: %q", line)
		}
		lines++
	}
	if lines < 4 {
		t.Errorf("%d JSON request lines, want at least 4:\n%s", lines, stderr)
	}
}
