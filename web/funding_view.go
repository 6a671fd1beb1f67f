package web

// View models of the money pages: the overview with where the money goes, a contract with its payments and 验收,
// a fund's ledger, and a 公益创投 round with its applications, scores and awards.

import (
	"strconv"
	"strings"

	"github.com/yubei-cso/portal/internal/registry"
)

// Funding is the money overview; the others its records and exports.
func (p Paths) Funding() string { return p.root + "/funding" }
func (p Paths) Contract(id int64) string {
	return p.Funding() + "/contracts/" + strconv.FormatInt(id, 10)
}
func (p Paths) NewContract() string      { return p.Funding() + "/contracts/new" }
func (p Paths) FundPage(id int64) string { return p.Funding() + "/funds/" + strconv.FormatInt(id, 10) }
func (p Paths) RoundPage(id int64) string {
	return p.Funding() + "/rounds/" + strconv.FormatInt(id, 10)
}
func (p Paths) MoneyExport() string  { return p.Funding() + "/money.xlsx" }
func (p Paths) FundsExport() string  { return p.Funding() + "/funds.xlsx" }
func (p Paths) RoundsExport() string { return p.Funding() + "/rounds.xlsx" }
func (p Paths) GrantsExport(ext string) string {
	return p.Funding() + "/grants-360giving." + ext
}

// FundingView is the overview. Its tables' rows are written straight from the rows read (html_writer.go).
type FundingView struct {
	Page
	Paths           Paths
	CanManage       bool
	ContractsXLSX   string // the contracts' spreadsheet, "" for a tier without contract pages
	All             string
	Totals          registry.MoneyTotals // the breakdowns, each a table
	Rural, Urban    string
	RuralShare      string // share of the money reaching 村
	RuralGroupShare string // share of the live groups that are rural
	Contracts       []registry.ContractLine
	ContractsFirst  string // the first page of contracts, "" on it
	ContractsNext   string // the next page, "" on the last
	Funds           []registry.Fund
	Rounds          []registry.Round
}

// permille is part of whole as a percentage with one decimal, from whole numbers (no float).
func permille(part, whole int64) string {
	if whole == 0 {
		return "—"
	}
	p := part * 1000 / whole
	return strconv.FormatInt(p/10, 10) + "." + strconv.FormatInt(p%10, 10) + "%"
}

// RoundStatusLabel is a round's status as clerks say it.
func RoundStatusLabel(s string) string {
	switch s {
	case registry.RoundReviewing:
		return "评审中"
	case registry.RoundClosed:
		return "已结束"
	}
	return "申报中"
}

func contractStatusClass(s string) StatusClass {
	switch s {
	case registry.ContractAccepted:
		return StatusOK
	case registry.ContractFailed:
		return StatusBad
	}
	return StatusWarn
}

// NewFundingView formats the overview.
func NewFundingView(page Page, paths Paths, o registry.FundingOverview, after registry.ContractCursor) FundingView {
	t := o.Totals
	v := FundingView{Page: page, Paths: paths, All: t.All.String(), Totals: t, Rural: t.Rural.String(),
		Urban: t.Urban.String(), RuralShare: permille(int64(t.Rural), int64(t.All)),
		RuralGroupShare: permille(o.RuralGroups, o.Groups), Contracts: o.Contracts, Funds: o.Funds, Rounds: o.Rounds}
	if after.ID != 0 {
		v.ContractsFirst = paths.Funding() + "#contracts"
	}
	if n := len(o.Contracts); o.More && n > 0 {
		last := o.Contracts[n-1]
		v.ContractsNext = paths.Funding() + "?contracts=" + registry.ContractCursor{On: last.SignedOn, ID: last.ID}.String() + "#contracts"
	}
	return v
}

// MoneyExportHeader and MoneyExportCells are the columns of the money rows' spreadsheet.
var MoneyExportHeader = []string{"来源", "项目", "社会组织", "镇街", "社区（村）", "城乡", "主题系列", "服务对象", "金额（元）", "资助方", "日期"}

// MoneyExportCells is one row of the money spreadsheet.
func MoneyExportCells(m registry.MoneyRow) []any {
	area := "城市社区"
	if m.Rural {
		area = "农村社区"
	}
	return []any{registry.SourceLabel(m.Source), m.Title, m.OrgName, m.TownName, m.CommunityName, area, m.Series,
		strings.Join(m.Beneficiaries, "、"), m.Amount.Plain(), m.FunderName, m.AwardedOn.Format("2006-01-02")}
}

// GrantsHeader is the 360Giving Data Standard's required columns (and the planned dates and beneficiary
// location it recommends), in its own English titles so that its tools read the file.
var GrantsHeader = []string{"Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date",
	"Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier", "Funding Org:Name",
	"Planned Dates:Start Date", "Planned Dates:End Date", "Beneficiary Location:Name", "Beneficiary Location:Geographic Code",
	"Grant Programme:Title"}

// GrantCells is one grant in the 360Giving shape. Identifiers carry a prefix naming the portal's own register
// (360Giving asks for a registered prefix; none exists for this portal, so the prefix says what it is); an
// organization's identifier is its USCC under the org-id list's CN-USCC scheme when it has one.
func GrantCells(m registry.MoneyRow) []any {
	recipient := "CN-YUBEI-CSO-" + strconv.FormatInt(m.OrgID, 10)
	if len(m.OrgCode) == 18 {
		recipient = "CN-USCC-" + m.OrgCode
	}
	day := func(d interface{ Format(string) string }) string { return d.Format("2006-01-02") }
	start, end := "", ""
	if m.StartsOn != nil {
		start = day(*m.StartsOn)
	}
	if m.EndsOn != nil {
		end = day(*m.EndsOn)
	}
	return []any{"CN-YUBEI-CSO-" + m.Source + "-" + strconv.FormatInt(m.ID, 10), m.Title, m.Description, "CNY",
		m.Amount.Plain(), day(m.AwardedOn), recipient, m.OrgName, "CN-GOV-DIVISION-" + m.FunderCode, m.FunderName,
		start, end, m.TownName + m.CommunityName, m.TownCode, registry.SourceLabel(m.Source)}
}

// ContractFormView is the form that records a contract.
type ContractFormView struct {
	Page
	Action, CancelHref                 string
	Seen                               string // the division's contracts when the form was shown: its token
	OrgOptions, SeriesOptions          []Option
	PlatformOptions                    []Option
	Beneficiaries                      []Check
	Org, Project, Amount, Deliverables Field
	StartsOn, EndsOn, SignedOn         Field
	Problems                           map[string]string
}

// ContractDetailView is one contract with its payments, 验收 and timeline.
type ContractDetailView struct {
	Page
	Paths                      Paths
	ID                         int64
	Project                    string
	Status                     string
	StatusClass                StatusClass
	Facts                      []Fact
	Payments                   []PaymentRow
	CanManage                  bool
	Left                       string
	PayAmount, PaidOn, PayNote Field
	AcceptStatus, AcceptedOn   Field
	AcceptNote                 Field
	Version                    int
	Events                     []CultivationEventRow
	Problems                   map[string]string
	Documents                  []DocumentRow
	Uploads                    []DocUpload
	Matches                    LinkedMatches // 供需对接 matches that led to it (matching_view.go)
}

// PaymentRow is one installment.
type PaymentRow struct{ On, Amount, Note string }

// AcceptChoices are the conclusions of a 验收.
func AcceptChoices(selected string) []Option {
	var out []Option
	for _, s := range []string{registry.ContractAccepted, registry.ContractRework, registry.ContractFailed} {
		out = append(out, Option{Value: s, Label: registry.ContractStatusLabel(s), Selected: s == selected})
	}
	return out
}

// NewContractDetail formats a contract.
func NewContractDetail(page Page, paths Paths, c registry.Contract, payments []registry.Payment, events []registry.CultivationEvent) ContractDetailView {
	v := ContractDetailView{Page: page, Paths: paths, ID: c.ID, Project: c.Project, Status: registry.ContractStatusLabel(c.Status),
		StatusClass: contractStatusClass(c.Status), Left: (c.Amount - c.Paid).String(), Version: c.Version, Problems: map[string]string{}}
	v.Facts = []Fact{{Label: "购买方", Value: c.DivisionName}, {Label: "承接组织", Value: c.OrgName},
		{Label: "代为承接的平台", Value: dash(c.PlatformName)}, {Label: "主题系列", Value: dash(c.Series)},
		{Label: "服务对象", Value: dash(strings.Join(c.Beneficiaries, "、"))}, {Label: "合同金额", Value: c.Amount.String() + " 元"},
		{Label: "已支付", Value: c.Paid.String() + " 元"}, {Label: "服务期限", Value: Date(c.StartsOn) + " 至 " + Date(c.EndsOn)},
		{Label: "签订日期", Value: Date(c.SignedOn)}, {Label: "服务内容及成果要求", Value: dash(c.Deliverables)}}
	if c.AcceptedOn != nil {
		v.Facts = append(v.Facts, Fact{Label: "验收", Value: Date(*c.AcceptedOn) + " " + registry.ContractStatusLabel(c.Status) + "：" + c.AcceptanceNote})
	}
	for _, p := range payments {
		v.Payments = append(v.Payments, PaymentRow{On: Date(p.PaidOn), Amount: p.Amount.String(), Note: dash(p.Note)})
	}
	v.Events = cultivationEventRows(events)
	return v
}

// FundDetailView is a fund's ledger and the movement form.
type FundDetailView struct {
	Page
	Paths                      Paths
	ID                         int64
	Name, Division, Balance    string
	XLSX                       string // the ledger as a spreadsheet
	Movements                  []MovementRow
	CanManage                  bool
	KindOptions                []Option
	OrgOptions, SeriesOptions  []Option
	Amount, On, Donor, Purpose Field
	Org, Kind                  Field
	Events                     []CultivationEventRow
	Problems                   map[string]string
}

// MovementRow is one row of a ledger.
type MovementRow struct{ On, Kind, Amount, Party, Purpose string }

// MovementChoices are a fund's kinds of movement.
func MovementChoices(selected string) []Option {
	var out []Option
	for _, k := range []string{registry.MovementAllocation, registry.MovementDonation, registry.MovementGrant} {
		out = append(out, Option{Value: k, Label: registry.MovementLabel(k), Selected: k == selected})
	}
	return out
}

// NewFundDetail formats a fund.
func NewFundDetail(page Page, paths Paths, f registry.Fund, ms []registry.Movement, events []registry.CultivationEvent) FundDetailView {
	v := FundDetailView{Page: page, Paths: paths, ID: f.ID, Name: f.Name, Division: f.DivisionName, Balance: f.Balance.String(),
		XLSX:        paths.FundLedgerExport(f.ID),
		KindOptions: MovementChoices(""), SeriesOptions: Choices(registry.ThemeSeries, ""), Problems: map[string]string{}}
	for _, m := range ms {
		party := m.OrgName
		if m.Kind == registry.MovementDonation {
			party = m.Donor
		}
		amount := "+" + m.Amount.String()
		if m.Kind == registry.MovementGrant {
			amount = "−" + m.Amount.String()
		}
		v.Movements = append(v.Movements, MovementRow{On: Date(m.On), Kind: registry.MovementLabel(m.Kind), Amount: amount,
			Party: dash(party), Purpose: dash(m.Purpose)})
	}
	v.Events = cultivationEventRows(events)
	return v
}

// RoundDetailView is a 公益创投 round with its applications.
type RoundDetailView struct {
	Page
	Paths                    Paths
	ID                       int64
	Title                    string
	Facts                    []Fact
	Criteria                 []registry.Criterion
	Applications             []VentureRow
	CanReview, CanAward      bool
	CanReport, CanClose      bool
	StatusAction             string   // where the keeper moves the round; "" when it cannot move
	StatusOptions            []Option // the steps the round may take from where it is
	StatusProblem            string
	Version                  string // the round's, carried by the status form
	Tally                    []Fact // how many applications are in each status
	ScoreFor                 int64  // the application whose score form failed, 0 for none
	Scores                   map[int64]Field
	AwardFor                 int64
	AwardAmount              Field
	CanApply                 bool
	ApplyAction              string
	OrgOptions, ThemeOptions []Option
	Beneficiaries            []Check
	ApplyOrg, Theme, Project Field
	Requested, BudgetLines   Field
	Expected                 Field
	Events                   []CultivationEventRow
	Problems                 map[string]string
	Reviewers                RoundReviewersForm
}

// VentureRow is one application.
type VentureRow struct {
	ID                                                         int64
	Org, Theme, Project, Requested, Reviewers, Average, Status string
	Awarded, ScoreAction, AwardAction                          string
	Progress, FinalReport, Evaluation                          string
	ProgressAction, CloseAction                                string
	Version                                                    string // the application's, carried by its forms
	// What a reviewer scores besides the project: 预算明细, 服务对象 and 预期成效 (never the leader's contacts).
	BudgetLines, Beneficiaries, Expected string
}

// RoundReviewersForm is where the keeper of a district round names the towns that review it.
type RoundReviewersForm struct {
	Action  string // "" when the viewer does not name reviewers
	Version string // the round's
	Towns   []Check
	Problem string
}

// VentureStatusLabel is an application's status as clerks say it.
func VentureStatusLabel(s string) string {
	switch s {
	case registry.VentureAwarded:
		return "已立项"
	case registry.VentureDeclined:
		return "未立项"
	case registry.VentureClosed:
		return "已结项"
	}
	return "已申报"
}

// NewRoundDetail formats a round.
func NewRoundDetail(page Page, paths Paths, r registry.Round, apps []registry.VentureApplication, events []registry.CultivationEvent) RoundDetailView {
	v := RoundDetailView{Page: page, Paths: paths, ID: r.ID, Title: r.Title, Criteria: r.Criteria, Scores: map[int64]Field{},
		Problems: map[string]string{}}
	var crit []string
	for _, c := range r.Criteria {
		crit = append(crit, c.Name+"（满分 "+strconv.Itoa(c.MaxScore)+"）")
	}
	own := "否"
	if r.ExcludeOwn {
		own = "是：评审人不评本镇街（村社区）的申报"
	}
	v.Facts = []Fact{{Label: "发布单位", Value: r.DivisionName}, {Label: "主题系列", Value: strings.Join(r.Themes, "、")},
		{Label: "资助总额", Value: r.Budget.String() + " 元"}, {Label: "已立项", Value: r.Awarded.String() + " 元"},
		{Label: "尚余", Value: (r.Budget - r.Awarded).String() + " 元"}, {Label: "申报期", Value: Date(r.OpensOn) + " 至 " + Date(r.ClosesOn)},
		{Label: "状态", Value: RoundStatusLabel(r.Status)}, {Label: "评审标准", Value: strings.Join(crit, "、")}, {Label: "回避本辖区", Value: own}}
	if len(r.DivisionCode) == 6 { // a district round names the towns that review it
		names := []string{}
		for _, t := range r.Reviewers {
			names = append(names, t.Name)
		}
		v.Facts = append(v.Facts, Fact{Label: "评审镇街", Value: dash(strings.Join(names, "、"))})
	}
	base := paths.RoundPage(r.ID) + "/applications/"
	for _, a := range apps {
		row := VentureRow{ID: a.ID, Org: a.OrgName, Theme: a.Theme, Project: a.Project, Requested: a.Requested.String(),
			Reviewers: strconv.Itoa(a.Reviewers), Average: "—", Status: VentureStatusLabel(a.Status), Awarded: "—",
			Version: strconv.Itoa(a.Version)}
		if a.Reviewers > 0 {
			row.Average = strconv.FormatFloat(a.Average, 'f', 1, 64)
		}
		if a.AwardedAmount > 0 {
			row.Awarded = a.AwardedAmount.String()
		}
		row.Progress, row.FinalReport, row.Evaluation = a.Progress, a.FinalReport, a.Evaluation
		row.BudgetLines, row.Beneficiaries, row.Expected = dash(a.BudgetLines), dash(strings.Join(a.Beneficiaries, "、")), dash(a.Expected)
		if a.Status == registry.VentureAwarded {
			row.ProgressAction = base + strconv.FormatInt(a.ID, 10) + "/progress"
			row.CloseAction = base + strconv.FormatInt(a.ID, 10) + "/close"
		}
		if a.Status == registry.VentureSubmitted {
			row.ScoreAction = base + strconv.FormatInt(a.ID, 10) + "/scores"
			row.AwardAction = base + strconv.FormatInt(a.ID, 10) + "/award"
		}
		v.Applications = append(v.Applications, row)
	}
	v.Events = cultivationEventRows(events)
	v.Version = strconv.Itoa(r.Version)
	for _, to := range registry.RoundMoves[r.Status] {
		v.StatusOptions = append(v.StatusOptions, Option{Value: to, Label: RoundMoveLabel(to)})
	}
	if len(v.StatusOptions) > 0 {
		v.StatusAction = paths.RoundPage(r.ID) + "/status"
	}
	counts := map[string]int{}
	for _, a := range apps {
		counts[a.Status]++
	}
	for _, s := range []string{registry.VentureSubmitted, registry.VentureAwarded, registry.VentureDeclined, registry.VentureClosed} {
		v.Tally = append(v.Tally, Fact{Label: VentureStatusLabel(s), Value: strconv.Itoa(counts[s])})
	}
	return v
}

// RoundMoveLabel names the step that takes a round to status.
func RoundMoveLabel(status string) string {
	if status == registry.RoundClosed {
		return "结束本次创投（尚未立项的申报记为未立项）"
	}
	return "截止申报，进入评审"
}

// ScoreField is the input of one criterion's score on one application's form.
func (v RoundDetailView) ScoreField(app int64, c registry.Criterion) Field {
	if app != v.ScoreFor {
		return Field{}
	}
	return v.Scores[c.ID]
}

// ScoreName is the input name of a criterion's score.
func ScoreName(c registry.Criterion) string { return "score_" + strconv.FormatInt(c.ID, 10) }

// ScoreID is the input id of a criterion's score on one application's form.
func ScoreID(app int64, c registry.Criterion) string {
	return "score-" + strconv.FormatInt(app, 10) + "-" + strconv.FormatInt(c.ID, 10)
}

// AwardField is the award input of one application's form.
func (v RoundDetailView) AwardField(app int64) Field {
	if app != v.AwardFor {
		return Field{}
	}
	return v.AwardAmount
}

// NewRound is the form that opens a round.
func (p Paths) NewRound() string { return p.Funding() + "/rounds/new" }

// NewFund is the form that sets up a 工作基金; Funds is where it posts.
func (p Paths) NewFund() string { return p.Funding() + "/funds/new" }
func (p Paths) Funds() string   { return p.Funding() + "/funds" }

// FundFormView sets up a 工作基金 of the clerk's division.
type FundFormView struct {
	Page
	Paths    Paths
	Seen     string // how many funds the division had when the form was shown: the form's token
	Name     Field
	Problems map[string]string
}

// RoundFormView is the form that opens a 公益创投 round.
type RoundFormView struct {
	Page
	Action, CancelHref string
	Seen               string // the division's rounds when the form was shown: its token
	Themes             []Check
	Title, Budget      Field
	OpensOn, ClosesOn  Field
	Criteria           Field // one criterion a line: 名称 满分
	ExcludeOwn         bool
	Problems           map[string]string
}

// DefaultCriteria are the criteria a new round's form offers.
const DefaultCriteria = "需求分析 20\n项目设计 40\n团队能力 20\n预算合理性 20"
