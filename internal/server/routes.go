package server

import (
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/web"
)

// routes is the whole URL surface of the portal. The three tiers of the 三级管理模式 are the three groups at the
// bottom; each answers only its own tier (anonymous → 303 to /login, another tier → 403).
func (s *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(requestID, s.recoverer, securityHeaders, s.logRequests, crossOriginProtection, middleware.GetHead)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)

	// Probes and assets need neither a session nor the database.
	r.Get("/healthz", handleHealthz())
	r.Get("/readyz", handleReadyz(s.db))
	static, _ := fs.Sub(web.Static, "static")
	r.Method(http.MethodGet, "/static/*", cacheStatic(http.StripPrefix("/static/", http.FileServerFS(static))))

	r.Group(func(r chi.Router) {
		r.Use(s.withRequestSession, s.sessions.LoadAndSave, s.loadAccount)

		r.Get("/", handleHome(s.db, s.resp))
		s.publicRoutes(r)
		r.Get("/login", handleLoginPage(s.cfg, s.resp))
		r.Post("/login", handleLoginPost(s.cfg, s.db, s.sessions, s.hasher, s.resp))
		r.Post("/logout", handleLogout(s.db, s.sessions, s.resp))

		r.Group(func(r chi.Router) {
			r.Use(requireSignIn, noStore)
			r.Get("/account/password", handlePasswordPage(s.resp))
			r.Post("/account/password", handlePasswordChange(s.db, s.sessions, s.hasher, s.resp))
		})

		r.Route("/district", func(r chi.Router) {
			r.Use(requireTier(portal.TierDistrict, s.resp), noStore)
			r.Get("/", handleDistrictDashboard(s.db, s.resp))
			s.accountRoutes(r, "/district/accounts")
			r.Get("/audit", handleAuditSearch(s.db, s.resp))
			s.orgRecordRoutes(r, portal.TierDistrict)
			s.orgListRoutes(r, portal.TierDistrict)
			s.orgImportRoutes(r, portal.TierDistrict)
			s.filingRoutes(r, portal.TierDistrict)
			s.applicationRoutes(r, portal.TierDistrict)
			s.reportRoutes(r, portal.TierDistrict)
			s.noticeRoutes(r, portal.TierDistrict)
			s.workReportRoutes(r, portal.TierDistrict)
		})

		r.Route("/town", func(r chi.Router) {
			r.Use(requireTier(portal.TierTown, s.resp), noStore)
			r.Get("/", handleTownDashboard(s.db, s.resp))
			s.accountRoutes(r, "/town/accounts")
			s.orgRecordRoutes(r, portal.TierTown)
			s.orgListRoutes(r, portal.TierTown)
			s.orgImportRoutes(r, portal.TierTown)
			s.filingRoutes(r, portal.TierTown)
			s.applicationRoutes(r, portal.TierTown)
			s.reportRoutes(r, portal.TierTown)
			s.noticeRoutes(r, portal.TierTown)
			s.workReportRoutes(r, portal.TierTown)
		})

		r.Route("/community", func(r chi.Router) {
			r.Use(requireTier(portal.TierCommunity, s.resp), noStore)
			r.Get("/", handleCommunityDashboard(s.db, s.resp))
			s.orgRecordRoutes(r, portal.TierCommunity)
			s.orgListRoutes(r, portal.TierCommunity)
			s.orgImportRoutes(r, portal.TierCommunity)
			s.filingRoutes(r, portal.TierCommunity)
			s.applicationRoutes(r, portal.TierCommunity)
			s.reportRoutes(r, portal.TierCommunity)
			s.noticeRoutes(r, portal.TierCommunity)
			s.workReportRoutes(r, portal.TierCommunity)
		})
	})
	return r
}

// accountRoutes mounts account administration; the district and the towns share the handlers, and the scope of
// the signed-in account decides which accounts they reach.
func (s *Server) accountRoutes(r chi.Router, base string) {
	r.Get("/accounts", handleAccountList(s.db, base, s.resp))
	r.Get("/accounts/new", handleAccountNew(s.db, base, s.resp))
	r.Post("/accounts", handleAccountCreate(s.db, s.hasher, base, s.resp))
	r.Get("/accounts/{id}", handleAccountShow(s.db, base, s.resp))
	r.Post("/accounts/{id}/disable", handleAccountChange(s.db, s.hasher, base, changeDisable, s.resp))
	r.Post("/accounts/{id}/enable", handleAccountChange(s.db, s.hasher, base, changeEnable, s.resp))
	r.Post("/accounts/{id}/unlock", handleAccountChange(s.db, s.hasher, base, changeUnlock, s.resp))
	r.Post("/accounts/{id}/division", handleAccountChange(s.db, s.hasher, base, changeDivision, s.resp))
	r.Post("/accounts/{id}/password", handleAccountChange(s.db, s.hasher, base, changePassword, s.resp))
}
