package server

// 骨干人才培训 across the district: the digest of the people trained in a year (each person once, with who trained
// them), drilled down by town or community; the district's own sessions; a committee's read-only view.

import (
	"context"
	"net/http"
	"slices"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type traineeDigestReader interface {
	DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error)
	TraineeDigest(ctx context.Context, scope portal.Scope, year int, division string) ([]registry.Trainee, error)
}

// handleTraineeDigest lists the people trained in the year inside the account's scope, or inside one division a
// level down (?division=: a town for the district, a community for a town); any other division is 404.
func handleTraineeDigest(db traineeDigestReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, now, year, ok := trainingRequest(w, r, rs)
		if !ok {
			return
		}
		division := r.URL.Query().Get("division")
		v := web.TraineeDigestView{Page: web.NewPage("参训人员", a, paths.Training(), ""), Back: paths.Training(),
			Year: year, YearOptions: web.TrainingYearOptions(now.In(beijing), year), Action: paths.TrainingTrainees(),
			Division: division, Reach: paths.TrainingReachOf(year, "")}
		if below := a.Tier.Below(); below != "" {
			ds, err := db.DivisionsAtLevel(r.Context(), a.Scope(), below)
			if err != nil {
				rs.serverError(w, r, err)
				return
			}
			for _, d := range ds {
				v.Divisions = append(v.Divisions, web.Option{Value: d.Code, Label: d.Name, Selected: d.Code == division})
			}
		}
		if division != "" && !slices.ContainsFunc(v.Divisions, func(o web.Option) bool { return o.Value == division }) {
			rs.notFound(w, r)
			return
		}
		if division != "" && a.Tier == portal.TierDistrict {
			v.Reach = paths.TrainingReachOf(year, division)
		}
		if division == "" {
			division = a.DivisionCode
		}
		people, err := db.TraineeDigest(r.Context(), a.Scope(), year, division)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		for _, p := range people {
			v.People = append(v.People, web.NewTraineeDigestRow(paths, p))
		}
		v.Capped = len(people) >= registry.TraineeDigestLimit
		rs.render(w, r, http.StatusOK, web.TraineeDigestPage(v))
	}
}

// organizerKinds is who may hold a session the account records: a town its own (or a platform's), the district
// its own (or a platform's) — a district session has no town to name.
func organizerKinds(a *portal.Account) []string {
	if a.Tier == portal.TierDistrict {
		return []string{"区民政局", "支持平台"}
	}
	return registry.OrganizerKinds
}

// holdsSession says whether the account holds (and so keeps the attendance and materials of) s.
func holdsSession(a *portal.Account, s registry.TrainingSession) bool {
	if !portal.Can(a.Tier, portal.ManageTraining) {
		return false
	}
	if s.TownCode == "" {
		return a.Tier == portal.TierDistrict
	}
	return s.TownCode == a.DivisionCode
}

// orgScopeName names whose registered groups an attendee's group is looked up among.
func orgScopeName(scope portal.Scope) string {
	if scope.Tier == portal.TierDistrict {
		return "全区"
	}
	return "本镇街"
}

// orgHint is the attendee form's hint at the group input.
func orgHint(a *portal.Account) string {
	return "填写" + orgScopeName(a.Scope()) + "在册组织的全称；不属于组织的可不填"
}

// keptSessionView is the page of a session the account holds, for its forms' posts; a session it only sees
// (the district's, for a town) is ErrNotFound.
func keptSessionView(ctx context.Context, db trainingSessionReader, a *portal.Account, paths web.Paths, id int64) (web.TrainingSessionView, error) {
	v, err := sessionView(ctx, db, a, paths, id, "")
	if err == nil && !v.CanManage {
		err = portal.ErrNotFound
	}
	return v, err
}
