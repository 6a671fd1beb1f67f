// Command bench is `make bench`: it loads the scale data once (2 million organizations and 10 million activity
// reports by default, with COPY), starts the portal and an nginx serving saved copies of the same pages, runs
// wrk against both in turn, runs the statements each page sent under pgbench and through the stack's floor
// (floor.go), and prints one table of each page's connections, req/s, p50/p99, ratio to nginx, what PostgreSQL
// alone and the floor serve of the page, and the portal's peak RSS (PERFORMANCE.md).
// Load goes to 127.0.0.1 only and every run is bounded in time.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/yubei-cso/portal/internal/pgcluster"
	"github.com/yubei-cso/portal/internal/postgres"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

const (
	pgbenchClients = 8           // as PERFORMANCE.md's anchor for a page's query alone
	benchTown      = "500112002" // 双龙湖街道, bench-town's division
	benchPassword  = "Bench@Load2026"
)

// The portal, nginx and the floor listen on three ports from -ports (18080 by default), so that two benches on
// one machine, each on its own copy of the data, do not take each other's ports.
var (
	portalAddr = "127.0.0.1:18080"
	nginxAddr  = "127.0.0.1:18081"
	floorAddr  = "127.0.0.1:18082"
)

// page is one page under load: its path and the user it is fetched as.
type page struct {
	name  string
	path  string
	user  string
	conns int
}

type result struct {
	page          page
	portal, nginx wrkResult
	floor         wrkResult // the page's statements through chi and pgx, its saved bytes written back
	ratio         float64
	bytes         int
	pgTPS         float64 // PostgreSQL alone running the page's statements
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	orgs := fs.Int("orgs", 2_000_000, "organizations in the load-test database")
	reports := fs.Int("reports", 10_000_000, "activity reports in the load-test database")
	dur := fs.Duration("duration", 10*time.Second, "wrk duration per page and server")
	warm := fs.Duration("warm", 3*time.Second, "unmeasured load per page and server before each measurement")
	ports := fs.Int("ports", 18080, "first of the three local ports used by the portal, nginx and the floor")
	only := fs.String("only", "", "measure only the pages whose name matches this regular expression (e.g. 统计|考核)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	portalAddr = "127.0.0.1:" + strconv.Itoa(*ports)
	nginxAddr = "127.0.0.1:" + strconv.Itoa(*ports+1)
	floorAddr = "127.0.0.1:" + strconv.Itoa(*ports+2)
	for _, tool := range []string{"wrk", "nginx"} {
		if _, err := exec.LookPath(tool); err != nil {
			if _, err := exec.LookPath("/usr/sbin/" + tool); err != nil {
				return fmt.Errorf("%s is missing: apt-get install wrk nginx-light", tool)
			}
		}
	}
	work, err := filepath.Abs(".bench")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}

	// 1. The database: a private cluster, filled once and reused between runs.
	c, err := pgcluster.Open(".pgdata-bench", stderr)
	if err != nil {
		return err
	}
	if err := c.Start(ctx, true); err != nil {
		return err
	}
	admin, err := postgres.Open(ctx, c.URL("postgres"), nil)
	if err != nil {
		return err
	}
	err = admin.CreateDatabaseIfMissing(ctx, "bench")
	admin.Close()
	if err != nil {
		return err
	}
	dbURL := c.URL("bench")
	bin := filepath.Join(work, "portal")
	fmt.Fprintln(stdout, "building the portal …")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/portal").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	key, err := benchDataKey(filepath.Join(c.Dir, "bench-data-key"))
	if err != nil {
		return err
	}
	// PORTAL_PUBLIC_RATE=0: the load comes from one address, which the public rate limit would refuse.
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "PORTAL_ADDR="+portalAddr, "PORTAL_PUBLIC_RATE=0",
		"PORTAL_DATA_KEY="+key)
	db, err := postgres.Open(ctx, dbURL, nil)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	have, err := db.CountOrganizationsAll(ctx)
	if err != nil {
		db.Close()
		return err
	}
	if have < *orgs {
		if err := generate(ctx, bin, env, "-orgs", *orgs-have, "organizations", stdout, stderr); err != nil {
			db.Close()
			return err
		}
	}
	haveReports, err := db.CountCurrentReports(ctx)
	db.Close()
	if err != nil {
		return err
	}
	if haveReports < *reports {
		if err := generate(ctx, bin, env, "-reports", *reports-haveReports, "activity reports", stdout, stderr); err != nil {
			return err
		}
	}
	if err := benchMoney(ctx, dbURL, stdout); err != nil {
		return err
	}
	for _, u := range []struct{ name, division string }{{"bench-district", "500112"}, {"bench-town", benchTown}} {
		add := exec.CommandContext(ctx, bin, "user", "add", "-username", u.name, "-name", "压测账号", "-division", u.division)
		add.Env, add.Stdin = env, strings.NewReader(benchPassword+"\n")
		_ = add.Run() // exists already on later runs
	}

	// 2. The portal, as its own process so that its peak RSS is its own. Another process on its address would
	// answer in its place — a portal left running from an earlier build, measured without anyone noticing —
	// so the address must be free, and the portal must still be running once it answers.
	ln, err := net.Listen("tcp", portalAddr)
	if err != nil {
		return fmt.Errorf("%s is taken by another process; stop it first: %w", portalAddr, err)
	}
	ln.Close()
	srv := exec.CommandContext(ctx, bin, "serve")
	srv.Env = env
	// The portal's log goes to a file, so that a portal that refuses to start says why.
	logPath := filepath.Join(work, "portal.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	srv.Stdout, srv.Stderr = logFile, logFile
	if err := srv.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	defer func() { _ = srv.Process.Signal(syscall.SIGTERM); <-exited }()
	// stopped says how the portal ended, or nil while it runs; it leaves the result for the deferred wait.
	stopped := func(when string) error {
		select {
		case err := <-exited:
			exited <- err
			return fmt.Errorf("the portal stopped %s: %v", when, err)
		default:
			return nil
		}
	}
	if err := waitReady(ctx, "http://"+portalAddr+"/readyz"); err != nil {
		if why := stopped("as it started"); why != nil {
			err = why
		}
		return fmt.Errorf("%w (its log: %s)", err, logPath)
	}
	if err := stopped("as it started"); err != nil {
		return err
	}
	cookies := map[string]string{}
	for _, u := range []string{"bench-district", "bench-town"} {
		if cookies[u], err = signIn(u); err != nil {
			return err
		}
	}
	deepID, err := deepCursor(dbURL)
	if err != nil {
		return err
	}
	deepReport, historyOrg, err := deepReportCursor(dbURL, benchTown)
	if err != nil {
		return err
	}
	statsCode, err := statsCommunity(dbURL, benchTown)
	if err != nil {
		return err
	}
	searches, profiles, err := publicRotations(dbURL)
	if err != nil {
		return err
	}
	pages := []page{
		{"区级组织列表 第1页", "/district/orgs", "bench-district", 64},
		{"区级组织列表 深页", "/district/orgs?after=" + strconv.FormatInt(deepID, 10), "bench-district", 64},
		{"区级名称搜索 两字", "/district/orgs?q=" + url.QueryEscape("养老"), "bench-district", 64},
		// A whole word, found in one name of 50, whose three pieces PostgreSQL takes for independent: left to
		// its own plan it fetched all 40,000 through the bigram index to sort them (org_search.go).
		{"区级名称搜索 四字", "/district/orgs?q=" + url.QueryEscape("舞蹈协会"), "bench-district", 64},
		{"镇街组织列表", "/town/orgs", "bench-town", 64},
		{"组织详情", "/district/orgs/" + strconv.FormatInt(deepID, 10), "bench-district", 64},
		{"镇街活动报告 第1页", "/town/reports", "bench-town", 64},
		{"镇街活动报告 深页", "/town/reports?after=" + deepReport, "bench-town", 64},
		{"镇街活动报告 系列+类别", "/town/reports?series=" + url.QueryEscape("文化铸魂") + "&category=" +
			url.QueryEscape("文体活动"), "bench-town", 64},
		{"镇街活动报告 类别 深页", "/town/reports?category=" + url.QueryEscape("协商议事") + "&after=" + deepReport,
			"bench-town", 64},
		{"组织活动报告历史", "/town/orgs/" + strconv.FormatInt(historyOrg, 10) + "/reports", "bench-town", 64},
		{"区级活动报告 第1页", "/district/reports", "bench-district", 64},
		{"区级定期工作报告报送情况", "/district/work-reports", "bench-district", 8},
		{"区级统计分析", "/district/stats", "bench-district", 8},
		{"镇街统计分析 农村社区 2022年第三季度", "/town/stats?year=2022&quarter=3&area=rural", "bench-town", 8},
		{"区级目标考核排名", "/district/assessment", "bench-district", 8},
		// Cultivation and money (issue 15): the registers of platforms and the money overview with its totals.
		{"区级培育资金", "/district/funding", "bench-district", 8},
		{"镇街培育资金", "/town/funding", "bench-town", 8},
		{"区级支持平台", "/district/platforms", "bench-district", 8},
		{"镇街支持平台", "/town/platforms", "bench-town", 8},
	}
	pages = append(pages, statsPages(statsCode)...)
	pages = append(pages, []page{
		// Issue 17: the 工作台 with its 到期事项 (kept counts and open-item ranges), and an inbox.
		{"区级工作台 到期事项", "/district/", "bench-district", 8},
		{"镇街工作台 到期事项", "/town/", "bench-town", 8},
		{"区级站内消息", "/district/messages", "bench-district", 8},
		// Anonymous, as residents use them; PERFORMANCE.md sets the public bars at 8 connections.
		{"公开名录搜索 " + strconv.Itoa(len(searches)) + " 个词轮换", searches[0], "", 8},
		{"公开组织主页 " + strconv.Itoa(len(profiles)) + " 个轮换", profiles[0], "", 8},
	}...)
	// Issue 14: the public cases list and a case page, the notices list, and the disclosures download.
	contentPages, err := publicContentPages(dbURL)
	if err != nil {
		return err
	}
	pages = append(pages, contentPages...)
	// Issue 16: training reach (and its unreached groups), the people trained listed once each, the 供需对接 board.
	pages = append(pages, []page{
		{"区级培训覆盖", "/district/training/reach", "bench-district", 8},
		{"镇街培训覆盖", "/town/training/reach", "bench-town", 8},
		{"区级参训人员", "/district/training/trainees", "bench-district", 8},
		{"镇街参训人员", "/town/training/trainees", "bench-town", 8},
		{"区级供需对接", "/district/matching", "bench-district", 8},
		{"镇街供需对接", "/town/matching", "bench-town", 8},
	}...)
	if pages, err = choosePages(pages, *only); err != nil {
		return err
	}
	// The portal is asked a random one of these paths per request for the rotated pages; the page's path is
	// the first of them, and stands for them at nginx, the floor and PostgreSQL alone.
	rotations := map[string][]string{searches[0]: searches, profiles[0]: profiles}

	// 3. nginx serving the same bytes.
	static := filepath.Join(work, "static")
	_ = os.RemoveAll(static)
	if err := os.MkdirAll(static, 0o755); err != nil {
		return err
	}
	for i, p := range pages {
		body, status, err := fetch("http://"+portalAddr+p.path, cookies[p.user])
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("%s answered %d", p.path, status)
		}
		if err := os.WriteFile(filepath.Join(static, "p"+strconv.Itoa(i)+".html"), body, 0o644); err != nil {
			return err
		}
	}
	// The page's own statements, for PostgreSQL alone under pgbench: the most requests per second the database
	// can serve for that page on this machine, with nothing left for the portal.
	ctl, err := postgres.Open(ctx, dbURL, nil)
	if err != nil {
		return err
	}
	defer ctl.Close()
	scripts := make([]string, len(pages))
	statements := make([][]string, len(pages))
	for i, p := range pages {
		stmts, err := pageStatements(ctx, c, ctl, "http://"+portalAddr+p.path, cookies[p.user])
		if err != nil {
			return err
		}
		statements[i] = stmts
		scripts[i] = strings.Join(stmts, ";\n") + ";\n"
		// Kept beside the saved page, to read what a page costs PostgreSQL.
		if err := os.WriteFile(filepath.Join(static, "p"+strconv.Itoa(i)+".sql"), []byte(scripts[i]), 0o644); err != nil {
			return err
		}
	}
	stopNginx, err := startNginx(ctx, work, static)
	if err != nil {
		return err
	}
	defer stopNginx()
	floorPages := make([]floorPage, len(pages))
	for i := range pages {
		body, err := os.ReadFile(filepath.Join(static, "p"+strconv.Itoa(i)+".html"))
		if err != nil {
			return err
		}
		floorPages[i] = floorPage{stmts: statements[i], body: body}
	}
	stopFloor, err := startFloor(ctx, dbURL, floorPages)
	if err != nil {
		return err
	}
	defer stopFloor()

	// 4. wrk against the portal, nginx and the floor, page by page. Each page is first loaded for a short while
	// unmeasured, on each server, so that the figures are of the steady state: a freshly started cluster reads the pages' rows from
	// disk, and each of the portal's connections prepares a statement once. Without it the first page measured
	// came out at half its steady rate.
	var results []result
	for i, p := range pages {
		script := ""
		if paths := rotations[p.path]; paths != nil {
			if script, err = rotationScript(work, "p"+strconv.Itoa(i), paths); err != nil {
				return err
			}
		}
		for _, u := range []struct{ url, cookie, script string }{{"http://" + portalAddr + p.path, cookies[p.user], script},
			{"http://" + nginxAddr + "/p" + strconv.Itoa(i) + ".html", "", ""},
			{"http://" + floorAddr + "/p/" + strconv.Itoa(i), "", ""}} {
			if _, err := wrk(ctx, u.url, u.cookie, u.script, p.conns, *warm); err != nil {
				return err
			}
		}
		pr, err := wrk(ctx, "http://"+portalAddr+p.path, cookies[p.user], script, p.conns, *dur)
		if err != nil {
			return err
		}
		nr, err := wrk(ctx, "http://"+nginxAddr+"/p"+strconv.Itoa(i)+".html", "", "", p.conns, *dur)
		if err != nil {
			return err
		}
		fr, err := wrk(ctx, "http://"+floorAddr+"/p/"+strconv.Itoa(i), "", "", p.conns, *dur)
		if err != nil {
			return err
		}
		tps, err := pgbench(ctx, c, dbURL, scripts[i], pgbenchClients, *dur)
		if err != nil {
			return err
		}
		fi, _ := os.Stat(filepath.Join(static, "p"+strconv.Itoa(i)+".html"))
		results = append(results, result{page: p, portal: pr, nginx: nr, floor: fr, ratio: pr.rps / nr.rps,
			bytes: int(fi.Size()), pgTPS: tps})
	}
	if err := streamOpenData(ctx, "http://"+portalAddr, stdout); err != nil {
		return err
	}
	if err := stopped("during the run"); err != nil {
		return err
	}
	rss := peakRSS(srv.Process.Pid)

	fmt.Fprintf(stdout, "\n%d organizations, %d activity reports · wrk -t2 -d%s after %s unmeasured · 127.0.0.1\n\n",
		*orgs, *reports, *dur, *warm)
	fmt.Fprintln(stdout, "| page | conns | bytes | portal req/s | p50 | p99 | nginx req/s | nginx p99 | ratio | "+
		"PostgreSQL alone | floor | floor p99 | portal of floor |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range results {
		fmt.Fprintf(stdout, "| %s | %d | %d | %.0f | %s | %s | %.0f | %s | %.1f %% | %.0f (%.1f %%) | %.0f (%.1f %%) | %s | %.0f %% |\n",
			r.page.name, r.page.conns, r.bytes, r.portal.rps, r.portal.p50, r.portal.p99, r.nginx.rps, r.nginx.p99,
			100*r.ratio, r.pgTPS, 100*r.pgTPS/r.nginx.rps, r.floor.rps, 100*r.floor.rps/r.nginx.rps, r.floor.p99,
			100*r.portal.rps/r.floor.rps)
	}
	fmt.Fprintf(stdout, "\nPostgreSQL alone: pgbench -M prepared -c %d running the statements the page sent (logged from one request),\n"+
		"as req/s and as a share of nginx's. floor: a chi handler sending those statements through pgx in one batch\n"+
		"and writing the saved page, with nothing else (no session, decoding or rendering): the most this stack can\n"+
		"serve of the page here. \"portal of floor\" is the portal's req/s as a share of the floor's. nginx p99 and\n"+
		"floor p99 are the tails of the same load on them: on 2 shared cores they show how much of the portal's p99 is\n"+
		"the machine's scheduling rather than the portal's own work.\n", pgbenchClients)
	fmt.Fprintf(stdout, "\nportal peak RSS: %d MB\n", rss/1024)
	return nil
}

func waitReady(ctx context.Context, u string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(u); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s did not answer 200 in 60 s", u)
}

func signIn(user string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodPost, "http://"+portalAddr+"/login",
		strings.NewReader(url.Values{"username": {user}, "password": {benchPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		return "", err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("sign in as %s: %d", user, res.StatusCode)
	}
	for _, ck := range res.Cookies() {
		if ck.Name == "yubei_session" {
			return ck.Name + "=" + ck.Value, nil
		}
	}
	return "", errors.New("no session cookie")
}

func fetch(u, cookie string) ([]byte, int, error) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return b, res.StatusCode, err
}

// deepCursor is an id a tenth of the way from the oldest organization: a page deep in the district list.
func deepCursor(dbURL string) (int64, error) {
	db, err := postgres.Open(context.Background(), dbURL, nil)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var id int64
	err = db.Pool.QueryRow(context.Background(), `SELECT min(id) + (max(id) - min(id)) / 10 FROM organizations`).Scan(&id)
	return id, err
}

// generate runs `portal gen <flag> n` against the load-test database: once, later runs reuse what it made.
// benchDataKey is the load-test database's own data key (base64), made once beside its data and read on later
// runs: gen seals the invented phone numbers with it and serve opens them with it. It cannot be the published
// demo key, because serve outside demo mode refuses that key (SECURITY.md), and the bench serves as production does.
func benchDataKey(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	key := base64.StdEncoding.EncodeToString(raw)
	return key, os.WriteFile(path, []byte(key+"\n"), 0o600)
}

func generate(ctx context.Context, bin string, env []string, flag string, n int, what string, stdout, stderr io.Writer) error {
	fmt.Fprintf(stdout, "generating %d %s (once; later runs reuse them) …\n", n, what)
	gen := exec.CommandContext(ctx, bin, "gen", flag, strconv.Itoa(n))
	gen.Env = append(env, "PORTAL_DEMO=true")
	gen.Stdout, gen.Stderr = stdout, stderr
	if err := gen.Run(); err != nil {
		return fmt.Errorf("gen %s: %w", flag, err)
	}
	return nil
}

// deepReportCursor is the keyset cursor ("2023-05-06_123") nine tenths of the way down a town's report list,
// and the group of the report there, whose history is a page of its own.
func deepReportCursor(dbURL, town string) (string, int64, error) {
	db, err := postgres.Open(context.Background(), dbURL, nil)
	if err != nil {
		return "", 0, err
	}
	defer db.Close()
	var day time.Time
	var id, org int64
	err = db.Pool.QueryRow(context.Background(), `
		SELECT activity_date, id, org_id FROM activity_reports
		WHERE town_code = $1 AND superseded_at IS NULL
		ORDER BY activity_date DESC, id DESC
		OFFSET (SELECT sum(n) * 9 / 10 FROM report_counts WHERE starts_with(community_code, $1)) LIMIT 1`, town).
		Scan(&day, &id, &org)
	return day.Format("2006-01-02") + "_" + strconv.FormatInt(id, 10), org, err
}

func startNginx(ctx context.Context, work, root string) (func(), error) {
	prefix := filepath.Join(work, "nginx")
	if err := os.MkdirAll(filepath.Join(prefix, "logs"), 0o755); err != nil {
		return nil, err
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	conf := fmt.Sprintf(`%s
worker_processes auto;
pid %s/nginx.pid;
error_log %s/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  sendfile on;
  server { listen %s; root %s; }
}
`, user, prefix, prefix, nginxAddr, root)
	confPath := filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return nil, err
	}
	bin := "nginx"
	if _, err := exec.LookPath(bin); err != nil {
		bin = "/usr/sbin/nginx"
	}
	cmd := exec.CommandContext(ctx, bin, "-p", prefix, "-c", confPath, "-g", "daemon off;")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	if err := waitReady(ctx, "http://"+nginxAddr+"/p0.html"); err != nil {
		_ = cmd.Process.Kill()
		return nil, err
	}
	return func() { _ = cmd.Process.Signal(syscall.SIGQUIT); _ = cmd.Wait() }, nil
}

type wrkResult struct {
	rps      float64
	p50, p99 string
}

var (
	reRPS = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	reP50 = regexp.MustCompile(`\s50%\s+(\S+)`)
	reP99 = regexp.MustCompile(`\s99%\s+(\S+)`)
	reErr = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// wrk loads u for d; script, when set, is a wrk script choosing each request's path.
func wrk(ctx context.Context, u, cookie, script string, conns int, d time.Duration) (wrkResult, error) {
	args := []string{"-t2", "-c" + strconv.Itoa(conns), "-d" + strconv.Itoa(int(d.Seconds())) + "s", "--latency", "--timeout", "5s"}
	if script != "" {
		args = append(args, "-s", script)
	}
	if cookie != "" {
		args = append(args, "-H", "Cookie: "+cookie)
	}
	ctx, cancel := context.WithTimeout(ctx, d+30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "wrk", append(args, u)...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %v\n%s", u, err, out)
	}
	s := string(out)
	if m := reErr.FindStringSubmatch(s); m != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %s responses were not 2xx/3xx", u, m[1])
	}
	var r wrkResult
	if m := reRPS.FindStringSubmatch(s); m != nil {
		r.rps, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := reP50.FindStringSubmatch(s); m != nil {
		r.p50 = m[1]
	}
	if m := reP99.FindStringSubmatch(s); m != nil {
		r.p99 = m[1]
	}
	if r.rps == 0 {
		return r, fmt.Errorf("wrk %s: no result in\n%s", u, s)
	}
	return r, nil
}

// peakRSS is the process's high-water resident set in KiB, from /proc.
func peakRSS(pid int) int {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "VmHWM:") {
			n, _ := strconv.Atoi(strings.Fields(sc.Text())[1])
			return n
		}
	}
	return 0
}

// choosePages keeps the pages whose name matches expr (all of them when expr is empty), so that one page's
// work can be measured without the whole table; a pattern that matches nothing is an error, not an empty run.
func choosePages(pages []page, expr string) ([]page, error) {
	if expr == "" {
		return pages, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("-only: %w", err)
	}
	var kept []page
	for _, p := range pages {
		if re.MatchString(p.name) {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("-only %q matches no page", expr)
	}
	return kept, nil
}
