package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// districtOf is the district whose settings apply inside scope: codes nest, so it is the first six digits.
func districtOf(scope portal.Scope) string {
	if len(scope.Division) < 6 {
		return ""
	}
	return scope.Division[:6]
}

// DeadlineSettings reads the periods of scope's district, or the defaults (version 0) while it has set none.
func (db *DB) DeadlineSettings(ctx context.Context, scope portal.Scope) (registry.DeadlineSettings, error) {
	s := registry.DefaultDeadlines()
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT review_days, report_grace_days, version, updated_at FROM deadline_settings WHERE district_code = $1`,
		districtOf(scope)).Scan(&s.ReviewDays, &s.ReportGraceDays, &s.Version, &s.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return registry.DefaultDeadlines(), nil
	}
	return s, translate(err)
}

// SetDeadlineSettings saves the district's periods, audited. version is the settings' version as the clerk saw
// them (0 while never set): settings changed since are ErrConflict and nothing is written.
func (db *DB) SetDeadlineSettings(ctx context.Context, scope portal.Scope, actor portal.Actor, s registry.DeadlineSettings, version int) error {
	if scope.Tier != portal.TierDistrict || len(scope.Division) != 6 {
		return portal.ErrNotAllow
	}
	return pgx.BeginFunc(ctx, db.pool(planFresh), func(tx pgx.Tx) error {
		args := pgx.NamedArgs{"code": scope.Division, "review": s.ReviewDays, "grace": s.ReportGraceDays,
			"by": nullID(actor.AccountID), "version": version}
		sql := `UPDATE deadline_settings SET review_days = @review, report_grace_days = @grace, updated_by = @by,
				updated_at = now(), version = version + 1
			WHERE district_code = @code AND version = @version`
		if version == 0 {
			sql = `INSERT INTO deadline_settings (district_code, review_days, report_grace_days, updated_by)
				VALUES (@code, @review, @grace, @by) ON CONFLICT (district_code) DO NOTHING`
		}
		tag, err := tx.Exec(ctx, sql, args)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() == 0 {
			return portal.ErrConflict
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "deadlines.set", ObjectType: "division",
			ObjectID: scope.Division, Result: portal.ResultOK,
			Detail: "审查期限=" + strconv.Itoa(s.ReviewDays) + "天 报送宽限=" + strconv.Itoa(s.ReportGraceDays) + "天"})
	})
}

// DueWork lists what is waiting inside scope of the kinds in want, each kind oldest (soonest due) first and at
// most registry.DueItemsPerKind of it. Every read is an indexed range over open rows, or the kept counts per
// community (org_counts, work_report_counts), so its cost does not grow with the registry; only a committee's
// own evaluations read its groups, one community's worth.
func (db *DB) DueWork(ctx context.Context, scope portal.Scope, want registry.DueWant, set registry.DeadlineSettings, now time.Time) ([]registry.DueItem, error) {
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	var out []registry.DueItem
	same := func(t time.Time) time.Time { return t }
	// Each kind of open record: whether it is wanted, its rows oldest first, and its due time from theirs.
	for _, k := range []struct {
		on   bool
		kind registry.DueKind
		sql  string
		due  func(time.Time) time.Time
	}{
		{want.Applications, registry.DueApplication, `SELECT id, name, submitted_at FROM applications a
			WHERE status IN ('submitted', 'accepted') AND ` + scopeOn("a") + ` ORDER BY submitted_at, id`, set.ReviewDue},
		{want.Filings, registry.DueFiling, `SELECT id, name, submitted_at FROM filings a
			WHERE status = 'submitted' AND ` + scopeOn("a") + ` ORDER BY submitted_at, id`, set.ReviewDue},
		{want.NoticeReviews, registry.DueNoticeReview, `SELECT id, title, starts_at FROM major_activities a
			WHERE status = 'submitted' AND ` + scopeOn("a") + ` ORDER BY starts_at, id`, same},
		{want.NoticeChanges, registry.DueNoticeChanges, `SELECT id, title, starts_at FROM major_activities a
			WHERE status = 'changes_requested' AND ` + scopeOn("a") + ` ORDER BY starts_at, id`, same},
	} {
		if !k.on {
			continue
		}
		rows, _ := db.pool(planFresh).Query(ctx, k.sql+` LIMIT @limit`,
			scopeArgs(scope, pgx.NamedArgs{"limit": registry.DueItemsPerKind}))
		var id int64
		var title string
		var at time.Time
		if _, err := pgx.ForEachRow(rows, []any{&id, &title, &at}, func() error {
			out = append(out, registry.DueItem{Kind: k.kind, ID: id, Title: title, Count: 1, Due: k.due(at)})
			return nil
		}); err != nil {
			return nil, translate(err)
		}
	}
	if want.WorkReports {
		items, err := db.dueReports(ctx, scope, want.DivisionCounts, set, now)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	if want.Evaluations && scope.Tier == portal.TierCommunity {
		items, err := db.dueEvaluations(ctx, scope, now)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

// dueReports counts the live groups without a first revision for the last period that has ended (due its end
// plus the grace): inside scope, summed from the divisions one level below (the coverage page lists them), or the
// own community's.
func (db *DB) dueReports(ctx context.Context, scope portal.Scope, perDivision bool, set registry.DeadlineSettings, now time.Time) ([]registry.DueItem, error) {
	p := registry.PeriodOf(now).Prev()
	due := set.ReportDue(p)
	title := p.Label() + "定期工作报告"
	if perDivision {
		rows, err := db.ReportCoverage(ctx, scope, p)
		if err != nil {
			return nil, err
		}
		it := registry.DueItem{Kind: registry.DueWorkReport, Division: scope.Division, Period: p.Key(), Due: due}
		divisions := 0
		for _, r := range rows {
			if r.Missing > 0 {
				it.Count += r.Missing
				divisions++
			}
		}
		if divisions == 0 {
			return nil, nil
		}
		below := "村(社区)"
		if scope.Tier == portal.TierDistrict {
			below = "镇街"
		}
		it.Title = title + "（" + strconv.Itoa(divisions) + " 个" + below + "有未报送）"
		return []registry.DueItem{it}, nil
	}
	var missing int
	err := db.pool(planFresh).QueryRow(ctx, `
		SELECT coalesce((SELECT sum(n) FROM org_counts WHERE community_code = @scope_div
				AND status IN ('normal', 'abnormal')), 0)
			- coalesce((SELECT sum(n) FROM work_report_counts WHERE community_code = @scope_div
				AND period_year = @year AND period_no = @no), 0)`,
		scopeArgs(scope, pgx.NamedArgs{"year": p.Year, "no": p.Half})).Scan(&missing)
	if err != nil || missing <= 0 {
		return nil, translate(err)
	}
	return []registry.DueItem{{Kind: registry.DueWorkReport, Title: title, Division: scope.Division,
		Count: missing, Period: p.Key(), Due: due}}, nil
}

// dueEvaluations counts a community's live groups not yet evaluated for last year (overdue) and for this year
// (due at its end); a group founded in a year owes that year's evaluation from then on.
func (db *DB) dueEvaluations(ctx context.Context, scope portal.Scope, now time.Time) ([]registry.DueItem, error) {
	year := now.In(portal.Beijing).Year()
	var out []registry.DueItem
	for _, y := range []int{year - 1, year} {
		var n int
		err := db.pool(planFresh).QueryRow(ctx, `
			SELECT count(*) FROM organizations o
			WHERE o.community_code = @scope_div AND `+scopeOn("o")+` AND o.status IN ('normal', 'abnormal')
				AND o.created_at < @year_end
				AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.community_code = o.community_code
					AND e.org_id = o.id AND e.year = @year)`,
			scopeArgs(scope, pgx.NamedArgs{"year": y, "year_end": registry.EvaluationDue(y)})).Scan(&n)
		if err != nil {
			return nil, translate(err)
		}
		if n > 0 {
			out = append(out, registry.DueItem{Kind: registry.DueEvaluation, Title: strconv.Itoa(y) + "年度评估评议",
				Division: scope.Division, Count: n, Due: registry.EvaluationDue(y)})
		}
	}
	return out, nil
}
