package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

type statsReader interface {
	Stats(ctx context.Context, scope portal.Scope, q registry.StatQuery) (registry.Stats, error)
}

type statsExporter interface {
	statsReader
	AuditStatsExport(ctx context.Context, actor portal.Actor, q registry.StatQuery, at time.Time) error
}

type targetStore interface {
	Division(ctx context.Context, scope portal.Scope, code string) (portal.Division, error)
	DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error)
	TargetSettings(ctx context.Context, scope portal.Scope) (registry.Targets, error)
	SetTarget(ctx context.Context, scope portal.Scope, actor portal.Actor, d portal.Division, urban, rural *float64) error
	ClearTarget(ctx context.Context, scope portal.Scope, actor portal.Actor, code string, version int) error
	Pilots(ctx context.Context, scope portal.Scope) ([]string, error)
	SetPilot(ctx context.Context, scope portal.Scope, actor portal.Actor, d portal.Division, pilot bool) error
}

// statsQuery reads ?division=, ?year=, ?quarter= and ?area=. A bad period or area falls back to the default with
// a message at its field; a division that is not a code is not found.
func statsQuery(r *http.Request, a *portal.Account, now time.Time) (registry.StatQuery, rules.Problems, bool) {
	v := r.URL.Query()
	q := registry.StatQuery{Division: strings.TrimSpace(v.Get("division"))}
	if q.Division == "" {
		q.Division = a.DivisionCode
	}
	if !portal.LevelOfCode(q.Division).Valid() || strings.Trim(q.Division, "0123456789") != "" {
		return q, nil, false
	}
	var p rules.Problems
	q.Period, p = registry.ParseStatPeriod(strings.TrimSpace(v.Get("year")), strings.TrimSpace(v.Get("quarter")), now)
	q.Area = registry.ParseStatArea(v.Get("area"), p)
	return q, p, true
}

// readStats reads the query and the statistics it asks for, answering the request itself when it cannot: a
// division that is no code or lies outside the scope is 404, and a bad period or area is 422 when strict (an
// export or summary has no form to show the message at; a page shows it at the field and the default period).
// whole reads the whole year of every area, as the 述职 summary and the 考核 sheets do; with names what else the
// page reads in the same round trip.
func readStats(w http.ResponseWriter, r *http.Request, rs *responder, db statsReader, now time.Time, strict, whole bool,
	with registry.StatExtras) (registry.Stats, rules.Problems, bool) {
	a := accountFrom(r.Context())
	q, problems, ok := statsQuery(r, a, now)
	q.With = with
	if !ok {
		rs.notFound(w, r)
		return registry.Stats{}, nil, false
	}
	if strict && !problems.OK() {
		rs.errorPage(w, r, http.StatusUnprocessableEntity, "统计期间无效", strings.Join(problemList(problems), "；")+"。")
		return registry.Stats{}, nil, false
	}
	if whole {
		q.Period.Quarter, q.Area = 0, registry.AreaAll
	}
	s, err := db.Stats(r.Context(), a.Scope(), q)
	if err != nil {
		rs.fail(w, r, err)
		return s, nil, false
	}
	return s, problems, true
}

// handleStats is the statistics page of the caller's jurisdiction or, with ?division=, of a division inside it;
// a division outside it is 404.
func handleStats(db statsReader, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Stats()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		targetsHref := ""
		if portal.Can(a.Tier, portal.SetTargets) {
			targetsHref = paths.StatsTargets()
		}
		now := time.Now()
		s, problems, ok := readStats(w, r, rs, db, now, false, false, registry.WithPartyMeetings|registry.NoGrowth)
		if !ok {
			return
		}
		links := web.StatsLinks{Base: base, Own: a.DivisionCode, Division: s.Division.Code, Query: s.Query,
			Sort: web.ParseStatsSort(r.URL.Query().Get("sort"), r.URL.Query().Get("dir"))}
		v := web.NewStatsView(web.NewPage("统计分析", a, base, takeFlashCtx(r)), s, links, targetsHref, problems, now)
		v.PartyMeetings = web.NewPartyMeetingStatsView(s.PartyMeetings, links) // 三会一课
		status := http.StatusOK
		if !problems.OK() {
			status = http.StatusUnprocessableEntity
		}
		rs.render(w, r, status, web.StatsPage(v))
	}
}

// handleStatsExport writes the page's tables to xlsx, each sheet under title rows naming the jurisdiction, the
// period, the units and the time of export; audited.
func handleStatsExport(db statsExporter, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Stats()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		now := time.Now()
		s, _, ok := readStats(w, r, rs, db, now, true, false, 0)
		if !ok {
			return
		}
		tables := web.StatsTables(s, web.StatsLinks{Base: base, Own: a.DivisionCode, Division: s.Division.Code, Query: s.Query})
		if err := db.AuditStatsExport(r.Context(), portal.ActorOf(*a, clientIPFrom(r.Context())), s.Query, now); err != nil {
			rs.serverError(w, r, err)
			return
		}
		writeStatsWorkbook(w, r, rs, s, tables, now)
	}
}

// handleStatsSummary is the one-page 述职 summary of a community's year: the committee's own, or one inside a
// town's or the district's jurisdiction (?division=); anything but a community inside the scope is 404.
func handleStatsSummary(db statsReader, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Stats()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		now := time.Now()
		s, _, ok := readStats(w, r, rs, db, now, true, true, 0)
		if !ok {
			return
		}
		if s.Division.Level != portal.TierCommunity {
			rs.notFound(w, r)
			return
		}
		back := web.StatsLinks{Base: base, Own: a.DivisionCode, Division: s.Division.Code, Query: s.Query}.Page(s.Division.Code)
		rs.render(w, r, http.StatusOK, web.StatsSummaryPage(web.NewStatsSummaryView(
			web.NewPage("述职摘要", a, base, ""), s, back, now)))
	}
}

func problemList(p rules.Problems) []string {
	var out []string
	for _, k := range []string{registry.KeyStatYear, registry.KeyStatQuarter, registry.KeyStatArea} {
		if m := p[k]; m != "" {
			out = append(out, m)
		}
	}
	return out
}

// targetsView builds the settings page for the district account a.
func targetsView(ctx context.Context, db targetStore, a *portal.Account, paths web.Paths, flash string) (web.StatsTargetsView, error) {
	scope := a.Scope()
	d, err := db.Division(ctx, scope, a.DivisionCode)
	if err != nil {
		return web.StatsTargetsView{}, err
	}
	ts, err := db.TargetSettings(ctx, scope)
	if err != nil {
		return web.StatsTargetsView{}, err
	}
	towns, err := db.DivisionsAtLevel(ctx, scope, portal.TierTown)
	if err != nil {
		return web.StatsTargetsView{}, err
	}
	communities, err := db.DivisionsAtLevel(ctx, scope, portal.TierCommunity)
	if err != nil {
		return web.StatsTargetsView{}, err
	}
	pilots, err := db.Pilots(ctx, scope)
	if err != nil {
		return web.StatsTargetsView{}, err
	}
	return web.NewStatsTargetsView(web.NewPage("培育目标设置", a, paths.Stats(), flash), paths.Stats(), d, ts, towns,
		communities, pilots), nil
}

// parseSettingsForm reads a settings form's small body, answering 413 itself when it is too large.
func parseSettingsForm(w http.ResponseWriter, r *http.Request, rs *responder) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "提交的内容过多", "提交的内容超过了允许的大小，请精简后重试。")
		return false
	}
	return true
}

func handleTargets(db targetStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, err := targetsView(r.Context(), db, a, paths, takeFlashCtx(r))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v.Select(a.DivisionCode)
		rs.render(w, r, http.StatusOK, web.StatsTargetsPage(v))
	}
}

// handleTargetSet saves one division's targets: 422 with the message at the field and the input kept, or 303.
func handleTargetSet(db targetStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseSettingsForm(w, r, rs) {
			return
		}
		a := accountFrom(r.Context())
		v, err := targetsView(r.Context(), db, a, paths, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		in := registry.TargetInput{Division: f.value(registry.KeyTargetDivision),
			Urban: f.value(registry.KeyTargetUrban), Rural: f.value(registry.KeyTargetRural)}
		v.Select(in.Division)
		v.Urban.Value, v.Rural.Value = in.Urban, in.Rural
		refuse := func(p rules.Problems) {
			v.Problems = p
			v.Division.Problem, v.Urban.Problem, v.Rural.Problem =
				p[registry.KeyTargetDivision], p[registry.KeyTargetUrban], p[registry.KeyTargetRural]
			rs.render(w, r, http.StatusUnprocessableEntity, web.StatsTargetsPage(v))
		}
		d, err := db.Division(r.Context(), a.Scope(), in.Division)
		if errors.Is(err, portal.ErrNotFound) || in.Division == "" {
			refuse(rules.Problems{registry.KeyTargetDivision: "请从列表中选择渝北区、镇街或村(社区)"})
			return
		}
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		urban, rural, p := in.Parse(d)
		if !p.OK() {
			refuse(p)
			return
		}
		err = db.SetTarget(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), d, urban, rural)
		if errors.Is(err, registry.ErrTargetDivision) {
			refuse(rules.Problems{registry.KeyTargetDivision: "请从列表中选择渝北区、镇街或村(社区)"})
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, d.Name+"的培育目标已保存。")
		redirect(w, r, paths.StatsTargets())
	}
}

func handleTargetClear(db targetStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		code := chi.URLParam(r, "code")
		version := newForm(r).version("version")
		if err := db.ClearTarget(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), code, version); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "目标已删除，改为沿用上级目标。")
		redirect(w, r, paths.StatsTargets())
	}
}

// handlePilotSet marks a community as a 试点: one not chosen from the list (or outside the scope) is 422 at the
// field with nothing written.
func handlePilotSet(db targetStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseSettingsForm(w, r, rs) {
			return
		}
		a := accountFrom(r.Context())
		code := newForm(r).value("community")
		d, err := db.Division(r.Context(), a.Scope(), code)
		if err == nil && d.Level == portal.TierCommunity {
			err = db.SetPilot(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), d, true)
		} else if err == nil || errors.Is(err, portal.ErrNotFound) {
			err = registry.ErrTargetDivision
		}
		if errors.Is(err, registry.ErrTargetDivision) {
			v, verr := targetsView(r.Context(), db, a, paths, "")
			if verr != nil {
				rs.fail(w, r, verr)
				return
			}
			v.Pilot = web.Field{Value: code, Problem: "请从列表中选择村(社区)"}
			v.Problems = map[string]string{"community": v.Pilot.Problem}
			rs.render(w, r, http.StatusUnprocessableEntity, web.StatsTargetsPage(v))
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, d.Name+"已标记为试点村(社区)。")
		redirect(w, r, paths.StatsTargets())
	}
}

func handlePilotClear(db targetStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		d, err := db.Division(r.Context(), a.Scope(), chi.URLParam(r, "code"))
		if err == nil && d.Level != portal.TierCommunity {
			err = portal.ErrNotFound
		}
		if err == nil {
			err = db.SetPilot(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), d, false)
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, d.Name+"已取消试点标记。")
		redirect(w, r, paths.StatsTargets())
	}
}
