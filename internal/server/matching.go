package server

// 供需对接: the board (with its Excel export), posting needs, offering projects, holding a 洽谈会 and recording
// its matches, and the district's 品牌项目.

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type matchingBoard interface {
	MatchingBoard(ctx context.Context, scope portal.Scope, f registry.BoardFilter) (registry.MatchingBoard, error)
}

// matchingTokens gives a create form its token (postgres.CreateToken).
type matchingTokens interface {
	CreateToken(ctx context.Context, scope portal.Scope, actor portal.Actor, kind string) (int, error)
}

type needPoster interface {
	matchingTokens
	DivisionsAtLevel(ctx context.Context, scope portal.Scope, level portal.Level) ([]portal.Division, error)
	CreateNeed(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.NeedInput) (int64, error)
}

type projectOfferer interface {
	matchingTokens
	ReportGroups(ctx context.Context, scope portal.Scope) ([]registry.ReportGroup, error)
	CreateProject(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.ProjectInput) (int64, error)
}

type fairCreator interface {
	matchingTokens
	RoomChoices(ctx context.Context, scope portal.Scope) ([]registry.RoomChoice, error)
	CreateFair(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.FairInput) (int64, error)
}

type fairReader interface {
	Fair(ctx context.Context, scope portal.Scope, id int64) (registry.Fair, error)
	Contracts(ctx context.Context, scope portal.Scope) ([]registry.Contract, error)
	Needs(ctx context.Context, scope portal.Scope, f registry.BoardFilter, open bool) ([]registry.Need, error)
	Projects(ctx context.Context, scope portal.Scope, f registry.BoardFilter, open, brands bool) ([]registry.Project, error)
	MatchApplications(ctx context.Context, scope portal.Scope) ([]registry.ApplicationChoice, error)
}

type matchRecorder interface {
	fairReader
	RecordMatch(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.MatchInput) (int64, error)
}

type brandDesignator interface {
	matchingTokens
	Projects(ctx context.Context, scope portal.Scope, f registry.BoardFilter, open, brands bool) ([]registry.Project, error)
	DesignateBrand(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, projectID int64, plan string) error
}

const matchingTextMax = 2000

var boardAreas = []web.Option{{Value: "", Label: "全部"}, {Value: "urban", Label: "城镇社区"}, {Value: "rural", Label: "农村"}}

// readBoardFilter reads the board's filters; a value not in its list is dropped.
func readBoardFilter(q url.Values) registry.BoardFilter {
	pick := func(name string, allowed []string) string {
		v := q.Get(name)
		for _, a := range allowed {
			if a == v {
				return v
			}
		}
		return ""
	}
	return registry.BoardFilter{Beneficiary: pick("beneficiary", registry.Beneficiaries),
		Series: pick("series", registry.ReportSeries), Area: pick("area", []string{"urban", "rural"})}
}

func allOptions(values []string, selected string) []web.Option {
	return append([]web.Option{{Value: "", Label: "全部", Selected: selected == ""}}, web.Choices(values, selected)...)
}

func handleMatchingBoard(db matchingBoard, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		f := readBoardFilter(r.URL.Query())
		board, err := db.MatchingBoard(r.Context(), a.Scope(), f)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.MatchingBoardView{Page: web.NewPage("供需对接", a, paths.Matching(), takeFlashCtx(r)),
			Action: paths.Matching(), Brands: paths.Brands(), Export: paths.MatchingExport() + "?" + r.URL.RawQuery,
			Beneficiary: allOptions(registry.Beneficiaries, f.Beneficiary), Series: allOptions(registry.ReportSeries, f.Series)}
		for _, o := range boardAreas {
			o.Selected = o.Value == f.Area
			v.Area = append(v.Area, o)
		}
		if portal.Can(a.Tier, portal.PostNeeds) {
			v.NewNeed = paths.Matching() + "/needs/new"
		}
		if portal.Can(a.Tier, portal.OfferProjects) {
			v.NewProject = paths.Matching() + "/projects/new"
		}
		if portal.Can(a.Tier, portal.HoldMatchingEvents) {
			v.NewFair = paths.Matching() + "/fairs/new"
		}
		for _, n := range board.Needs {
			v.Needs = append(v.Needs, web.NewNeedRow(n))
		}
		for _, p := range board.Projects {
			v.Projects = append(v.Projects, web.NewProjectRow(paths, p))
		}
		// matches by outcome, in the order of registry.Outcomes
		for _, o := range registry.Outcomes {
			for _, m := range board.Matches {
				if m.Outcome == o {
					v.Matches = append(v.Matches, web.NewMatchRow(paths, m, seesContracts(a)))
				}
			}
		}
		for _, fr := range board.Fairs {
			v.Fairs = append(v.Fairs, web.NewFairRow(paths, fr))
		}
		rs.render(w, r, http.StatusOK, web.MatchingBoardPage(v))
	}
}

// handleMatchingExport downloads the board as filtered: one sheet each of open needs, open projects and matches.
func handleMatchingExport(db matchingBoard, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		f := readBoardFilter(r.URL.Query())
		board, err := db.MatchingBoard(r.Context(), a.Scope(), f)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		x := excelize.NewFile()
		defer func() { _ = x.Close() }()
		var rows [][]string
		for _, n := range board.Needs {
			nr := web.NewNeedRow(n)
			rows = append(rows, []string{nr.Title, nr.Where, nr.Beneficiaries, nr.Series, nr.Frequency, nr.Budget, nr.Until})
		}
		err = workbookSheet(x, "待对接需求", []string{"需求", "地点", "服务对象", "主题系列", "频次", "预算", "截止"}, rows)
		rows = nil
		for _, p := range board.Projects {
			pr := web.NewProjectRow(web.Paths{}, p)
			rows = append(rows, []string{pr.Title, pr.Org, pr.Town, pr.Beneficiaries, pr.Series, pr.Cost})
		}
		if err == nil {
			err = workbookSheet(x, "待对接项目", []string{"服务项目", "组织", "所在", "服务对象", "主题系列", "经费"}, rows)
		}
		rows = nil
		for _, m := range board.Matches {
			mr := web.NewMatchRow(web.Paths{}, m, false)
			rows = append(rows, []string{mr.Outcome, mr.Need, mr.Project, mr.Org, mr.Town, mr.Fair, mr.Detail})
		}
		if err == nil {
			err = workbookSheet(x, "对接结果", []string{"结果", "需求", "服务项目", "组织", "镇街", "洽谈会", "合同、申报编号或原因"}, rows)
		}
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		sendWorkbook(w, r, rs, x, a.DivisionName+"供需对接-"+time.Now().In(beijing).Format("20060102")+".xlsx", "matching.xlsx")
	}
}

func matchingForm(a *portal.Account, paths web.Paths, kind, heading string) web.MatchingFormView {
	v := web.MatchingFormView{Page: web.NewPage(heading, a, paths.Matching(), ""), Heading: heading,
		Action: paths.Matching() + "/" + kind + "s", Cancel: paths.Matching(), Kind: kind, Form: web.NewFormData(),
		Beneficiaries: web.Checks(registry.Beneficiaries, nil), Series: web.Choices(registry.ReportSeries, "")}
	return v
}

func needForm(ctx context.Context, db needPoster, a *portal.Account, paths web.Paths, community string) (web.MatchingFormView, []string, error) {
	v := matchingForm(a, paths, "need", "发布社区需求")
	var codes []string
	if a.Tier == portal.TierCommunity {
		codes = []string{a.DivisionCode}
		v.Communities = []web.Option{{Value: a.DivisionCode, Label: a.DivisionName, Selected: true}}
		return v, codes, nil
	}
	ds, err := db.DivisionsAtLevel(ctx, a.Scope(), portal.TierCommunity)
	for _, d := range ds {
		codes = append(codes, d.Code)
		v.Communities = append(v.Communities, web.Option{Value: d.Code, Label: d.Name, Selected: d.Code == community})
	}
	return v, codes, err
}

// refuseMatchingForm shows a need or project form again with 422, the inputs named in keep as typed and each
// message at its field.
func refuseMatchingForm(w http.ResponseWriter, r *http.Request, rs *responder, v web.MatchingFormView, f *form, beneficiaries []string, series string, keep ...string) {
	v.Seen = f.raw("seen")
	for _, k := range keep {
		v.Form.Values[k] = f.value(k)
	}
	v.Form.Problems = f.Problems
	v.Beneficiaries = web.Checks(registry.Beneficiaries, beneficiaries)
	v.Series = web.Choices(registry.ReportSeries, series)
	rs.render(w, r, http.StatusUnprocessableEntity, web.MatchingFormPage(v))
}

func handleNeedNew(db needPoster, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, _, err := needForm(r.Context(), db, a, paths, "")
		if err == nil {
			v.Seen, err = formToken(r, db, a, registry.TokenNeed)
		}
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.MatchingFormPage(v))
	}
}

// readMoney reads an amount of 元; blank is nil unless required.
func readMoney(f *form, name, label string, required bool) *float64 {
	s := f.value(name)
	if s == "" {
		if required {
			f.Problems.Add(name, "请填写"+label)
		}
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		f.Problems.Add(name, label+"应为金额，如 30000 或 2500.50")
		return nil
	}
	return &v
}

func handleNeedCreate(db needPoster, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		f := newForm(r)
		v, codes, err := needForm(r.Context(), db, a, paths, f.value("community"))
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		in := registry.NeedInput{}
		in.CommunityCode = f.pick("community", codes, "请选择社区（村）")
		in.Title = f.text("title", "需求内容", 100, true)
		in.Detail = f.text("detail", "需求说明", matchingTextMax, false)
		in.Beneficiaries = f.picks("beneficiaries", registry.Beneficiaries, false, "请从列表中选择服务对象")
		in.Series = f.pick("series", registry.ReportSeries, "请选择主题系列")
		in.Place = f.text("place", "服务地点", 100, true)
		in.Frequency = f.text("frequency", "服务频次", 50, true)
		in.Budget = readMoney(f, "budget", "预算", false)
		until := f.value("until")
		if d, err := time.ParseInLocation(dateLayout, until, time.UTC); until == "" {
			f.Problems.Add("until", "请填写需求截止日期")
		} else if err != nil {
			f.Problems.Add("until", "需求截止日期格式应为 年-月-日")
		} else {
			in.Until = d
		}
		y, m, d := time.Now().In(beijing).Date()
		for k, msg := range in.Validate(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
			f.Problems.Add(k, msg)
		}
		if !f.OK() {
			refuseMatchingForm(w, r, rs, v, f, in.Beneficiaries, in.Series, "title", "detail", "place", "frequency", "budget", "until")
			return
		}
		if _, err := db.CreateNeed(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), f.version("seen"), in); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "社区需求“"+in.Title+"”已发布。")
		redirect(w, r, paths.Matching())
	}
}

func projectForm(ctx context.Context, db projectOfferer, a *portal.Account, paths web.Paths, org string) (web.MatchingFormView, []string, error) {
	v := matchingForm(a, paths, "project", "申报服务项目")
	groups, err := db.ReportGroups(ctx, a.Scope())
	var ids []string
	v.Orgs, ids = idOptions(groups, func(g registry.ReportGroup) (int64, string) { return g.ID, g.Name }, org)
	return v, ids, err
}

// idOptions is the options of a select of records by id, with selected marked, and the ids it offers.
func idOptions[T any](items []T, idLabel func(T) (int64, string), selected string) ([]web.Option, []string) {
	var opts []web.Option
	var ids []string
	for _, it := range items {
		n, label := idLabel(it)
		id := strconv.FormatInt(n, 10)
		ids = append(ids, id)
		opts = append(opts, web.Option{Value: id, Label: label, Selected: id == selected})
	}
	return opts, ids
}

func handleProjectNew(db projectOfferer, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, _, err := projectForm(r.Context(), db, a, paths, "")
		if err == nil {
			v.Seen, err = formToken(r, db, a, registry.TokenProject)
		}
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.MatchingFormPage(v))
	}
}

func handleProjectCreate(db projectOfferer, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		f := newForm(r)
		v, ids, err := projectForm(r.Context(), db, a, paths, f.value("org"))
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		in := registry.ProjectInput{}
		in.OrgID, _ = strconv.ParseInt(f.pick("org", ids, "请选择申报组织"), 10, 64)
		in.Title = f.text("title", "项目名称", 100, true)
		in.Aims = f.text("aims", "项目目标", matchingTextMax, true)
		in.Activities = f.text("activities", "主要活动", matchingTextMax, true)
		in.Beneficiaries = f.picks("beneficiaries", registry.Beneficiaries, false, "请从列表中选择服务对象")
		in.Series = f.pick("series", registry.ReportSeries, "请选择主题系列")
		if c := readMoney(f, "cost", "项目经费", true); c != nil {
			in.Cost = *c
		}
		in.Team = f.text("team", "项目团队", 500, false)
		for k, msg := range in.Validate() {
			f.Problems.Add(k, msg)
		}
		if !f.OK() {
			refuseMatchingForm(w, r, rs, v, f, in.Beneficiaries, in.Series, "title", "aims", "activities", "cost", "team")
			return
		}
		if _, err := db.CreateProject(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), f.version("seen"), in); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "服务项目“"+in.Title+"”已申报。")
		redirect(w, r, paths.Matching())
	}
}

// seesContracts says whether a's tier has contract pages to link to (a committee reads the totals only).
func seesContracts(a *portal.Account) bool { return a.Tier != portal.TierCommunity }

// fairForm is the fair form offering the support platform rooms inside scope.
func fairForm(ctx context.Context, db fairCreator, a *portal.Account, paths web.Paths, room string) (web.MatchingFormView, []string, error) {
	v := matchingForm(a, paths, "fair", "举办项目洽谈会")
	rooms, err := db.RoomChoices(ctx, a.Scope())
	var ids []string
	v.Rooms, ids = idOptions(rooms, func(c registry.RoomChoice) (int64, string) { return c.ID, c.Label }, room)
	return v, ids, err
}

func handleFairNew(db fairCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, _, err := fairForm(r.Context(), db, a, paths, "")
		if err == nil {
			v.Seen, err = formToken(r, db, a, registry.TokenFair)
		}
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.MatchingFormPage(v))
	}
}

func handleFairCreate(db fairCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		f := newForm(r)
		v, rooms, err := fairForm(r.Context(), db, a, paths, f.value("room"))
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		in := registry.FairInput{}
		in.Title = f.text("title", "洽谈会名称", 100, true)
		heldText, held := f.date("held_on", "举办日期")
		if f.value("room") != "" {
			in.RoomID, _ = strconv.ParseInt(f.pick("room", rooms, "请从列表中选择支持平台场地"), 10, 64)
		}
		in.Venue = f.text("venue", "举办地点", 200, false)
		for k, msg := range in.Validate() {
			f.Problems.Add(k, msg)
		}
		if !f.OK() {
			v.Form.Values["title"], v.Form.Values["held_on"], v.Form.Values["venue"] = in.Title, heldText, in.Venue
			v.Form.Problems, v.Seen = f.Problems, f.raw("seen")
			rs.render(w, r, http.StatusUnprocessableEntity, web.MatchingFormPage(v))
			return
		}
		in.HeldOn = *held
		var id int64
		id, err = db.CreateFair(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), f.version("seen"), in)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "洽谈会已登记，请记录对接结果。")
		redirect(w, r, paths.Fair(id))
	}
}

// fairView builds a fair's page; for its holder, the match form offers the open needs and projects it may match.
func fairView(ctx context.Context, db fairReader, a *portal.Account, paths web.Paths, id int64, flash string) (web.FairView, []string, []string, error) {
	fr, err := db.Fair(ctx, a.Scope(), id)
	if err != nil {
		return web.FairView{}, nil, nil, err
	}
	v := web.FairView{Page: web.NewPage(fr.Title, a, paths.Matching(), flash), Back: paths.Matching(),
		Fair: web.NewFairRow(paths, fr), CanMatch: holdsFair(a, fr),
		Action: paths.Fair(id) + "/matches", Form: web.NewFormData(), Seen: strconv.Itoa(fr.MatchCount)}
	for _, m := range fr.Matches {
		v.Matches = append(v.Matches, web.NewMatchRow(paths, m, seesContracts(a)))
	}
	for _, o := range registry.Outcomes {
		v.Outcomes = append(v.Outcomes, web.Option{Value: string(o), Label: o.Label()})
	}
	var needIDs, projectIDs []string
	if !v.CanMatch {
		return v, nil, nil, nil
	}
	contracts, err := db.Contracts(ctx, a.Scope())
	if err != nil {
		return v, nil, nil, err
	}
	for _, c := range contracts {
		v.Contracts = append(v.Contracts, web.Option{Value: strconv.FormatInt(c.ID, 10),
			Label: c.Project + "（" + c.OrgName + "，" + c.Amount.String() + " 元）"})
	}
	if portal.Can(a.Tier, portal.ManageFunding) {
		v.NewContract = paths.NewContract()
	}
	applications, err := db.MatchApplications(ctx, a.Scope())
	if err != nil {
		return v, nil, nil, err
	}
	v.Applications, _ = idOptions(applications, func(c registry.ApplicationChoice) (int64, string) { return c.ID, c.Label }, "")
	if portal.Can(a.Tier, portal.ViewFunding) {
		v.Rounds = paths.Funding()
	}
	needs, err := db.Needs(ctx, a.Scope(), registry.BoardFilter{}, true)
	if err != nil {
		return v, nil, nil, err
	}
	for _, n := range needs {
		id := strconv.FormatInt(n.ID, 10)
		needIDs = append(needIDs, id)
		v.Needs = append(v.Needs, web.Option{Value: id, Label: n.Title + "（" + n.TownName + n.CommunityName + "）"})
	}
	projects, err := db.Projects(ctx, a.Scope(), registry.BoardFilter{}, false, false)
	if err != nil {
		return v, nil, nil, err
	}
	for _, p := range projects {
		id := strconv.FormatInt(p.ID, 10)
		projectIDs = append(projectIDs, id)
		v.Projects = append(v.Projects, web.Option{Value: id, Label: p.Title + "（" + p.OrgName + "）"})
	}
	return v, needIDs, projectIDs, nil
}

// holdsFair says whether a may record matches at fr: only the division holding it.
func holdsFair(a *portal.Account, fr registry.Fair) bool {
	if !portal.Can(a.Tier, portal.HoldMatchingEvents) {
		return false
	}
	return (a.Tier == portal.TierDistrict && fr.TownCode == "") || (a.Tier == portal.TierTown && fr.TownCode == a.DivisionCode)
}

func handleFairShow(db fairReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		v, _, _, err := fairView(r.Context(), db, accountFrom(r.Context()), paths, id, takeFlashCtx(r))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.FairPage(v))
	}
}

func handleMatchCreate(db matchRecorder, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		id, ok := pathID(r, "id")
		if !ok {
			rs.notFound(w, r)
			return
		}
		a := accountFrom(r.Context())
		v, _, _, err := fairView(r.Context(), db, a, paths, id, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if !v.CanMatch { // another division's fair: seen, not held
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		in := registry.MatchInput{EventID: id, Outcome: registry.Outcome(f.value("outcome"))}
		in.NeedID = f.id("need", "请选择社区需求")
		in.ProjectID = f.id("project", "请选择服务项目")
		if in.Outcome == registry.OutcomeContract && f.value("contract") != "" {
			in.ContractID, _ = strconv.ParseInt(f.pick("contract", optionValues(v.Contracts), "请从列表中选择合同"), 10, 64)
		}
		if in.Outcome == registry.OutcomeVenture && f.value("application") != "" {
			in.ApplicationID, _ = strconv.ParseInt(f.pick("application", optionValues(v.Applications), "请从列表中选择公益创投申报"), 10, 64)
		}
		in.Reason = f.text("reason", "未达成原因", 500, false)
		in.Seen = f.version("seen")
		for k, msg := range in.Validate() {
			f.Problems.Add(k, msg)
		}
		if f.OK() {
			_, err = db.RecordMatch(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), in)
			switch {
			case errors.Is(err, registry.ErrMatchAcrossTowns):
				f.Problems.Add("project", "本镇街的洽谈会只能对接本镇街的需求和项目；跨镇街对接请由区民政局举办洽谈会")
			case errors.Is(err, registry.ErrContractOfAnotherGroup):
				f.Problems.Add("contract", "所选合同不是该服务项目申报组织签订的合同")
			case errors.Is(err, registry.ErrApplicationOfAnotherGroup):
				f.Problems.Add("application", "所选申报不是该服务项目申报组织的申报")
			case errors.Is(err, registry.ErrMatchTaken):
				f.Problems.Add("project", "这项需求和这个项目已在本次洽谈会上对接过")
			case err != nil:
				rs.fail(w, r, err)
				return
			}
		}
		if !f.OK() {
			for _, k := range []string{"reason"} {
				v.Form.Values[k] = f.value(k)
			}
			v.Form.Problems, v.Seen = f.Problems, f.raw("seen")
			mark := func(opts []web.Option, value string) {
				for i := range opts {
					opts[i].Selected = opts[i].Value == value
				}
			}
			mark(v.Needs, f.value("need"))
			mark(v.Projects, f.value("project"))
			mark(v.Outcomes, f.value("outcome"))
			mark(v.Contracts, f.value("contract"))
			mark(v.Applications, f.value("application"))
			rs.render(w, r, http.StatusUnprocessableEntity, web.FairPage(v))
			return
		}
		putFlash(r, "对接结果已记录："+in.Outcome.Label()+"。")
		redirect(w, r, paths.Fair(id))
	}
}

func brandsView(r *http.Request, db brandDesignator, a *portal.Account, paths web.Paths, flash string) (web.BrandsView, []string, error) {
	ctx := r.Context()
	v := web.BrandsView{Page: web.NewPage("品牌项目", a, paths.Brands(), flash), Action: paths.Brands(),
		CanDesignate: portal.Can(a.Tier, portal.DesignateBrands), Form: web.NewFormData()}
	brands, err := db.Projects(ctx, a.Scope(), registry.BoardFilter{}, false, true)
	if err != nil {
		return v, nil, err
	}
	for _, p := range brands {
		v.Brands = append(v.Brands, web.NewProjectRow(paths, p))
	}
	var ids []string
	if v.CanDesignate {
		if v.Seen, err = formToken(r, db, a, registry.TokenBrand); err != nil {
			return v, nil, err
		}
		all, err := db.Projects(ctx, a.Scope(), registry.BoardFilter{}, false, false)
		if err != nil {
			return v, nil, err
		}
		for _, p := range all {
			id := strconv.FormatInt(p.ID, 10)
			ids = append(ids, id)
			v.Projects = append(v.Projects, web.Option{Value: id, Label: p.Title + "（" + p.OrgName + "）"})
		}
	}
	return v, ids, nil
}

func handleBrands(db brandDesignator, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, err := brandsView(r, db, accountFrom(r.Context()), paths, takeFlashCtx(r))
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.BrandsPage(v))
	}
}

func handleBrandDesignate(db brandDesignator, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, ids, err := brandsView(r, db, a, paths, "")
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		f := newForm(r)
		project := f.pick("project", ids, "请选择服务项目")
		plan := f.text("plan", "品牌发展计划", matchingTextMax, true)
		if !f.OK() {
			v.Form.Values["plan"], v.Form.Problems, v.Seen = plan, f.Problems, f.raw("seen")
			rs.render(w, r, http.StatusUnprocessableEntity, web.BrandsPage(v))
			return
		}
		id, _ := strconv.ParseInt(project, 10, 64)
		if err := db.DesignateBrand(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), f.version("seen"), id, plan); err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, "已认定为品牌项目。")
		redirect(w, r, paths.Brands())
	}
}

// optionValues is the values a select offers.
func optionValues(opts []web.Option) []string {
	out := make([]string, 0, len(opts))
	for _, o := range opts {
		out = append(out, o.Value)
	}
	return out
}

type contractMatchReader interface {
	ContractMatches(ctx context.Context, scope portal.Scope, contractID int64) ([]registry.Match, error)
}

// contractMatches is the 供需对接 matches that led to contract id, for the contract's page.
func contractMatches(ctx context.Context, db contractMatchReader, a *portal.Account, paths web.Paths, id int64) (web.LinkedMatches, error) {
	ms, err := db.ContractMatches(ctx, a.Scope(), id)
	v := web.LinkedMatches{}
	for _, m := range ms {
		v.Rows = append(v.Rows, web.NewMatchRow(paths, m, seesContracts(a)))
	}
	return v, err
}

type roomFairReader interface {
	RoomFairs(ctx context.Context, scope portal.Scope, roomID int64) ([]registry.Fair, error)
	RoomSessions(ctx context.Context, scope portal.Scope, roomID int64) ([]registry.TrainingSession, error)
}

// roomFairs is what was held in the room of the request's path, for the room's page: the 洽谈会 and the training
// sessions.
func roomFairs(r *http.Request, db roomFairReader, a *portal.Account, paths web.Paths) (web.RoomFairList, error) {
	v := web.RoomFairList{}
	id, ok := pathID(r, "roomID")
	if !ok {
		return v, nil
	}
	fs, err := db.RoomFairs(r.Context(), a.Scope(), id)
	if err != nil {
		return v, err
	}
	for _, f := range fs {
		v.Rows = append(v.Rows, web.NewFairRow(paths, f))
	}
	ss, err := db.RoomSessions(r.Context(), a.Scope(), id)
	for _, s := range ss {
		v.Sessions = append(v.Sessions, web.NewTrainingSessionRow(paths, s))
	}
	return v, err
}

type orgProjectReader interface {
	OrgProjects(ctx context.Context, scope portal.Scope, orgID int64, brands bool) ([]registry.Project, error)
}

// orgProjects is a group's service projects for its record, or its brand projects alone for its public profile.
func orgProjects(ctx context.Context, db orgProjectReader, scope portal.Scope, paths web.Paths, orgID int64, brands bool) (web.OrgProjects, error) {
	ps, err := db.OrgProjects(ctx, scope, orgID, brands)
	return web.NewOrgProjects(paths, ps), err
}

// formToken is the token of a 供需对接 create form of kind for the signed-in clerk, as the form's hidden "seen".
func formToken(r *http.Request, db matchingTokens, a *portal.Account, kind string) (string, error) {
	n, err := db.CreateToken(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), kind)
	return strconv.Itoa(n), err
}
