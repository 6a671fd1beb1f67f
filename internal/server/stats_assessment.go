package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type schemeStore interface {
	SchemeVersions(ctx context.Context, year int, level portal.Tier) ([]registry.Scheme, error)
	SaveScheme(ctx context.Context, scope portal.Scope, actor portal.Actor, s registry.Scheme, seen int) (int, error)
}

// handleAssessment is the 目标责任考核 score sheet: the district ranks its towns (or, with ?division=, a town's
// communities), a town its communities, a committee sees its own sheet. Outside the scope is 404.
func handleAssessment(db statsReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		now := time.Now()
		s, problems, ok := readStats(w, r, rs, db, now, false, true, registry.WithScheme|registry.NoTrends)
		if !ok {
			return
		}
		level, scheme := s.Scheme.Level, s.Scheme
		v := web.NewAssessmentView(web.NewPage("目标责任考核", a, paths.Assessment(), takeFlashCtx(r)), s, scheme, paths,
			a.DivisionCode, now)
		if portal.Can(a.Tier, portal.ManageSchemes) {
			v.SchemesHref = paths.AssessmentSchemes() + "?year=" + strconv.Itoa(s.Query.Period.Year) + "&level=" + string(level)
		}
		status := http.StatusOK
		if !problems.OK() {
			status = http.StatusUnprocessableEntity
		}
		rs.render(w, r, status, web.AssessmentPage(v))
	}
}

// schemeChoice reads the year and level a scheme page is about; anything unknown is this year's community scheme.
func schemeChoice(year, level string, now time.Time) (int, portal.Tier) {
	y, err := strconv.Atoi(year)
	if err != nil || y < registry.FirstStatYear || y > now.In(beijing).Year()+1 {
		y = now.In(beijing).Year()
	}
	l := portal.Tier(level)
	if _, ok := registry.SchemeLevels[l]; !ok {
		l = portal.TierCommunity
	}
	return y, l
}

func handleSchemeForm(db schemeStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		now := time.Now()
		y, l := schemeChoice(r.URL.Query().Get("year"), r.URL.Query().Get("level"), now)
		vs, err := db.SchemeVersions(r.Context(), y, l)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.SchemeFormPage(web.NewSchemeFormView(
			web.NewPage("考核方案", a, paths.Assessment(), takeFlashCtx(r)), paths, vs, now)))
	}
}

// handleSchemeSave saves the form as the next version of the year's scheme: 422 with the messages at their
// fields and the input kept, 409 when someone saved meanwhile, else 303.
func handleSchemeSave(db schemeStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !parseSettingsForm(w, r, rs) {
			return
		}
		a := accountFrom(r.Context())
		now := time.Now()
		f := newForm(r)
		in := registry.SchemeInput{Year: f.value("year"), Level: f.value("level"), Version: f.value("version"),
			Weights: map[string]string{}, Fulls: map[string]string{}}
		for _, ind := range registry.Indicators {
			in.Weights[ind.Key], in.Fulls[ind.Key] = f.value("weight_"+ind.Key), f.value("full_"+ind.Key)
		}
		scheme, seen, problems := in.Parse(now)
		if !problems.OK() {
			y, l := schemeChoice(in.Year, in.Level, now)
			vs, err := db.SchemeVersions(r.Context(), y, l)
			if err != nil {
				rs.serverError(w, r, err)
				return
			}
			v := web.NewSchemeFormView(web.NewPage("考核方案", a, paths.Assessment(), ""), paths, vs, now)
			v.Refuse(in.Weights, in.Fulls, problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.SchemeFormPage(v))
			return
		}
		version, err := db.SaveScheme(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), scheme, seen)
		if errors.Is(err, registry.ErrSchemeConflict) {
			rs.conflict(w, r)
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, strconv.Itoa(scheme.Year)+"年度"+registry.SchemeLevels[scheme.Level]+"考核方案第 "+strconv.Itoa(version)+" 版已启用。")
		redirect(w, r, paths.AssessmentSchemes()+"?year="+strconv.Itoa(scheme.Year)+"&level="+string(scheme.Level))
	}
}
