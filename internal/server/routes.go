package server

import (
	"fmt"
	"io/fs"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/yubei-cso/portal/internal/photos"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/uploads"
	"github.com/yubei-cso/portal/web"
)

// routes is the whole URL surface of the portal. The three tiers of the 三级管理模式 are the three groups at the
// bottom; each answers only its own tier (anonymous → 303 to /login, another tier → 403).
func (s *Server) routes() http.Handler {
	up := uploads.New(s.cfg.UploadDir)
	ph := photos.New(s.cfg.UploadDir)
	r := chi.NewRouter()
	r.Use(requestID, s.recoverer, securityHeaders, s.hsts, s.logRequests, crossOriginProtection, middleware.GetHead, s.dbDeadline, s.checkInput)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)

	// Probes and assets need neither a session nor the database.
	r.Get("/healthz", handleHealthz())
	r.Get("/readyz", handleReadyz(s.db))
	static, _ := fs.Sub(web.Static, "static")
	r.Method(http.MethodGet, "/static/*", noListing(s.resp, cacheStatic(http.StripPrefix("/static/", http.FileServerFS(static)))))

	// The public side: no session is read and no cookie set, so that the same bytes serve every visitor and
	// browsers and proxies may keep them (publicPage); searches and checks by number are rate-limited per client,
	// and the pages take turns (publicTurns). The downloads below stream for long and do not take turns.
	ps := &publicScoper{read: s.db.PublicScope}
	limit := newRateLimiter(s.cfg.PublicRate)
	r.Group(func(r chi.Router) {
		r.Use(publicPage, s.publicTurns.hold)
		r.Get("/orgs", handlePublicDirectory(s.db, ps, limit, s.resp))
		r.Get("/orgs/{id}", handlePublicProfile(s.db, ps, s.resp))
		r.Get("/orgs/{id}/photos/{photoID}", handlePublicPhoto(s.db, ps, ph, false, s.resp))
		r.Get("/orgs/{id}/photos/{photoID}/thumb", handlePublicPhoto(s.db, ps, ph, true, s.resp))
		r.Get("/divisions/{code}", handlePublicDivision(s.db, ps, s.resp))
		r.Get("/verify", handlePublicVerify(s.db, ps, limit, s.resp))
		r.Get("/verify/{token}", handleFilingVerify(s.db, s.resp))
		r.Get("/open-data", handleOpenDataPage(s.resp))
		r.Get("/cases", handlePublicCases(s.db, ps, s.resp))
		r.Get("/cases/{id}", handlePublicCase(s.db, ps, s.resp))
		r.Get("/announcements", handlePublicAnnouncements(s.db, ps, registry.KindNotice, s.resp))
		r.Get("/announcements/{id}", handlePublicAnnouncement(s.db, ps, registry.KindNotice, s.resp))
		r.Get("/policies", handlePublicAnnouncements(s.db, ps, registry.KindPolicy, s.resp))
		r.Get("/policies/{id}", handlePublicAnnouncement(s.db, ps, registry.KindPolicy, s.resp))
	})
	r.Group(func(r chi.Router) {
		r.Use(publicDownload)
		for _, d := range registry.OpenDatasets {
			r.Get("/open-data/"+d.Name+".csv", handleOpenDataCSV(s.db, ps, s.cfg.BaseURL, d.Name, s.resp))
		}
		r.Get("/open-data/organizations.json", handleOpenDataJSON(s.db, ps, s.cfg.BaseURL, s.resp))
		r.Get("/open-data/disclosures.csv", handleOpenDisclosuresCSV(s.db, ps, s.cfg.BaseURL, s.resp))
		r.Get("/open-data/disclosures.json", handleOpenDisclosuresJSON(s.db, ps, s.cfg.BaseURL, s.resp))
		r.Get("/cases/{id}/photos/{photoID}", handleCasePhoto(s.db, ps, ph, false, s.resp))
		r.Get("/cases/{id}/photos/{photoID}/thumb", handleCasePhoto(s.db, ps, ph, true, s.resp))
		r.Get("/announcements/{id}/documents/{fileID}", handleAnnouncementFile(s.db, ps, registry.KindNotice, up, s.resp))
		r.Get("/policies/{id}/documents/{fileID}", handleAnnouncementFile(s.db, ps, registry.KindPolicy, up, s.resp))
	})

	r.Group(func(r chi.Router) {
		r.Use(s.withRequestSession, s.sessions.LoadAndSave, s.loadAccount)
		r.Use(s.loadUnread) // the header's 站内消息 count

		r.Get("/", handleHome(s.db, ps, s.resp))
		r.Get("/login", handleLoginPage(s.cfg, s.demo, s.resp))
		r.With(s.limitSignIn).Post("/login", handleLoginPost(s.cfg, s.demo, s.db, s.sessions, s.hasher, s.resp))
		r.Post("/logout", handleLogout(s.db, s.sessions, s.resp))

		r.Group(func(r chi.Router) {
			r.Use(requireSignIn, noStore)
			r.Get("/account/password", handlePasswordPage(s.resp))
			r.Post("/account/password", handlePasswordChange(s.cfg, s.db, s.sessions, s.hasher, s.resp))
		})

		// 区民政局: reviews registrations and reads every town's work.
		r.Route("/district", func(r chi.Router) {
			r.Use(requireTier(portal.TierDistrict, s.resp), noStore)
			d := s.area(r, portal.TierDistrict)
			dp := web.PathsFor(portal.TierDistrict)
			d.get("/", portal.ViewDashboard, handleDistrictDashboard(s.db, s.resp))

			d.get("/orgs", portal.ViewOrgs, handleOrgList(s.db, dp, s.resp))
			d.get("/orgs/export.xlsx", portal.ViewOrgs, handleOrgExport(s.db, dp, exportXLSX, s.resp))
			d.get("/orgs/export.csv", portal.ViewOrgs, handleOrgExport(s.db, dp, exportCSV, s.resp))
			d.get("/orgs/{id}", portal.ViewOrgs, handleOrgShow(s.db, dp, s.resp))
			d.post("/orgs/{id}/status", portal.ChangeOrgStatus, handleOrgStatus(s.db, dp, s.resp))
			d.post("/orgs/{id}/reveal", portal.RevealPersonal, handleOrgReveal(s.db, dp, s.resp))
			// Issue 17: the district's 变更登记 of a registered group.
			d.get("/orgs/{id}/registration", portal.ChangeRegistration, handleRegistrationChangeForm(s.db, dp, s.resp))
			d.post("/orgs/{id}/registration", portal.ChangeRegistration, handleRegistrationChange(s.db, dp, s.resp))
			// Issue 13: transfer between communities, one group or a whole community's.
			d.get("/orgs/{id}/transfer", portal.TransferOrgs, handleOrgTransferForm(s.db, dp, s.resp))
			d.post("/orgs/{id}/transfer", portal.TransferOrgs, handleOrgTransfer(s.db, dp, s.resp))
			d.get("/orgs/move-community", portal.TransferOrgs, handleCommunityMoveForm(s.db, dp, s.resp))
			d.post("/orgs/move-community", portal.TransferOrgs, handleCommunityMove(s.db, dp, s.resp))

			d.get("/filings", portal.ViewFilings, handleFilingList(s.db, dp, false, s.resp))
			d.get("/filings/export.xlsx", portal.ViewFilings, handleFilingExport(s.db, dp, exportXLSX, s.resp))
			d.get("/filings/export.csv", portal.ViewFilings, handleFilingExport(s.db, dp, exportCSV, s.resp))
			d.get("/filings/{id}", portal.ViewFilings, handleFilingShow(s.db, dp, false, s.resp))
			d.get("/filings/{id}/documents/{docID}", portal.ViewFilings, handleFilingDocument(s.db, up, s.resp))
			d.get("/filings/{id}/certificate", portal.ViewFilings, handleFilingCertificate(s.db, s.cfg.BaseURL, dp, s.resp))

			d.get("/applications", portal.ViewApplications, handleApplicationList(s.db, dp, s.resp))
			d.get("/applications/export.xlsx", portal.ViewApplications, handleApplicationExport(s.db, dp, exportXLSX, s.resp))
			d.get("/applications/export.csv", portal.ViewApplications, handleApplicationExport(s.db, dp, exportCSV, s.resp))
			d.get("/applications/{id}", portal.ViewApplications, handleApplicationShow(s.db, dp, s.resp))
			d.post("/applications/{id}/accept", portal.ReviewApplications, handleApplicationDecide(s.db, dp, registry.AppAccepted, s.resp))
			d.post("/applications/{id}/return", portal.ReviewApplications, handleApplicationDecide(s.db, dp, registry.AppCorrection, s.resp))
			d.post("/applications/{id}/approve/check", portal.ReviewApplications, handleApplicationApproveCheck(s.db, dp, s.resp))
			d.post("/applications/{id}/approve", portal.ReviewApplications, handleApplicationDecide(s.db, dp, registry.AppApproved, s.resp))
			d.post("/applications/{id}/reject", portal.ReviewApplications, handleApplicationDecide(s.db, dp, registry.AppRejected, s.resp))

			dr := reportPathsFor(dp, false)
			d.get("/reports", portal.ViewReports, handleReportList(s.db, dr, s.resp))
			d.get("/reports/export.xlsx", portal.ViewReports, handleReportExport(s.db, dr, exportXLSX, s.resp))
			d.get("/reports/export.csv", portal.ViewReports, handleReportExport(s.db, dr, exportCSV, s.resp))
			d.get("/reports/{id}", portal.ViewReports, handleReportShow(s.db, dr, s.resp))
			d.get("/reports/{id}/photos/{photoID}", portal.ViewReports, handleReportPhoto(s.db, ph, false, s.resp))
			d.get("/reports/{id}/photos/{photoID}/thumb", portal.ViewReports, handleReportPhoto(s.db, ph, true, s.resp))
			d.get("/orgs/{id}/reports", portal.ViewReports, handleOrgReports(s.db, dr, s.resp))

			d.get("/notices", portal.ViewNotices, handleNoticeList(s.db, dp, s.resp))
			d.get("/notices/export.xlsx", portal.ViewNotices, handleNoticeExport(s.db, dp, exportXLSX, s.resp))
			d.get("/notices/export.csv", portal.ViewNotices, handleNoticeExport(s.db, dp, exportCSV, s.resp))
			d.get("/notices/{id}", portal.ViewNotices, handleNoticeShow(s.db, dp, s.resp))

			d.get("/work-reports", portal.ViewWorkReports, handleWorkReportCoverage(s.db, dp, s.resp))
			d.get("/work-reports/export.xlsx", portal.ViewWorkReports, handleCoverageExport(s.db, s.resp))
			d.get("/evaluations", portal.ViewEvaluations, handleEvaluationList(s.db, dp, s.resp))
			d.get("/evaluations/export.xlsx", portal.ViewEvaluations, handleEvaluationExport(s.db, s.resp))
			d.get("/orgs/{id}/evaluations", portal.ViewEvaluations, handleEvaluationHistory(s.db, dp, s.resp))

			d.get("/stats", portal.ViewStats, handleStats(s.db, dp, s.resp))
			d.get("/stats/export.xlsx", portal.ViewStats, handleStatsExport(s.db, dp, s.resp))
			d.get("/stats/party-meetings.xlsx", portal.ViewStats, handlePartyMeetingsExport(s.db, s.resp)) // 三会一课
			d.get("/stats/summary", portal.ViewStats, handleStatsSummary(s.db, dp, s.resp))
			d.get("/stats/targets", portal.SetTargets, handleTargets(s.db, dp, s.resp))
			d.post("/stats/targets", portal.SetTargets, handleTargetSet(s.db, dp, s.resp))
			d.post("/stats/targets/{code}/clear", portal.SetTargets, handleTargetClear(s.db, dp, s.resp))
			d.post("/stats/pilots", portal.SetTargets, handlePilotSet(s.db, dp, s.resp))
			d.post("/stats/pilots/{code}/clear", portal.SetTargets, handlePilotClear(s.db, dp, s.resp))
			d.get("/assessment", portal.ViewAssessment, handleAssessment(s.db, dp, s.resp))
			d.get("/assessment/schemes", portal.ManageSchemes, handleSchemeForm(s.db, dp, s.resp))
			d.post("/assessment/schemes", portal.ManageSchemes, handleSchemeSave(s.db, dp, s.resp))

			s.trainingRoutes(d, dp)
			s.trainingSessionRoutes(d, dp, up)
			d.get("/platforms", portal.ViewPlatforms, handlePlatformList(s.db, dp, s.resp))
			d.get("/platforms.xlsx", portal.ViewPlatforms, handlePlatformsExport(s.db, s.resp)) // issue 15: every list exports
			d.get("/platforms/new", portal.ManagePlatforms, handlePlatformNew(s.db, dp, s.resp))
			d.post("/platforms", portal.ManagePlatforms, handlePlatformCreate(s.db, dp, s.resp))
			d.get("/platforms/{id}", portal.ViewPlatforms, handlePlatformShow(s.db, dp, s.resp))
			d.post("/platforms/{id}/documents", portal.ManagePlatforms, handlePlatformDocUpload(s.db, up, dp, false, s.resp))
			d.get("/platforms/{id}/documents/{docID}", portal.ViewPlatforms, handleCultivationDocument(s.db, up, "platform", s.resp))
			d.get("/platforms/{id}/edit", portal.ManagePlatforms, handlePlatformEdit(s.db, dp, s.resp))
			d.post("/platforms/{id}/edit", portal.ManagePlatforms, handlePlatformUpdate(s.db, dp, s.resp))
			d.post("/platforms/{id}/rooms", portal.ManagePlatforms, handleRoomAdd(s.db, dp, s.resp))
			d.get("/platforms/{id}/rooms/{roomID}", portal.ViewPlatforms, handleRoomWeek(s.db, dp, s.resp))
			d.get("/platforms/{id}/rooms/{roomID}/bookings.xlsx", portal.ViewPlatforms, handleRoomBookingsExport(s.db, s.resp))
			d.post("/platforms/{id}/incubations", portal.Incubate, handleIncubationEnter(s.db, dp, s.resp))
			d.post("/platforms/{id}/incubations/milestones", portal.Incubate, handleIncubationMilestone(s.db, dp, s.resp))
			d.post("/platforms/{id}/incubations/leave", portal.Incubate, handleIncubationLeave(s.db, dp, s.resp))

			d.get("/funding", portal.ViewFunding, handleFunding(s.db, dp, s.resp))
			d.get("/funding/money.xlsx", portal.ViewFunding, handleMoneyExport(s.db, false, exportXLSX, s.resp))
			d.get("/funding/funds.xlsx", portal.ViewFunding, handleFundsExport(s.db, s.resp))   // issue 15: every list exports
			d.get("/funding/rounds.xlsx", portal.ViewFunding, handleRoundsExport(s.db, s.resp)) // issue 15: every list exports
			d.get("/funding/grants-360giving.csv", portal.ViewFunding, handleMoneyExport(s.db, true, exportCSV, s.resp))
			d.get("/funding/grants-360giving.xlsx", portal.ViewFunding, handleMoneyExport(s.db, true, exportXLSX, s.resp))
			d.get("/funding/contracts.xlsx", portal.ViewFunding, handleContractsExport(s.db, s.resp))
			d.get("/funding/contracts/new", portal.ManageFunding, handleContractNew(s.db, dp, s.resp))
			d.post("/funding/contracts", portal.ManageFunding, handleContractCreate(s.db, dp, s.resp))
			d.get("/funding/contracts/{id}", portal.ViewFunding, handleContractShow(s.db, dp, s.resp))
			d.post("/funding/contracts/{id}/documents", portal.ManageFunding, handleContractDocUpload(s.db, up, dp, s.resp))
			d.get("/funding/contracts/{id}/documents/{docID}", portal.ViewFunding, handleCultivationDocument(s.db, up, "contract", s.resp))
			d.post("/funding/contracts/{id}/payments", portal.ManageFunding, handlePaymentAdd(s.db, dp, s.resp))
			d.post("/funding/contracts/{id}/acceptance", portal.ManageFunding, handleContractAccept(s.db, dp, s.resp))
			d.get("/funding/funds/new", portal.ManageFunding, handleFundNew(s.db, dp, s.resp))
			d.post("/funding/funds", portal.ManageFunding, handleFundCreate(s.db, dp, s.resp))
			d.get("/funding/funds/{id}", portal.ViewFunding, handleFundShow(s.db, dp, s.resp))
			d.get("/funding/funds/{id}/ledger.xlsx", portal.ViewFunding, handleFundLedgerExport(s.db, s.resp)) // issue 15
			d.post("/funding/funds/{id}/movements", portal.ManageFunding, handleMovementAdd(s.db, dp, s.resp))
			d.get("/funding/rounds/new", portal.ManageFunding, handleRoundNew(s.db, dp, s.resp))
			d.post("/funding/rounds", portal.ManageFunding, handleRoundCreate(s.db, dp, s.resp))
			d.get("/funding/rounds/{id}", portal.ViewFunding, handleRoundPage(s.db, dp, s.resp))
			d.get("/funding/rounds/{id}/applications.xlsx", portal.ViewFunding, handleRoundExport(s.db, s.resp))
			d.post("/funding/rounds/{id}/status", portal.ManageFunding, handleRoundStatus(s.db, dp, s.resp))
			d.post("/funding/rounds/{id}/reviewers", portal.ManageFunding, handleRoundReviewers(s.db, dp, s.resp)) // issue 15: named reviewers
			d.post("/funding/rounds/{id}/applications/{appID}/close", portal.ManageFunding, handleVentureFollowUp(s.db, dp, true, s.resp))
			d.post("/funding/rounds/{id}/applications/{appID}/scores", portal.ReviewVenture, handleScore(s.db, dp, s.resp))
			d.post("/funding/rounds/{id}/applications/{appID}/award", portal.ManageFunding, handleAward(s.db, dp, s.resp))

			s.charityRoutes(d, dp, up) // issue 15: 慈善组织认定
			s.orgContactRevealRoute(d, dp)
			s.matchingRoutes(d, dp)
			s.caseRoutes(d, dp, ph)
			s.announcementRoutes(d, dp, up)
			s.messageRoutes(d, dp)
			s.disclosureRoutes(d, dp)
			s.officeRoutes(d, dp)
			s.accountRoutes(d, dp)
			d.get("/audit", portal.ViewAudit, handleAuditSearch(s.db, s.resp))
			d.get("/deadlines", portal.SetDeadlines, handleDeadlineSettings(s.db, s.resp))
			d.post("/deadlines", portal.SetDeadlines, handleDeadlineSave(s.db, s.resp))
			s.divisionRoutes(d, dp) // issue 17
		})

		// 镇街: files the larger unregistered groups, reviews notices, keeps its communities' records.
		r.Route("/town", func(r chi.Router) {
			r.Use(requireTier(portal.TierTown, s.resp), noStore)
			t := s.area(r, portal.TierTown)
			tp := web.PathsFor(portal.TierTown)
			t.get("/", portal.ViewDashboard, handleTownDashboard(s.db, s.resp))

			t.get("/orgs", portal.ViewOrgs, handleOrgList(s.db, tp, s.resp))
			t.get("/orgs/export.xlsx", portal.ViewOrgs, handleOrgExport(s.db, tp, exportXLSX, s.resp))
			t.get("/orgs/export.csv", portal.ViewOrgs, handleOrgExport(s.db, tp, exportCSV, s.resp))
			t.get("/orgs/{id}", portal.ViewOrgs, handleOrgShow(s.db, tp, s.resp))
			t.get("/orgs/{id}/edit", portal.EditOrg, handleOrgEdit(s.db, tp, s.resp))
			t.post("/orgs/{id}/edit", portal.EditOrg, handleOrgUpdate(s.db, tp, s.resp))
			t.post("/orgs/{id}/status", portal.ChangeOrgStatus, handleOrgStatus(s.db, tp, s.resp))
			t.post("/orgs/{id}/reveal", portal.RevealPersonal, handleOrgReveal(s.db, tp, s.resp))
			t.get("/orgs/import", portal.ImportOrgs, handleOrgImportForm(s.db, tp, s.resp))
			t.post("/orgs/import", portal.ImportOrgs, handleOrgImportUpload(s.db, s.imports, tp, s.resp))
			t.get("/orgs/import/template.xlsx", portal.ImportOrgs, handleOrgImportTemplate(s.db, s.resp))
			t.get("/orgs/import/jobs/{id}", portal.ImportOrgs, handleOrgImportJob(s.db, tp, s.resp))
			t.post("/orgs/import/jobs/{id}/confirm", portal.ImportOrgs, handleOrgImportConfirm(s.db, s.imports, tp, s.resp))
			// Issue 13: transfer between communities, one group or a whole community's.
			t.get("/orgs/{id}/transfer", portal.TransferOrgs, handleOrgTransferForm(s.db, tp, s.resp))
			t.post("/orgs/{id}/transfer", portal.TransferOrgs, handleOrgTransfer(s.db, tp, s.resp))
			t.get("/orgs/move-community", portal.TransferOrgs, handleCommunityMoveForm(s.db, tp, s.resp))
			t.post("/orgs/move-community", portal.TransferOrgs, handleCommunityMove(s.db, tp, s.resp))

			t.get("/filings", portal.ViewFilings, handleFilingList(s.db, tp, true, s.resp))
			t.get("/filings/export.xlsx", portal.ViewFilings, handleFilingExport(s.db, tp, exportXLSX, s.resp))
			t.get("/filings/export.csv", portal.ViewFilings, handleFilingExport(s.db, tp, exportCSV, s.resp))
			t.get("/filings/new", portal.SubmitFilings, handleFilingNew(s.db, tp, s.resp))
			t.post("/filings", portal.SubmitFilings, handleFilingCreate(s.db, up, tp, s.resp))
			t.get("/filings/new-change", portal.SubmitFilings, handleFilingOrgForm(s.db, tp, registry.FilingChange, s.resp))
			t.post("/filings/new-change", portal.SubmitFilings, handleFilingOrgCreate(s.db, tp, registry.FilingChange, s.resp))
			t.get("/filings/new-cancel", portal.SubmitFilings, handleFilingOrgForm(s.db, tp, registry.FilingCancel, s.resp))
			t.post("/filings/new-cancel", portal.SubmitFilings, handleFilingOrgCreate(s.db, tp, registry.FilingCancel, s.resp))
			t.get("/filings/{id}", portal.ViewFilings, handleFilingShow(s.db, tp, true, s.resp))
			t.get("/filings/{id}/documents/{docID}", portal.ViewFilings, handleFilingDocument(s.db, up, s.resp))
			t.get("/filings/{id}/certificate", portal.ViewFilings, handleFilingCertificate(s.db, s.cfg.BaseURL, tp, s.resp))
			t.post("/filings/{id}/approve", portal.DecideFilings, handleFilingApprove(s.db, tp, s.resp))
			t.post("/filings/{id}/return", portal.DecideFilings, handleFilingReturn(s.db, tp, s.resp))

			t.get("/applications", portal.ViewApplications, handleApplicationList(s.db, tp, s.resp))
			t.get("/applications/export.xlsx", portal.ViewApplications, handleApplicationExport(s.db, tp, exportXLSX, s.resp))
			t.get("/applications/export.csv", portal.ViewApplications, handleApplicationExport(s.db, tp, exportCSV, s.resp))
			t.get("/applications/new", portal.SubmitApplications, handleApplicationNew(s.db, tp, s.resp))
			t.post("/applications", portal.SubmitApplications, handleApplicationCreate(s.db, tp, s.resp))
			t.get("/applications/{id}", portal.ViewApplications, handleApplicationShow(s.db, tp, s.resp))
			t.get("/applications/{id}/edit", portal.SubmitApplications, handleApplicationEdit(s.db, tp, s.resp))
			t.post("/applications/{id}/edit", portal.SubmitApplications, handleApplicationResubmit(s.db, tp, s.resp))

			tr := reportPathsFor(tp, false)
			t.get("/reports", portal.ViewReports, handleReportList(s.db, tr, s.resp))
			t.get("/reports/export.xlsx", portal.ViewReports, handleReportExport(s.db, tr, exportXLSX, s.resp))
			t.get("/reports/export.csv", portal.ViewReports, handleReportExport(s.db, tr, exportCSV, s.resp))
			t.get("/reports/{id}", portal.ViewReports, handleReportShow(s.db, tr, s.resp))
			t.get("/reports/{id}/photos/{photoID}", portal.ViewReports, handleReportPhoto(s.db, ph, false, s.resp))
			t.get("/reports/{id}/photos/{photoID}/thumb", portal.ViewReports, handleReportPhoto(s.db, ph, true, s.resp))
			t.get("/orgs/{id}/reports", portal.ViewReports, handleOrgReports(s.db, tr, s.resp))

			t.get("/notices", portal.ViewNotices, handleNoticeCalendar(s.db, tp, s.resp))
			t.get("/notices/list", portal.ViewNotices, handleNoticeList(s.db, tp, s.resp))
			t.get("/notices/export.xlsx", portal.ViewNotices, handleNoticeExport(s.db, tp, exportXLSX, s.resp))
			t.get("/notices/export.csv", portal.ViewNotices, handleNoticeExport(s.db, tp, exportCSV, s.resp))
			t.get("/notices/{id}", portal.ViewNotices, handleNoticeShow(s.db, tp, s.resp))
			t.post("/notices/{id}/acknowledge", portal.ReviewNotices, handleNoticeDecide(s.db, tp, registry.NoticeAcknowledged, s.resp))
			t.post("/notices/{id}/request-changes", portal.ReviewNotices, handleNoticeDecide(s.db, tp, registry.NoticeChangesRequested, s.resp))
			t.post("/notices/{id}/reveal", portal.ReviewNotices, handleNoticeReveal(s.db, tp, s.resp))

			t.get("/work-reports", portal.ViewWorkReports, handleWorkReportCoverage(s.db, tp, s.resp))
			t.get("/work-reports/export.xlsx", portal.ViewWorkReports, handleCoverageExport(s.db, s.resp))
			t.post("/work-reports/mark-abnormal", portal.MarkAbnormal, handleMarkAbnormal(s.db, tp, s.resp))
			t.get("/evaluations", portal.ViewEvaluations, handleEvaluationList(s.db, tp, s.resp))
			t.get("/evaluations/export.xlsx", portal.ViewEvaluations, handleEvaluationExport(s.db, s.resp))
			t.get("/orgs/{id}/evaluations", portal.ViewEvaluations, handleEvaluationHistory(s.db, tp, s.resp))

			t.get("/stats", portal.ViewStats, handleStats(s.db, tp, s.resp))
			t.get("/stats/export.xlsx", portal.ViewStats, handleStatsExport(s.db, tp, s.resp))
			t.get("/stats/party-meetings.xlsx", portal.ViewStats, handlePartyMeetingsExport(s.db, s.resp)) // 三会一课
			t.get("/stats/summary", portal.ViewStats, handleStatsSummary(s.db, tp, s.resp))
			t.get("/assessment", portal.ViewAssessment, handleAssessment(s.db, tp, s.resp))
			s.trainingRoutes(t, tp)
			s.matchingRoutes(t, tp)
			s.messageRoutes(t, tp)
			s.partyMeetingRoutes(t, tp)
			s.disclosureRoutes(t, tp)
			s.officeRoutes(t, tp)
			t.get("/training/plan", portal.ManageTraining, handleTrainingPlanForm(s.db, tp, s.resp))
			t.post("/training/plan", portal.ManageTraining, handleTrainingPlanSave(s.db, tp, s.resp))
			s.trainingSessionRoutes(t, tp, up)
			t.get("/platforms", portal.ViewPlatforms, handlePlatformList(s.db, tp, s.resp))
			t.get("/platforms.xlsx", portal.ViewPlatforms, handlePlatformsExport(s.db, s.resp)) // issue 15: every list exports
			t.get("/platforms/new", portal.ManagePlatforms, handlePlatformNew(s.db, tp, s.resp))
			t.post("/platforms", portal.ManagePlatforms, handlePlatformCreate(s.db, tp, s.resp))
			t.get("/platforms/{id}", portal.ViewPlatforms, handlePlatformShow(s.db, tp, s.resp))
			t.post("/platforms/{id}/documents", portal.ManagePlatforms, handlePlatformDocUpload(s.db, up, tp, false, s.resp))
			t.post("/platforms/{id}/homes/documents", portal.HouseGroups, handlePlatformDocUpload(s.db, up, tp, true, s.resp))
			t.get("/platforms/{id}/documents/{docID}", portal.ViewPlatforms, handleCultivationDocument(s.db, up, "platform", s.resp))
			t.get("/platforms/{id}/edit", portal.ManagePlatforms, handlePlatformEdit(s.db, tp, s.resp))
			t.post("/platforms/{id}/edit", portal.ManagePlatforms, handlePlatformUpdate(s.db, tp, s.resp))
			t.post("/platforms/{id}/rooms", portal.ManagePlatforms, handleRoomAdd(s.db, tp, s.resp))
			t.get("/platforms/{id}/rooms/{roomID}", portal.ViewPlatforms, handleRoomWeek(s.db, tp, s.resp))
			t.get("/platforms/{id}/rooms/{roomID}/bookings.xlsx", portal.ViewPlatforms, handleRoomBookingsExport(s.db, s.resp))
			t.post("/platforms/{id}/rooms/{roomID}/bookings", portal.BookRooms, handleBookingCreate(s.db, tp, s.resp))
			t.post("/platforms/{id}/rooms/{roomID}/bookings/{bookingID}/cancel", portal.BookRooms, handleBookingCancel(s.db, tp, s.resp))
			t.post("/platforms/{id}/housings", portal.HouseGroups, handleHousingAdd(s.db, tp, s.resp))
			t.post("/platforms/{id}/incubations", portal.Incubate, handleIncubationEnter(s.db, tp, s.resp))
			t.post("/platforms/{id}/incubations/milestones", portal.Incubate, handleIncubationMilestone(s.db, tp, s.resp))
			t.post("/platforms/{id}/incubations/leave", portal.Incubate, handleIncubationLeave(s.db, tp, s.resp))

			t.get("/funding", portal.ViewFunding, handleFunding(s.db, tp, s.resp))
			t.get("/funding/money.xlsx", portal.ViewFunding, handleMoneyExport(s.db, false, exportXLSX, s.resp))
			t.get("/funding/funds.xlsx", portal.ViewFunding, handleFundsExport(s.db, s.resp))   // issue 15: every list exports
			t.get("/funding/rounds.xlsx", portal.ViewFunding, handleRoundsExport(s.db, s.resp)) // issue 15: every list exports
			t.get("/funding/grants-360giving.csv", portal.ViewFunding, handleMoneyExport(s.db, true, exportCSV, s.resp))
			t.get("/funding/grants-360giving.xlsx", portal.ViewFunding, handleMoneyExport(s.db, true, exportXLSX, s.resp))
			t.get("/funding/contracts.xlsx", portal.ViewFunding, handleContractsExport(s.db, s.resp))
			t.get("/funding/contracts/new", portal.ManageFunding, handleContractNew(s.db, tp, s.resp))
			t.post("/funding/contracts", portal.ManageFunding, handleContractCreate(s.db, tp, s.resp))
			t.get("/funding/contracts/{id}", portal.ViewFunding, handleContractShow(s.db, tp, s.resp))
			t.post("/funding/contracts/{id}/documents", portal.ManageFunding, handleContractDocUpload(s.db, up, tp, s.resp))
			t.get("/funding/contracts/{id}/documents/{docID}", portal.ViewFunding, handleCultivationDocument(s.db, up, "contract", s.resp))
			t.post("/funding/contracts/{id}/payments", portal.ManageFunding, handlePaymentAdd(s.db, tp, s.resp))
			t.post("/funding/contracts/{id}/acceptance", portal.ManageFunding, handleContractAccept(s.db, tp, s.resp))
			t.get("/funding/funds/new", portal.ManageFunding, handleFundNew(s.db, tp, s.resp))
			t.post("/funding/funds", portal.ManageFunding, handleFundCreate(s.db, tp, s.resp))
			t.get("/funding/funds/{id}", portal.ViewFunding, handleFundShow(s.db, tp, s.resp))
			t.get("/funding/funds/{id}/ledger.xlsx", portal.ViewFunding, handleFundLedgerExport(s.db, s.resp)) // issue 15
			t.post("/funding/funds/{id}/movements", portal.ManageFunding, handleMovementAdd(s.db, tp, s.resp))
			t.get("/funding/rounds/new", portal.ManageFunding, handleRoundNew(s.db, tp, s.resp))
			t.post("/funding/rounds", portal.ManageFunding, handleRoundCreate(s.db, tp, s.resp))
			t.get("/funding/rounds/{id}", portal.ViewFunding, handleRoundPage(s.db, tp, s.resp))
			t.get("/funding/rounds/{id}/applications.xlsx", portal.ViewFunding, handleRoundExport(s.db, s.resp))
			t.post("/funding/rounds/{id}/status", portal.ManageFunding, handleRoundStatus(s.db, tp, s.resp))
			t.post("/funding/rounds/{id}/applications/{appID}/progress", portal.ApplyVenture, handleVentureFollowUp(s.db, tp, false, s.resp))
			t.post("/funding/rounds/{id}/applications/{appID}/close", portal.ManageFunding, handleVentureFollowUp(s.db, tp, true, s.resp))
			t.post("/funding/rounds/{id}/applications", portal.ApplyVenture, handleRoundApply(s.db, tp, s.resp))
			t.post("/funding/rounds/{id}/applications/{appID}/scores", portal.ReviewVenture, handleScore(s.db, tp, s.resp))
			t.post("/funding/rounds/{id}/applications/{appID}/award", portal.ManageFunding, handleAward(s.db, tp, s.resp))

			s.caseRoutes(t, tp, ph)
			s.orgContactRoutes(t, tp) // issue 15: 联系人
			s.charityReadRoutes(t, tp, up)
			s.announcementRoutes(t, tp, up)
			s.accountRoutes(t, tp)
		})

		// 村(居)委会: keeps its guided groups and submits what the tiers above read.
		r.Route("/community", func(r chi.Router) {
			r.Use(requireTier(portal.TierCommunity, s.resp), noStore)
			c := s.area(r, portal.TierCommunity)
			cp := web.PathsFor(portal.TierCommunity)
			c.get("/", portal.ViewDashboard, handleCommunityDashboard(s.db, s.resp))

			c.get("/orgs", portal.ViewOrgs, handleOrgList(s.db, cp, s.resp))
			c.get("/orgs/export.xlsx", portal.ViewOrgs, handleOrgExport(s.db, cp, exportXLSX, s.resp))
			c.get("/orgs/export.csv", portal.ViewOrgs, handleOrgExport(s.db, cp, exportCSV, s.resp))
			c.get("/orgs/new", portal.CreateOrg, handleOrgNew(s.db, cp, s.resp))
			c.post("/orgs", portal.CreateOrg, handleOrgCreate(s.db, cp, s.resp))
			c.get("/orgs/{id}", portal.ViewOrgs, handleOrgShow(s.db, cp, s.resp))
			c.get("/orgs/{id}/edit", portal.EditOrg, handleOrgEdit(s.db, cp, s.resp))
			c.post("/orgs/{id}/edit", portal.EditOrg, handleOrgUpdate(s.db, cp, s.resp))
			c.post("/orgs/{id}/end", portal.EndGuidedOrg, handleOrgEnd(s.db, cp, s.resp))
			c.get("/orgs/import", portal.ImportOrgs, handleOrgImportForm(s.db, cp, s.resp))
			c.post("/orgs/import", portal.ImportOrgs, handleOrgImportUpload(s.db, s.imports, cp, s.resp))
			c.get("/orgs/import/template.xlsx", portal.ImportOrgs, handleOrgImportTemplate(s.db, s.resp))
			c.get("/orgs/import/jobs/{id}", portal.ImportOrgs, handleOrgImportJob(s.db, cp, s.resp))
			c.post("/orgs/import/jobs/{id}/confirm", portal.ImportOrgs, handleOrgImportConfirm(s.db, s.imports, cp, s.resp))

			c.get("/applications", portal.ViewApplications, handleApplicationList(s.db, cp, s.resp))
			c.get("/applications/export.xlsx", portal.ViewApplications, handleApplicationExport(s.db, cp, exportXLSX, s.resp))
			c.get("/applications/export.csv", portal.ViewApplications, handleApplicationExport(s.db, cp, exportCSV, s.resp))
			c.get("/applications/new", portal.SubmitApplications, handleApplicationNew(s.db, cp, s.resp))
			c.post("/applications", portal.SubmitApplications, handleApplicationCreate(s.db, cp, s.resp))
			c.get("/applications/{id}", portal.ViewApplications, handleApplicationShow(s.db, cp, s.resp))
			c.get("/applications/{id}/edit", portal.SubmitApplications, handleApplicationEdit(s.db, cp, s.resp))
			c.post("/applications/{id}/edit", portal.SubmitApplications, handleApplicationResubmit(s.db, cp, s.resp))

			cr := reportPathsFor(cp, true)
			c.get("/reports", portal.ViewReports, handleReportList(s.db, cr, s.resp))
			c.get("/reports/export.xlsx", portal.ViewReports, handleReportExport(s.db, cr, exportXLSX, s.resp))
			c.get("/reports/export.csv", portal.ViewReports, handleReportExport(s.db, cr, exportCSV, s.resp))
			c.get("/reports/new", portal.SubmitReports, handleReportNew(s.db, cr, s.resp))
			c.post("/reports", portal.SubmitReports, handleReportCreate(s.db, ph, cr, s.resp))
			c.get("/reports/{id}", portal.ViewReports, handleReportShow(s.db, cr, s.resp))
			c.get("/reports/{id}/correct", portal.SubmitReports, handleReportCorrectForm(s.db, cr, s.resp))
			c.post("/reports/{id}/correct", portal.SubmitReports, handleReportCorrect(s.db, ph, cr, s.resp))
			c.get("/reports/{id}/photos/{photoID}", portal.ViewReports, handleReportPhoto(s.db, ph, false, s.resp))
			c.get("/reports/{id}/photos/{photoID}/thumb", portal.ViewReports, handleReportPhoto(s.db, ph, true, s.resp))
			c.post("/reports/{id}/photos/public", portal.SubmitReports, handlePhotosPublic(s.db, cr, s.resp))
			c.get("/orgs/{id}/reports", portal.ViewReports, handleOrgReports(s.db, cr, s.resp))

			c.get("/notices", portal.ViewNotices, handleNoticeList(s.db, cp, s.resp))
			c.get("/notices/export.xlsx", portal.ViewNotices, handleNoticeExport(s.db, cp, exportXLSX, s.resp))
			c.get("/notices/export.csv", portal.ViewNotices, handleNoticeExport(s.db, cp, exportCSV, s.resp))
			c.get("/notices/new", portal.SubmitNotices, handleNoticeNew(s.db, cp, s.resp))
			c.post("/notices", portal.SubmitNotices, handleNoticeCreate(s.db, cp, s.resp))
			c.get("/notices/{id}", portal.ViewNotices, handleNoticeShow(s.db, cp, s.resp))
			c.get("/notices/{id}/edit", portal.SubmitNotices, handleNoticeEdit(s.db, cp, s.resp))
			c.post("/notices/{id}/edit", portal.SubmitNotices, handleNoticeResubmit(s.db, cp, s.resp))
			c.post("/notices/{id}/withdraw", portal.SubmitNotices, handleNoticeWithdraw(s.db, cp, s.resp))

			c.get("/work-reports", portal.ViewWorkReports, handleWorkReportStatus(s.db, cp, s.resp))
			c.get("/work-reports/new", portal.SubmitWorkReports, handleWorkReportNew(s.db, cp, s.resp))
			c.post("/work-reports", portal.SubmitWorkReports, handleWorkReportSubmit(s.db, cp, s.resp))
			c.get("/evaluations", portal.ViewEvaluations, handleEvaluationList(s.db, cp, s.resp))
			c.get("/evaluations/export.xlsx", portal.ViewEvaluations, handleEvaluationExport(s.db, s.resp))
			c.get("/evaluations/new", portal.SubmitEvaluations, handleEvaluationNew(s.db, cp, s.resp))
			c.post("/evaluations", portal.SubmitEvaluations, handleEvaluationSubmit(s.db, cp, s.resp))
			c.get("/orgs/{id}/evaluations", portal.ViewEvaluations, handleEvaluationHistory(s.db, cp, s.resp))

			c.get("/stats", portal.ViewStats, handleStats(s.db, cp, s.resp))
			c.get("/stats/export.xlsx", portal.ViewStats, handleStatsExport(s.db, cp, s.resp))
			c.get("/stats/party-meetings.xlsx", portal.ViewStats, handlePartyMeetingsExport(s.db, s.resp)) // 三会一课
			c.get("/stats/summary", portal.ViewStats, handleStatsSummary(s.db, cp, s.resp))
			c.get("/assessment", portal.ViewAssessment, handleAssessment(s.db, cp, s.resp))
			c.get("/platforms", portal.ViewPlatforms, handlePlatformList(s.db, cp, s.resp))
			c.get("/platforms.xlsx", portal.ViewPlatforms, handlePlatformsExport(s.db, s.resp)) // issue 15: every list exports
			c.get("/platforms/new", portal.ManagePlatforms, handlePlatformNew(s.db, cp, s.resp))
			c.post("/platforms", portal.ManagePlatforms, handlePlatformCreate(s.db, cp, s.resp))
			c.get("/platforms/{id}", portal.ViewPlatforms, handlePlatformShow(s.db, cp, s.resp))
			c.post("/platforms/{id}/documents", portal.ManagePlatforms, handlePlatformDocUpload(s.db, up, cp, false, s.resp))
			c.post("/platforms/{id}/homes/documents", portal.HouseGroups, handlePlatformDocUpload(s.db, up, cp, true, s.resp))
			c.get("/platforms/{id}/documents/{docID}", portal.ViewPlatforms, handleCultivationDocument(s.db, up, "platform", s.resp))
			c.get("/platforms/{id}/edit", portal.ManagePlatforms, handlePlatformEdit(s.db, cp, s.resp))
			c.post("/platforms/{id}/edit", portal.ManagePlatforms, handlePlatformUpdate(s.db, cp, s.resp))
			c.post("/platforms/{id}/rooms", portal.ManagePlatforms, handleRoomAdd(s.db, cp, s.resp))
			c.get("/platforms/{id}/rooms/{roomID}", portal.ViewPlatforms, handleRoomWeek(s.db, cp, s.resp))
			c.get("/platforms/{id}/rooms/{roomID}/bookings.xlsx", portal.ViewPlatforms, handleRoomBookingsExport(s.db, s.resp))
			c.post("/platforms/{id}/rooms/{roomID}/bookings", portal.BookRooms, handleBookingCreate(s.db, cp, s.resp))
			c.post("/platforms/{id}/rooms/{roomID}/bookings/{bookingID}/cancel", portal.BookRooms, handleBookingCancel(s.db, cp, s.resp))
			c.post("/platforms/{id}/housings", portal.HouseGroups, handleHousingAdd(s.db, cp, s.resp))

			c.get("/funding", portal.ViewFunding, handleFunding(s.db, cp, s.resp))
			c.get("/funding/money.xlsx", portal.ViewFunding, handleMoneyExport(s.db, false, exportXLSX, s.resp))
			c.get("/funding/funds.xlsx", portal.ViewFunding, handleFundsExport(s.db, s.resp))   // issue 15: every list exports
			c.get("/funding/rounds.xlsx", portal.ViewFunding, handleRoundsExport(s.db, s.resp)) // issue 15: every list exports
			c.get("/funding/grants-360giving.csv", portal.ViewFunding, handleMoneyExport(s.db, true, exportCSV, s.resp))
			c.get("/funding/grants-360giving.xlsx", portal.ViewFunding, handleMoneyExport(s.db, true, exportXLSX, s.resp))
			c.get("/funding/rounds/{id}", portal.ViewFunding, handleRoundPage(s.db, cp, s.resp))
			c.get("/funding/rounds/{id}/applications.xlsx", portal.ViewFunding, handleRoundExport(s.db, s.resp))
			c.post("/funding/rounds/{id}/applications/{appID}/progress", portal.ApplyVenture, handleVentureFollowUp(s.db, cp, false, s.resp))
			c.post("/funding/rounds/{id}/applications", portal.ApplyVenture, handleRoundApply(s.db, cp, s.resp))

			s.matchingRoutes(c, cp)
			s.trainingRoutes(c, cp)
			s.messageRoutes(c, cp)
			s.partyMeetingRoutes(c, cp)
			s.orgContactRoutes(c, cp) // issue 15: 联系人
			s.charityReadRoutes(c, cp, up)
			s.disclosureRoutes(c, cp)
		})
	})
	return r
}

// trainingRoutes mounts the 骨干人才培训 pages the district and the towns share; each reads within the account's
// scope, so the district sees every town's plans, sessions and people and a town its own.
func (s *Server) trainingRoutes(a area, paths web.Paths) {
	a.get("/training", portal.ViewTraining, handleTrainingHome(s.db, paths, s.resp))
	a.get("/training/reach", portal.ViewTraining, handleTrainingReach(s.db, paths, s.resp))
	a.get("/training/export.xlsx", portal.ViewTraining, handleTrainingExport(s.db, s.resp))
	a.get("/training/reach/unreached.xlsx", portal.ViewTraining, handleUnreachedExport(s.db, s.resp))
	a.get("/training/sessions/{id}/materials/{materialID}", portal.ViewTraining, handleSessionMaterial(s.db, uploads.New(s.cfg.UploadDir), s.resp))
	a.get("/training/sessions/{id}", portal.ViewTraining, handleTrainingSessionShow(s.db, paths, s.resp))
	a.get("/training/trainees/{id}", portal.ViewTraining, handleTraineeShow(s.db, paths, s.resp))
	a.get("/training/trainees/{id}/certificate", portal.ViewTraining, handleTraineeCertificate(s.db, paths, s.resp))
	a.get("/training/trainees", portal.ViewTraining, handleTraineeDigest(s.db, paths, s.resp))
	if portal.Can(a.tier, portal.RevealPersonal) { // a committee reads masks only
		a.post("/training/trainees/{id}/reveal", portal.RevealPersonal, handleTraineeReveal(s.db, paths, s.resp))
	}
}

// trainingSessionRoutes mounts the forms of the sessions a town or the district holds: the session, its
// attendance typed or imported, its materials.
func (s *Server) trainingSessionRoutes(a area, paths web.Paths, up *uploads.Store) {
	a.get("/training/sessions/new", portal.ManageTraining, handleTrainingSessionNew(s.db, paths, s.resp))
	a.post("/training/sessions", portal.ManageTraining, handleTrainingSessionCreate(s.db, paths, s.resp))
	a.post("/training/sessions/{id}/attendees", portal.ManageTraining, handleAttendeeAdd(s.db, paths, s.resp))
	a.post("/training/sessions/{id}/import", portal.ManageTraining, handleAttendanceImport(s.db, paths, s.resp))
	a.post("/training/sessions/{id}/materials", portal.ManageTraining, handleSessionMaterialAdd(s.db, up, paths, s.resp))
	a.get("/training/attendance-template.xlsx", portal.ManageTraining, handleAttendanceTemplate(s.resp))
}

// matchingRoutes mounts 供需对接 and 品牌项目 for a tier; which forms it offers is the capability table's answer.
func (s *Server) matchingRoutes(a area, paths web.Paths) {
	a.get("/matching", portal.ViewMatching, handleMatchingBoard(s.db, paths, s.resp))
	a.get("/matching/export.xlsx", portal.ViewMatching, handleMatchingExport(s.db, s.resp))
	a.get("/brands", portal.ViewMatching, handleBrands(s.db, paths, s.resp))
	a.get("/matching/fairs/{id}", portal.ViewMatching, handleFairShow(s.db, paths, s.resp))
	if portal.Can(a.tier, portal.PostNeeds) {
		a.get("/matching/needs/new", portal.PostNeeds, handleNeedNew(s.db, paths, s.resp))
		a.post("/matching/needs", portal.PostNeeds, handleNeedCreate(s.db, paths, s.resp))
	}
	if portal.Can(a.tier, portal.OfferProjects) {
		a.get("/matching/projects/new", portal.OfferProjects, handleProjectNew(s.db, paths, s.resp))
		a.post("/matching/projects", portal.OfferProjects, handleProjectCreate(s.db, paths, s.resp))
	}
	if portal.Can(a.tier, portal.HoldMatchingEvents) {
		a.get("/matching/fairs/new", portal.HoldMatchingEvents, handleFairNew(s.db, paths, s.resp))
		a.post("/matching/fairs", portal.HoldMatchingEvents, handleFairCreate(s.db, paths, s.resp))
		a.post("/matching/fairs/{id}/matches", portal.HoldMatchingEvents, handleMatchCreate(s.db, paths, s.resp))
	}
	if portal.Can(a.tier, portal.DesignateBrands) {
		a.post("/brands", portal.DesignateBrands, handleBrandDesignate(s.db, paths, s.resp))
	}
}

// accountRoutes mounts account administration; the district and the towns share the handlers, and the scope of
// the signed-in account decides which accounts they reach.
func (s *Server) accountRoutes(a area, paths web.Paths) {
	a.get("/accounts", portal.ManageAccounts, handleAccountList(s.db, paths, s.resp))
	a.get("/accounts/new", portal.ManageAccounts, handleAccountNew(s.db, paths, s.resp))
	a.post("/accounts", portal.ManageAccounts, handleAccountCreate(s.db, s.hasher, paths, s.resp))
	a.get("/accounts/{id}", portal.ManageAccounts, handleAccountShow(s.db, paths, s.resp))
	a.post("/accounts/{id}/disable", portal.ManageAccounts, handleAccountChange(s.db, s.hasher, paths, changeDisable, s.resp))
	a.post("/accounts/{id}/enable", portal.ManageAccounts, handleAccountChange(s.db, s.hasher, paths, changeEnable, s.resp))
	a.post("/accounts/{id}/unlock", portal.ManageAccounts, handleAccountChange(s.db, s.hasher, paths, changeUnlock, s.resp))
	a.post("/accounts/{id}/division", portal.ManageAccounts, handleAccountChange(s.db, s.hasher, paths, changeDivision, s.resp))
	a.post("/accounts/{id}/password", portal.ManageAccounts, handleAccountChange(s.db, s.hasher, paths, changePassword, s.resp))
	a.post("/accounts/{id}/role", portal.ManageAccounts, handleAccountChange(s.db, s.hasher, paths, changeRole, s.resp)) // issue 17
}

// area mounts the routes of one tier's area. Every route names the action it performs; mounting an action the
// capability table does not grant the tier is a programming error, and each request is checked against the
// table again, so that the table stays the one answer to "who may do what".
type area struct {
	r    chi.Router
	tier portal.Tier
	rs   *responder
}

func (s *Server) area(r chi.Router, t portal.Tier) area { return area{r: r, tier: t, rs: s.resp} }

func (a area) get(path string, act portal.Action, h http.HandlerFunc) {
	a.handle(http.MethodGet, path, act, h)
}

func (a area) post(path string, act portal.Action, h http.HandlerFunc) {
	if step, ok := confirmSteps[path]; ok { // issue 17: an irreversible step confirms without JavaScript too
		h = step.wrap(a.rs, h)
	}
	a.handle(http.MethodPost, path, act, h)
}

func (a area) handle(method, path string, act portal.Action, h http.HandlerFunc) {
	if !portal.Can(a.tier, act) {
		panic(fmt.Sprintf("routes: %s %s/%s performs %q, which the capability table does not grant %s",
			method, a.tier, path, act, a.tier))
	}
	a.r.Method(method, path, guarded{action: act, next: h, rs: a.rs})
}

// guarded answers a request only for an account whose tier and role may perform action (portal.Allowed).
type guarded struct {
	action portal.Action
	next   http.HandlerFunc
	rs     *responder
}

func (g guarded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a := accountFrom(r.Context()); a == nil || !portal.Allowed(*a, g.action) {
		g.rs.forbidden(w, r)
		return
	}
	g.next(w, r)
}
