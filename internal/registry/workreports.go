package registry

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/yubei-cso/portal/internal/portal"
)

// PeriodMonths is the length of a reporting period (half-years by default); 12 must be a multiple of it. This is
// the one place to change it: 3 gives quarters, 12 whole years.
const PeriodMonths = 6

// MissedPeriodsForAbnormal is how many consecutive periods without a report let a town mark a group 活动异常.
const MissedPeriodsForAbnormal = 2

// FirstReportYear is the first year reports can be filed for: the action plan's first year (渝北民〔2021〕114号).
const FirstReportYear = 2021

// Period is one reporting period: Half is its number in the year, 1-based (1 上半年, 2 下半年 with half-years).
type Period struct {
	Year int
	Half int
}

// PeriodsPerYear is how many periods a year holds.
const PeriodsPerYear = 12 / PeriodMonths

// PeriodOf is the period t falls in, in 北京时间.
func PeriodOf(t time.Time) Period {
	t = t.In(portal.Beijing)
	return Period{Year: t.Year(), Half: (int(t.Month())-1)/PeriodMonths + 1}
}

// Prev is the period before p.
func (p Period) Prev() Period {
	if p.Half > 1 {
		return Period{p.Year, p.Half - 1}
	}
	return Period{p.Year - 1, PeriodsPerYear}
}

// Start is the first day of p; End is the first day after it.
func (p Period) Start() time.Time {
	return time.Date(p.Year, time.Month((p.Half-1)*PeriodMonths+1), 1, 0, 0, 0, 0, portal.Beijing)
}

// End is the first instant after p.
func (p Period) End() time.Time { return p.Start().AddDate(0, PeriodMonths, 0) }

// Valid reports whether p is a period of a year the portal takes reports for.
func (p Period) Valid() bool {
	return p.Year >= FirstReportYear && p.Year <= 2200 && p.Half >= 1 && p.Half <= PeriodsPerYear
}

// After reports whether p comes after q.
func (p Period) After(q Period) bool {
	return p.Year > q.Year || p.Year == q.Year && p.Half > q.Half
}

// Key is how a period travels in URLs and forms: 2026-1.
func (p Period) Key() string { return strconv.Itoa(p.Year) + "-" + strconv.Itoa(p.Half) }

// ParsePeriod reads a Key; ok is false for anything else, or a period outside Valid.
func ParsePeriod(s string) (Period, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == '-' {
			y, err1 := strconv.Atoi(s[:i])
			h, err2 := strconv.Atoi(s[i+1:])
			p := Period{y, h}
			return p, err1 == nil && err2 == nil && p.Valid()
		}
	}
	return Period{}, false
}

// Label is the period as clerks say it: 2026年上半年.
func (p Period) Label() string {
	y := strconv.Itoa(p.Year) + "年"
	switch PeriodsPerYear {
	case 1:
		return y + "度"
	case 2:
		if p.Half == 1 {
			return y + "上半年"
		}
		return y + "下半年"
	case 4:
		return y + "第" + []string{"一", "二", "三", "四"}[p.Half-1] + "季度"
	}
	return y + "第" + strconv.Itoa(p.Half) + "期"
}

// Errors of work reports and evaluations.
var (
	// ErrPeriodAhead says a report names a period that has not begun.
	ErrPeriodAhead = errors.New("the period has not begun")
	// ErrOverrideReason says a grade other than the computed one needs a reason.
	ErrOverrideReason = errors.New("an overridden grade needs a reason")
)

// WorkReportInput is the work-report form. The group must be a live group of the committee's community; its
// codes are the group's own.
type WorkReportInput struct {
	OrgID      int64
	Period     Period
	Revision   int // the latest revision the committee saw for the period, 0 for a first report
	Summary    string
	Activities int
	Members    int
	Plans      string
}

// WorkReport is one revision of a group's report for a period.
type WorkReport struct {
	ID                  int64
	OrgID               int64
	OrgName             string
	Period              Period
	Revision            int
	Summary             string
	Activities          int
	Members             int
	Plans               string
	SubmittedByName     string // display name
	SubmittedByUsername string
	SubmittedAt         time.Time
}

// ReportOrg is a group as the report and evaluation forms name it.
type ReportOrg struct {
	ID            int64
	Name          string
	CommunityName string
	Status        string
	Members       int
	Version       int
}

// Live reports whether the group still counts (正常 or 活动异常): only live groups report and are evaluated.
func (o ReportOrg) Live() bool { return o.Status == "normal" || o.Status == "abnormal" }

// ReportStatus is one live group of a community and whether it reported for the current and previous period.
type ReportStatus struct {
	OrgID      int64
	Name       string
	Status     string
	CurrentRev int // the latest revision for the current period, 0 when not reported
	PrevRev    int
}

// ReportCoverage is one division below the scope: its live groups and how many have not reported for a period.
type ReportCoverage struct {
	Code    string
	Name    string
	Live    int
	Missing int
}

// LapsedOrg is a group in 正常 status with no report for the last periods.
type LapsedOrg struct {
	ID            int64
	Name          string
	CommunityName string
	Version       int
}

// Dimension is one thing the committee scores a group on, 0–100.
type Dimension struct {
	Key   string
	Label string
}

// EvaluationDimensions are the dimensions of the yearly evaluation: the one place to add or change them.
var EvaluationDimensions = []Dimension{
	{Key: "governance", Label: "内部治理"},
	{Key: "service", Label: "服务成效"},
	{Key: "satisfaction", Label: "群众满意度"},
	{Key: "party", Label: "党建引领"},
}

// Grade is an evaluation's result.
type Grade string

const (
	GradeExcellent Grade = "excellent" // 优秀
	GradeGood      Grade = "good"      // 良好
	GradePass      Grade = "pass"      // 合格
	GradeFail      Grade = "fail"      // 不合格
)

// Grades from the best down.
var Grades = []Grade{GradeExcellent, GradeGood, GradePass, GradeFail}

// Valid reports whether g is a known grade.
func (g Grade) Valid() bool {
	return g == GradeExcellent || g == GradeGood || g == GradePass || g == GradeFail
}

// Label is the grade as clerks say it.
func (g Grade) Label() string {
	switch g {
	case GradeExcellent:
		return "优秀"
	case GradeGood:
		return "良好"
	case GradePass:
		return "合格"
	case GradeFail:
		return "不合格"
	}
	return string(g)
}

// GradeOf is the grade an average score earns: the thresholds live here and nowhere else.
func GradeOf(average float64) Grade {
	switch {
	case average >= 90:
		return GradeExcellent
	case average >= 75:
		return GradeGood
	case average >= 60:
		return GradePass
	}
	return GradeFail
}

// Average is the mean of scores, rounded to two decimals as stored.
func Average(scores map[string]int) float64 {
	if len(scores) == 0 {
		return 0
	}
	sum := 0
	for _, s := range scores {
		sum += s
	}
	return math.Round(float64(sum)/float64(len(scores))*100) / 100
}

// EvaluationInput is the evaluation form.
type EvaluationInput struct {
	OrgID          int64
	Year           int
	Version        int            // the latest version the committee saw for the year, 0 for a first evaluation
	Scores         map[string]int // by Dimension.Key
	Views          string         // residents' views
	Grade          Grade          // "" for the computed one
	OverrideReason string
}

// Evaluation is one version of a group's evaluation for a year.
type Evaluation struct {
	ID                  int64
	OrgID               int64
	OrgName             string
	TownName            string
	CommunityName       string
	CommunityCode       string
	Year                int
	Version             int
	Scores              map[string]int
	Average             float64
	ComputedGrade       Grade
	Grade               Grade
	OverrideReason      string
	Views               string
	EvaluatedBy         string // display name
	EvaluatedByUsername string
	EvaluatedAt         time.Time
}

// EvaluationListLimit is one page of the list of latest grades.
const EvaluationListLimit = 500
