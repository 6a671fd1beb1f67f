// 活动报告: activity reports that a 村(居)委会 files for a group of its community, their revisions (corrections
// keep their history), photos, keyset lists for every tier, a group's history and streamed exports.
package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/yubei-cso/portal/internal/portal"
	"github.com/yubei-cso/portal/internal/registry"
)

// reportColumns are the columns a report is read with.
const reportColumns = `r.id, r.report_no, r.revision, r.superseded_by, r.superseded_at, r.correction_reason,
	r.org_id, o.name AS org_name, r.town_code, t.name AS town_name, r.community_code, c.name AS community_name,
	r.activity_date, r.title, r.place, r.series, r.category, r.participants, r.volunteers,
	(r.volunteer_hours * 10)::bigint AS volunteer_tenths, r.beneficiaries, r.beneficiaries_total, r.description,
	r.submitted_by_name, coalesce(sa.display_name, '') AS submitted_by_display, r.submitted_at, r.demo, r.version`

// reportListColumns are what a list row shows: no photos' text, description or beneficiary breakdown, whose
// JSON alone was a noticeable share of a list page's CPU. Rows read with them leave the other fields zero.
// The town and community names come from the division cache (fillDivisionNames), not from joins: as on the
// organization lists, hashing the divisions for 50 rows cost more than reading the rows.
const reportListColumns = `r.id, r.report_no, r.revision, r.superseded_at, r.org_id, o.name AS org_name, r.town_code,
	r.community_code, r.activity_date, r.title, r.series, r.category,
	r.participants, r.volunteers, (r.volunteer_hours * 10)::bigint AS volunteer_tenths, r.beneficiaries_total`

// reportListFrom is reportFrom without the divisions, for reportListColumns.
const reportListFrom = `activity_reports r
	JOIN organizations o ON o.id = r.org_id`

const reportFrom = `activity_reports r
	JOIN organizations o ON o.id = r.org_id
	JOIN divisions c ON c.code = r.community_code
	JOIN divisions t ON t.code = r.town_code
	LEFT JOIN accounts sa ON sa.id = r.submitted_by`

// reportFilterClause is the filter, each part folding away when empty (plan_cache_mode=force_custom_plan).
const reportFilterClause = `
	  AND (@town = '' OR r.town_code = @town)
	  AND (@community = '' OR r.community_code = @community)
	  AND (@org = 0 OR r.org_id = @org)
	  AND (@series = '' OR r.series = @series)
	  AND (@category = '' OR r.category = @category)
	  AND (@from::date IS NULL OR r.activity_date >= @from::date)
	  AND (@to::date IS NULL OR r.activity_date <= @to::date)`

// reportNarrowest is the narrowest of the scope's division and f's town and community filters, or "" when they
// do not nest (a filter outside the scope), so that no report matches.
func reportNarrowest(scope portal.Scope, f registry.ReportFilter) string {
	if checkScope(scope) != nil {
		return "" // matches nothing
	}
	div := scope.Division
	for _, c := range []string{f.TownCode, f.CommunityCode} {
		switch {
		case c == "":
		case strings.HasPrefix(c, div):
			div = c
		case !strings.HasPrefix(div, c):
			return ""
		}
	}
	return div
}

// Lists read current revisions only (superseded_at IS NULL, the predicate of the list indexes) newest activity
// first. The page after starts below the last (activity_date, id) seen — a row comparison that is an index
// condition on (…, activity_date DESC, id DESC) — so page 6,000 of a town costs what page 1 costs.
func reportExportQuery() string {
	return `SELECT ` + reportColumns + ` FROM ` + reportFrom + `
	WHERE r.superseded_at IS NULL AND ` + scopeOn("r") + reportFilterClause + `
	ORDER BY r.activity_date DESC, r.id DESC`
}

func reportFilterArgs(scope portal.Scope, f registry.ReportFilter) namedArgs {
	return scopeArgs(scope, namedArgs{"town": f.TownCode, "community": f.CommunityCode, "org": f.OrgID,
		"series": f.Series, "category": f.Category, "from": f.From, "to": f.To})
}

// reportListDest points dest at r's fields in the order of reportListColumns and returns it.
func reportListDest(r *registry.ActivityReport, dest []any) []any {
	return append(dest[:0], &r.ID, &r.ReportNo, &r.Revision, &r.SupersededAt, &r.OrgID, &r.OrgName, &r.TownCode,
		&r.CommunityCode, &r.ActivityDate, &r.Title, &r.Series, &r.Category, &r.Participants, &r.Volunteers,
		&r.VolunteerTenths, &r.BeneficiariesTotal)
}

// ListActivityReports returns up to limit current reports inside scope that match f, after the cursor, with
// the fields a list shows (reportListColumns; the rest are zero). Ask for one more than a page shows to learn
// whether there is a next page.
func (db *DB) ListActivityReports(ctx context.Context, scope portal.Scope, f registry.ReportFilter, after registry.ReportCursor, limit int) ([]registry.ActivityReport, error) {
	page, err := db.listActivityReports(ctx, scope, f, after, limit, false)
	return page.Rows, err
}

// ListActivityReportsPage is ListActivityReports with CountActivityReports, both in one round trip.
func (db *DB) ListActivityReportsPage(ctx context.Context, scope portal.Scope, f registry.ReportFilter, after registry.ReportCursor, limit int) (registry.ReportPage, error) {
	return db.listActivityReports(ctx, scope, f, after, limit, true)
}

func (db *DB) listActivityReports(ctx context.Context, scope portal.Scope, f registry.ReportFilter, after registry.ReportCursor, limit int, withCount bool) (registry.ReportPage, error) {
	if limit <= 0 || limit > 1000 {
		limit = 50
	}
	q, args, err := reportListQueryFor(scope, f, after, limit)
	if err != nil {
		return registry.ReportPage{}, err
	}
	page := registry.ReportPage{Rows: make([]registry.ActivityReport, 0, limit)}
	b := &pgx.Batch{}
	b.Queue(q, args...).Query(scanPage(&page.Rows, reportListDest))
	if withCount {
		if q, args, ok := reportCountQuery(scope, f); ok {
			b.Queue(q, args...).QueryRow(func(row pgx.Row) error {
				page.Count.Known = true
				return row.Scan(&page.Count.N)
			})
		} else {
			page.Count.Known = f.KeptCountable() // no report can match: a known zero
		}
	}
	if err := db.pool(planKept).SendBatch(ctx, b).Close(); err != nil {
		return registry.ReportPage{}, translate(err)
	}
	err = db.nameRows(ctx, len(page.Rows), func(i int) (string, string, *string, *string) {
		r := &page.Rows[i]
		return r.TownCode, r.CommunityCode, &r.TownName, &r.CommunityName
	})
	return page, err
}

// ExplainListActivityReports is PostgreSQL's plan for the page query ListActivityReports would run, as the
// Lookups pool keeps it, so tests can show which index a list relies on.
func (db *DB) ExplainListActivityReports(ctx context.Context, scope portal.Scope, f registry.ReportFilter, after registry.ReportCursor, limit int) (string, error) {
	q, args, err := reportListQueryFor(scope, f, after, limit)
	if err != nil {
		return "", err
	}
	return db.explainKept(ctx, q, args)
}

// ExportActivityReports calls fn with every current report inside scope that matches f, in the lists' order,
// one row at a time, and then writes one audit row ("report.export") with the count — written even when the
// export fails half-way, since rows already sent have left the registry all the same.
func (db *DB) ExportActivityReports(ctx context.Context, scope portal.Scope, actor portal.Actor, f registry.ReportFilter, format string, fn func(registry.ActivityReport) error) (int, error) {
	return db.auditedExport(ctx, actor, exportAudit{action: "report.export", objectType: "activity_report",
		format: format, filter: f.Summary()}, func() (int, error) {
		return eachRow(ctx, db, reportExportQuery(), []any{reportFilterArgs(scope, f)},
			pgx.RowToStructByName[registry.ActivityReport], fn)
	})
}

// ActivityReport is one revision inside scope, current or not; any other id is ErrNotFound. A read by key, on
// the Lookups pool (see DB.Lookups).
func (db *DB) ActivityReport(ctx context.Context, scope portal.Scope, id int64) (registry.ActivityReport, error) {
	rows, _ := db.pool(planKept).Query(ctx, `SELECT `+reportColumns+` FROM `+reportFrom+` WHERE r.id = @id AND `+scopeOn("r"),
		scopeArgs(scope, namedArgs{"id": id}))
	r, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[registry.ActivityReport])
	return r, translate(err)
}

// ReportRevisions are every revision of report reportNo inside scope, first to last. A read by key, like
// ActivityReport.
func (db *DB) ReportRevisions(ctx context.Context, scope portal.Scope, reportNo int64) ([]registry.ActivityReport, error) {
	rows, _ := db.pool(planKept).Query(ctx, `SELECT `+reportColumns+` FROM `+reportFrom+`
		WHERE r.report_no = @no AND `+scopeOn("r")+` ORDER BY r.revision`,
		scopeArgs(scope, namedArgs{"no": reportNo}))
	rs, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.ActivityReport])
	return rs, translate(err)
}

const reportPhotoColumns = `p.id, p.report_id, p.position, p.content_type, p.size_bytes, p.width, p.height,
	p.storage_key, p.thumb_key, p.thumb_type`

// ReportPhotos are the photos of revision reportID inside scope, in order; outside scope there are none.
func (db *DB) ReportPhotos(ctx context.Context, scope portal.Scope, reportID int64) ([]registry.ReportPhoto, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+reportPhotoColumns+`
		FROM report_photos p JOIN activity_reports r ON r.id = p.report_id
		WHERE p.report_id = @id AND `+scopeOn("r")+` ORDER BY p.position`,
		scopeArgs(scope, namedArgs{"id": reportID}))
	ps, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.ReportPhoto])
	return ps, translate(err)
}

// ReportPhoto is one photo of revision reportID inside scope; anything else is ErrNotFound.
func (db *DB) ReportPhoto(ctx context.Context, scope portal.Scope, reportID, photoID int64) (registry.ReportPhoto, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `SELECT `+reportPhotoColumns+`
		FROM report_photos p JOIN activity_reports r ON r.id = p.report_id
		WHERE p.id = @photo AND p.report_id = @id AND `+scopeOn("r"),
		scopeArgs(scope, namedArgs{"id": reportID, "photo": photoID}))
	p, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[registry.ReportPhoto])
	return p, translate(err)
}

// ReportGroups are the live groups (正常 or 活动异常) inside scope that a report may be filed for, by name; at
// most 2,000, which no community approaches.
func (db *DB) ReportGroups(ctx context.Context, scope portal.Scope) ([]registry.ReportGroup, error) {
	rows, _ := db.pool(planFresh).Query(ctx, `
		SELECT o.id, o.name, true AS live FROM organizations o
		WHERE `+scopeOn("o")+` AND o.status IN ('normal', 'abnormal')
		ORDER BY o.name, o.id LIMIT 2000`, scopeArgs(scope, nil))
	gs, err := pgx.CollectRows(rows, pgx.RowToStructByName[registry.ReportGroup])
	return gs, translate(err)
}

// insertReport adds one revision inside tx. The group must lie inside scope and be live — or be keepOrg, the
// group of the revision being corrected, which may have been dissolved since — and district, town and
// community are copied from it in the same statement, never taken from input.
func insertReport(ctx context.Context, tx pgx.Tx, scope portal.Scope, actor portal.Actor, in registry.ReportInput,
	reportNo *int64, revision int, reason string, keepOrg int64, at *time.Time) (int64, error) {
	var actorID *int64
	if actor.AccountID != 0 {
		actorID = &actor.AccountID
	}
	benef := in.Beneficiaries
	if benef == nil {
		benef = map[string]int{}
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO activity_reports (report_no, revision, correction_reason, org_id, district_code, town_code,
			community_code, activity_date, title, place, series, category, participants, volunteers,
			volunteer_hours, beneficiaries, beneficiaries_total, description, submitted_by, submitted_by_name,
			submitted_at, demo)
		SELECT coalesce(@report_no::bigint, nextval('activity_report_no_seq')), @revision::int, @reason::text, o.id,
			o.district_code, o.town_code, o.community_code, @activity_date::date, @title::text, @place::text,
			@series::text, @category::text, @participants::int, @volunteers::int, @tenths::numeric / 10,
			@beneficiaries::jsonb, @total::int, @description::text, @actor_id::bigint, @actor_name::text,
			coalesce(@at::timestamptz, now()), @demo::boolean
		FROM organizations o
		WHERE o.id = @org_id AND `+scopeOn("o")+` AND (o.status IN ('normal', 'abnormal') OR o.id = @keep_org)
		RETURNING id`,
		scopeArgs(scope, namedArgs{
			"report_no": reportNo, "revision": revision, "reason": reason, "org_id": in.OrgID, "keep_org": keepOrg,
			"activity_date": in.ActivityDate, "title": in.Title, "place": in.Place, "series": in.Series,
			"category": in.Category, "participants": in.Participants, "volunteers": in.Volunteers,
			"tenths": in.VolunteerTenths, "beneficiaries": benef, "total": in.Total(),
			"description": in.Description, "actor_id": actorID, "actor_name": actor.Username, "at": at,
			"demo": in.Demo,
		})).Scan(&id)
	return id, translate(err)
}

// insertPhotos records photos of revision reportID from position first on.
func insertPhotos(ctx context.Context, tx pgx.Tx, actor portal.Actor, reportID int64, first int, photos []registry.ReportPhotoInput) error {
	var actorID *int64
	if actor.AccountID != 0 {
		actorID = &actor.AccountID
	}
	for i, p := range photos {
		if _, err := tx.Exec(ctx, `
			INSERT INTO report_photos (report_id, position, content_type, size_bytes, width, height, storage_key,
				thumb_key, thumb_type, sha256, uploaded_by)
			VALUES (@report_id, @position, @content_type, @size, @width, @height, @key, @thumb_key, @thumb_type,
				@sha256, @actor_id)`,
			namedArgs{"report_id": reportID, "position": first + i, "content_type": p.ContentType,
				"size": p.Size, "width": p.Width, "height": p.Height, "key": p.StorageKey, "thumb_key": p.ThumbKey,
				"thumb_type": p.ThumbType, "sha256": p.SHA256, "actor_id": actorID}); err != nil {
			return translate(err)
		}
	}
	return nil
}

// CreateActivityReport files a new report for a live group inside scope, with its photos and an audit row, in
// one transaction. Only a 村(居)委会 files reports (ErrNotAllow otherwise); a group outside scope, or no longer
// live, is ErrNotFound.
func (db *DB) CreateActivityReport(ctx context.Context, scope portal.Scope, actor portal.Actor, in registry.ReportInput, photos []registry.ReportPhotoInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.SubmitReports) {
		return 0, portal.ErrNotAllow
	}
	var id int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		if id, err = insertReport(ctx, tx, scope, actor, in, nil, 1, "", 0, nil); err != nil {
			return err
		}
		if err := insertPhotos(ctx, tx, actor, id, 1, photos); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "report.create", ObjectType: "activity_report",
			ObjectID: strconv.FormatInt(id, 10), Result: portal.ResultOK,
			Detail: "org " + strconv.FormatInt(in.OrgID, 10) + "; " + strconv.Itoa(len(photos)) + " 张照片"})
	})
	if err != nil {
		return 0, translate(err)
	}
	return id, nil
}

// CorrectActivityReport files the next revision of the report whose current revision is id, inside scope.
// version is the one the corrector's form showed: a revision already superseded or changed is ErrConflict and
// nothing is written. Photos of the old revision listed in keep stay (the new revision gets its own rows
// naming the same files), followed by the new photos. The old revision stays as history. It returns the new
// revision's id.
func (db *DB) CorrectActivityReport(ctx context.Context, scope portal.Scope, actor portal.Actor, id int64, version int,
	reason string, in registry.ReportInput, keep []int64, photos []registry.ReportPhotoInput) (int64, error) {
	if !portal.Can(scope.Tier, portal.SubmitReports) {
		return 0, portal.ErrNotAllow
	}
	if keep == nil {
		keep = []int64{}
	}
	var newID int64
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		var reportNo, orgID int64
		var revision, curVersion int
		var supersededAt *time.Time
		// The row lock orders concurrent corrections; the second reads the first's outcome and stops.
		err := tx.QueryRow(ctx, `SELECT r.report_no, r.revision, r.org_id, r.superseded_at, r.version
			FROM activity_reports r WHERE r.id = @id AND `+scopeOn("r")+` FOR UPDATE`,
			scopeArgs(scope, namedArgs{"id": id})).Scan(&reportNo, &revision, &orgID, &supersededAt, &curVersion)
		if err != nil {
			return translate(err)
		}
		if supersededAt != nil || curVersion != version {
			return portal.ErrConflict
		}
		if _, err := tx.Exec(ctx, `UPDATE activity_reports SET superseded_at = now(), version = version + 1
			WHERE id = @id`, namedArgs{"id": id}); err != nil {
			return translate(err)
		}
		if newID, err = insertReport(ctx, tx, scope, actor, in, &reportNo, revision+1, reason, orgID, nil); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE activity_reports SET superseded_by = @new WHERE id = @id`,
			namedArgs{"id": id, "new": newID}); err != nil {
			return translate(err)
		}
		tag, err := tx.Exec(ctx, `
			INSERT INTO report_photos (report_id, position, content_type, size_bytes, width, height, storage_key,
				thumb_key, thumb_type, sha256, uploaded_at, uploaded_by, public)
			SELECT @new, row_number() OVER (ORDER BY position), content_type, size_bytes, width, height, storage_key,
				thumb_key, thumb_type, sha256, uploaded_at, uploaded_by, public
			FROM report_photos WHERE report_id = @id AND id = ANY(@keep)`,
			namedArgs{"id": id, "new": newID, "keep": keep})
		if err != nil {
			return translate(err)
		}
		if err := insertPhotos(ctx, tx, actor, newID, int(tag.RowsAffected())+1, photos); err != nil {
			return err
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "report.correct", ObjectType: "activity_report",
			ObjectID: strconv.FormatInt(newID, 10), Result: portal.ResultOK,
			Detail: "更正报告 " + strconv.FormatInt(reportNo, 10) + " 第 " + strconv.Itoa(revision) + " 版 → 第 " +
				strconv.Itoa(revision+1) + " 版"})
	})
	if err != nil {
		return 0, translate(err)
	}
	return newID, nil
}

// ReportLoad is one report of a bulk load (the demo data): its input, when it was filed, and optionally a
// correction filed later with its reason.
type ReportLoad struct {
	registry.ReportInput
	SubmittedAt      time.Time
	Correction       *registry.ReportInput
	CorrectionReason string
	CorrectedAt      time.Time
}

// LoadActivityReports inserts reports inside scope in one transaction through the same statement as the form,
// so codes come from each group, with one audit row for the batch. It is for the demo data; the 10-million-row
// scale data goes in with COPY instead.
func (db *DB) LoadActivityReports(ctx context.Context, scope portal.Scope, actor portal.Actor, loads []ReportLoad) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		for _, l := range loads {
			at := l.SubmittedAt
			id, err := insertReport(ctx, tx, scope, actor, l.ReportInput, nil, 1, "", 0, &at)
			if err != nil {
				return err
			}
			if l.Correction == nil {
				continue
			}
			var reportNo int64
			if err := tx.QueryRow(ctx, `UPDATE activity_reports SET superseded_at = @at, version = version + 1
				WHERE id = @id RETURNING report_no`, namedArgs{"id": id, "at": l.CorrectedAt}).Scan(&reportNo); err != nil {
				return translate(err)
			}
			cat := l.CorrectedAt
			newID, err := insertReport(ctx, tx, scope, actor, *l.Correction, &reportNo, 2, l.CorrectionReason,
				l.OrgID, &cat)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE activity_reports SET superseded_by = @new WHERE id = @id`,
				namedArgs{"id": id, "new": newID}); err != nil {
				return translate(err)
			}
		}
		return audit(ctx, tx, portal.AuditEntry{Actor: actor, Action: "report.load", ObjectType: "activity_report",
			Result: portal.ResultOK, Detail: strconv.Itoa(len(loads)) + " rows"})
	})
	return translate(err)
}

// CountActivityReports is how many current reports inside scope match f, summed from the kept counts of at most
// a few thousand rows instead of recounted over millions. A filter they cannot answer (a group or a period)
// is not counted: the list shows its total only when one page holds every match.
func (db *DB) CountActivityReports(ctx context.Context, scope portal.Scope, f registry.ReportFilter) (registry.ReportCount, error) {
	if err := f.Check(); err != nil {
		return registry.ReportCount{}, err
	}
	q, args, ok := reportCountQuery(scope, f)
	if !ok {
		return registry.ReportCount{Known: f.KeptCountable()}, nil
	}
	var n int
	err := db.pool(planKept).QueryRow(ctx, q, args...).Scan(&n)
	return registry.ReportCount{N: n, Known: err == nil}, translate(err)
}

// digitsAfter is the least digit string above every code that starts with prefix, a string of digits: prefix
// with its last digit raised, carrying past nines ("500112" → "500113", "500119" → "50012"). The bound is
// made of digits because collations order digits alike, while many ignore punctuation at first: a bound of
// prefix + ":" (":" follows "9" in bytes) matched nothing under zh_CN.UTF-8 or en_US.UTF-8.
func digitsAfter(prefix string) string {
	for i := len(prefix) - 1; i >= 0; i-- {
		if prefix[i] < '9' {
			return prefix[:i] + string(prefix[i]+1)
		}
	}
	return strings.Repeat("9", 24) // all nines: above every division code (at most 12 digits)
}
