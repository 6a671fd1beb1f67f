package registry

// 信息公开 by a group (seed §三(四)3): its committee — or its town, for a group filed or registered above the
// committee — publishes the group's 年度工作报告, 收支情况 and 重大事项 on the public profile. A correction keeps
// the published version, marked superseded, beside the new one.

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
)

// DisclosureKind is what a disclosure is about.
type DisclosureKind string

const (
	DisclosureAnnual  DisclosureKind = "annual"  // 年度工作报告
	DisclosureFinance DisclosureKind = "finance" // 收支情况
	DisclosureMajor   DisclosureKind = "major"   // 重大事项: decisions, a change of leader
)

// DisclosureKinds in the order the pages offer them.
var DisclosureKinds = []DisclosureKind{DisclosureAnnual, DisclosureFinance, DisclosureMajor}

// Label is the kind as the pages name it.
func (k DisclosureKind) Label() string {
	switch k {
	case DisclosureAnnual:
		return "年度工作报告"
	case DisclosureFinance:
		return "收支情况"
	case DisclosureMajor:
		return "重大事项"
	}
	return string(k)
}

// Valid reports whether k is one of the kinds.
func (k DisclosureKind) Valid() bool {
	return k == DisclosureAnnual || k == DisclosureFinance || k == DisclosureMajor
}

// The categories of a 收支情况: a small fixed table, so that every group's money reads the same way.
var (
	IncomeCategories   = []string{"会费", "政府购买服务", "公益创投资助", "社区工作基金", "社会捐赠", "其他收入"}
	SpendingCategories = []string{"活动支出", "场地和物资", "志愿者补贴", "培训支出", "其他支出"}
)

// Sides of a finance line.
const (
	SideIncome   = "income"
	SideSpending = "spending"
)

// Limits of a disclosure's text.
const (
	DisclosureTitleMax  = 60
	DisclosureBodyMax   = 4000
	DisclosureReasonMax = 200
	// DisclosureAmountMax bounds one line: 10 亿元 is beyond any community group.
	DisclosureAmountMax Fen = 100_000_000_000
)

// ErrMayNotDisclose is a group the caller's tier does not publish for: a committee publishes for its guided
// groups, a town for the filed and registered groups of its town.
var ErrMayNotDisclose = errors.New("disclosure: this tier does not publish for this group")

// MayDisclose reports whether an account of tier publishes the disclosures of a group of orgTier.
func MayDisclose(tier portal.Tier, orgTier Tier) bool {
	switch tier {
	case portal.TierCommunity:
		return orgTier == TierGuided
	case portal.TierTown:
		return orgTier == TierFiled || orgTier == TierRegistered
	}
	return false
}

// DisclosureLine is one category of a 收支情况.
type DisclosureLine struct {
	Side     string `json:"side"`
	Category string `json:"category"`
	Amount   Fen    `json:"amount_fen"`
}

// DisclosureInput is what the form gives.
type DisclosureInput struct {
	Kind        DisclosureKind
	Title       string
	DisclosedOn time.Time
	Body        string
	Lines       []DisclosureLine // finance only; categories with an amount
	Demo        bool
}

// Validate checks the input against the rules the table also holds; keys are the form's input names. today is
// the day in Beijing: a disclosure is of something that has happened.
func (in DisclosureInput) Validate(today time.Time) rules.Problems {
	p := rules.Problems{}
	if !in.Kind.Valid() {
		p.Add("kind", "请选择公开类别")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(in.Title)); {
	case n == 0:
		p.Add("title", "请填写标题")
	case n > DisclosureTitleMax:
		p.Add("title", "标题不能超过 "+strconv.Itoa(DisclosureTitleMax)+" 字，现为 "+strconv.Itoa(n)+" 字")
	}
	if in.DisclosedOn.IsZero() {
		p.Add("disclosed_on", "请填写日期")
	} else if in.DisclosedOn.After(today) {
		p.Add("disclosed_on", "日期不能晚于今天")
	} else if in.DisclosedOn.Year() < 2000 {
		p.Add("disclosed_on", "日期不能早于 2000 年")
	}
	body := utf8.RuneCountInString(strings.TrimSpace(in.Body))
	switch {
	case body > DisclosureBodyMax:
		p.Add("body", "内容不能超过 "+strconv.Itoa(DisclosureBodyMax)+" 字，现为 "+strconv.Itoa(body)+" 字")
	case body == 0 && in.Kind != DisclosureFinance:
		p.Add("body", "请填写公开的内容")
	}
	if in.Kind == DisclosureFinance {
		if len(in.Lines) == 0 {
			p.Add("lines", "请至少填写一项收入或支出的金额")
		}
		for _, l := range in.Lines {
			if l.Amount < 0 || l.Amount > DisclosureAmountMax {
				p.Add("lines", "每项金额应在 0 至 10 亿元之间")
			}
		}
	} else if len(in.Lines) > 0 {
		p.Add("lines", "只有收支情况填写收支金额")
	}
	return p
}

// Disclosure is one revision of a disclosure. A disclosure is the chain of revisions sharing No; the current
// revision is the one not superseded.
type Disclosure struct {
	ID               int64
	No               int64
	Revision         int
	SupersededAt     *time.Time
	CorrectionReason string
	OrgID            int64
	OrgName          string
	OrgTier          Tier
	Kind             DisclosureKind
	Title            string
	DisclosedOn      time.Time
	Body             string
	Lines            []DisclosureLine
	PublishedByName  string
	PublishedAt      time.Time
	Demo             bool
	Version          int
}

// Current reports whether this revision is the disclosure's current one.
func (d Disclosure) Current() bool { return d.SupersededAt == nil }

// Totals are the income and the spending of a 收支情况.
func (d Disclosure) Totals() (income, spending Fen) {
	for _, l := range d.Lines {
		if l.Side == SideIncome {
			income += l.Amount
		} else {
			spending += l.Amount
		}
	}
	return income, spending
}

// DisclosureLimit is how many revisions a group's page and profile read: the newest, which at one disclosure a
// month is years of them.
const DisclosureLimit = 60
