package registry

// Deadlines (期限): every item waiting on someone has a day it is due. A registration application is due a review
// period after it was submitted, and so is a 备案 waiting on its town; a 定期工作报告 is due the period's end
// plus a grace; a group's 评估评议 is due by the end of its year; a 重大活动报告 is due before the event
// begins. The district sets the two periods (DeadlineSettings); the rest follow from the items themselves.

import (
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/rules"
)

// The district's periods, before it sets its own, and the bounds it may set them within.
const (
	DefaultReviewDays      = 20 // 审查期限: days from submission to a decision
	DefaultReportGraceDays = 15 // 报送宽限: days after a period's end to report it
	MaxReviewDays          = 180
	MaxReportGraceDays     = 90
)

// DeadlineSettings are the district's two periods. Version 0 is "never set": the defaults.
type DeadlineSettings struct {
	ReviewDays      int
	ReportGraceDays int
	Version         int
	UpdatedAt       time.Time
}

// DefaultDeadlines are the settings of a district that has set none.
func DefaultDeadlines() DeadlineSettings {
	return DeadlineSettings{ReviewDays: DefaultReviewDays, ReportGraceDays: DefaultReportGraceDays}
}

// DeadlineInput is the settings form as typed.
type DeadlineInput struct {
	ReviewDays      string
	ReportGraceDays string
}

// Parse checks the form and gives the settings; a problem is filed under the field's name.
func (in DeadlineInput) Parse() (DeadlineSettings, rules.Problems) {
	p := rules.Problems{}
	s := DeadlineSettings{}
	s.ReviewDays = days(p, "review_days", "审查期限", in.ReviewDays, 1, MaxReviewDays)
	s.ReportGraceDays = days(p, "report_grace_days", "报送宽限", in.ReportGraceDays, 0, MaxReportGraceDays)
	return s, p
}

func days(p rules.Problems, name, label, s string, min, max int) int {
	n, err := strconv.Atoi(s)
	switch {
	case s == "":
		p.Add(name, "请填写"+label)
	case err != nil || n < min || n > max:
		p.Add(name, label+"应为 "+strconv.Itoa(min)+" 至 "+strconv.Itoa(max)+" 之间的整数（天）")
	}
	return n
}

// ReviewDue is when an item submitted at t must be decided.
func (s DeadlineSettings) ReviewDue(t time.Time) time.Time {
	return t.In(portal.Beijing).AddDate(0, 0, s.ReviewDays)
}

// ReportDue is when the reports of period p are due: the period's end plus the grace.
func (s DeadlineSettings) ReportDue(p Period) time.Time {
	return p.End().AddDate(0, 0, s.ReportGraceDays)
}

// EvaluationDue is when a group's 评估评议 of year y is due: the year's end.
func EvaluationDue(y int) time.Time { return time.Date(y+1, 1, 1, 0, 0, 0, 0, portal.Beijing) }

// DueKind is the kind of a waiting item.
type DueKind string

const (
	DueApplication   DueKind = "application"    // 登记申请 waiting on the district's decision
	DueFiling        DueKind = "filing"         // 备案 waiting on the town's decision
	DueNoticeReview  DueKind = "notice-review"  // 重大活动报告 waiting on the town's 确认
	DueNoticeChanges DueKind = "notice-changes" // 重大活动报告 sent back, waiting on the committee
	DueWorkReport    DueKind = "work-report"    // groups without their 定期工作报告 for a period
	DueEvaluation    DueKind = "evaluation"     // groups without their 评估评议 for a year
)

// DueItemsPerKind bounds how many items of one kind a 工作台 lists; the kind's own list shows the rest.
const DueItemsPerKind = 20

// DueWant says which kinds of waiting item an account acts on (its tier and role decide).
type DueWant struct {
	Applications   bool
	Filings        bool
	NoticeReviews  bool
	NoticeChanges  bool
	WorkReports    bool // the groups of the own community, or the divisions below with groups missing
	Evaluations    bool
	DivisionCounts bool // WorkReports per division below the scope rather than the own community's groups
}

// DueItem is one waiting item: a record (ID) or a count of groups in a division (Division, Count).
type DueItem struct {
	Kind     DueKind
	ID       int64
	Title    string // the record's name, or the division's
	Division string // the division's code, for counts
	Count    int
	Period   string // the reporting period's Key, for work reports
	Due      time.Time
}

// Overdue reports whether the item is past its due time at now.
func (d DueItem) Overdue(now time.Time) bool { return !now.Before(d.Due) }

// DueWantFor is what account a acts on, from the capability table and its role.
func DueWantFor(a portal.Account) DueWant {
	return DueWant{
		Applications:   portal.Allowed(a, portal.ReviewApplications),
		Filings:        portal.Allowed(a, portal.DecideFilings),
		NoticeReviews:  portal.Allowed(a, portal.ReviewNotices),
		NoticeChanges:  portal.Allowed(a, portal.SubmitNotices),
		WorkReports:    portal.Allowed(a, portal.SubmitWorkReports) || portal.Allowed(a, portal.MarkAbnormal) || a.Tier == portal.TierDistrict,
		Evaluations:    portal.Allowed(a, portal.SubmitEvaluations),
		DivisionCounts: a.Tier != portal.TierCommunity,
	}
}

// Dashboard is what a 工作台 reads at once: its own division and the open ones below it, its figures, its
// groups' kept counts, its open work, and what falls due.
type Dashboard struct {
	Division portal.Division
	Children []portal.Division
	Figures  DivisionFigures
	Orgs     OrgTotals
	Work     WorkWaiting
	Due      []DueItem
}
