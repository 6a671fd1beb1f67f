// View models of periodic work reports (定期工作报告) and yearly evaluations (评估评议): the committee's report
// status page and form, the town's and district's coverage pages, the evaluation form, a group's evaluation
// history, and the lists of latest grades.
package web

import (
	"strconv"

	"github.com/yubei-cso/portal/internal/registry"
)

// WorkReportState is whether a group reported for a period, as clerks say it, and its colour.
func WorkReportState(revision int) (string, StatusClass) {
	switch {
	case revision == 0:
		return "未报送", StatusBad
	case revision == 1:
		return "已报送", StatusOK
	}
	return "已报送（更正 " + strconv.Itoa(revision-1) + " 次）", StatusOK
}

// WorkReportCell is one group's report state for one period, with the link to report or correct.
type WorkReportCell struct {
	Label  string
	Class  StatusClass
	Href   string
	Action string // 报送 or 更正
}

// WorkReportStatusRow is one group on the committee's page.
type WorkReportStatusRow struct {
	OrgID        int64
	Name         string
	OrgHref      string
	Abnormal     bool
	Current      WorkReportCell
	Previous     WorkReportCell
	EvaluateHref string
	HistoryHref  string
}

// WorkReportStatusView is the committee's page: each live group of the community, reported or not, for the
// current and the previous period.
type WorkReportStatusView struct {
	Page
	CurrentLabel  string
	PreviousLabel string
	Rows          []WorkReportStatusRow
	MissingNow    int
	MissingBefore int
	Capped        bool
}

func newWorkReportCell(base string, orgID int64, p registry.Period, revision int) WorkReportCell {
	label, class := WorkReportState(revision)
	c := WorkReportCell{Label: label, Class: class, Action: "报送",
		Href: base + "/work-reports/new?org=" + strconv.FormatInt(orgID, 10) + "&period=" + p.Key()}
	if revision > 0 {
		c.Action = "更正"
	}
	return c
}

// NewWorkReportStatusView formats the committee's page; base is the tier's root.
func NewWorkReportStatusView(p Page, base string, cur, prev registry.Period, rows []registry.ReportStatus, capped bool) WorkReportStatusView {
	v := WorkReportStatusView{Page: p, CurrentLabel: cur.Label(), PreviousLabel: prev.Label(), Capped: capped}
	for _, r := range rows {
		id := strconv.FormatInt(r.OrgID, 10)
		row := WorkReportStatusRow{OrgID: r.OrgID, Name: r.Name, OrgHref: base + "/orgs/" + id,
			Abnormal: r.Status == "abnormal", Current: newWorkReportCell(base, r.OrgID, cur, r.CurrentRev),
			Previous:     newWorkReportCell(base, r.OrgID, prev, r.PrevRev),
			EvaluateHref: base + "/evaluations/new?org=" + id, HistoryHref: base + "/orgs/" + id + "/evaluations"}
		if r.CurrentRev == 0 {
			v.MissingNow++
		}
		if r.PrevRev == 0 {
			v.MissingBefore++
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// CoverageRow is one community (for a town) or town (for the district) on the coverage page.
type CoverageRow struct {
	Code     string
	Name     string
	Live     string
	Reported string
	Missing  string
	Rate     string // 报送率, or — without groups
	Short    bool   // some groups have not reported
}

// LapsedRow is a group a town may mark 活动异常.
type LapsedRow struct {
	ID        int64
	Name      string
	Community string
	OrgHref   string
	Version   int
	Reason    Field
}

// WorkReportCoverageView is the town's or district's page: per division below, the live groups and how many
// have not reported for the chosen period; a town also sees the groups that missed several periods.
type WorkReportCoverageView struct {
	Page
	Heading       string
	Action        string // the page's own path, for the period switch
	ChildLabel    string // 村(社区) or 镇街
	Period        Field
	PeriodOptions []Option
	PeriodLabel   string
	Rows          []CoverageRow
	Live          string
	Missing       string
	Problems      map[string]string
	ExportXLSX    string // the table of the period shown as a spreadsheet
	// The district opens a town: its rows link to the town's communities (RowHref), and with a town open the
	// table is that town's (TownName), with the way back.
	RowHref  func(code string) string
	Town     Field
	TownName string
	BackHref string

	CanMark     bool // the town: the groups that missed several periods, each with a 活动异常 form
	MarkAction  string
	MissedLabel string // 2025年下半年、2026年上半年
	Lapsed      []LapsedRow
}

// NewCoverageRows formats the counts and their totals.
func NewCoverageRows(cs []registry.ReportCoverage) (rows []CoverageRow, live, missing int) {
	for _, c := range cs {
		r := CoverageRow{Code: c.Code, Name: c.Name, Live: strconv.Itoa(c.Live),
			Reported: strconv.Itoa(c.Live - c.Missing), Missing: strconv.Itoa(c.Missing), Rate: "—",
			Short: c.Missing > 0}
		if c.Live > 0 {
			r.Rate = strconv.Itoa((c.Live-c.Missing)*100/c.Live) + "%"
		}
		live += c.Live
		missing += c.Missing
		rows = append(rows, r)
	}
	return rows, live, missing
}

// PeriodOptions offers the periods from the current one back to the first year reports are taken for.
func PeriodOptions(cur registry.Period, selected registry.Period) []Option {
	var out []Option
	for p := cur; p.Valid(); p = p.Prev() {
		label := p.Label()
		if p == cur {
			label += "（本期）"
		}
		out = append(out, Option{Value: p.Key(), Label: label, Selected: p == selected})
	}
	return out
}

// WorkReportVersion is one revision of a report, shown under the form as the history of the period.
type WorkReportVersion struct {
	Revision    string
	Summary     string
	Activities  string
	Members     string
	Plans       string
	SubmittedBy Who
	SubmittedAt string
}

// NewWorkReportVersion formats one revision.
func NewWorkReportVersion(w registry.WorkReport) WorkReportVersion {
	return WorkReportVersion{Revision: "第 " + strconv.Itoa(w.Revision) + " 版", Summary: w.Summary,
		Activities: strconv.Itoa(w.Activities), Members: strconv.Itoa(w.Members), Plans: noticeDash(w.Plans),
		SubmittedBy: NewWho(w.SubmittedByName, w.SubmittedByUsername), SubmittedAt: DateTime(w.SubmittedAt)}
}

// WorkReportFormView is the committee's report for one group and period: a first report, or a correction with
// the earlier versions below.
type WorkReportFormView struct {
	Page
	Heading     string
	Action      string
	CancelHref  string
	OrgID       int64
	OrgName     string
	PeriodKey   string
	PeriodLabel string
	Revision    int // the latest revision, 0 for none
	Problems    map[string]string
	Summary     Field
	Activities  Field
	Members     Field
	Plans       Field
	Versions    []WorkReportVersion
}

// SetProblems files each message beside its input.
func (v *WorkReportFormView) SetProblems(p map[string]string) {
	v.Problems = p
	for key, f := range map[string]*Field{"summary": &v.Summary, "activities": &v.Activities,
		"members": &v.Members, "plans": &v.Plans} {
		f.Problem = p[key]
	}
}

// GradeLabel is a grade as clerks say it, and its colour.
func GradeLabel(g registry.Grade) (string, StatusClass) {
	switch g {
	case registry.GradeExcellent, registry.GradeGood:
		return g.Label(), StatusOK
	case registry.GradePass:
		return g.Label(), StatusWarn
	case registry.GradeFail:
		return g.Label(), StatusBad
	}
	return string(g), ""
}

// GradeOptions offers the grades, with first (全部, or 按得分 on the form) as the empty choice.
func GradeOptions(first string, selected registry.Grade) []Option {
	out := []Option{{Value: "", Label: first, Selected: selected == ""}}
	for _, g := range registry.Grades {
		out = append(out, Option{Value: string(g), Label: g.Label(), Selected: g == selected})
	}
	return out
}

// ScoreField is one dimension's score input.
type ScoreField struct {
	Key   string
	Label string
	Field
}

// EvaluationFormView is the committee's evaluation of one group for one year.
type EvaluationFormView struct {
	Page
	Heading      string
	Action       string
	SwitchAction string // the GET form that changes the year
	CancelHref   string
	HistoryHref  string
	OrgID        int64
	OrgName      string
	Year         int
	YearOptions  []Option
	Version      int    // the latest version of the year, 0 for none
	Current      string // the year's grade so far, when re-evaluating
	Problems     map[string]string
	Scores       []ScoreField
	Views        Field
	Grade        Field
	GradeOptions []Option
	Reason       Field
}

// GradeHint explains how the grade is computed.
const GradeHint = "按各项得分的平均分评定：90 分及以上为优秀，75 分及以上为良好，60 分及以上为合格，60 分以下为不合格。"

// SetProblems files each message beside its input.
func (v *EvaluationFormView) SetProblems(p map[string]string) {
	v.Problems = p
	for i := range v.Scores {
		v.Scores[i].Problem = p["score_"+v.Scores[i].Key]
	}
	v.Views.Problem, v.Grade.Problem, v.Reason.Problem = p["views"], p["grade"], p["override_reason"]
}

// EvaluationRow is one evaluation in a history or a list.
type EvaluationRow struct {
	ID          int64
	OrgID       int64
	OrgName     string
	OrgHref     string
	HistoryHref string
	Place       string
	Year        string
	Version     string
	Scores      []string // in the order of EvaluationDimensions
	Average     string
	Grade       string
	GradeClass  StatusClass
	Override    string // 调整自良好：reason, or ""
	Views       string
	By          Who
	At          string
}

// NewEvaluationRow formats e; base is the tier's root.
func NewEvaluationRow(e registry.Evaluation, base string) EvaluationRow {
	id := strconv.FormatInt(e.OrgID, 10)
	grade, class := GradeLabel(e.Grade)
	r := EvaluationRow{ID: e.ID, OrgID: e.OrgID, OrgName: e.OrgName, OrgHref: base + "/orgs/" + id,
		HistoryHref: base + "/orgs/" + id + "/evaluations", Place: e.TownName + " " + e.CommunityName,
		Year: strconv.Itoa(e.Year) + "年度", Version: "第 " + strconv.Itoa(e.Version) + " 版",
		Average: strconv.FormatFloat(e.Average, 'f', 2, 64), Grade: grade, GradeClass: class,
		Views: noticeDash(e.Views), By: NewWho(e.EvaluatedBy, e.EvaluatedByUsername), At: DateTime(e.EvaluatedAt)}
	for _, d := range registry.EvaluationDimensions {
		if s, ok := e.Scores[d.Key]; ok {
			r.Scores = append(r.Scores, strconv.Itoa(s))
		} else {
			r.Scores = append(r.Scores, "—")
		}
	}
	if e.Grade != e.ComputedGrade {
		r.Override = "调整自" + e.ComputedGrade.Label() + "：" + e.OverrideReason
	}
	return r
}

// DimensionLabels are the score columns' headings.
func DimensionLabels() []string {
	out := make([]string, len(registry.EvaluationDimensions))
	for i, d := range registry.EvaluationDimensions {
		out[i] = d.Label
	}
	return out
}

// EvaluationHistoryView is a group's evaluations, every version of every year.
type EvaluationHistoryView struct {
	Page
	OrgName    string
	OrgHref    string
	NewHref    string // the committee only
	Dimensions []string
	Rows       []EvaluationRow
}

// EvaluationListView is the latest grade of each evaluated group inside the scope, filtered by grade.
type EvaluationListView struct {
	Page
	Heading      string
	Action       string
	Grade        Field
	GradeOptions []Option
	Year         Field
	YearOptions  []Option
	Divisions    DivisionFilter
	Problems     map[string]string
	Dimensions   []string
	Rows         []EvaluationRow
	NextHref     string // the page after, "" on the last
	FirstHref    string // the first page, "" on it
	ExportXLSX   string // every row of the filter, without the page's limit
}

// CoverageExportHeader is the heading row of the coverage table's spreadsheet; child is 镇街 or 村(社区).
func CoverageExportHeader(child string) []string {
	return []string{"区划代码", child, "存续组织数", "已报送", "未报送", "报送率"}
}

// CoverageExportCells is one division's row of the spreadsheet, numbers as numbers, appended to cells[:0].
func CoverageExportCells(c registry.ReportCoverage, cells []any) []any {
	rate := "—"
	if c.Live > 0 {
		rate = strconv.Itoa((c.Live-c.Missing)*100/c.Live) + "%"
	}
	return append(cells[:0], c.Code, c.Name, c.Live, c.Live-c.Missing, c.Missing, rate)
}

// EvaluationExportHeader is the heading row of the evaluation list's spreadsheet.
func EvaluationExportHeader() []string {
	h := []string{"组织", "组织系统编号", "所在镇街", "社区(村)", "年度", "版本"}
	h = append(h, DimensionLabels()...)
	return append(h, "平均分", "等次", "按得分等次", "调整理由", "群众评议意见", "评议人", "评议时间")
}

// EvaluationExportCells is one evaluation's row of the spreadsheet, appended to cells[:0].
func EvaluationExportCells(e registry.Evaluation, cells []any) []any {
	cells = append(cells[:0], e.OrgName, e.OrgID, e.TownName, e.CommunityName, e.Year, e.Version)
	for _, d := range registry.EvaluationDimensions {
		if s, ok := e.Scores[d.Key]; ok {
			cells = append(cells, s)
		} else {
			cells = append(cells, "")
		}
	}
	return append(cells, strconv.FormatFloat(e.Average, 'f', 2, 64), e.Grade.Label(), e.ComputedGrade.Label(), e.OverrideReason, e.Views,
		e.EvaluatedBy, DateTime(e.EvaluatedAt))
}
