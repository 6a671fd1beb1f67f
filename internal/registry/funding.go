package registry

// Money (seed §三(一)3): 政府购买服务 contracts and their payments, 公益创投 rounds, and 工作基金. Amounts are exact:
// Fen counts 分, so that 0.1 + 0.2 is 0.3 and every total equals the sum of its rows.

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/rules"
)

// Fen is an amount of money in 分 (1 元 = 100 分).
type Fen int64

// MaxFen bounds any single amount: numeric(14,2) holds less than 10¹² 元.
const MaxFen Fen = 99_999_999_999_99

// ParseYuan reads an amount typed in 元 with at most two decimals ("12", "12.5", "1,200.00", "12.50元"). It
// refuses a negative, an exponent or a third decimal rather than round it.
func ParseYuan(s string) (Fen, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(strings.ReplaceAll(s, ",", "")), "元")
	s = strings.TrimSpace(s)
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || len(whole) > 12 || (hasFrac && (len(frac) == 0 || len(frac) > 2)) {
		return 0, false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := Fen(w*100 + f)
	return v, v <= MaxFen
}

// String is the amount in 元 with two decimals and thousands separators: 12,345.60.
func (f Fen) String() string { return string(f.Append(nil)) }

// Append appends the amount to b as String writes it, for a page that writes many of them.
func (f Fen) Append(b []byte) []byte {
	if f < 0 {
		b, f = append(b, '-'), -f
	}
	var digits [20]byte
	whole := strconv.AppendInt(digits[:0], int64(f/100), 10)
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, d)
	}
	frac := int64(f % 100)
	return append(b, '.', byte('0'+frac/10), byte('0'+frac%10))
}

// Plain is the amount in 元 with two decimals and no separators, as a spreadsheet or a data standard wants it.
func (f Fen) Plain() string { return strings.ReplaceAll(f.String(), ",", "") }

// amountProblem checks a required positive amount read by ParseYuan (ok false: unreadable or absent).
func amountProblem(p rules.Problems, key, label string, v Fen, ok bool, raw string) {
	switch {
	case strings.TrimSpace(raw) == "":
		p.Add(key, "请填写"+label)
	case strings.HasPrefix(strings.TrimSpace(raw), "-"):
		p.Add(key, label+"不能为负数")
	case !ok:
		p.Add(key, label+"应为以元为单位的金额，最多两位小数，如 12000 或 3500.50")
	case v <= 0:
		p.Add(key, label+"须大于零")
	}
}

// AmountField is an amount as the form sent it and as read.
type AmountField struct {
	Raw string
	Fen Fen
	OK  bool
}

// ReadAmount reads a typed amount.
func ReadAmount(raw string) AmountField {
	v, ok := ParseYuan(raw)
	return AmountField{Raw: strings.TrimSpace(raw), Fen: v, OK: ok}
}

// Check adds the amount's problem, if any, under key.
func (a AmountField) Check(p rules.Problems, key, label string) {
	amountProblem(p, key, label, a.Fen, a.OK, a.Raw)
}

// ThemeSeries are the 4 主题系列 of the plan's §三(三), the themes a 公益创投 round may name.
var ThemeSeries = []string{"邻里守望", "共建共治共享", "共创平安", "文化铸魂"}

// ContractInput records a 政府购买服务 contract.
type ContractInput struct {
	OrgID         int64
	PlatformID    int64 // a platform acting for the organization, 0 for none
	Project       string
	Series        string // one of ThemeSeries or ""
	Beneficiaries []string
	Amount        AmountField
	StartsOn      *time.Time
	EndsOn        *time.Time
	SignedOn      *time.Time
	Deliverables  string
}

// Validate checks a contract.
func (in ContractInput) Validate() rules.Problems {
	p := rules.Problems{}
	if in.OrgID <= 0 {
		p.Add("org_id", "请选择承接服务的社会组织")
	}
	textProblem(p, "project", "项目名称", in.Project, 2, 80)
	if in.Series != "" && !slices.Contains(ThemeSeries, in.Series) {
		p.Add("series", "主题系列只能从列表中选择")
	}
	for _, b := range in.Beneficiaries {
		if !slices.Contains(Beneficiaries, b) {
			p.Add("beneficiaries", "服务对象只能从列表中选择")
		}
	}
	in.Amount.Check(p, "amount", "合同金额")
	dateRangeProblem(p, "starts_on", "ends_on", "服务期限", in.StartsOn, in.EndsOn)
	if in.SignedOn == nil {
		p.Add("signed_on", "请填写签订日期")
	}
	textProblem(p, "deliverables", "服务内容及成果要求", in.Deliverables, 0, 1000)
	return p
}

// Contract statuses: 履约中 then 验收.
const (
	ContractActive   = "active"   // 履约中
	ContractAccepted = "accepted" // 验收合格
	ContractRework   = "rework"   // 整改
	ContractFailed   = "failed"   // 验收不合格
)

// ContractStatusLabel is a contract's status as clerks say it.
func ContractStatusLabel(s string) string {
	switch s {
	case ContractAccepted:
		return "验收合格"
	case ContractRework:
		return "整改"
	case ContractFailed:
		return "验收不合格"
	}
	return "履约中"
}

// PaymentInput records one installment of a contract.
type PaymentInput struct {
	PaidOn *time.Time
	Amount AmountField
	Note   string
}

// Validate checks a payment of a contract of which left fen remain unpaid.
func (in PaymentInput) Validate(left Fen) rules.Problems {
	p := rules.Problems{}
	if in.PaidOn == nil {
		p.Add("paid_on", "请填写支付日期")
	}
	in.Amount.Check(p, "amount", "支付金额")
	if in.Amount.OK && in.Amount.Fen > left {
		p.Add("amount", "支付金额超出合同未付金额（尚余 "+left.String()+" 元）")
	}
	textProblem(p, "note", "备注", in.Note, 0, 200)
	return p
}

// Errors of the money rules, each also a constraint of the database.
var (
	ErrPaymentBeyondContract = errors.New("the payments would exceed the contract's amount")
	ErrFundOverdrawn         = errors.New("the grant would overdraw the fund")
	ErrAwardBeyondBudget     = errors.New("the awards would exceed the round's budget")
	ErrAlreadyScored         = errors.New("the reviewer has scored this application already")
	ErrScoreOutOfRange       = errors.New("a score lies outside its criterion's range")
	ErrAlreadyApplied        = errors.New("the group has applied in this round already")
)

// Contract is one 政府购买服务 contract as its pages show it.
type Contract struct {
	ID             int64
	DivisionCode   string // the purchaser
	DivisionName   string
	OrgID          int64
	OrgName        string
	PlatformID     int64
	PlatformName   string
	Project        string
	Series         string
	Beneficiaries  []string
	Amount         Fen
	Paid           Fen
	StartsOn       time.Time
	EndsOn         time.Time
	SignedOn       time.Time
	Deliverables   string
	Status         string
	AcceptedOn     *time.Time
	AcceptanceNote string
	Version        int
}

// Payment is one installment paid on a contract.
type Payment struct {
	ID     int64
	PaidOn time.Time
	Amount Fen
	Note   string
}

// AcceptanceInput records the 验收 of a contract.
type AcceptanceInput struct {
	Status string // ContractAccepted, ContractRework or ContractFailed
	On     *time.Time
	Note   string
}

// Validate checks a 验收 of a contract that started on starts.
func (in AcceptanceInput) Validate(starts time.Time) rules.Problems {
	p := rules.Problems{}
	if !slices.Contains([]string{ContractAccepted, ContractRework, ContractFailed}, in.Status) {
		p.Add("status", "请选择验收结论（合格、整改或不合格）")
	}
	switch {
	case in.On == nil:
		p.Add("accepted_on", "请填写验收日期")
	case in.On.Before(starts):
		p.Add("accepted_on", "验收日期不能早于服务开始日期")
	}
	if in.Status != ContractAccepted {
		textProblem(p, "note", "验收意见", in.Note, 2, 500)
	} else {
		textProblem(p, "note", "验收意见", in.Note, 0, 500)
	}
	return p
}

// ErrFundNameTaken says the division has a fund of that name already.
var ErrFundNameTaken = errors.New("the division has a fund of that name already")

// FundInput opens a 工作基金.
type FundInput struct{ Name string }

// Validate checks a fund.
func (in FundInput) Validate() rules.Problems {
	p := rules.Problems{}
	textProblem(p, "name", "基金名称", in.Name, 2, 60)
	return p
}

// Fund movements.
const (
	MovementAllocation = "allocation" // 财政拨款
	MovementDonation   = "donation"   // 社会捐赠
	MovementGrant      = "grant"      // 资助
)

// MovementLabel is a movement's kind as clerks say it.
func MovementLabel(kind string) string {
	switch kind {
	case MovementAllocation:
		return "财政拨款"
	case MovementDonation:
		return "社会捐赠"
	}
	return "资助"
}

// MovementInput is money into a fund (allocation, donation) or out of it (a grant to a group).
type MovementInput struct {
	Kind    string
	Amount  AmountField
	On      *time.Time
	Donor   string // for a donation
	Purpose string
	OrgID   int64  // for a grant
	Series  string // for a grant: one of ThemeSeries or ""
}

// Validate checks a movement; balance is the fund's balance, which a grant may not exceed.
func (in MovementInput) Validate(balance Fen) rules.Problems {
	p := rules.Problems{}
	in.Amount.Check(p, "amount", "金额")
	if in.On == nil {
		p.Add("on_date", "请填写日期")
	}
	switch in.Kind {
	case MovementAllocation:
	case MovementDonation:
		textProblem(p, "donor", "捐赠方", in.Donor, 2, 60)
	case MovementGrant:
		if in.OrgID <= 0 {
			p.Add("org_id", "请选择资助的社会组织")
		}
		if in.Amount.OK && in.Amount.Fen > balance {
			p.Add("amount", "资助金额超出基金余额（余额 "+balance.String()+" 元）")
		}
		if in.Series != "" && !slices.Contains(ThemeSeries, in.Series) {
			p.Add("series", "主题系列只能从列表中选择")
		}
	default:
		p.Add("kind", "请选择收支类型")
	}
	textProblem(p, "purpose", "用途", in.Purpose, 0, 200)
	return p
}

// Fund is one 工作基金.
type Fund struct {
	ID           int64
	DivisionCode string
	DivisionName string
	Name         string
	Balance      Fen
}

// Movement is one row of a fund's ledger.
type Movement struct {
	ID      int64
	Kind    string
	Amount  Fen
	On      time.Time
	Donor   string
	Purpose string
	OrgName string
	Series  string
}

// Criterion is one scoring criterion of a 公益创投 round.
type Criterion struct {
	ID       int64
	Name     string
	MaxScore int
}

// RoundInput opens a 公益创投 round.
type RoundInput struct {
	Title      string
	Themes     []string
	Budget     AmountField
	OpensOn    *time.Time
	ClosesOn   *time.Time
	ExcludeOwn bool
	Criteria   []Criterion
}

// Validate checks a round.
func (in RoundInput) Validate() rules.Problems {
	p := rules.Problems{}
	textProblem(p, "title", "创投名称", in.Title, 2, 80)
	if len(in.Themes) == 0 {
		p.Add("themes", "请至少选择一个主题系列")
	}
	for _, t := range in.Themes {
		if !slices.Contains(ThemeSeries, t) {
			p.Add("themes", "主题系列只能从列表中选择")
		}
	}
	in.Budget.Check(p, "budget", "资助总额")
	dateRangeProblem(p, "opens_on", "closes_on", "申报期", in.OpensOn, in.ClosesOn)
	if len(in.Criteria) == 0 {
		p.Add("criteria", "请至少设置一项评审标准")
	}
	seen := map[string]bool{}
	for _, c := range in.Criteria {
		switch n := len([]rune(c.Name)); {
		case n < 2 || n > 40:
			p.Add("criteria", "每项评审标准的名称须为 2 到 40 字")
		case seen[c.Name]:
			p.Add("criteria", "评审标准“"+c.Name+"”重复")
		case c.MaxScore < 1 || c.MaxScore > 100:
			p.Add("criteria", "每项评审标准的满分须在 1 到 100 之间")
		}
		seen[c.Name] = true
	}
	return p
}

// Round statuses.
const (
	RoundOpen      = "open"      // 申报中
	RoundReviewing = "reviewing" // 评审中
	RoundClosed    = "closed"    // 已结束
)

// RoundMoves are the steps a round's keeper may take: close the applications (评审中), or end the round
// (已结束), when the applications still waiting are recorded as 未立项.
var RoundMoves = map[string][]string{RoundOpen: {RoundReviewing, RoundClosed}, RoundReviewing: {RoundClosed}}

// ErrRoundMove says a round cannot take that step from where it is.
var ErrRoundMove = errors.New("the round cannot take that step")

// Round is one 公益创投 round.
type Round struct {
	ID           int64
	DivisionCode string
	DivisionName string
	Title        string
	Themes       []string
	Budget       Fen
	Awarded      Fen
	OpensOn      time.Time
	ClosesOn     time.Time
	ExcludeOwn   bool
	Status       string
	Criteria     []Criterion
	Version      int
	Reviewers    []RoundReviewer // the towns a district round names as its reviewers
}

// RoundReviewer is a town named as a reviewer of a district round: its officers in the reviewer role read the
// round's applications from every town and score them.
type RoundReviewer struct {
	Code string
	Name string
}

// ReviewsRound says whether the division code reviews round r: the round's own division and those above it, and
// a town the round names.
func ReviewsRound(r Round, code string) bool {
	if code != "" && strings.HasPrefix(r.DivisionCode, code) {
		return true
	}
	for _, t := range r.Reviewers {
		if t.Code == code {
			return true
		}
	}
	return false
}

// ErrNotReviewer says the caller's division is neither the round's keeper nor one of its named reviewers.
var ErrNotReviewer = errors.New("the division is not a reviewer of this round")

// ErrReviewerNotTown says a division named as a reviewer is not a town of the round's district.
var ErrReviewerNotTown = errors.New("a reviewer must be a town of the round's district")

// VentureInput is a group's application to a round, made by its committee or town.
type VentureInput struct {
	OrgID         int64
	Theme         string
	Project       string
	BudgetLines   string
	Requested     AmountField
	Beneficiaries []string
	Expected      string
}

// Validate checks an application to a round of the given themes.
func (in VentureInput) Validate(themes []string) rules.Problems {
	p := rules.Problems{}
	if in.OrgID <= 0 {
		p.Add("org_id", "请选择申报的社会组织")
	}
	if !slices.Contains(themes, in.Theme) {
		p.Add("theme", "请选择本次创投的主题系列之一")
	}
	textProblem(p, "project", "项目名称", in.Project, 2, 80)
	textProblem(p, "budget_lines", "预算明细", in.BudgetLines, 0, 1000)
	in.Requested.Check(p, "requested", "申请金额")
	for _, b := range in.Beneficiaries {
		if !slices.Contains(Beneficiaries, b) {
			p.Add("beneficiaries", "服务对象只能从列表中选择")
		}
	}
	textProblem(p, "expected", "预期成效", in.Expected, 0, 1000)
	return p
}

// Venture application statuses.
const (
	VentureSubmitted = "submitted" // 已申报
	VentureAwarded   = "awarded"   // 已立项
	VentureDeclined  = "declined"  // 未立项
	VentureClosed    = "closed"    // 已结项
)

// VentureApplication is one application to a round, with its reviewers' average.
type VentureApplication struct {
	ID            int64
	RoundID       int64
	OrgID         int64
	OrgName       string
	CommunityCode string
	Theme         string
	Project       string
	BudgetLines   string // 预算明细, what a reviewer scores besides the project
	Requested     Fen
	Beneficiaries []string
	Expected      string
	Status        string
	AwardedAmount Fen
	AwardedOn     *time.Time
	Reviewers     int     // how many reviewers scored it
	Average       float64 // the reviewers' average total, for ranking only; money never passes through it
	Progress      string
	FinalReport   string
	Evaluation    string
	Version       int
}

// ScoreProblems checks one reviewer's scores against the round's criteria: every criterion scored once, inside
// its range. scores maps a criterion's id to the score typed.
func ScoreProblems(criteria []Criterion, scores map[int64]int, typed map[int64]bool) rules.Problems {
	p := rules.Problems{}
	for _, c := range criteria {
		key := "score_" + strconv.FormatInt(c.ID, 10)
		s, ok := scores[c.ID]
		switch {
		case !typed[c.ID]:
			p.Add(key, "请为“"+c.Name+"”打分")
		case !ok || s < 0 || s > c.MaxScore:
			p.Add(key, "“"+c.Name+"”的分数须为 0 到 "+strconv.Itoa(c.MaxScore)+" 的整数")
		}
	}
	return p
}

// ErrOwnDivision says the round forbids a reviewer to score an application from their own division.
var ErrOwnDivision = errors.New("the reviewer may not score an application of their own division")

// ErrRoundClosed says the round takes no more applications.
var ErrRoundClosed = errors.New("the round is not open for applications")

// Where the money goes: every amount that reached a group — a 购买服务 contract, a 公益创投 award, a 工作基金
// grant — and its totals by town, 主题系列, 服务对象 and urban/rural (seed §三(一)4 asks resources to lean toward
// rural groups).

// Money sources.
const (
	SourceContract = "contract" // 政府购买服务
	SourceAward    = "award"    // 公益创投
	SourceGrant    = "grant"    // 工作基金资助
)

// SourceLabel is a source as clerks say it.
func SourceLabel(s string) string {
	switch s {
	case SourceContract:
		return "政府购买服务"
	case SourceAward:
		return "公益创投"
	}
	return "工作基金资助"
}

// MoneyRow is one amount that reached a group.
type MoneyRow struct {
	Source        string
	ID            int64
	Title         string
	Description   string
	OrgID         int64
	OrgName       string
	OrgCode       string // USCC or 备案编号, "" for a guided group
	FunderCode    string // the division that paid
	FunderName    string
	TownCode      string
	TownName      string
	CommunityName string
	Rural         bool
	Series        string
	Beneficiaries []string
	Amount        Fen
	AwardedOn     time.Time
	StartsOn      *time.Time
	EndsOn        *time.Time
}

// MoneyTotal is the total of one group of rows.
type MoneyTotal struct {
	Key    string
	Amount Fen
	Rows   int
}

// MoneyTotals are the totals of a set of rows.
type MoneyTotals struct {
	All           Fen
	BySource      []MoneyTotal
	ByTown        []MoneyTotal
	BySeries      []MoneyTotal
	ByBeneficiary []MoneyTotal // a row counts once under each of its 服务对象
	Rural, Urban  Fen
}

// RuralPermille is the rural share of the money in ‰, 0 when there is none.
func (t MoneyTotals) RuralPermille() int {
	if t.All == 0 {
		return 0
	}
	return int(int64(t.Rural) * 1000 / int64(t.All))
}

// TotalMoney adds rows up.
func TotalMoney(rows []MoneyRow) MoneyTotals {
	var t MoneyTotals
	add := func(list *[]MoneyTotal, key string, amount Fen) {
		for i := range *list {
			if (*list)[i].Key == key {
				(*list)[i].Amount += amount
				(*list)[i].Rows++
				return
			}
		}
		*list = append(*list, MoneyTotal{Key: key, Amount: amount, Rows: 1})
	}
	for _, r := range rows {
		t.All += r.Amount
		add(&t.BySource, SourceLabel(r.Source), r.Amount)
		add(&t.ByTown, r.TownName, r.Amount)
		series := r.Series
		if series == "" {
			series = "未分系列"
		}
		add(&t.BySeries, series, r.Amount)
		for _, b := range r.Beneficiaries {
			add(&t.ByBeneficiary, b, r.Amount)
		}
		if r.Rural {
			t.Rural += r.Amount
		} else {
			t.Urban += r.Amount
		}
	}
	t.Sort()
	return t
}
