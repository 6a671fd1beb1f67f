// Package server is the portal's HTTP side: the URL map (routes.go), middleware, and one handler maker per
// action. Handlers never build SQL; they call store methods that take the caller's scope.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/yubei-cso/portal/internal/auth"
	"github.com/yubei-cso/portal/internal/config"
	"github.com/yubei-cso/portal/internal/postgres"
	"github.com/yubei-cso/portal/web"
)

// Server wires the portal's parts together; it keeps no state of its own between requests (but the per-address
// sign-in counts, a flood guard), so any number of portal processes can share one database behind a load
// balancer.
type Server struct {
	cfg          config.Config
	db           *postgres.DB
	sessions     *scs.SessionManager
	hasher       *auth.Hasher
	resp         *responder
	stopCleaning func()         // stops the deletion of expired sessions
	imports      *importWorkers // runs 台账 checks and imports; their progress is kept in the database
	demo         web.DemoLogin  // the sign-in page's list in demo mode
	signIns      *signInLimiter // sign-in attempts per client address (a flood guard, per process)
	metrics      *metrics       // request counts and times for Prometheus (MetricsHandler)
	publicTurns  *publicTurns   // how many public pages are served at once
}

// New builds the server. Sessions live in PostgreSQL (SECURITY.md 3, 5). demo is what the sign-in page lists in
// demo mode: the caller that loads the demo data knows it, so the server links no demo data of its own.
func New(cfg config.Config, db *postgres.DB, log *slog.Logger, demo web.DemoLogin) *Server {
	sm := scs.New()
	sm.Store = sessionStore{db: db}
	sm.Codec = sessionCodec{}
	// The idle timeout is enforced by loadAccount from a last-seen time kept in the session, not by scs: scs
	// would rewrite the session row on every request to move its expiry, one write per page view.
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.Name = "yubei_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies
	sm.Cookie.Path = "/"
	resp := &responder{log: log, ping: db.Ready}
	sm.ErrorFunc = resp.serverError
	return &Server{cfg: cfg, db: db, sessions: sm, hasher: auth.NewHasher(cfg.HashConcurrency), resp: resp,
		stopCleaning: cleanSessions(db, 10*time.Minute), imports: newImportWorkers(log),
		demo: demo, signIns: newSignInLimiter(cfg.SignInRate, signInsInFlight),
		metrics: newMetrics(), publicTurns: newPublicTurns(cfg.PublicConcurrency, resp)}
}

// signInsInFlight is how many sign-ins of one address are checked at once; more wait for none, they get 429.
const signInsInFlight = 2

// Handler is the portal's whole HTTP surface.
func (s *Server) Handler() http.Handler { return s.routes() }

// FinishJobs lets the 台账 jobs this process is running finish, until ctx ends; call it after the HTTP server
// has stopped taking requests and before Close.
func (s *Server) FinishJobs(ctx context.Context) { s.imports.finish(ctx) }

// Close stops the session store's cleanup goroutine and any 台账 job still running (its transaction rolls
// back and the job shows as stopped).
func (s *Server) Close() {
	s.imports.close()
	s.stopCleaning()
}
