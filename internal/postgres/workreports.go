package postgres

// 定期工作报告 and 评估评议: the periodic work reports a 村(居)委会 submits for its groups, who has not reported,
// the yearly evaluations with their grade, and marking a group that keeps missing reports 活动异常.

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// reportZone is 北京时间, in which periods begin and end.
var reportZone = portal.Beijing

// reportableOrg checks inside tx that orgID is a live group inside scope.
func reportableOrg(ctx context.Context, tx pgx.Tx, scope portal.Scope, orgID int64) (string, error) {
	var community string
	err := tx.QueryRow(ctx, `SELECT o.community_code FROM organizations o
		WHERE o.id = @id AND o.status IN ('normal', 'abnormal') AND `+scopeOn("o")+` FOR SHARE OF o`,
		scopeArgs(scope, namedArgs{"id": orgID})).Scan(&community)
	return community, err
}

// SubmitWorkReport records the committee's report for one of its live groups. A report for a period already
// reported is a correction: in.Revision must be the latest revision (else ErrConflict) and the earlier ones stay
// as its history. A group outside scope or no longer live is ErrNotFound; a period not yet begun is
// ErrPeriodAhead. It returns the revision written.
func (db *DB) SubmitWorkReport(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.WorkReportInput, now time.Time) (int, error) {
	if !portal.Can(scope.Tier, portal.SubmitWorkReports) {
		return 0, portal.ErrNotAllow
	}
	if !in.Period.Valid() {
		return 0, portal.ErrNotFound
	}
	if in.Period.After(registry.PeriodOf(now)) {
		return 0, registry.ErrPeriodAhead
	}
	rev := in.Revision + 1
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := reportableOrg(ctx, tx, scope, in.OrgID); err != nil {
			return err
		}
		var id int64
		// The revision must follow the latest exactly; two committees correcting at once both write the same
		// revision and the unique key lets one through.
		err := tx.QueryRow(ctx, `
			INSERT INTO work_reports (org_id, district_code, town_code, community_code, period_year, period_no,
				revision, summary, activities, members, plans, submitted_by, submitted_at)
			SELECT o.id, o.district_code, o.town_code, o.community_code, @year, @no,
				@revision, @summary, @activities, @members, @plans, @by, @now
			FROM organizations o
			WHERE o.id = @org_id AND `+scopeOn("o")+`
			  AND (SELECT coalesce(max(w.revision), 0) FROM work_reports w
			       WHERE w.org_id = o.id AND w.period_year = @year AND w.period_no = @no) = @seen
			RETURNING id`,
			scopeArgs(scope, namedArgs{"org_id": in.OrgID, "year": in.Period.Year, "no": in.Period.Half,
				"revision": rev, "seen": in.Revision, "summary": in.Summary, "activities": in.Activities,
				"members": in.Members, "plans": in.Plans, "by": noticeActorID(actor), "now": now})).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return portal.ErrConflict
		}
		if err != nil {
			return err
		}
		action := "workreport.submit"
		if rev > 1 {
			action = "workreport.correct"
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: action, ObjectType: "work_report",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: "组织 " + strconv.FormatInt(in.OrgID, 10) + " " + in.Period.Label() + " 第 " + strconv.Itoa(rev) + " 版"})
	})
	if err != nil {
		return 0, conflictOnUnique(err)
	}
	return rev, nil
}

// conflictOnUnique translates err, a unique violation (another writer took the same revision) as ErrConflict.
func conflictOnUnique(err error) error {
	err = translate(err)
	var ue *uniqueError
	if errors.As(err, &ue) {
		return portal.ErrConflict
	}
	return err
}

// WorkReports is every revision of a group's report for period inside scope, the latest first. A group outside
// scope has none.
func (db *DB) WorkReports(ctx context.Context, scope portal.Scope, orgID int64, p registry.Period) ([]registry.WorkReport, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT w.id, w.org_id, o.name, w.period_year, w.period_no, w.revision, w.summary, w.activities, w.members,
			w.plans, coalesce(a.display_name, '') AS by_name, coalesce(a.username, '') AS by_username, w.submitted_at
		FROM work_reports w JOIN organizations o ON o.id = w.org_id
		LEFT JOIN accounts a ON a.id = w.submitted_by
		WHERE w.org_id = @org_id AND w.period_year = @year AND w.period_no = @no AND `+scopeOn("o")+`
		ORDER BY w.revision DESC`,
		scopeArgs(scope, namedArgs{"org_id": orgID, "year": p.Year, "no": p.Half}))
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.WorkReport, error) {
		var w registry.WorkReport
		err := row.Scan(&w.ID, &w.OrgID, &w.OrgName, &w.Period.Year, &w.Period.Half, &w.Revision, &w.Summary,
			&w.Activities, &w.Members, &w.Plans, &w.SubmittedByName, &w.SubmittedByUsername, &w.SubmittedAt)
		return w, err
	})
	return out, translate(err)
}

// ReportOrg is one group inside scope, live or not; any other id is ErrNotFound.
func (db *DB) ReportOrg(ctx context.Context, scope portal.Scope, id int64) (registry.ReportOrg, error) {
	var o registry.ReportOrg
	err := db.pool(planFresh).QueryRow(ctx, `SELECT o.id, o.name, c.name, o.status, o.members, o.version
		FROM organizations o JOIN divisions c ON c.code = o.community_code
		WHERE o.id = @id AND `+scopeOn("o"),
		scopeArgs(scope, namedArgs{"id": id})).Scan(&o.ID, &o.Name, &o.CommunityName, &o.Status, &o.Members,
		&o.Version)
	return o, translate(err)
}

// reportListLimit caps one community's list of groups.
const reportListLimit = 1000

// CommunityReportStatus lists the live groups inside scope, by name, with the latest revision of their reports
// for cur and prev (0: none): the committee's 已报送 / 未报送 page, one query.
func (db *DB) CommunityReportStatus(ctx context.Context, scope portal.Scope, cur, prev registry.Period) ([]registry.ReportStatus, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT o.id, o.name, o.status,
			coalesce(max(w.revision) FILTER (WHERE w.period_year = @cy AND w.period_no = @cn), 0) AS cur_rev,
			coalesce(max(w.revision) FILTER (WHERE w.period_year = @py AND w.period_no = @pn), 0) AS prev_rev
		FROM organizations o
		LEFT JOIN work_reports w ON w.org_id = o.id
			AND (w.period_year = @cy AND w.period_no = @cn OR w.period_year = @py AND w.period_no = @pn)
		WHERE o.status IN ('normal', 'abnormal') AND `+scopeOn("o")+`
		GROUP BY o.id, o.name, o.status
		ORDER BY o.name, o.id
		LIMIT @limit`,
		scopeArgs(scope, namedArgs{"cy": cur.Year, "cn": cur.Half, "py": prev.Year, "pn": prev.Half,
			"limit": reportListLimit}))
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (registry.ReportStatus, error) {
		var s registry.ReportStatus
		err := row.Scan(&s.OrgID, &s.Name, &s.Status, &s.CurrentRev, &s.PrevRev)
		return s, err
	})
	return out, translate(err)
}

// ReportCoverage counts, per division one level below scope (communities of a town, towns of the district), the
// live groups and those without a report for p (a retired 社区/村 is not listed). Both numbers come from counts that triggers keep per community
// (org_counts for the live groups, work_report_counts for those that reported; migration 0012), so the
// district's page sums a few thousand rows instead of joining every group with its reports. Its plan is the
// same whatever the arguments (small tables read whole), so it keeps its plan (planKept) rather than being
// planned again for every request, which had cost a large share of its time.
func (db *DB) ReportCoverage(ctx context.Context, scope portal.Scope, p registry.Period) ([]registry.ReportCoverage, error) {
	child := scope.Tier.Below()
	if child == "" {
		return nil, portal.ErrNotAllow
	}
	var out []registry.ReportCoverage
	b := &pgx.Batch{}
	queueReportCoverage(b, scope, p, &out)
	return out, db.send(ctx, planKept, b)
}

// queueReportCoverage queues ReportCoverage's statement on b (planKept), to fill out; scope's tier has a tier
// below it.
func queueReportCoverage(b *pgx.Batch, scope portal.Scope, p registry.Period, out *[]registry.ReportCoverage) {
	child := scope.Tier.Below()
	codeLen := 12
	if child == portal.TierTown {
		codeLen = 9
	}
	b.Queue(`
		SELECT d.code, d.name, coalesce(l.n, 0)::int AS live, (coalesce(l.n, 0) - coalesce(w.n, 0))::int AS missing
		FROM divisions d
		LEFT JOIN (SELECT left(k.community_code, @len) AS code, sum(k.n) AS n FROM org_counts k
			WHERE k.status IN ('normal', 'abnormal') AND `+scopeWithin("k.community_code")+`
			GROUP BY 1) l ON l.code = d.code
		LEFT JOIN (SELECT left(k.community_code, @len) AS code, sum(k.n) AS n FROM work_report_counts k
			WHERE k.period_year = @year AND k.period_no = @no AND `+scopeWithin("k.community_code")+`
			GROUP BY 1) w ON w.code = d.code
		WHERE d.level = @child AND d.retired_at IS NULL AND `+scopeWithin("d.code")+`
		ORDER BY d.code`,
		scopeArgs(scope, namedArgs{"child": string(child), "len": codeLen, "year": p.Year, "no": p.Half})).
		Query(func(rows pgx.Rows) (err error) {
			*out, err = pgx.CollectRows(rows, pgx.RowToStructByName[registry.ReportCoverage])
			return err
		})
}

// RecountReportCoverage is ReportCoverage counted from the organizations and reports themselves, the way the
// kept counts must agree with: for tests and for checking a database by hand, never for a page.
func (db *DB) RecountReportCoverage(ctx context.Context, scope portal.Scope, p registry.Period) ([]registry.ReportCoverage, error) {
	child := scope.Tier.Below()
	if child == "" {
		return nil, portal.ErrNotAllow
	}
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT d.code, d.name, count(o.id)::int AS live, count(o.id) FILTER (WHERE w.org_id IS NULL)::int AS missing
		FROM divisions d
		LEFT JOIN organizations o ON o.status IN ('normal', 'abnormal') AND `+scopeOn("o")+`
			AND (@child = 'town' AND o.town_code = d.code OR @child = 'community' AND o.community_code = d.code)
		LEFT JOIN work_reports w ON w.org_id = o.id AND w.period_year = @year AND w.period_no = @no
			AND w.revision = 1
		WHERE d.level = @child AND d.retired_at IS NULL AND `+scopeWithin("d.code")+`
		GROUP BY d.code, d.name
		ORDER BY d.code`,
		scopeArgs(scope, namedArgs{"child": string(child), "year": p.Year, "no": p.Half}))
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.ReportCoverage])
	return out, translate(err)
}

// LapsedOrgs lists the groups inside scope still 正常 that have no report for any of the MissedPeriodsForAbnormal
// periods ending with last, and that existed before the first of them began: those a town may mark 活动异常.
func (db *DB) LapsedOrgs(ctx context.Context, scope portal.Scope, last registry.Period) ([]registry.LapsedOrg, error) {
	first := last
	for i := 1; i < registry.MissedPeriodsForAbnormal; i++ {
		first = first.Prev()
	}
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT o.id, o.name, c.name AS community_name, o.version
		FROM organizations o JOIN divisions c ON c.code = o.community_code
		WHERE o.status = 'normal' AND `+scopeOn("o")+` AND o.created_at < @since
		  AND NOT EXISTS (SELECT 1 FROM work_reports w WHERE w.org_id = o.id AND w.revision = 1
			AND (w.period_year, w.period_no) >= (@fy, @fn) AND (w.period_year, w.period_no) <= (@ly, @ln))
		ORDER BY o.community_code, o.name, o.id
		LIMIT @limit`,
		scopeArgs(scope, namedArgs{"since": first.Start(), "fy": first.Year, "fn": first.Half, "ly": last.Year,
			"ln": last.Half, "limit": reportListLimit}))
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.LapsedOrg])
	return out, translate(err)
}

// MarkAbnormal is the town's 活动异常 for a group inside scope that missed its reports: the status change, a
// timeline row with the reason and an audit row, in one transaction. version is the organization's version the
// officer saw; a different one, or a group no longer 正常, is ErrConflict.
func (db *DB) MarkAbnormal(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int, reason string, now time.Time) error {
	if !portal.Can(scope.Tier, portal.MarkAbnormal) {
		return portal.ErrNotAllow
	}
	if reason == "" {
		return registry.ErrReasonRequired
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var community string
		err := tx.QueryRow(ctx, `
			UPDATE organizations o SET status = 'abnormal', status_on = @on, status_reason = @reason,
				updated_at = @now, version = o.version + 1
			WHERE o.id = @id AND o.version = @version AND o.status = 'normal' AND `+scopeOn("o")+`
			RETURNING o.community_code`,
			scopeArgs(scope, namedArgs{"id": id, "version": version, "reason": reason, "now": now,
				"on": now.In(reportZone)})).Scan(&community)
		if errors.Is(err, pgx.ErrNoRows) {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM organizations o WHERE o.id = @id AND `+
				scopeOn("o")+`)`, scopeArgs(scope, namedArgs{"id": id})).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return portal.ErrNotFound
			}
			return portal.ErrConflict
		}
		if err != nil {
			return err
		}
		if err := insertEvent(ctx, tx, actor, id, community, "status_changed", "normal", "abnormal", reason); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "org.status", ObjectType: "organization",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: "normal → abnormal（未按期报送工作报告）"})
	})
	if errors.Is(err, registry.ErrReasonRequired) {
		return err
	}
	return translate(err)
}

// 评估评议

// Evaluate records the committee's evaluation of one of its live groups for a year, the grade computed from the
// average unless in.Grade overrides it with a reason (ErrOverrideReason). Re-evaluating a year is a new version:
// in.Version must be the latest (else ErrConflict), and earlier versions stay as history. It returns the grade.
func (db *DB) Evaluate(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.EvaluationInput) (registry.Grade, error) {
	if !portal.Can(scope.Tier, portal.SubmitEvaluations) {
		return "", portal.ErrNotAllow
	}
	if len(in.Scores) != len(registry.EvaluationDimensions) {
		return "", portal.ErrNotAllow
	}
	for _, d := range registry.EvaluationDimensions {
		if s, ok := in.Scores[d.Key]; !ok || s < 0 || s > 100 {
			return "", portal.ErrNotAllow
		}
	}
	avg := registry.Average(in.Scores)
	computed := registry.GradeOf(avg)
	grade := computed
	if in.Grade != "" && in.Grade != computed {
		if !in.Grade.Valid() {
			return "", portal.ErrNotAllow
		}
		if in.OverrideReason == "" {
			return "", registry.ErrOverrideReason
		}
		grade = in.Grade
	}
	reason := in.OverrideReason
	if grade == computed {
		reason = ""
	}
	scores, err := json.Marshal(in.Scores)
	if err != nil {
		return "", err
	}
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := reportableOrg(ctx, tx, scope, in.OrgID); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO evaluations (org_id, district_code, town_code, community_code, year, version, scores,
				average, computed_grade, grade, override_reason, views, evaluated_by)
			SELECT o.id, o.district_code, o.town_code, o.community_code, @year, @version, @scores,
				@average, @computed, @grade, @reason, @views, @by
			FROM organizations o
			WHERE o.id = @org_id AND `+scopeOn("o")+`
			  AND (SELECT coalesce(max(e.version), 0) FROM evaluations e
			       WHERE e.org_id = o.id AND e.year = @year) = @seen
			RETURNING id`,
			scopeArgs(scope, namedArgs{"org_id": in.OrgID, "year": in.Year, "version": in.Version + 1,
				"seen": in.Version, "scores": string(scores), "average": avg, "computed": string(computed),
				"grade": string(grade), "reason": reason, "views": in.Views, "by": noticeActorID(actor)})).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return portal.ErrConflict
		}
		if err != nil {
			return err
		}
		detail := "组织 " + strconv.FormatInt(in.OrgID, 10) + " " + strconv.Itoa(in.Year) + "年度 第 " +
			strconv.Itoa(in.Version+1) + " 版：" + grade.Label()
		if grade != computed {
			detail += "（调整自" + computed.Label() + "）"
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "evaluation.submit", ObjectType: "evaluation",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK, Detail: detail})
	})
	if err != nil {
		return "", conflictOnUnique(err)
	}
	return grade, nil
}

const evaluationColumns = `e.id, e.org_id, o.name AS org_name, t.name AS town_name, c.name AS community_name,
	o.community_code,
	e.year, e.version, e.scores, e.average::float8 AS average, e.computed_grade, e.grade, e.override_reason,
	e.views, coalesce(a.display_name, '') AS evaluated_by, coalesce(a.username, '') AS evaluated_by_username,
	e.evaluated_at`

// latestColumns are evaluationColumns as the LatestEvaluations subquery names them.
const latestColumns = `id, org_id, org_name, town_name, community_name, community_code, year, version, scores, average,
	computed_grade, grade, override_reason, views, evaluated_by, evaluated_by_username, evaluated_at`

const evaluationFrom = `FROM evaluations e JOIN organizations o ON o.id = e.org_id
	JOIN divisions t ON t.code = o.town_code
	JOIN divisions c ON c.code = o.community_code
	LEFT JOIN accounts a ON a.id = e.evaluated_by`

func scanEvaluation(row pgx.CollectableRow) (registry.Evaluation, error) {
	var e registry.Evaluation
	var scores []byte
	var computed, grade string
	err := row.Scan(&e.ID, &e.OrgID, &e.OrgName, &e.TownName, &e.CommunityName, &e.CommunityCode, &e.Year, &e.Version, &scores,
		&e.Average, &computed, &grade, &e.OverrideReason, &e.Views, &e.EvaluatedBy, &e.EvaluatedByUsername,
		&e.EvaluatedAt)
	if err != nil {
		return e, err
	}
	e.ComputedGrade, e.Grade = registry.Grade(computed), registry.Grade(grade)
	return e, json.Unmarshal(scores, &e.Scores)
}

// Evaluations is the evaluation history of a group inside scope: every version of every year, the latest year
// and version first. A group outside scope has none (callers check the group first, to answer 404).
func (db *DB) Evaluations(ctx context.Context, scope portal.Scope, orgID int64) ([]registry.Evaluation, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+evaluationColumns+` `+evaluationFrom+`
		WHERE e.org_id = @org_id AND `+scopeOn("o")+`
		ORDER BY e.year DESC, e.version DESC`, scopeArgs(scope, namedArgs{"org_id": orgID}))
	out, err := pgx.CollectRows(rows, scanEvaluation)
	return out, translate(err)
}

// latestEvaluationsQuery is, for each group inside scope that has been evaluated, its latest evaluation (latest
// year, or the latest version of @year), narrowed by @grade, @town and @community, by community and name after
// the cursor (@after_*); @limit 0 is no limit.
func latestEvaluationsQuery() string {
	return `SELECT ` + latestColumns + ` FROM (
		SELECT DISTINCT ON (e.org_id) ` + evaluationColumns + `
		` + evaluationFrom + `
		WHERE ` + scopeOn("o") + ` AND (@town = '' OR o.town_code = @town)
			AND (@community = '' OR o.community_code = @community) AND (@year::int = 0 OR e.year = @year::int)
		ORDER BY e.org_id, e.year DESC, e.version DESC) latest
	WHERE (@grade = '' OR latest.grade = @grade)
		AND (@after_id::bigint = 0 OR (latest.community_code, latest.org_name, latest.org_id) >
			(@after_community::text, @after_name::text, @after_id::bigint))
	ORDER BY latest.community_code, latest.org_name, latest.org_id
	LIMIT nullif(@limit::int, 0)`
}

func latestEvaluationsArgs(scope portal.Scope, f registry.EvaluationFilter, limit int) namedArgs {
	return scopeArgs(scope, namedArgs{"grade": string(f.Grade), "town": f.TownCode,
		"community": f.CommunityCode, "year": f.Year, "after_community": f.After.Community,
		"after_name": f.After.Name, "after_id": f.After.OrgID, "limit": limit})
}

// LatestEvaluations lists one page of the latest evaluation of each evaluated group inside scope that matches
// f, by community and name after f's cursor: at most limit rows (ask one more than a page shows to learn
// whether there is a next page).
func (db *DB) LatestEvaluations(ctx context.Context, scope portal.Scope, f registry.EvaluationFilter, limit int) ([]registry.Evaluation, error) {
	rows, _ := db.pool(planFresh).Query(ctx, latestEvaluationsQuery(), latestEvaluationsArgs(scope, f, limit))
	out, err := pgx.CollectRows(rows, scanEvaluation)
	return out, translate(err)
}

// ExportEvaluations calls fn with the latest evaluation of every evaluated group inside scope (optionally only
// those with grade), in the list's order and without its cap, one row at a time, and then writes one audit row
// ("evaluation.export") with the count — written even when the export fails half-way, since rows already sent
// have left the registry all the same.
func (db *DB) ExportEvaluations(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.EvaluationFilter, format string, fn func(registry.Evaluation) error) (int, error) {
	f.After = registry.EvaluationCursor{}
	filter := "全部"
	if f.Grade != "" {
		filter = "grade=" + string(f.Grade)
	}
	if f.TownCode != "" || f.CommunityCode != "" || f.Year != 0 {
		filter += " town=" + f.TownCode + " community=" + f.CommunityCode + " year=" + strconv.Itoa(f.Year)
	}
	return db.auditedExport(ctx, actor, exportAudit{action: "evaluation.export", objectType: "evaluation",
		format: format, filter: filter}, func() (int, error) {
		return eachRow(ctx, db, latestEvaluationsQuery(),
			[]any{latestEvaluationsArgs(scope, f, 0)}, scanEvaluation, fn)
	})
}

// AuditCoverageExport records that the coverage table of period p inside scope was exported.
func (db *DB) AuditCoverageExport(ctx context.Context, actor portal.Actor, p registry.Period, format string, rows int) error {
	return translate(db.Audit(context.WithoutCancel(ctx), portal.AuditEntry{Actor: actor, Action: "workreport.coverage_export",
		ObjectType: "work_report", Result: portal.ResultOK, Detail: format + " " + strconv.Itoa(rows) + " 行; period=" + p.Key()}))
}
