package web

import (
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// DueView is a 工作台's 期限 section: what the account acts on, each with its due day, oldest first.
type DueView struct {
	Rows         []DueRow
	Overdue      int    // rows past their due day
	SettingsHref string // the district's settings form, for those who may set the periods
}

// DueRow is one waiting item or count of them.
type DueRow struct {
	Kind    string // 登记申请, 备案, 重大活动 …
	Text    string
	Href    string
	Due     string // 2021年7月21日
	When    string // 逾期 3 天, 今日到期, 还剩 5 天
	Overdue bool
}

var dueKindLabels = map[registry.DueKind]string{
	registry.DueApplication:   "登记申请",
	registry.DueFiling:        "备案审核",
	registry.DueNoticeReview:  "重大活动确认",
	registry.DueNoticeChanges: "重大活动修改",
	registry.DueWorkReport:    "定期工作报告",
	registry.DueEvaluation:    "评估评议",
}

// NewDueView builds the section from the store's items for the tier of p at now, soonest due first.
func NewDueView(items []registry.DueItem, p Paths, tier portal.Tier, now time.Time) DueView {
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(a, b registry.DueItem) int { return a.Due.Compare(b.Due) })
	var v DueView
	for _, it := range items {
		r := DueRow{Kind: dueKindLabels[it.Kind], Due: Date(it.Due.Add(-time.Second)), Overdue: it.Overdue(now)}
		r.When = dueWhen(it.Due, now)
		if r.Overdue {
			v.Overdue++
		}
		id := strconv.FormatInt(it.ID, 10)
		switch it.Kind {
		case registry.DueApplication:
			r.Text, r.Href = it.Title+" · 待审查决定", p.Applications()+"/"+id
		case registry.DueFiling:
			r.Text, r.Href = it.Title+" · 待审核", p.Filings()+"/"+id
		case registry.DueNoticeReview:
			r.Text, r.Href = it.Title+" · 活动开始前确认", p.Notices()+"/"+id
		case registry.DueNoticeChanges:
			r.Text, r.Href = it.Title+" · 活动开始前修改并重新提交", p.Notices()+"/"+id
		case registry.DueWorkReport:
			r.Text = it.Title + " · " + strconv.Itoa(it.Count) + " 个组织未报送"
			r.Href = p.WorkReports()
			if tier != portal.TierCommunity {
				r.Href += "?" + url.Values{"period": {it.Period}}.Encode()
			}
		case registry.DueEvaluation:
			r.Text, r.Href = it.Title+" · "+strconv.Itoa(it.Count)+" 个组织尚未评估", p.Evaluations()
		}
		v.Rows = append(v.Rows, r)
	}
	return v
}

// dueWhen says how far due is from now in whole days of 北京时间: 逾期 3 天, 今日到期, 还剩 5 天.
func dueWhen(due, now time.Time) string {
	day := func(t time.Time) time.Time {
		t = t.In(beijing)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	last := day(due.Add(-time.Second)) // the last day still in time
	d := int(last.Sub(day(now)).Hours() / 24)
	switch {
	case !now.Before(due):
		if d >= 0 {
			return "已逾期"
		}
		return "逾期 " + strconv.Itoa(-d) + " 天"
	case d == 0:
		return "今日到期"
	}
	return "还剩 " + strconv.Itoa(d) + " 天"
}

// DeadlineSettingsView is the district's form for its two periods.
type DeadlineSettingsView struct {
	Page
	Action          string
	Version         int
	ReviewDays      Field
	ReportGraceDays Field
	Problems        map[string]string
	UpdatedAt       string // 尚未设置 when still the defaults
}
