package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/yubei-cso/portal/internal/export"
	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
	"github.com/yubei-cso/portal/internal/rules"
	"github.com/yubei-cso/portal/web"
)

type evaluationLister interface {
	orgFilterDivisions
	LatestEvaluations(ctx context.Context, scope portal.Scope, f registry.EvaluationFilter, limit int) ([]registry.Evaluation, error)
}

type evaluationExporter interface {
	orgFilterDivisions
	ExportEvaluations(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.EvaluationFilter, format string,
		fn func(registry.Evaluation) error) (int, error)
}

// firstEvaluationYear is the first year of 评估评议 the year filter offers (the plan's first year).
const firstEvaluationYear = 2021

// evaluationQuery is the evaluation list's filter as typed and as the store takes it.
type evaluationQuery struct {
	filter    registry.EvaluationFilter
	divisions web.DivisionFilter
	grade     web.Field
	year      web.Field
	problems  rules.Problems
}

// readEvaluationQuery reads the grade, town, community and year filters and the page's cursor; a refused value
// gets its message and is left out of the filter.
func readEvaluationQuery(ctx context.Context, db orgFilterDivisions, a *portal.Account, q url.Values) (evaluationQuery, error) {
	eq := evaluationQuery{problems: rules.Problems{}}
	var err error
	eq.divisions, eq.filter.TownCode, eq.filter.CommunityCode, err = readDivisionFilter(ctx, db, a, q, eq.problems)
	if err != nil {
		return eq, err
	}
	eq.grade.Value = strings.TrimSpace(q.Get("grade"))
	if g := registry.Grade(eq.grade.Value); g == "" || g.Valid() {
		eq.filter.Grade = g
	} else {
		eq.grade.Problem = "请从列表中选择等次"
		eq.problems["grade"] = eq.grade.Problem
	}
	eq.year.Value = strings.TrimSpace(q.Get("year"))
	if y, err := strconv.Atoi(eq.year.Value); eq.year.Value != "" && (err != nil || y < firstEvaluationYear ||
		y > time.Now().In(beijing).Year()) {
		eq.year.Problem = "请从列表中选择年度"
		eq.problems["year"] = eq.year.Problem
	} else {
		eq.filter.Year = y
	}
	if id, err := strconv.ParseInt(q.Get("after_id"), 10, 64); err == nil && id > 0 {
		eq.filter.After = registry.EvaluationCursor{Community: q.Get("after_community"), Name: q.Get("after_name"),
			OrgID: id}
	}
	return eq, nil
}

// values is the filter as a query string, without the cursor.
func (eq evaluationQuery) values() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"grade": string(eq.filter.Grade), "town": eq.filter.TownCode,
		"community": eq.filter.CommunityCode} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if eq.filter.Year != 0 {
		q.Set("year", strconv.Itoa(eq.filter.Year))
	}
	return q
}

// yearOptions are the years of 评估评议, the latest first.
func yearOptions(selected int) []web.Option {
	out := []web.Option{{Value: "", Label: "各组织最近一次", Selected: selected == 0}}
	for y := time.Now().In(beijing).Year(); y >= firstEvaluationYear; y-- {
		out = append(out, web.Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y) + "年度", Selected: y == selected})
	}
	return out
}

// handleEvaluationList is the latest grade of every evaluated group inside the caller's jurisdiction, filtered
// by grade, town, community and year, EvaluationListLimit to a page with a link to the next.
func handleEvaluationList(db evaluationLister, paths web.Paths, rs *responder) http.HandlerFunc {
	base := paths.Root()
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		heading := "评估评议结果"
		if a.Tier == portal.TierDistrict {
			heading = "评估评议结果（全区）"
		}
		eq, err := readEvaluationQuery(r.Context(), db, a, r.URL.Query())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		v := web.EvaluationListView{Page: web.NewPage(heading, a, base+"/evaluations", takeFlashCtx(r)),
			Heading: heading, Action: base + "/evaluations", Problems: eq.problems,
			Dimensions: web.DimensionLabels(), Grade: eq.grade, Year: eq.year, Divisions: eq.divisions,
			GradeOptions: web.GradeOptions("全部", eq.filter.Grade), YearOptions: yearOptions(eq.filter.Year)}
		es, err := db.LatestEvaluations(r.Context(), a.Scope(), eq.filter, registry.EvaluationListLimit+1)
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		q := eq.values()
		if len(es) > registry.EvaluationListLimit {
			es = es[:registry.EvaluationListLimit]
			last := es[len(es)-1]
			next := eq.values()
			next.Set("after_community", last.CommunityCode)
			next.Set("after_name", last.OrgName)
			next.Set("after_id", strconv.FormatInt(last.OrgID, 10))
			v.NextHref = withQuery(base+"/evaluations", next)
		}
		if eq.filter.After.OrgID != 0 {
			v.FirstHref = withQuery(base+"/evaluations", q)
		}
		for _, e := range es {
			v.Rows = append(v.Rows, web.NewEvaluationRow(e, base))
		}
		status := http.StatusOK
		if len(v.Problems) > 0 {
			status = http.StatusUnprocessableEntity
		} else {
			v.ExportXLSX = withQuery(base+"/evaluations/export.xlsx", q)
		}
		rs.render(w, r, status, web.EvaluationListPage(v))
	}
}

// handleEvaluationExport is the evaluation list — the latest grade of every evaluated group inside the caller's
// jurisdiction, with the same filters and without the page's limit — streamed as a spreadsheet; every text
// cell is neutralised against formulas and one audit row records the export.
func handleEvaluationExport(db evaluationExporter, rs *responder) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := accountFrom(r.Context())
		eq, err := readEvaluationQuery(r.Context(), db, a, r.URL.Query())
		if err != nil {
			rs.serverError(w, r, err)
			return
		}
		if !eq.problems.OK() {
			rs.errorPage(w, r, http.StatusUnprocessableEntity, "筛选条件无效", "请从列表中选择等次、镇街、社区(村)和年度。")
			return
		}
		header := web.EvaluationExportHeader()
		streamTable(w, r, rs, a, exportXLSX, "评估评议结果", "evaluations", "评估评议", header,
			func(t export.Table) error {
				cells := make([]any, 0, len(header))
				_, err := db.ExportEvaluations(r.Context(), a.Scope(), portal.ActorOf(*a, clientIPFrom(r.Context())),
					eq.filter, string(exportXLSX), func(e registry.Evaluation) error {
						cells = web.EvaluationExportCells(e, cells)
						return t.Row(cells)
					})
				return err
			})
	}
}
