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
func (f Fen) String() string {
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	whole := strconv.FormatInt(int64(f/100), 10)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	frac := int64(f % 100)
	return sign + b.String() + "." + string(rune('0'+frac/10)) + string(rune('0'+frac%10))
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
