package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/yubei-cso/portal/internal/auth"
	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/pgcluster"
	"github.com/yubei-cso/portal/internal/photos"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/internal/sealbox"
	"github.com/yubei-cso/portal/internal/seed"
	"github.com/yubei-cso/portal/internal/server"
	"github.com/yubei-cso/portal/internal/uploads"
	"github.com/yubei-cso/portal/web"
)

const usage = `usage: portal COMMAND [flags]

commands:
  dev                      start with demo data; without DATABASE_URL, on a private PostgreSQL in .pgdata/ (make run)
  serve                    serve on PORTAL_ADDR using DATABASE_URL
  migrate                  apply database migrations
  seed [-demo]             load 渝北区 and its 30 towns; -demo also loads demo communities and accounts
  user add ...             create an account (e.g. a deployment's first district administrator)
  divisions import FILE    import a real community list (CSV: code,name,parent_code,urban_rural[,managed_by])
  stats snapshot [-backfill]  keep this month's counts per community for the statistics' trend (monthly, from cron)
  audit purge              delete audit rows older than PORTAL_AUDIT_RETENTION_DAYS (never under 180 days)
  messages sweep           站内消息 to committees whose groups' 定期工作报告 are overdue (once per period;
                           serve and dev also run it by themselves every hour)
  pg start|stop|url [-dir D]  manage the private PostgreSQL cluster used by make run and make test
  gen -orgs N              append N generated organizations (COPY) for load tests; never in production
`

// The collector's settings for serving, unless GOGC or GOMEMLIMIT say otherwise. A page allocates about 60 KB
// and keeps nothing, and the live heap of a serving portal is under 10 MB: with Go's default (collect when the
// heap has doubled) the collector ran every hundred pages and took a quarter of the portal's CPU under load.
// Collecting when the heap has grown fivefold costs a third less CPU per page; the soft limit keeps the heap,
// and so the process's memory, bounded whatever the growth factor allows (peak RSS under list load stays
// well under PERFORMANCE.md's 100 MB), by collecting sooner as it nears the limit.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 64 << 20
)

// tuneGC applies the serving settings for whichever of the two the environment leaves unset.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}

// run is the whole program; main only calls it. It alone reads the environment and handles signals.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := newLogger(getenv("PORTAL_LOG_FORMAT"), stderr)
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "dev":
		tuneGC(getenv)
		return runDev(ctx, getenv, stdout, stderr, log)
	case "serve":
		tuneGC(getenv)
		cfg, err := config.Load(getenv)
		if err != nil {
			return err
		}
		if cfg.DatabaseURL == "" {
			return errors.New("DATABASE_URL is not set (use `portal dev` or `make run` for a private database)")
		}
		return prepareAndServe(ctx, cfg, stdout, log)
	case "migrate":
		db, err := openFromEnv(ctx, getenv)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "migrations applied")
		return nil
	case "seed":
		fs := flag.NewFlagSet("seed", flag.ContinueOnError)
		demo := fs.Bool("demo", false, "also load demo communities and accounts")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		cfg, err := config.Load(getenv)
		if err != nil {
			return err
		}
		db, err := openAndMigrate(ctx, cfg.OwnerURL(), cfg.DataKey)
		if err != nil {
			return err
		}
		defer db.Close()
		if *demo {
			return loadDemo(ctx, db, cfg, stdout)
		}
		return seed.LoadReference(ctx, db)
	case "user":
		return runUser(ctx, rest, getenv, stdin, stdout)
	case "divisions":
		return runDivisions(ctx, rest, getenv, stdout)
	case "stats":
		return runStats(ctx, rest, getenv, stdout)
	case "audit":
		return runAudit(ctx, rest, getenv, stdout)
	case "messages":
		return runMessages(ctx, rest, getenv, stdout)
	case "pg":
		return runPG(ctx, rest, stdout, stderr)
	case "gen":
		return runGen(ctx, rest, getenv, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// ownerURL is PORTAL_OWNER_DATABASE_URL, or DATABASE_URL when a single role owns and serves.
func ownerURL(getenv func(string) string) string {
	if u := getenv("PORTAL_OWNER_DATABASE_URL"); u != "" {
		return u
	}
	return getenv("DATABASE_URL")
}

// openFromEnv opens the owner's URL for a command that never touches sealed personal data.
func openFromEnv(ctx context.Context, getenv func(string) string) (*postgres.DB, error) {
	url := ownerURL(getenv)
	if url == "" {
		return nil, errors.New("DATABASE_URL is not set")
	}
	return postgres.Open(ctx, url, nil)
}

// openAndMigrate opens url with the data key (nil for a command that never touches sealed personal data) and
// applies the migrations.
func openAndMigrate(ctx context.Context, url string, key []byte) (*postgres.DB, error) {
	if url == "" {
		return nil, errors.New("DATABASE_URL is not set")
	}
	var box *sealbox.Box
	if key != nil {
		var err error
		if box, err = sealbox.New(key); err != nil {
			return nil, fmt.Errorf("PORTAL_DATA_KEY: %w", err)
		}
	}
	db, err := postgres.Open(ctx, url, box)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// errNotDemoDatabase refuses demo mode on a database that holds accounts demo mode did not make: it would add
// demo-district, with the password printed on the sign-in page, to a real registry.
var errNotDemoDatabase = errors.New("PORTAL_DEMO: this database was not made by demo mode (it has accounts and no demo data); " +
	"demo mode would add accounts with the published password to it. Use a new database, or set PORTAL_DEMO_ADOPT=true " +
	"if this really is a throwaway database")

func loadDemo(ctx context.Context, db *postgres.DB, cfg config.Config, stdout io.Writer) error {
	if !cfg.DemoAdopt {
		demo, err := db.Fact(ctx, "demo_loaded")
		if err != nil {
			return err
		}
		accounts, err := db.CountAccounts(ctx)
		if err != nil {
			return err
		}
		if demo == "" && accounts > 0 {
			return errNotDemoDatabase
		}
	}
	loaded, err := seed.LoadDemo(ctx, db, auth.NewHasher(cfg.HashConcurrency), seed.DemoPassword)
	if err != nil {
		return fmt.Errorf("loading demo data: %w", err)
	}
	if loaded {
		fmt.Fprintln(stdout, "demo data loaded")
	}
	if err := seed.LoadDemoMaterials(ctx, db, uploads.New(cfg.UploadDir)); err != nil {
		return fmt.Errorf("loading demo training materials: %w", err)
	}
	if err := seed.LoadDemoCharity(ctx, db, uploads.New(cfg.UploadDir)); err != nil { // issue 15: 慈善组织认定
		return fmt.Errorf("loading the demo 慈善组织认定: %w", err)
	}
	// The demo cases' and activities' photos, stored in the portal's own upload folder.
	if loaded, err = seed.LoadDemoPhotos(ctx, db, photos.New(cfg.UploadDir)); err != nil {
		return fmt.Errorf("loading demo photos: %w", err)
	} else if loaded {
		fmt.Fprintln(stdout, "demo photos loaded")
	}
	return nil
}

// runDev is `make run`: demo mode on the developer's database, or on a private cluster it starts and stops.
func runDev(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer, log *slog.Logger) error {
	env := func(k string) string {
		if k == "PORTAL_DEMO" && getenv(k) == "" {
			return "true"
		}
		return getenv(k)
	}
	cfg, err := config.Load(env)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL == "" {
		c, err := pgcluster.Open(".pgdata", stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "starting PostgreSQL in %s\n", c.Dir)
		if err := c.Start(ctx, false); err != nil {
			return err
		}
		if c.Started() {
			defer func() {
				if err := c.Stop(context.Background()); err != nil {
					fmt.Fprintln(stderr, "stopping PostgreSQL:", err)
				} else {
					fmt.Fprintln(stdout, "PostgreSQL stopped")
				}
			}()
		}
		if err := ensureDatabase(ctx, c, "portal"); err != nil {
			return err
		}
		// The private cluster's superuser owns the tables; the portal serves as portal_web, a member of
		// portal_serving, as a deployment does (README "Deployment").
		cfg.OwnerDatabaseURL = c.URL("portal")
		owner, err := openAndMigrate(ctx, cfg.OwnerDatabaseURL, cfg.DataKey)
		if err != nil {
			return err
		}
		err = owner.EnsureServingLogin(ctx, devServingRole)
		owner.Close()
		if err != nil {
			return err
		}
		cfg.DatabaseURL = postgres.WithUser(cfg.OwnerDatabaseURL, devServingRole)
	}
	return prepareAndServe(ctx, cfg, stdout, log)
}

// devServingRole is the login role `portal dev` serves as on its private cluster.
const devServingRole = "portal_web"

// prepareAndServe migrates the database (and loads the demo data in demo mode) on a connection of its own, then
// serves on pools whose every connection carries the serving limits of PORTAL_DB_TIMEOUT: a migration or the
// demo load may rightly run longer than any page's statement.
func prepareAndServe(ctx context.Context, cfg config.Config, stdout io.Writer, log *slog.Logger) error {
	db, err := openAndMigrate(ctx, cfg.OwnerURL(), cfg.DataKey)
	if err != nil {
		return err
	}
	if cfg.Demo {
		if err := loadDemo(ctx, db, cfg, stdout); err != nil {
			db.Close()
			return err
		}
	}
	// A wrong key (a restore with another deployment's key file) stops the start here, loudly.
	if err := db.CheckDataKey(ctx); err != nil {
		db.Close()
		return err
	}
	db.Close()
	box, err := sealbox.New(cfg.DataKey)
	if err != nil {
		return fmt.Errorf("PORTAL_DATA_KEY: %w", err)
	}
	db, err = postgres.Open(ctx, postgres.ServingURL(cfg.DatabaseURL, cfg.DBTimeout), box)
	if err != nil {
		return err
	}
	defer db.Close()
	return serve(ctx, cfg, db, stdout, log)
}

// ensureDatabase creates database name on the private cluster if it is missing.
func ensureDatabase(ctx context.Context, c *pgcluster.Cluster, name string) error {
	admin, err := postgres.Open(ctx, c.URL("postgres"), nil)
	if err != nil {
		return err
	}
	defer admin.Close()
	return admin.CreateDatabaseIfMissing(ctx, name)
}

// serve listens on cfg.Addr until ctx ends (SIGINT/SIGTERM), then drains in-flight requests (SECURITY.md 23).
func serve(ctx context.Context, cfg config.Config, db *postgres.DB, stdout io.Writer, log *slog.Logger) error {
	srv := server.New(cfg, db, log, demoLogin(cfg))
	defer srv.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      10 * time.Minute, // exports stream for a while
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if cfg.MetricsAddr != "" {
		stopMetrics, err := serveMetrics(cfg.MetricsAddr, srv.MetricsHandler(), log)
		if err != nil {
			return err
		}
		defer stopMetrics()
		fmt.Fprintf(stdout, "metrics on http://%s/metrics\n", cfg.MetricsAddr)
	}
	if cfg.DebugAddr != "" {
		stopDebug, err := serveProfiler(cfg.DebugAddr, log)
		if err != nil {
			return err
		}
		defer stopDebug()
	}
	fmt.Fprintf(stdout, "portal listening on http://%s\n", ln.Addr())
	// Two jobs run by themselves, each one runner across processes, and both stop with serving before the pool
	// closes: the statistics' month-end state (issue 13, off the request path) and the overdue-report sweep
	// (issue 17).
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobs := make(chan struct{}, 2)
	go func() { keepMonthlySnapshots(jobsCtx, db, time.Hour, log); jobs <- struct{}{} }()
	go func() { runSweeper(jobsCtx, db, sweepEvery, log); jobs <- struct{}{} }()
	defer func() { stopJobs(); <-jobs; <-jobs }()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	// A 100,000-row 台账 imports in well under a minute; one confirmed just before the stop is finished rather
	// than rolled back, within the 90 s a service manager usually allows.
	fmt.Fprintln(stdout, "shutting down: finishing 台账 jobs in progress (at most 60 s)")
	jobsCtx, cancelJobs := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancelJobs()
	srv.FinishJobs(jobsCtx)
	return nil
}

// newLogger writes text lines, or with format "json" one JSON object a line (for a log collector); either way
// each request's line carries its request_id, which the error page shows the user.
func newLogger(format string, w io.Writer) *slog.Logger {
	if strings.TrimSpace(format) == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// serveMetrics serves h at /metrics on addr, a listener apart from the public one.
func serveMetrics(addr string, h http.Handler, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("metrics stopped", "err", err)
		}
	}()
	return func() { _ = hs.Close() }, nil
}

// serveProfiler serves Go's profiler on addr (a loopback address, checked by config) for measuring the portal
// under load; it is never part of the public handler.
func serveProfiler(addr string, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("profiler stopped", "err", err)
		}
	}()
	return func() { _ = hs.Close() }, nil
}

// runPG manages the private cluster: `make test` starts it, hands its URL to the tests and stops it.
func runPG(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: portal pg start|stop|url [-dir D]")
	}
	fs := flag.NewFlagSet("pg", flag.ContinueOnError)
	dir := fs.String("dir", ".pgdata", "the cluster's folder")
	fast := fs.Bool("fast", false, "skip fsync (throwaway test clusters only)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	c, err := pgcluster.Open(filepath.Clean(*dir), stderr)
	if err != nil {
		return err
	}
	switch args[0] {
	case "start":
		if err := c.Start(ctx, *fast); err != nil {
			return err
		}
		fmt.Fprintln(stdout, c.URL("postgres"))
		return nil
	case "stop":
		if !c.Running(ctx) {
			return nil
		}
		return c.Stop(ctx)
	case "url":
		fmt.Fprintln(stdout, c.URL("postgres"))
		return nil
	}
	return fmt.Errorf("unknown pg command %q", args[0])
}

// demoLogin is the sign-in page's list of the demo accounts DESIGN.md promises, with their divisions' names; it
// is empty outside demo mode.
func demoLogin(cfg config.Config) web.DemoLogin {
	if !cfg.Demo {
		return web.DemoLogin{}
	}
	names := map[string]string{seed.DistrictCode: seed.District().Name}
	towns := seed.Towns()
	for _, t := range towns {
		names[t.Code] = t.Name
	}
	for _, c := range seed.DemoCommunities(towns) {
		names[c.Code] = names[c.ParentCode] + " · " + c.Name
	}
	d := web.DemoLogin{Password: seed.DemoPassword}
	for _, a := range seed.DemoAccounts() {
		tier := a.Tier.Label()
		if a.Role != portal.RoleAll { // issue 17: the role accounts say their share of the tier's work
			tier += " · " + a.Role.Label()
		}
		d.Accounts = append(d.Accounts, web.DemoAccount{Username: a.Username, Tier: tier, Division: names[a.Division]})
	}
	return d
}
