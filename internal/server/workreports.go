package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/web"
)

type workReportStatusReader interface {
	CommunityReportStatus(ctx context.Context, scope portal.Scope, cur, prev registry.Period) ([]registry.ReportStatus, error)
}

type workReportReader interface {
	ReportOrg(ctx context.Context, scope portal.Scope, id int64) (registry.ReportOrg, error)
	WorkReports(ctx context.Context, scope portal.Scope, orgID int64, p registry.Period) ([]registry.WorkReport, error)
}

type workReportSubmitter interface {
	workReportReader
	SubmitWorkReport(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.WorkReportInput, now time.Time) (int, error)
}

type workReportCoverage interface {
	ReportCoverage(ctx context.Context, scope portal.Scope, p registry.Period) ([]registry.ReportCoverage, error)
	LapsedOrgs(ctx context.Context, scope portal.Scope, last registry.Period) ([]registry.LapsedOrg, error)
}

type abnormalMarker interface {
	workReportCoverage
	MarkAbnormal(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string, now time.Time) error
}

type evaluationReader interface {
	ReportOrg(ctx context.Context, scope portal.Scope, id int64) (registry.ReportOrg, error)
	Evaluations(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.Evaluation, error)
}

type evaluator interface {
	evaluationReader
	Evaluate(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.EvaluationInput) (registry.Grade, error)
}

type coverageExporter interface {
	ReportCoverage(ctx context.Context, scope portal.Scope, p registry.Period) ([]registry.ReportCoverage, error)
	AuditCoverageExport(ctx context.Context, actor portal.Actor, p registry.Period, format string, rows int) error
}

// Limits of the work-report and evaluation forms.
const (
	workReportSummaryMax = 4000
	workReportPlansMax   = 2000
	evaluationViewsMax   = 2000
	evaluationReasonMax  = 500
)

// handleWorkReportStatus is the committee's page: each live group, 已报送 or 未报送, this period and the last.
func handleWorkReportStatus(db workReportStatusReader, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		cur := registry.PeriodOf(time.Now())
		prev := cur.Prev()
		rows, err := db.CommunityReportStatus(r.Context(), a.Scope(), cur, prev)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		p := web.NewPage("定期工作报告", a, base+"/work-reports", takeFlashCtx(r))
		rs.render(w, r, http.StatusOK, web.WorkReportStatusPage(web.NewWorkReportStatusView(p, base, cur, prev, rows,
			len(rows) >= 1000)))
	}
}

// workReportForm builds the form for the group and period the query or form names: a group outside the
// community (or no longer live) or a period not yet begun is ErrNotFound.
func workReportForm(ctx context.Context, db workReportReader, a *portal.Account, base, orgParam, periodParam string) (web.WorkReportFormView, registry.ReportOrg, registry.Period, error) {
	id, ok := parseID(strings.TrimSpace(orgParam))
	p, pok := registry.ParsePeriod(periodParam)
	if !ok || !pok || p.After(registry.PeriodOf(time.Now())) {
		return web.WorkReportFormView{}, registry.ReportOrg{}, p, portal.ErrNotFound
	}
	o, err := db.ReportOrg(ctx, a.Scope(), id)
	if err == nil && !o.Live() {
		err = portal.ErrNotFound
	}
	if err != nil {
		return web.WorkReportFormView{}, o, p, err
	}
	versions, err := db.WorkReports(ctx, a.Scope(), id, p)
	if err != nil {
		return web.WorkReportFormView{}, o, p, err
	}
	list := base + "/work-reports"
	v := web.WorkReportFormView{Page: web.NewPage("报送工作报告", a, list, ""), Heading: "报送工作报告",
		Action: list, CancelHref: list, OrgID: o.ID, OrgName: o.Name, PeriodKey: p.Key(), PeriodLabel: p.Label(),
		Problems: map[string]string{}}
	v.Members.Value = strconv.Itoa(o.Members)
	if len(versions) > 0 {
		latest := versions[0]
		v.Heading, v.Page.Title, v.Revision = "更正工作报告", "更正工作报告", latest.Revision
		v.Summary.Value, v.Plans.Value = latest.Summary, latest.Plans
		v.Activities.Value, v.Members.Value = strconv.Itoa(latest.Activities), strconv.Itoa(latest.Members)
		for _, wr := range versions {
			v.Versions = append(v.Versions, web.NewWorkReportVersion(wr))
		}
	}
	return v, o, p, nil
}

func handleWorkReportNew(db workReportReader, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		v, _, _, err := workReportForm(r.Context(), db, accountFrom(r.Context()), base, q.Get("org"), q.Get("period"))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.WorkReportFormPage(v))
	}
}

// handleWorkReportSubmit records a report, or a correction of the period's report; the revision in the form is
// the one the committee saw, so a correction made meanwhile by a colleague gives 409 rather than being lost.
func handleWorkReportSubmit(db workReportSubmitter, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "提交的内容过多", "提交的内容超过了允许的大小，请精简后重试。")
			return
		}
		a := accountFrom(r.Context())
		f := r.PostForm
		v, o, p, err := workReportForm(r.Context(), db, a, base, f.Get("org"), f.Get("period"))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		fm := newForm(r)
		seen := fm.version("revision")
		if seen != v.Revision {
			rs.conflict(w, r)
			return
		}
		in := registry.WorkReportInput{OrgID: o.ID, Period: p, Revision: seen}
		in.Summary = fm.text("summary", "工作总结", workReportSummaryMax, true)
		v.Activities.Value, in.Activities = fm.count("activities", "开展活动次数", 0)
		v.Members.Value, in.Members = fm.count("members", "现有成员人数", 0)
		in.Plans = fm.text("plans", "存在问题和下步计划", workReportPlansMax, false)
		v.Summary.Value, v.Plans.Value = in.Summary, in.Plans
		if !fm.OK() {
			v.SetProblems(fm.Problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.WorkReportFormPage(v))
			return
		}
		rev, err := db.SubmitWorkReport(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), in,
			time.Now())
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		msg := "已报送"
		if rev > 1 {
			msg = "已更正"
		}
		putFlash(r, o.Name+p.Label()+"工作报告"+msg+"。")
		redirect(w, r, base+"/work-reports")
	}
}

// coverageView builds the town's or district's page for the period the query names (default: the previous
// period, the last one complete).
func coverageView(ctx context.Context, db workReportCoverage, a *portal.Account, base string, r *http.Request) (web.WorkReportCoverageView, error) {
	cur := registry.PeriodOf(time.Now())
	v := web.WorkReportCoverageView{Heading: "定期工作报告报送情况", Action: base + "/work-reports",
		ChildLabel: "村(社区)", Problems: map[string]string{}, MarkAction: base + "/work-reports/mark-abnormal"}
	if a.Tier == portal.TierDistrict {
		v.Heading, v.ChildLabel = "定期工作报告报送情况（全区）", "镇街"
	}
	p, ok := coveragePeriod(r, cur, &v.Period)
	if !ok {
		v.Problems["period"] = v.Period.Problem
	} else {
		v.ExportXLSX = withQuery(base+"/work-reports/export.xlsx", url.Values{"period": {p.Key()}})
	}
	v.PeriodOptions, v.PeriodLabel = web.PeriodOptions(cur, p), p.Label()
	cs, err := db.ReportCoverage(ctx, a.Scope(), p)
	if err != nil {
		return v, err
	}
	if a.Tier == portal.TierDistrict {
		if cs, err = openTownCoverage(ctx, db, base, p, r.URL.Query().Get("town"), cs, &v); err != nil {
			return v, err
		}
	}
	var live, missing int
	v.Rows, live, missing = web.NewCoverageRows(cs)
	v.Live, v.Missing = strconv.Itoa(live), strconv.Itoa(missing)
	if portal.Allowed(*a, portal.MarkAbnormal) {
		v.CanMark = true
		last := cur.Prev()
		var labels []string
		for i, q := 0, last; i < registry.MissedPeriodsForAbnormal; i, q = i+1, q.Prev() {
			labels = append([]string{q.Label()}, labels...)
		}
		v.MissedLabel = strings.Join(labels, "、")
		lapsed, err := db.LapsedOrgs(ctx, a.Scope(), last)
		if err != nil {
			return v, err
		}
		for _, l := range lapsed {
			v.Lapsed = append(v.Lapsed, web.LapsedRow{ID: l.ID, Name: l.Name, Community: l.CommunityName,
				OrgHref: base + "/orgs/" + itoa64(l.ID), Version: l.Version})
		}
	}
	return v, nil
}

// coveragePeriod is the period the query names, into f (default: the one before cur, the last one complete);
// a period that is not offered is refused with a message in f, and the default is used.
func coveragePeriod(r *http.Request, cur registry.Period, f *web.Field) (registry.Period, bool) {
	f.Value = strings.TrimSpace(r.URL.Query().Get("period"))
	if f.Value == "" {
		return cur.Prev(), true
	}
	if q, ok := registry.ParsePeriod(f.Value); ok && !q.After(cur) {
		return q, true
	}
	f.Problem = "请从列表中选择报告期"
	return cur.Prev(), false
}

// handleCoverageExport is the coverage table of a period — the rows of the page and their total — as a
// spreadsheet, recorded in the audit log.
func handleCoverageExport(db coverageExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		var f web.Field
		p, ok := coveragePeriod(r, registry.PeriodOf(time.Now()), &f)
		if !ok {
			rs.errorPage(w, r, http.StatusUnprocessableEntity, "报告期无效", f.Problem+"。")
			return
		}
		child := "村(社区)"
		if a.Tier == portal.TierDistrict {
			child = "镇街"
		}
		cs, err := db.ReportCoverage(r.Context(), a.Scope(), p)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		streamTable(w, r, rs, a, exportXLSX, "定期工作报告报送情况"+p.Label(), "work-report-coverage-"+p.Key(),
			"报送情况", web.CoverageExportHeader(child), func(t export.Table) error {
				var cells []any
				total := registry.ReportCoverage{Name: "合计"}
				for _, c := range cs {
					cells = web.CoverageExportCells(c, cells)
					if err := t.Row(cells); err != nil {
						return err
					}
					total.Live += c.Live
					total.Missing += c.Missing
				}
				if err := t.Row(web.CoverageExportCells(total, cells)); err != nil {
					return err
				}
				return db.AuditCoverageExport(r.Context(), portal.ActorOf(*a, clientIPFrom(r.Context())), p, "xlsx", len(cs))
			})
	}
}

func handleWorkReportCoverage(db workReportCoverage, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		v, err := coverageView(r.Context(), db, a, base, r)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v.Page = web.NewPage(v.Heading, a, base+"/work-reports", takeFlashCtx(r))
		status := http.StatusOK
		if len(v.Problems) > 0 {
			status = http.StatusUnprocessableEntity
		}
		rs.render(w, r, status, web.WorkReportCoveragePage(v))
	}
}

// handleMarkAbnormal is the town's 活动异常 for a group that missed its reports, with a reason. The version is
// the organization's as the officer saw it; a change meanwhile gives 409.
func handleMarkAbnormal(db abnormalMarker, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		a := accountFrom(r.Context())
		id, ok := parseID(strings.TrimSpace(r.PostFormValue("org")))
		if !ok {
			rs.notFound(w, r)
			return
		}
		version := newForm(r).version("version")
		if version < 0 {
			rs.conflict(w, r)
			return
		}
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		msg := ""
		switch c := utf8.RuneCountInString(reason); {
		case c == 0:
			msg = "请写明标记活动异常的原因"
		case c > 200:
			msg = "原因不能超过 200 字，现为 " + strconv.Itoa(c) + " 字"
		}
		if msg == "" {
			err := db.MarkAbnormal(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), id, version,
				reason, time.Now())
			if err != nil {
				rs.fail(w, r, err)
				return
			}
			putFlash(r, "已将该组织标记为活动异常。")
			redirect(w, r, base+"/work-reports")
			return
		}
		r.URL.RawQuery = ""
		v, err := coverageView(r.Context(), db, a, base, r)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v.Page = web.NewPage(v.Heading, a, base+"/work-reports", "")
		found := false
		for i := range v.Lapsed {
			if v.Lapsed[i].ID == id {
				v.Lapsed[i].Reason = web.Field{Value: reason, Problem: msg}
				found = true
			}
		}
		if !found {
			rs.fail(w, r, portal.ErrNotFound)
			return
		}
		v.Problems["reason"] = msg
		rs.render(w, r, http.StatusUnprocessableEntity, web.WorkReportCoveragePage(v))
	}
}

// evaluationForm builds the evaluation form for the group and year named: a group outside the community is
// ErrNotFound; the year defaults to the current one, and a year already evaluated is re-evaluated from its
// latest version.
func evaluationForm(ctx context.Context, db evaluationReader, a *portal.Account, base, orgParam, yearParam string) (web.EvaluationFormView, registry.ReportOrg, error) {
	id, ok := parseID(strings.TrimSpace(orgParam))
	if !ok {
		return web.EvaluationFormView{}, registry.ReportOrg{}, portal.ErrNotFound
	}
	thisYear := time.Now().In(beijing).Year()
	year := thisYear
	if yearParam != "" {
		y, err := strconv.Atoi(yearParam)
		if err != nil || y < registry.FirstReportYear || y > thisYear {
			return web.EvaluationFormView{}, registry.ReportOrg{}, portal.ErrNotFound
		}
		year = y
	}
	o, err := db.ReportOrg(ctx, a.Scope(), id)
	if err == nil && !o.Live() {
		err = portal.ErrNotFound
	}
	if err != nil {
		return web.EvaluationFormView{}, o, err
	}
	history, err := db.Evaluations(ctx, a.Scope(), id)
	if err != nil {
		return web.EvaluationFormView{}, o, err
	}
	sid := itoa64(id)
	v := web.EvaluationFormView{Page: web.NewPage("评估评议", a, base+"/work-reports", ""),
		Heading: "评估评议：" + o.Name, Action: base + "/evaluations", SwitchAction: base + "/evaluations/new",
		CancelHref: base + "/work-reports", HistoryHref: base + "/orgs/" + sid + "/evaluations", OrgID: id,
		OrgName: o.Name, Year: year, Problems: map[string]string{}, GradeOptions: web.GradeOptions("按得分评定", "")}
	for y := thisYear; y >= registry.FirstReportYear; y-- {
		v.YearOptions = append(v.YearOptions, web.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y) + "年度",
			Selected: y == year})
	}
	for _, d := range registry.EvaluationDimensions {
		v.Scores = append(v.Scores, web.ScoreField{Key: d.Key, Label: d.Label})
	}
	for _, e := range history { // the latest version first
		if e.Year != year {
			continue
		}
		label, _ := web.GradeLabel(e.Grade)
		v.Version, v.Current = e.Version, label
		for i := range v.Scores {
			v.Scores[i].Value = strconv.Itoa(e.Scores[v.Scores[i].Key])
		}
		v.Views.Value = e.Views
		break
	}
	return v, o, nil
}

func handleEvaluationNew(db evaluationReader, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		v, _, err := evaluationForm(r.Context(), db, accountFrom(r.Context()), base, q.Get("org"), q.Get("year"))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		rs.render(w, r, http.StatusOK, web.EvaluationFormPage(v))
	}
}

// handleEvaluationSubmit records an evaluation, or a re-evaluation of the year from the version the committee
// saw: two committee members re-evaluating at once give one new version and one 409.
func handleEvaluationSubmit(db evaluator, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			rs.errorPage(w, r, http.StatusRequestEntityTooLarge, "提交的内容过多", "提交的内容超过了允许的大小，请精简后重试。")
			return
		}
		a := accountFrom(r.Context())
		f := r.PostForm
		v, o, err := evaluationForm(r.Context(), db, a, base, f.Get("org"), f.Get("year"))
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		fm := newForm(r)
		seen := fm.version("version")
		if seen != v.Version {
			rs.conflict(w, r)
			return
		}
		problems := fm.Problems
		in := registry.EvaluationInput{OrgID: o.ID, Year: v.Year, Version: seen, Scores: map[string]int{}}
		for i := range v.Scores {
			s := &v.Scores[i]
			key := "score_" + s.Key
			s.Value = strings.TrimSpace(f.Get(key))
			n, err := strconv.Atoi(s.Value)
			switch {
			case s.Value == "":
				problems.Add(key, "请填写“"+s.Label+"”得分")
			case err != nil || n < 0 || n > 100:
				problems.Add(key, "“"+s.Label+"”得分应为 0 至 100 之间的整数")
			default:
				in.Scores[s.Key] = n
			}
		}
		in.Views = fm.text("views", "群众评议意见", evaluationViewsMax, false)
		v.Views.Value = in.Views
		v.Grade.Value = f.Get("grade")
		in.Grade = registry.Grade(v.Grade.Value)
		if in.Grade != "" && !in.Grade.Valid() {
			problems.Add("grade", "请从列表中选择等次")
			in.Grade = ""
		}
		v.GradeOptions = web.GradeOptions("按得分评定", in.Grade)
		in.OverrideReason = fm.text("override_reason", "调整理由", evaluationReasonMax, false)
		v.Reason.Value = in.OverrideReason
		if in.Grade != "" && len(in.Scores) == len(registry.EvaluationDimensions) &&
			in.Grade != registry.GradeOf(registry.Average(in.Scores)) && in.OverrideReason == "" {
			problems.Add("override_reason", "调整等次须写明理由（按得分应评为"+
				registry.GradeOf(registry.Average(in.Scores)).Label()+"）")
		}
		if !problems.OK() {
			v.SetProblems(problems)
			rs.render(w, r, http.StatusUnprocessableEntity, web.EvaluationFormPage(v))
			return
		}
		grade, err := db.Evaluate(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())), in)
		if errors.Is(err, registry.ErrOverrideReason) {
			v.SetProblems(map[string]string{"override_reason": "调整等次须写明理由"})
			rs.render(w, r, http.StatusUnprocessableEntity, web.EvaluationFormPage(v))
			return
		}
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		putFlash(r, o.Name+strconv.Itoa(v.Year)+"年度评估评议已提交，等次："+grade.Label()+"。")
		redirect(w, r, base+"/orgs/"+itoa64(o.ID)+"/evaluations")
	}
}

// handleEvaluationHistory is a group's evaluations, every version of every year; a group outside the caller's
// jurisdiction is 404.
func handleEvaluationHistory(db evaluationReader, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		id, ok := parseID(strings.TrimSpace(chi.URLParam(r, "id")))
		if !ok {
			rs.notFound(w, r)
			return
		}
		o, err := db.ReportOrg(r.Context(), a.Scope(), id)
		if err != nil {
			rs.fail(w, r, err)
			return
		}
		es, err := db.Evaluations(r.Context(), a.Scope(), id)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		sid := itoa64(id)
		v := web.EvaluationHistoryView{Page: web.NewPage(o.Name+" · 评估记录", a, base+"/evaluations", takeFlashCtx(r)),
			OrgName: o.Name, OrgHref: base + "/orgs/" + sid, Dimensions: web.DimensionLabels()}
		if portal.Allowed(*a, portal.SubmitEvaluations) {
			v.NewHref = base + "/evaluations/new?org=" + sid
		}
		for _, e := range es {
			v.Rows = append(v.Rows, web.NewEvaluationRow(e, base))
		}
		rs.render(w, r, http.StatusOK, web.EvaluationHistoryPage(v))
	}
}
