package server

// The 三会一课 section's export (issue 13): the section's two tables (the year by quarter, the trend since 2021)
// for the division, year and area of the statistics page, under the same title rows as the page's own export.

import (
	"context"
	"net/http"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type partyMeetingsExporter interface {
	PartyMeetingStats(ctx context.Context, scope portal.Scope, code string, year int, area registry.StatArea, now time.Time) (registry.PartyMeetingStats, error)
	Division(ctx context.Context, scope portal.Scope, code string) (portal.Division, error)
	AuditStatsExport(ctx context.Context, actor portal.Actor, q registry.StatQuery, at time.Time) error
}

// handlePartyMeetingsExport writes the 三会一课 tables to xlsx: a division outside the scope is 404, a bad year or
// area 422 (there is no form to show it at); audited as the page's export is.
func handlePartyMeetingsExport(db partyMeetingsExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		now := time.Now()
		q, problems, ok := statsQuery(r, a, now)
		if !ok {
			rs.notFound(w, r)
			return
		}
		if !problems.OK() {
			rs.errorPage(w, r, http.StatusUnprocessableEntity, "统计期间无效", "请从统计分析页面导出。")
			return
		}
		d, err := db.Division(r.Context(), a.Scope(), q.Division)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		q.Period.Quarter = 0 // the section shows the whole year and the trend
		pm, err := db.PartyMeetingStats(r.Context(), a.Scope(), d.Code, q.Period.Year, q.Area, now)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if err := db.AuditStatsExport(r.Context(), portal.ActorOf(*a, clientIPFrom(r.Context())), q, now); err != nil {
			rs.serverError(w, r, err)
			return
		}
		writeStatsWorkbook(w, r, rs, registry.Stats{Division: d, Query: q}, web.PartyMeetingTables(pm), now)
	}
}
