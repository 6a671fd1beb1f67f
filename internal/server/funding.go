package server

// Money: the overview with where the money goes and its exports, 政府购买服务 contracts with payments and 验收,
// 工作基金 ledgers, and 公益创投 rounds with scores and awards.

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

// contractsPerPage is how many contracts the money overview lists at a time.
const contractsPerPage = 50

// moneyRowsLimit caps the overview's and the exports' rows of one jurisdiction.
const moneyRowsLimit = 100000

type fundingReader interface {
	FundingOverview(ctx context.Context, scope portal.Scope, after registry.ContractCursor, limit int) (registry.FundingOverview, error)
}

type moneyExporter interface {
	MoneyRows(ctx context.Context, scope portal.Scope, limit int) ([]registry.MoneyRow, error)
	Audit(ctx context.Context, e portal.AuditEntry) error
}

type contractStore interface {
	Contract(ctx context.Context, scope portal.Scope, id int64) (registry.Contract, error)
	Payments(ctx context.Context, contractID int64) ([]registry.Payment, error)
	CultivationEvents(ctx context.Context, objectType string, id int64) ([]registry.CultivationEvent, error)
	ContractDocuments(ctx context.Context, contractID int64) ([]registry.CultivationDocument, error)
	AddPayment(ctx context.Context, scope portal.Scope, actor portal.Actor, contractID int64, seen int, in registry.PaymentInput) error
	AcceptContract(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, in registry.AcceptanceInput) error
	contractMatchReader
}

type contractCreator interface {
	CultivationOrgs(ctx context.Context, scope portal.Scope) ([]registry.OrgChoice, error)
	Platforms(ctx context.Context, scope portal.Scope, f registry.PlatformFilter) ([]registry.Platform, error)
	CreateContract(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.ContractInput) (int64, error)
	cultivationTokens
}

type fundStore interface {
	Fund(ctx context.Context, scope portal.Scope, id int64) (registry.Fund, error)
	Movements(ctx context.Context, fundID int64) ([]registry.Movement, error)
	CultivationEvents(ctx context.Context, objectType string, id int64) ([]registry.CultivationEvent, error)
	CultivationOrgs(ctx context.Context, scope portal.Scope) ([]registry.OrgChoice, error)
	AddMovement(ctx context.Context, scope portal.Scope, actor portal.Actor, fundID int64, seen int, in registry.MovementInput) (int64, error)
}

type roundStore interface {
	Round(ctx context.Context, scope portal.Scope, id int64) (registry.Round, error)
	VentureApplications(ctx context.Context, scope portal.Scope, roundID int64, reviewing bool) ([]registry.VentureApplication, error)
	CultivationEvents(ctx context.Context, objectType string, id int64) ([]registry.CultivationEvent, error)
	Score(ctx context.Context, scope portal.Scope, actor portal.Actor, applicationID int64, scores map[int64]int) error
	Award(ctx context.Context, scope portal.Scope, actor portal.Actor, applicationID int64, amount registry.Fen, on time.Time) error
}

func handleFunding(db fundingReader, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		after := registry.ParseContractCursor(r.URL.Query().Get("contracts"))
		o, err := db.FundingOverview(r.Context(), a.Scope(), after, contractsPerPage)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		v := web.NewFundingView(web.NewPage("培育资金", a, paths.Funding(), takeFlashCtx(r)), paths, o, after)
		v.CanManage = portal.Can(a.Tier, portal.ManageFunding)
		if a.Tier != portal.TierCommunity {
			v.ContractsXLSX = paths.ContractsExport()
		}
		rs.render(w, r, http.StatusOK, web.FundingPage(v))
	}
}

// handleMoneyExport streams the money rows inside the caller's scope: the clerks' spreadsheet, or (grants) the
// 360Giving Data Standard's columns.
func handleMoneyExport(db moneyExporter, grants bool, format exportFormat, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		rows, err := db.MoneyRows(r.Context(), a.Scope(), moneyRowsLimit)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		title, name, header, cells := "培育资金去向", "money", web.MoneyExportHeader, web.MoneyExportCells
		// The clerks' sheet opens with title rows; the 360Giving shape starts at its header, which its tools read.
		titled := exportTitle(a.DivisionName+"培育资金去向", a.DivisionName+"辖区内社会组织获得的购买服务、公益创投立项和工作基金资助",
			dateSpan(rows, func(m registry.MoneyRow) time.Time { return m.AwardedOn }), "元（精确到分）", time.Now())
		if grants {
			title, name, header, cells, titled = "资助数据（360Giving）", "grants-360giving", web.GrantsHeader, web.GrantCells, nil
		}
		streamTitledTable(w, r, rs, a, format, title, name, "grants", titled, header, func(t export.Table) error {
			for _, m := range rows {
				if err := t.Row(cells(m)); err != nil {
					return err
				}
			}
			return db.Audit(context.WithoutCancel(r.Context()), portal.AuditEntry{Actor: actorOf(r, a),
				Action: "funding.export", ObjectType: "money", Result: portal.ResultOK,
				Detail: name + " " + string(format) + " " + strconv.Itoa(len(rows)) + " 行"})
		})
	}
}

func contractForm(ctx context.Context, db contractCreator, paths web.Paths, a *portal.Account) (web.ContractFormView, error) {
	v := web.ContractFormView{Page: web.NewPage("登记购买服务合同", a, paths.Funding(), ""), Action: paths.Funding() + "/contracts",
		CancelHref: paths.Funding(), SeriesOptions: web.Choices(registry.ThemeSeries, ""),
		Beneficiaries: web.Checks(registry.Beneficiaries, nil), Problems: map[string]string{}}
	orgs, err := db.CultivationOrgs(ctx, a.Scope())
	if err != nil {
		return v, err
	}
	for _, o := range orgs {
		v.OrgOptions = append(v.OrgOptions, web.Option{Value: itoa64(o.ID), Label: o.Name})
	}
	platforms, err := db.Platforms(ctx, a.Scope(), registry.PlatformFilter{})
	if err != nil {
		return v, err
	}
	for _, p := range platforms {
		v.PlatformOptions = append(v.PlatformOptions, web.Option{Value: itoa64(p.ID), Label: p.Name})
	}
	v.Seen, err = ownToken(ctx, db, a, registry.TokenContract)
	return v, err
}

func handleContractNew(db contractCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := contractForm(r.Context(), db, paths, accountFrom(r.Context()))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.ContractFormPage(v))
	}
}

func handleContractCreate(db contractCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		a := accountFrom(r.Context())
		v, err := contractForm(r.Context(), db, paths, a)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		in := registry.ContractInput{Project: f.value("project"), Series: f.value("series"),
			Deliverables: f.value("deliverables"), Amount: registry.ReadAmount(f.value("amount"))}
		v.Org.Value = f.value("org_id")
		in.OrgID, _ = parseID(v.Org.Value)
		platform := f.value("platform_id")
		in.PlatformID, _ = parseID(platform)
		in.Beneficiaries = f.picks("beneficiaries", registry.Beneficiaries, false, "服务对象只能从列表中选择")
		v.StartsOn.Value, in.StartsOn = formDay(f, "starts_on", "开始日期")
		v.EndsOn.Value, in.EndsOn = formDay(f, "ends_on", "结束日期")
		v.SignedOn.Value, in.SignedOn = formDay(f, "signed_on", "签订日期")
		addProblems(f, in.Validate())
		v.Seen = f.raw("seen")
		if f.OK() {
			id, err := db.CreateContract(r.Context(), a.Scope(), actorOf(r, a), f.version("seen"), in)
			switch {
			case err == nil:
				putFlash(r, "购买服务合同“"+in.Project+"”已登记。")
				redirect(w, r, paths.Contract(id))
				return
			case errors.Is(err, registry.ErrCultivationOrg):
				f.Problems.Add("org_id", "只能选择本辖区内正常活动的社会组织")
			case errors.Is(err, portal.ErrNotFound):
				f.Problems.Add("org_id", "所选的支持平台不在本辖区")
			default:
				rs.fail(w, r, err)
				return
			}
		}
		v.Problems = f.Problems
		v.OrgOptions, v.PlatformOptions = web.Selected(v.OrgOptions, v.Org.Value), web.Selected(v.PlatformOptions, platform)
		v.SeriesOptions, v.Beneficiaries = web.Choices(registry.ThemeSeries, in.Series), web.Checks(registry.Beneficiaries, in.Beneficiaries)
		v.Org.Problem = f.Problems["org_id"]
		v.Project = web.Field{Value: in.Project, Problem: f.Problems["project"]}
		v.Amount = web.Field{Value: in.Amount.Raw, Problem: f.Problems["amount"]}
		v.Deliverables = web.Field{Value: in.Deliverables, Problem: f.Problems["deliverables"]}
		v.StartsOn.Problem, v.EndsOn.Problem, v.SignedOn.Problem = f.Problems["starts_on"], f.Problems["ends_on"], f.Problems["signed_on"]
		rs.render(w, r, http.StatusUnprocessableEntity, web.ContractFormPage(v))
	}
}

func contractDetail(r *http.Request, db contractStore, paths web.Paths, a *portal.Account, flash string) (web.ContractDetailView, registry.Contract, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return web.ContractDetailView{}, registry.Contract{}, portal.ErrNotFound
	}
	c, err := db.Contract(r.Context(), a.Scope(), id)
	if err != nil {
		return web.ContractDetailView{}, c, err
	}
	payments, err := db.Payments(r.Context(), id)
	if err != nil {
		return web.ContractDetailView{}, c, err
	}
	events, err := db.CultivationEvents(r.Context(), "contract", id)
	if err != nil {
		return web.ContractDetailView{}, c, err
	}
	v := web.NewContractDetail(web.NewPage(c.Project, a, paths.Funding(), flash), paths, c, payments, events)
	v.CanManage = portal.Can(a.Tier, portal.ManageFunding) && c.DivisionCode == a.DivisionCode
	if v.Matches, err = contractMatches(r.Context(), db, a, paths, id); err != nil { // 供需对接 (matching.go)
		return v, c, err
	}
	return v, c, contractDocuments(r.Context(), db, &v, c)
}

func handleContractShow(db contractStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, err := contractDetail(r, db, paths, accountFrom(r.Context()), takeFlashCtx(r))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.ContractDetailPage(v))
	}
}

func handlePaymentAdd(db contractStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, c, err := contractDetail(r, db, paths, a, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		if !v.CanManage {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		seen := f.version("payments") // the form's token: how many payments its page listed
		if seen != len(v.Payments) {
			rs.conflict(w, r)
			return
		}
		in := registry.PaymentInput{Amount: registry.ReadAmount(f.value("amount")), Note: f.value("note")}
		v.PaidOn.Value, in.PaidOn = formDay(f, "paid_on", "支付日期")
		addProblems(f, in.Validate(c.Amount-c.Paid))
		if f.OK() {
			err = db.AddPayment(r.Context(), a.Scope(), actorOf(r, a), c.ID, seen, in)
			switch {
			case err == nil:
				putFlash(r, "已登记支付 "+in.Amount.Fen.String()+" 元。")
				redirect(w, r, paths.Contract(c.ID))
				return
			case errors.Is(err, registry.ErrPaymentBeyondContract):
				f.Problems.Add("amount", "支付金额超出合同未付金额（刚有他人登记了支付，请刷新后核对）")
			default:
				rs.fail(w, r, err)
				return
			}
		}
		v.Problems = f.Problems
		v.PayAmount = web.Field{Value: in.Amount.Raw, Problem: f.Problems["amount"]}
		v.PaidOn.Problem = f.Problems["paid_on"]
		v.PayNote = web.Field{Value: in.Note, Problem: f.Problems["note"]}
		rs.render(w, r, http.StatusUnprocessableEntity, web.ContractDetailPage(v))
	}
}

func handleContractAccept(db contractStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, c, err := contractDetail(r, db, paths, a, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		version := f.version("version")
		in := registry.AcceptanceInput{Status: f.value("status"), Note: f.value("accept_note")}
		v.AcceptedOn.Value, in.On = formDay(f, "accepted_on", "验收日期")
		for k, m := range in.Validate(c.StartsOn) {
			if k == "note" {
				k = "accept_note"
			}
			f.Problems.Add(k, m)
		}
		if f.OK() {
			if err := db.AcceptContract(r.Context(), a.Scope(), actorOf(r, a), c.ID, version, in); err != nil {
				rs.fail(w, r, err)
				return
			}
			putFlash(r, "验收结论已记录："+registry.ContractStatusLabel(in.Status)+"。")
			redirect(w, r, paths.Contract(c.ID))
			return
		}
		v.Problems = f.Problems
		v.AcceptStatus = web.Field{Value: in.Status, Problem: f.Problems["status"]}
		v.AcceptedOn.Problem = f.Problems["accepted_on"]
		v.AcceptNote = web.Field{Value: in.Note, Problem: f.Problems["accept_note"]}
		rs.render(w, r, http.StatusUnprocessableEntity, web.ContractDetailPage(v))
	}
}

type fundCreator interface {
	Funds(ctx context.Context, scope portal.Scope) ([]registry.Fund, error)
	CreateFund(ctx context.Context, scope portal.Scope, actor portal.Actor, seen int, in registry.FundInput) (int64, error)
}

// ownFunds is how many funds the clerk's own division has: the fund form's token.
func ownFunds(ctx context.Context, db fundCreator, a *portal.Account) (int, error) {
	fs, err := db.Funds(ctx, a.Scope())
	n := 0
	for _, f := range fs {
		if f.DivisionCode == a.DivisionCode {
			n++
		}
	}
	return n, err
}

func handleFundNew(db fundCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		n, err := ownFunds(r.Context(), db, a)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.FundFormPage(web.FundFormView{Page: web.NewPage("设立工作基金", a, paths.Funding(), ""),
			Paths: paths, Seen: strconv.Itoa(n), Problems: map[string]string{}}))
	}
}

// handleFundCreate sets up a fund of the clerk's division: 422 with the message at the name (too short, or a
// fund of that name exists), else 303 to the fund's ledger.
func handleFundCreate(db fundCreator, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		f := newForm(r)
		in := registry.FundInput{Name: f.value("name")}
		seen := f.version("funds")
		addProblems(f, in.Validate())
		if f.OK() {
			id, err := db.CreateFund(r.Context(), a.Scope(), actorOf(r, a), seen, in)
			if err == nil {
				putFlash(r, "工作基金“"+in.Name+"”已设立。")
				redirect(w, r, paths.FundPage(id))
				return
			}
			if !errors.Is(err, registry.ErrFundNameTaken) {
				rs.fail(w, r, err)
				return
			}
			f.Problems.Add("name", "本单位已设立同名的工作基金")
		}
		v := web.FundFormView{Page: web.NewPage("设立工作基金", a, paths.Funding(), ""), Paths: paths, Problems: f.Problems,
			Seen: f.raw("funds"), Name: web.Field{Value: in.Name, Problem: f.Problems["name"]}}
		rs.render(w, r, http.StatusUnprocessableEntity, web.FundFormPage(v))
	}
}

func fundDetail(r *http.Request, db fundStore, paths web.Paths, a *portal.Account, flash string) (web.FundDetailView, registry.Fund, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return web.FundDetailView{}, registry.Fund{}, portal.ErrNotFound
	}
	f, err := db.Fund(r.Context(), a.Scope(), id)
	if err != nil {
		return web.FundDetailView{}, f, err
	}
	ms, err := db.Movements(r.Context(), id)
	if err != nil {
		return web.FundDetailView{}, f, err
	}
	events, err := db.CultivationEvents(r.Context(), "fund", id)
	if err != nil {
		return web.FundDetailView{}, f, err
	}
	v := web.NewFundDetail(web.NewPage(f.Name, a, paths.Funding(), flash), paths, f, ms, events)
	v.CanManage = portal.Can(a.Tier, portal.ManageFunding) && f.DivisionCode == a.DivisionCode
	if v.CanManage {
		orgs, err := db.CultivationOrgs(r.Context(), a.Scope())
		if err != nil {
			return v, f, err
		}
		for _, o := range orgs {
			v.OrgOptions = append(v.OrgOptions, web.Option{Value: itoa64(o.ID), Label: o.Name})
		}
	}
	return v, f, nil
}

func handleFundShow(db fundStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, _, err := fundDetail(r, db, paths, accountFrom(r.Context()), takeFlashCtx(r))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.FundDetailPage(v))
	}
}

func handleMovementAdd(db fundStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, fund, err := fundDetail(r, db, paths, a, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		f := newForm(r)
		seen := f.version("movements") // the form's token: how many movements its page listed
		if seen != len(v.Movements) {
			rs.conflict(w, r)
			return
		}
		in := registry.MovementInput{Kind: f.value("kind"), Amount: registry.ReadAmount(f.value("amount")),
			Donor: f.value("donor"), Purpose: f.value("purpose"), Series: f.value("series")}
		org := f.value("org_id")
		if in.Kind == registry.MovementGrant {
			in.OrgID, _ = parseID(org)
		}
		v.On.Value, in.On = formDay(f, "on_date", "日期")
		addProblems(f, in.Validate(fund.Balance))
		if f.OK() {
			_, err = db.AddMovement(r.Context(), a.Scope(), actorOf(r, a), fund.ID, seen, in)
			switch {
			case err == nil:
				putFlash(r, registry.MovementLabel(in.Kind)+" "+in.Amount.Fen.String()+" 元已登记。")
				redirect(w, r, paths.FundPage(fund.ID))
				return
			case errors.Is(err, registry.ErrFundOverdrawn):
				f.Problems.Add("amount", "资助金额超出基金余额（刚有他人登记了支出，请刷新后核对）")
			case errors.Is(err, registry.ErrCultivationOrg):
				f.Problems.Add("org_id", "只能资助本辖区内正常活动的社会组织")
			default:
				rs.fail(w, r, err)
				return
			}
		}
		v.Problems = f.Problems
		v.Kind = web.Field{Value: in.Kind, Problem: f.Problems["kind"]}
		v.Amount = web.Field{Value: in.Amount.Raw, Problem: f.Problems["amount"]}
		v.On.Problem = f.Problems["on_date"]
		v.Donor = web.Field{Value: in.Donor, Problem: f.Problems["donor"]}
		v.Purpose = web.Field{Value: in.Purpose, Problem: f.Problems["purpose"]}
		v.Org.Problem = f.Problems["org_id"]
		v.OrgOptions, v.SeriesOptions = web.Selected(v.OrgOptions, org), web.Choices(registry.ThemeSeries, in.Series)
		rs.render(w, r, http.StatusUnprocessableEntity, web.FundDetailPage(v))
	}
}

func roundDetail(r *http.Request, db roundStore, paths web.Paths, a *portal.Account, flash string) (web.RoundDetailView, registry.Round, error) {
	id, ok := pathID(r, "id")
	if !ok {
		return web.RoundDetailView{}, registry.Round{}, portal.ErrNotFound
	}
	round, err := db.Round(r.Context(), a.Scope(), id)
	if err != nil {
		return web.RoundDetailView{}, round, err
	}
	// Another town's applications are read only by a town the round names as a reviewer, in the reviewer role.
	reviewing := portal.Allowed(*a, portal.ReviewVenture)
	apps, err := db.VentureApplications(r.Context(), a.Scope(), id, reviewing)
	if err != nil {
		return web.RoundDetailView{}, round, err
	}
	events, err := db.CultivationEvents(r.Context(), "round", id)
	if err != nil {
		return web.RoundDetailView{}, round, err
	}
	v := web.NewRoundDetail(web.NewPage(round.Title, a, paths.Funding(), flash), paths, round, apps, events)
	v.CanReview = reviewing && round.Status != registry.RoundClosed && registry.ReviewsRound(round, a.DivisionCode)
	v.CanAward = portal.Can(a.Tier, portal.ManageFunding) && round.DivisionCode == a.DivisionCode && round.Status != registry.RoundClosed
	v.CanReport = portal.Can(a.Tier, portal.ApplyVenture)
	v.CanClose = portal.Can(a.Tier, portal.ManageFunding) && round.DivisionCode == a.DivisionCode
	return v, round, nil
}

// roundApplication is the application named in the URL, among those of the round the viewer sees.
func roundApplication(r *http.Request, apps []web.VentureRow) (int64, bool) {
	id, ok := pathID(r, "appID")
	if !ok {
		return 0, false
	}
	for _, a := range apps {
		if a.ID == id {
			return id, true
		}
	}
	return 0, false
}

func handleScore(db roundStore, paths web.Paths, rs *responder) http.HandlerFunc {
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
		scores, typed := map[int64]int{}, map[int64]bool{}
		for _, c := range round.Criteria {
			s := f.value(web.ScoreName(c))
			v.Scores[c.ID] = web.Field{Value: s}
			if s == "" {
				continue
			}
			typed[c.ID] = true
			if n, err := strconv.Atoi(s); err == nil {
				scores[c.ID] = n
			}
		}
		problems := registry.ScoreProblems(round.Criteria, scores, typed)
		if problems.OK() {
			err = db.Score(r.Context(), a.Scope(), actorOf(r, a), app, scores)
			switch {
			case err == nil:
				putFlash(r, "评分已提交。")
				redirect(w, r, paths.RoundPage(round.ID))
				return
			case errors.Is(err, registry.ErrAlreadyScored):
				rs.errorPage(w, r, http.StatusConflict, "已评过分", "您已为该项目打过分，每位评审人对每个项目只能打分一次。")
				return
			case errors.Is(err, registry.ErrOwnDivision):
				// The refusal is told at the form's first score, so the reviewer sees it where they typed.
				if len(round.Criteria) > 0 {
					problems.Add(web.ScoreName(round.Criteria[0]), "本次创投要求评审人回避本辖区的申报项目，您不能为该项目打分")
				}
			case errors.Is(err, registry.ErrNotReviewer):
				if len(round.Criteria) > 0 {
					problems.Add(web.ScoreName(round.Criteria[0]), "本镇街不是本次创投的评审单位，不能为申报项目打分")
				}
			default:
				rs.fail(w, r, err)
				return
			}
		}
		v.ScoreFor, v.Problems = app, map[string]string{}
		for _, c := range round.Criteria {
			fld := v.Scores[c.ID]
			fld.Problem = problems[web.ScoreName(c)]
			v.Scores[c.ID] = fld
			if fld.Problem != "" {
				v.Problems[web.ScoreID(app, c)] = fld.Problem
			}
		}
		rs.render(w, r, http.StatusUnprocessableEntity, web.RoundDetailPage(v))
	}
}

func handleAward(db roundStore, paths web.Paths, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		v, round, err := roundDetail(r, db, paths, a, "")
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		app, ok := roundApplication(r, v.Applications)
		if !ok || !v.CanAward {
			rs.notFound(w, r)
			return
		}
		f := newForm(r)
		amount := registry.ReadAmount(f.value("amount"))
		amount.Check(f.Problems, "amount", "资助金额")
		if amount.OK && amount.Fen > round.Budget-round.Awarded {
			f.Problems.Add("amount", "资助金额超出本次创投尚余的资助总额（尚余 "+(round.Budget-round.Awarded).String()+" 元）")
		}
		if f.OK() {
			err = db.Award(r.Context(), a.Scope(), actorOf(r, a), app, amount.Fen, time.Now())
			switch {
			case err == nil:
				putFlash(r, "已立项，资助 "+amount.Fen.String()+" 元。")
				redirect(w, r, paths.RoundPage(round.ID))
				return
			case errors.Is(err, registry.ErrAwardBeyondBudget):
				f.Problems.Add("amount", "资助金额超出本次创投尚余的资助总额（刚有其他项目立项，请刷新后核对）")
			default:
				rs.fail(w, r, err)
				return
			}
		}
		v.AwardFor = app
		v.AwardAmount = web.Field{Value: amount.Raw, Problem: f.Problems["amount"]}
		v.Problems = map[string]string{"award-" + strconv.FormatInt(app, 10): f.Problems["amount"]}
		rs.render(w, r, http.StatusUnprocessableEntity, web.RoundDetailPage(v))
	}
}
