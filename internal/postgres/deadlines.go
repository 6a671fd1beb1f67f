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
	var s registry.DeadlineSettings
	b := &pgx.Batch{}
	queueDeadlineSettings(b, scope, &s)
	return s, db.send(ctx, planKept, b)
}

// queueDeadlineSettings queues DeadlineSettings's statement on b (planKept: the district's row by its key), to
// fill s.
func queueDeadlineSettings(b *pgx.Batch, scope portal.Scope, s *registry.DeadlineSettings) {
	*s = registry.DefaultDeadlines()
	b.Queue(`SELECT review_days, report_grace_days, version, updated_at FROM deadline_settings WHERE district_code = $1`,
		districtOf(scope)).QueryRow(func(row pgx.Row) error {
		err := row.Scan(&s.ReviewDays, &s.ReportGraceDays, &s.Version, &s.UpdatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			*s = registry.DefaultDeadlines()
			return nil
		}
		return err
	})
}

// SetDeadlineSettings saves the district's periods, audited. version is the settings' version as the clerk saw
// them (0 while never set): settings changed since are ErrConflict and nothing is written.
func (db *DB) SetDeadlineSettings(ctx context.Context, scope portal.Scope, actor portal.Actor, s registry.DeadlineSettings, version int) error {
	if scope.Tier != portal.TierDistrict || len(scope.Division) != 6 {
		return portal.ErrNotAllow
	}
	return pgx.BeginFunc(ctx, db.pool(planFresh), func(tx pgx.Tx) error {
		args := namedArgs{"code": scope.Division, "review": s.ReviewDays, "grace": s.ReportGraceDays,
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
// own evaluations read its groups, one community's worth. The reads go in one round trip, each written for the
// scope so that it keeps its plan.
func (db *DB) DueWork(ctx context.Context, scope portal.Scope, want registry.DueWant, set registry.DeadlineSettings, now time.Time) ([]registry.DueItem, error) {
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	d := &dueReads{}
	b := &pgx.Batch{}
	queueDueWork(b, scope, want, now, d)
	if err := db.send(ctx, planKept, b); err != nil {
		return nil, err
	}
	return d.items(set), nil
}

// dueReads is what DueWork's statements read, before the district's periods turn their times into due dates.
type dueReads struct {
	records  []dueRecord
	reports  func(set registry.DeadlineSettings) []registry.DueItem
	evaluate []registry.DueItem
}

// dueRecord is an open record and the time its due date counts from (a review's: its submission).
type dueRecord struct {
	item   registry.DueItem
	at     time.Time
	review bool // due ReviewDue(at); else at itself (a major activity's start)
}

// items is the list DueWork answers, in its order: the records by kind, the reports, the evaluations.
func (d *dueReads) items(set registry.DeadlineSettings) []registry.DueItem {
	var out []registry.DueItem
	for _, r := range d.records {
		r.item.Due = r.at
		if r.review {
			r.item.Due = set.ReviewDue(r.at)
		}
		out = append(out, r.item)
	}
	if d.reports != nil {
		out = append(out, d.reports(set)...)
	}
	return append(out, d.evaluate...)
}

// queueDueWork queues DueWork's statements on b (planKept: the scope is the equality of its tier's column, or
// its range of codes), to fill d; the caller has checked the scope.
func queueDueWork(b *pgx.Batch, scope portal.Scope, want registry.DueWant, now time.Time, d *dueReads) {
	// Each kind of open record: whether it is wanted, its rows (alias a) and the order that puts the oldest
	// first, and whether its due date is a review's.
	for _, k := range []struct {
		on       bool
		kind     registry.DueKind
		rows, by string
		review   bool
	}{
		{want.Applications, registry.DueApplication, `SELECT id, name, submitted_at FROM applications a
			WHERE status IN ('submitted', 'accepted')`, `submitted_at`, true},
		{want.Filings, registry.DueFiling, `SELECT id, name, submitted_at FROM filings a
			WHERE status = 'submitted'`, `submitted_at`, true},
		{want.NoticeReviews, registry.DueNoticeReview, `SELECT id, title, starts_at FROM major_activities a
			WHERE status = 'submitted'`, `starts_at`, false},
		{want.NoticeChanges, registry.DueNoticeChanges, `SELECT id, title, starts_at FROM major_activities a
			WHERE status = 'changes_requested'`, `starts_at`, false},
	} {
		if !k.on {
			continue
		}
		var args stmtArgs
		sql := k.rows + ` AND ` + scopeEquality("a", scope.Division, scope.Tier, &args) +
			` ORDER BY ` + k.by + `, id LIMIT ` + args.add(registry.DueItemsPerKind)
		b.Queue(sql, args...).
			Query(func(rows pgx.Rows) error {
				var id int64
				var title string
				var at time.Time
				_, err := pgx.ForEachRow(rows, []any{&id, &title, &at}, func() error {
					d.records = append(d.records, dueRecord{item: registry.DueItem{Kind: k.kind, ID: id, Title: title, Count: 1},
						at: at, review: k.review})
					return nil
				})
				return err
			})
	}
	if want.WorkReports {
		queueDueReports(b, scope, want.DivisionCounts, now, d)
	}
	if want.Evaluations && scope.Tier == portal.TierCommunity {
		queueDueEvaluations(b, scope, now, d)
	}
}

// queueDueReports counts the live groups without a first revision for the last period that has ended (due its
// end plus the grace): inside scope, summed from the divisions one level below (the coverage page lists them),
// or the own community's.
func queueDueReports(b *pgx.Batch, scope portal.Scope, perDivision bool, now time.Time, d *dueReads) {
	p := registry.PeriodOf(now).Prev()
	title := p.Label() + "定期工作报告"
	if perDivision {
		var rows []registry.ReportCoverage
		queueReportCoverage(b, scope, p, &rows)
		d.reports = func(set registry.DeadlineSettings) []registry.DueItem {
			it := registry.DueItem{Kind: registry.DueWorkReport, Division: scope.Division, Period: p.Key(), Due: set.ReportDue(p)}
			divisions := 0
			for _, r := range rows {
				if r.Missing > 0 {
					it.Count += r.Missing
					divisions++
				}
			}
			if divisions == 0 {
				return nil
			}
			below := "村(社区)"
			if scope.Tier == portal.TierDistrict {
				below = "镇街"
			}
			it.Title = title + "（" + strconv.Itoa(divisions) + " 个" + below + "有未报送）"
			return []registry.DueItem{it}
		}
		return
	}
	var missing int
	b.Queue(`
		SELECT coalesce((SELECT sum(n) FROM org_counts WHERE community_code = $1
				AND status IN ('normal', 'abnormal')), 0)
			- coalesce((SELECT sum(n) FROM work_report_counts WHERE community_code = $1
				AND period_year = $2 AND period_no = $3), 0)`,
		scope.Division, p.Year, p.Half).QueryRow(func(row pgx.Row) error {
		return row.Scan(&missing)
	})
	d.reports = func(set registry.DeadlineSettings) []registry.DueItem {
		if missing <= 0 {
			return nil
		}
		return []registry.DueItem{{Kind: registry.DueWorkReport, Title: title, Division: scope.Division,
			Count: missing, Period: p.Key(), Due: set.ReportDue(p)}}
	}
}

// queueDueEvaluations counts a community's live groups not yet evaluated for last year (overdue) and for this
// year (due at its end); a group founded in a year owes that year's evaluation from then on.
func queueDueEvaluations(b *pgx.Batch, scope portal.Scope, now time.Time, d *dueReads) {
	year := now.In(portal.Beijing).Year()
	for _, y := range []int{year - 1, year} {
		b.Queue(`
			SELECT count(*) FROM organizations o
			WHERE o.community_code = $1 AND o.status IN ('normal', 'abnormal') AND o.created_at < $2
				AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.community_code = o.community_code
					AND e.org_id = o.id AND e.year = $3)`,
			scope.Division, registry.EvaluationDue(y), y).QueryRow(func(row pgx.Row) error {
			var n int
			if err := row.Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				d.evaluate = append(d.evaluate, registry.DueItem{Kind: registry.DueEvaluation, Title: strconv.Itoa(y) + "年度评估评议",
					Division: scope.Division, Count: n, Due: registry.EvaluationDue(y)})
			}
			return nil
		})
	}
}
