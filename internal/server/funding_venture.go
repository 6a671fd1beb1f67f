package server

// 公益创投: opening a round, and a town's or committee's application for a group.

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type roundOpener interface {
	OpenRound(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.RoundInput) (int64, error)
}

type roundApplier interface {
	roundStore
	CultivationOrgs(ctx context.Context, scope portal.Scope) ([]registry.OrgChoice, error)
	Apply(ctx context.Context, scope portal.Scope, actor portal.Actor, roundID int64, in registry.VentureInput) (int64, error)
}

func handleRoundNew(db cultivationTokens, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		seen, err := ownToken(r.Context(), db, a, registry.TokenRound)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.RoundFormView{Seen: seen, Page: web.NewPage("发布公益创投", a, paths.Funding(), ""), Action: paths.Funding() + "/rounds",
			CancelHref: paths.Funding(), Themes: web.Checks(registry.ThemeSeries, registry.ThemeSeries),
			Criteria: web.Field{Value: web.DefaultCriteria}, ExcludeOwn: true, Problems: map[string]string{}}
		rs.render(w, r, http.StatusOK, web.RoundFormPage(v))
	}
}

// readCriteria reads the criteria textarea: one a line, a name and its full score.
func readCriteria(f *form, s string) []registry.Criterion {
	var out []registry.Criterion
	for _, line := range strings.Split(s, "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		max, err := strconv.Atoi(fields[len(fields)-1])
		if len(fields) < 2 || err != nil {
			f.Problems.Add("criteria", "每行写一项评审标准的名称和满分，中间用空格隔开，如“项目设计 40”")
			continue
		}
		out = append(out, registry.Criterion{Name: strings.Join(fields[:len(fields)-1], " "), MaxScore: max})
	}
	return out
}

func handleRoundCreate(db roundOpener, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
		a := accountFrom(r.Context())
		f := newForm(r)
		in := registry.RoundInput{Title: f.value("title"), Budget: registry.ReadAmount(f.value("budget")),
			ExcludeOwn: f.raw("exclude_own") == "yes"}
		in.Themes = f.picks("themes", registry.ThemeSeries, false, "主题系列只能从列表中选择")
		v := web.RoundFormView{Page: web.NewPage("发布公益创投", a, paths.Funding(), ""), Action: paths.Funding() + "/rounds",
			CancelHref: paths.Funding(), ExcludeOwn: in.ExcludeOwn, Seen: f.raw("seen")}
		v.OpensOn.Value, in.OpensOn = formDay(f, "opens_on", "申报开始日期")
		v.ClosesOn.Value, in.ClosesOn = formDay(f, "closes_on", "申报截止日期")
		v.Criteria.Value = f.value("criteria")
		in.Criteria = readCriteria(f, v.Criteria.Value)
		addProblems(f, in.Validate())
		if f.OK() {
			id, err := db.OpenRound(r.Context(), a.Scope(), actorOf(r, a), f.version("seen"), in)
			if err != nil {
				rs.fail(w, r, err)
				return
			}
			putFlash(r, "公益创投“"+in.Title+"”已发布。")
			redirect(w, r, paths.RoundPage(id))
			return
		}
		v.Problems, v.Themes = f.Problems, web.Checks(registry.ThemeSeries, in.Themes)
		v.Title = web.Field{Value: in.Title, Problem: f.Problems["title"]}
		v.Budget = web.Field{Value: in.Budget.Raw, Problem: f.Problems["budget"]}
		v.OpensOn.Problem, v.ClosesOn.Problem, v.Criteria.Problem = f.Problems["opens_on"], f.Problems["closes_on"], f.Problems["criteria"]
		rs.render(w, r, http.StatusUnprocessableEntity, web.RoundFormPage(v))
	}
}

// applyForm adds the application form to a round's page for a town or committee while the round is open.
func applyForm(ctx context.Context, db roundApplier, v *web.RoundDetailView, round registry.Round, a *portal.Account) error {
	v.CanApply = portal.Can(a.Tier, portal.ApplyVenture) && round.Status == registry.RoundOpen
	if !v.CanApply {
		return nil
	}
	v.ApplyAction = v.Paths.RoundPage(round.ID) + "/applications"
	v.ThemeOptions, v.Beneficiaries = web.Choices(round.Themes, ""), web.Checks(registry.Beneficiaries, nil)
	orgs, err := db.CultivationOrgs(ctx, a.Scope())
	for _, o := range orgs {
		v.OrgOptions = append(v.OrgOptions, web.Option{Value: itoa64(o.ID), Label: o.Name})
	}
	return err
}

type roundPageStore interface {
	roundApplier
	roundReviewersStore
}

// handleRoundPage is a round's page with the application form for the tiers that apply and, for the keeper of
// a district round, the form naming its reviewers.
func handleRoundPage(db roundPageStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, round, err := roundDetail(r, db, paths, a, takeFlashCtx(r))
		if err == nil {
			err = applyForm(r.Context(), db, &v, round, a)
		}
		if err == nil {
			_, err = reviewersForm(r.Context(), db, &v, round, a, nil)
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.RoundDetailPage(v))
	}
}

func handleRoundApply(db roundApplier, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
		a := accountFrom(r.Context())
		v, round, err := roundDetail(r, db, paths, a, "")
		if err == nil {
			err = applyForm(r.Context(), db, &v, round, a)
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if !v.CanApply {
			rs.errorPage(w, r, http.StatusConflict, "已截止申报", "本次公益创投已不再接受申报。")
			return
		}
		f := newForm(r)
		in := registry.VentureInput{Theme: f.value("theme"), Project: f.value("project"), BudgetLines: f.value("budget_lines"),
			Requested: registry.ReadAmount(f.value("requested")), Expected: f.value("expected")}
		org := f.value("apply_org")
		in.OrgID, _ = parseID(org)
		in.Beneficiaries = f.picks("beneficiaries", registry.Beneficiaries, false, "服务对象只能从列表中选择")
		for k, m := range in.Validate(round.Themes) {
			if k == "org_id" {
				k = "apply_org"
			}
			f.Problems.Add(k, m)
		}
		if f.OK() {
			_, err = db.Apply(r.Context(), a.Scope(), actorOf(r, a), round.ID, in)
			switch {
			case err == nil:
				putFlash(r, "“"+in.Project+"”已申报。")
				redirect(w, r, paths.RoundPage(round.ID))
				return
			case errors.Is(err, registry.ErrAlreadyApplied):
				f.Problems.Add("apply_org", "该组织已申报过本次公益创投")
			case errors.Is(err, registry.ErrCultivationOrg):
				f.Problems.Add("apply_org", "只能为本辖区内正常活动的社会组织申报")
			case errors.Is(err, registry.ErrRoundClosed):
				rs.errorPage(w, r, http.StatusConflict, "已截止申报", "本次公益创投已不再接受申报。")
				return
			default:
				rs.fail(w, r, err)
				return
			}
		}
		v.Problems = f.Problems
		v.OrgOptions, v.ThemeOptions = web.Selected(v.OrgOptions, org), web.Choices(round.Themes, in.Theme)
		v.Beneficiaries = web.Checks(registry.Beneficiaries, in.Beneficiaries)
		v.ApplyOrg.Problem, v.Theme.Problem = f.Problems["apply_org"], f.Problems["theme"]
		v.Project = web.Field{Value: in.Project, Problem: f.Problems["project"]}
		v.Requested = web.Field{Value: in.Requested.Raw, Problem: f.Problems["requested"]}
		v.BudgetLines = web.Field{Value: in.BudgetLines, Problem: f.Problems["budget_lines"]}
		v.Expected = web.Field{Value: in.Expected, Problem: f.Problems["expected"]}
		rs.render(w, r, http.StatusUnprocessableEntity, web.RoundDetailPage(v))
	}
}

type ventureFollower interface {
	roundApplier
	ReportVentureProgress(ctx context.Context, scope portal.Scope, actor portal.Actor, applicationID int64, version int, progress string) error
	CloseVenture(ctx context.Context, scope portal.Scope, actor portal.Actor, applicationID int64, version int, final, evaluation string) error
}

// handleVentureFollowUp records an awarded project's progress (close false) or closes it with the final report
// and the evaluation (close true); a missing text is 422 with the message.
func handleVentureFollowUp(db ventureFollower, paths web.Paths, close bool, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, round, err := roundDetail(r, db, paths, a, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		app, ok := roundApplication(r, v.Applications)
		if !ok {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		scope, actor := a.Scope(), actorOf(r, a)
		version := f.version("version")
		if close {
			final := f.text("final_report", "结项报告", 2000, true)
			evaluation := f.text("evaluation", "评价", 200, true)
			if f.OK() {
				err = db.CloseVenture(r.Context(), scope, actor, app, version, final, evaluation)
			}
		} else if progress := f.text("progress", "项目进展", 2000, true); f.OK() {
			err = db.ReportVentureProgress(r.Context(), scope, actor, app, version, progress)
		}
		if !f.OK() {
			v.Problems = f.Problems
			rs.render(w, r, http.StatusUnprocessableEntity, web.RoundDetailPage(v))
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, map[bool]string{true: "项目已结项。", false: "项目进展已记录。"}[close])
		redirect(w, r, paths.RoundPage(round.ID))
	}
}

type roundMover interface {
	roundStore
	SetRoundStatus(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, status string) (int, error)
}

// handleRoundStatus moves a round its keeper's division keeps: to 评审中, or to 已结束 (the applications still
// waiting become 未立项). A step the round cannot take is 422 at the field; a stale or missing version 409.
func handleRoundStatus(db roundMover, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, round, err := roundDetail(r, db, paths, a, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if !v.CanClose {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		version, status := f.version("version"), f.value("status")
		if !slices.Contains(registry.RoundMoves[round.Status], status) {
			f.Problems.Add("status", "请选择本次创投的下一步（"+web.RoundStatusLabel(round.Status)+"的创投只能"+
				map[bool]string{true: "结束", false: "截止申报或结束"}[round.Status == registry.RoundReviewing]+"）")
		}
		if f.OK() {
			declined, err := db.SetRoundStatus(r.Context(), a.Scope(), actorOf(r, a), round.ID, version, status)
			switch {
			case err == nil:
				msg := "本次创投已截止申报，进入评审。"
				if status == registry.RoundClosed {
					msg = "本次创投已结束，" + strconv.Itoa(declined) + " 个尚未立项的申报记为未立项。"
				}
				putFlash(r, msg)
				redirect(w, r, paths.RoundPage(round.ID))
				return
			case errors.Is(err, registry.ErrRoundMove):
				f.Problems.Add("status", "本次创投已是“"+web.RoundStatusLabel(round.Status)+"”，不能这样改变（刚有他人改过，请刷新）")
			default:
				rs.fail(w, r, err)
				return
			}
		}
		v.Problems, v.StatusProblem = f.Problems, f.Problems["status"]
		v.StatusOptions = web.Selected(v.StatusOptions, status)
		rs.render(w, r, http.StatusUnprocessableEntity, web.RoundDetailPage(v))
	}
}

type roundReviewersStore interface {
	roundStore
	DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error)
	SetRoundReviewers(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, towns []string) error
}

// reviewersForm adds, for the keeper of a district round, the form naming the towns that review it, with chosen
// (town names) ticked; it returns the district's towns.
func reviewersForm(ctx context.Context, db roundReviewersStore, v *web.RoundDetailView, round registry.Round, a *portal.Account, chosen []string) ([]portal.Division, error) {
	if len(round.DivisionCode) != 6 || round.DivisionCode != a.DivisionCode || !portal.Allowed(*a, portal.ManageFunding) {
		return nil, nil
	}
	towns, err := db.DivisionsAtLevel(ctx, a.Scope(), portal.TierTown)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(towns))
	for i, t := range towns {
		names[i] = t.Name
	}
	if chosen == nil {
		for _, t := range round.Reviewers {
			chosen = append(chosen, t.Name)
		}
	}
	v.Reviewers = web.RoundReviewersForm{Action: v.Paths.RoundPage(round.ID) + "/reviewers", Version: v.Version,
		Towns: web.Checks(names, chosen)}
	return towns, nil
}

// handleRoundReviewers names the towns that review a district round: a town outside the district is 422 at the
// field with the choice kept; a stale or missing version 409, writing nothing.
func handleRoundReviewers(db roundReviewersStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, round, err := roundDetail(r, db, paths, a, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		picked := f.values["reviewers"]
		towns, err := reviewersForm(r.Context(), db, &v, round, a, picked)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if v.Reviewers.Action == "" {
			rs.notFound(w, r)
			return
		}
		version := f.version("version")
		if strconv.Itoa(version) != v.Version {
			rs.conflict(w, r)
			return
		}
		codes := []string{}
		for _, name := range picked {
			i := slices.IndexFunc(towns, func(t portal.Division) bool { return t.Name == name })
			if i < 0 {
				f.Problems.Add("reviewers", "评审镇街只能从本区的镇街中选择")
				break
			}
			codes = append(codes, towns[i].Code)
		}
		if f.OK() {
			err = db.SetRoundReviewers(r.Context(), a.Scope(), actorOf(r, a), round.ID, version, codes)
			switch {
			case err == nil:
				putFlash(r, "评审镇街已保存。")
				redirect(w, r, paths.RoundPage(round.ID))
				return
			case errors.Is(err, registry.ErrReviewerNotTown):
				f.Problems.Add("reviewers", "评审镇街只能从本区的镇街中选择")
			default:
				rs.fail(w, r, err)
				return
			}
		}
		v.Problems, v.Reviewers.Problem = f.Problems, f.Problems["reviewers"]
		rs.render(w, r, http.StatusUnprocessableEntity, web.RoundDetailPage(v))
	}
}
